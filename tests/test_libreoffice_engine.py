"""--pdf-engine libreoffice: our DOCX exported by LibreOffice as tagged PDF/UA, contents refreshed."""

import os
import re
import subprocess
import sys

import pdfplumber
import pypdfium2 as pdfium
import pikepdf

from conftest import MEDWAY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def contents_lines(text: str) -> list[tuple[str, int]]:
    """(title, page) for each entry of a contents page written with dot leaders."""
    entries = []
    for line in text.splitlines():
        match = re.match(r"^(.*?)\.{3,}\s*(\d+)$", line)
        if match:
            entries.append((match.group(1).strip(), int(match.group(2))))
    return entries


def test_libreoffice_pdf_is_tagged_with_title_and_language(libreoffice_build):
    with pikepdf.open(libreoffice_build) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == "Medway Community Safety Partnership Strategic Assessment 2022"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"


def test_libreoffice_contents_is_ours_with_its_own_page_numbers(libreoffice_build, medway_pdf_pages):
    # The contents page's lines as laid out (pdfplumber); every other page's words are only
    # searched, so PDFium reads them, fifty times faster.
    with pdfplumber.open(libreoffice_build) as pdf:
        entries = contents_lines(pdf.pages[1].extract_text() or "")
    pages = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(libreoffice_build)]
    titles = [title for title, _ in entries]
    # Exactly the reference's entries (from the headings' TC fields), not every Heading 1 and 2.
    assert titles[0] == "Medway Community Safety Partnership" and titles[-1] == "Appendix 1 – Crime Types"
    assert len(titles) == 18 and "The Medway Task Force" not in titles
    assert titles[10:14] == ["Safeguarding Adults and Children (Tackling Serious Violence and County Lines)",
                             "Reducing Vulnerability", "Reducing Reoffending", "Listening to our Communities and Partners"]
    # Refreshed by LibreOffice: each number is where that heading lands in LibreOffice's layout.
    for title, page in entries:
        if title in ("Reducing Vulnerability", "Reducing Reoffending", "Listening to our Communities and Partners"):
            continue  # also the titles of the aims boxes, which come first in the text
        assert pages[page - 1].replace("\n", " ").find(title[:30]) >= 0, (title, page)
    assert entries[0][1] == 3


def test_docx_contents_field_lists_only_the_contents_entries(medway_docx):
    body = medway_docx.element.body
    codes = [t.text.strip() for t in body.iter(W + "instrText")]
    assert 'TOC \\f \\l "1-2" \\h \\z' in codes
    entries = [c for c in codes if c.startswith("TC ")]
    assert len(entries) == 18
    assert 'TC "Introduction" \\l 1' in entries and 'TC "Reducing Reoffending" \\l 2' in entries
    assert not any("The Medway Task Force" in c for c in entries)


def test_missing_libreoffice_is_one_clear_line(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}
    env.pop("ASSESSMENT_SOFFICE", None)
    result = subprocess.run([sys.executable, "-m", "assessment", "build", str(MEDWAY), "--out", str(tmp_path / "out"),
                             "--pdf-engine", "libreoffice"], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --pdf-engine libreoffice: LibreOffice (soffice) is not installed; install "
        "libreoffice-writer-nogui or leave out --pdf-engine to use the built-in writer"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_offers_exactly_the_engines_the_api_accepts():
    from assessment import api, cli

    assert cli.PDF_ENGINES == api.PDF_ENGINES
