import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from assessment.api import build

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"


# Fixtures that cost seconds; the tests that share one run on one xdist worker (``--dist
# loadgroup``), whichever module they are in, or each worker would build it again.
SHARED_BUILDS = ("draft_build", "libreoffice_build", "long_tables", "welsh_build", "medway_headings", "medway_html",
                 "browser_pages")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in SHARED_BUILDS:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
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


def _once_per_run(tmp_path_factory, name: str, make):
    """``make()``'s JSON-able result, made by the first xdist worker to ask and read by the
    others (each worker would otherwise build the Medway report and read its 37 pages again)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make()
    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        made = shared / f"{name}.json"
        if not made.exists():
            made.write_text(json.dumps(make()))
        return json.loads(made.read_text())


@pytest.fixture(scope="session")
def medway_build(tmp_path_factory, chart_cache):
    """The Medway report, built once a run; tests read it and never change it."""
    def make():
        out = tmp_path_factory.mktemp("medway-build")  # a worker's own folder, the others read it
        written = build(MEDWAY, out, cache_dir=chart_cache)
        return {path.suffix.lstrip("."): str(path) for path in written}
    return {suffix: Path(path) for suffix, path in _once_per_run(tmp_path_factory, "medway-build", make).items()}


@pytest.fixture(scope="session")
def medway_pdf_pages(tmp_path_factory, medway_build):
    """The text of each PDF page; index 0 is page 1 (the cover)."""
    def make():
        with pdfplumber.open(medway_build["pdf"]) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    return _once_per_run(tmp_path_factory, "medway-pdf-pages", make)


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


@pytest.fixture(scope="session")
def libreoffice_build(tmp_path_factory, chart_cache):
    """The Medway report through ``--pdf-engine libreoffice``: our DOCX laid out and exported by
    LibreOffice (the free stand-in for Word), its contents refreshed there. One run serves the
    engine's tests, its Matterhorn findings and the Word-parity checks of the DOCX's layout."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed in CI")
        pytest.skip("LibreOffice not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    result = subprocess.run([sys.executable, "-m", "assessment", "build", str(MEDWAY), "--out", str(out),
                             "--pdf-engine", "libreoffice"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "ASSESSMENT_CACHE": str(chart_cache)})
    assert result.returncode == 0, result.stderr
    return out / "medway-csp-strategic-assessment-2022.pdf"
