import os
import shutil
from pathlib import Path

import pdfplumber
import pytest

from assessment.api import build

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"


# Module-scoped fixtures that cost seconds; the tests that share one run on one xdist worker
# (``--dist loadgroup``), or each worker would build it again.
SHARED_BUILDS = ("draft_build", "libreoffice_build", "long_tables", "docx_through_libreoffice", "welsh_build")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in SHARED_BUILDS:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(f"{item.module.__name__}::{name}"))
                break


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory):
    """One chart cache for the whole run, shared by the xdist workers (its files are written
    atomically), so each chart of the Medway report is drawn once rather than once a worker."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "chart-cache"
        shared.mkdir(exist_ok=True)
        return shared
    return tmp_path_factory.mktemp("chart-cache")


@pytest.fixture(scope="session")
def medway_build(tmp_path_factory, chart_cache):
    out = tmp_path_factory.mktemp("medway")
    written = build(MEDWAY, out, cache_dir=chart_cache)
    return {path.suffix.lstrip("."): path for path in written}


@pytest.fixture(scope="session")
def medway_pdf_pages(medway_build):
    """The text of each PDF page; index 0 is page 1 (the cover)."""
    with pdfplumber.open(medway_build["pdf"]) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture(scope="session")
def medway_docx(medway_build):
    import docx

    return docx.Document(str(medway_build["docx"]))


@pytest.fixture
def medway_copy(tmp_path):
    """A private copy of the fixture folder that a test may edit."""
    target = tmp_path / "medway-2022"
    shutil.copytree(MEDWAY, target)
    return target
