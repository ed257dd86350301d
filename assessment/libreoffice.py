"""The LibreOffice PDF engine: our DOCX, exported by LibreOffice as tagged PDF/UA.

For users who prefer LibreOffice's PDF export to our reportlab writer. It needs LibreOffice and
a Python with its UNO bridge (Debian: ``apt-get install libreoffice-writer-nogui python3-uno``).
The work is done by ``_uno_export.py`` in that other Python; this module finds the programs,
runs it in a private temporary folder and turns every failure into one ReportError line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ReportError

ENGINE = "--pdf-engine libreoffice"
TIMEOUT_SECONDS = 300
_SCRIPT = Path(__file__).with_name("_uno_export.py")


def find_soffice() -> str | None:
    chosen = os.environ.get("ASSESSMENT_SOFFICE")
    if chosen and not Path(chosen).is_file():
        raise ReportError.single(ENGINE, "", f"ASSESSMENT_SOFFICE names {chosen!r}, which does not exist")
    return chosen or shutil.which("soffice") or shutil.which("libreoffice")


def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno``: the one LibreOffice bundles (Windows, macOS) or the
    system one with python3-uno (Debian); ``ASSESSMENT_UNO_PYTHON`` overrides both."""
    program = Path(soffice).resolve().parent
    candidates = [os.environ.get("ASSESSMENT_UNO_PYTHON"), str(program / "python"), str(program / "python.exe"),
                  "/usr/bin/python3", shutil.which("python3")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


def require() -> tuple[str, str]:
    """LibreOffice and a Python with its UNO bridge, or one clear error saying what to install."""
    soffice = find_soffice()
    if soffice is None:
        raise ReportError.single(ENGINE, "", "LibreOffice (soffice) is not installed; install "
                                 "libreoffice-writer-nogui or leave out --pdf-engine to use the built-in writer")
    python = find_uno_python(soffice)
    if python is None:
        raise ReportError.single(ENGINE, "", "no Python with LibreOffice's UNO bridge was found; install "
                                 "python3-uno or set ASSESSMENT_UNO_PYTHON to LibreOffice's python")
    return soffice, python


def docx_to_pdf(docx: bytes) -> bytes:
    soffice, python = require()
    with tempfile.TemporaryDirectory(prefix="assessment-lo-") as work:
        source, target = Path(work, "report.docx"), Path(work, "report.pdf")
        source.write_bytes(docx)
        try:
            result = subprocess.run(
                [python, str(_SCRIPT), soffice, str(source), str(target), str(Path(work, "profile"))],
                capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise ReportError.single(ENGINE, "", f"LibreOffice did not finish within {TIMEOUT_SECONDS} s") from None
        if result.returncode != 0 or not target.is_file():
            detail = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
            raise ReportError.single(ENGINE, "", f"LibreOffice could not export the PDF: {detail}")
        return target.read_bytes()
