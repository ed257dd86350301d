import shutil
from pathlib import Path

import pdfplumber
import pytest

from assessment.api import build

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory):
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
