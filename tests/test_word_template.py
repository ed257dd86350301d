"""A council's own Word template: the DOCX takes its styles, theme and page setup, and nothing
else of the package; the PDF keeps following the style file."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Mm, Pt, RGBColor

from conftest import ROOT

BASE = Path(__file__).parent / "hostile" / "base"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def council_template(path: Path, *, dotx: bool = True) -> Path:
    """A template as a council's comms team would make one: its own heading font and colour,
    body font, US Letter with wide margins, plus what must never reach a report (body text, a
    header, an external link, an attached template on a web server)."""
    template = docx.Document()
    heading = template.styles["Heading 1"]
    heading.font.name, heading.font.size, heading.font.color.rgb = "Georgia", Pt(26), RGBColor(0xC0, 0x00, 0x00)
    heading2 = template.styles["Heading 2"]
    heading2.font.name, heading2.font.color.rgb = "Georgia", RGBColor(0x00, 0x60, 0x30)
    template.styles["Normal"].font.name = "Verdana"
    template.styles["Normal"].font.size = Pt(10)
    template.styles.add_style("Council Quote", WD_STYLE_TYPE.PARAGRAPH)
    section = template.sections[0]
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    section.left_margin = section.right_margin = Mm(30)
    section.header.paragraphs[0].text = "TEMPLATE HEADER"
    template.add_paragraph("Template body text")
    template.part.relate_to("https://evil.example/track.png", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
                            is_external=True)
    settings_part = next(p for p in template.part.package.iter_parts() if p.partname == "/word/settings.xml")
    settings = settings_part.element
    attached = settings.makeelement(f"{W}attachedTemplate", {})
    rid = settings_part.relate_to("https://evil.example/Normal.dotm",
                                           "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
                                           is_external=True)
    attached.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    settings.insert(0, attached)
    buffer = io.BytesIO()
    template.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if dotx and item.filename == "[Content_Types].xml":
                data = data.replace(DOCUMENT_TYPE.encode(), TEMPLATE_TYPE.encode())
            target.writestr(item, data)
    return path


def folder_with_template(tmp_path: Path, template_name: str = "council.dotx", extra: str = "") -> Path:
    folder = tmp_path / "report"
    shutil.copytree(BASE, folder)
    style = (ROOT / "styles" / "plain.toml").read_text(encoding="utf-8")
    (folder / "style.toml").write_text(style + f'\n[word]\ntemplate = "{template_name}"\n{extra}', encoding="utf-8")
    shutil.copytree(ROOT / "styles" / "fonts", folder / "fonts")
    report = (folder / "report.yaml").read_text(encoding="utf-8").replace("style: plain", "style: style.toml")
    (folder / "report.yaml").write_text(report, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built_with_template(tmp_path_factory, chart_cache):
    from assessment.api import build
    tmp_path = tmp_path_factory.mktemp("word-template")
    folder = folder_with_template(tmp_path)
    council_template(folder / "council.dotx")
    written = {p.suffix: p for p in build(folder, tmp_path / "out", cache_dir=chart_cache)}
    return written


def test_the_docx_takes_the_templates_styles_and_page_setup(built_with_template):
    document = docx.Document(str(built_with_template[".docx"]))
    heading = document.styles["Heading 1"]
    assert heading.font.name == "Georgia" and heading.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert heading.font.size == Pt(26)
    assert document.styles["Heading 2"].font.color.rgb == RGBColor(0x00, 0x60, 0x30)
    assert document.styles["Normal"].font.name == "Verdana"
    section = document.sections[0]
    assert round(section.page_width.mm) == 216 and round(section.left_margin.mm) == 30
    # The report's own headings use the template's style, by the id our paragraphs name.
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Crime" in headings
    # Tables and pictures fit the template's narrower text column (216 - 2 x 30 mm).
    frame = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        assert sum(c.width for c in table.columns if c.width) <= frame + Pt(1)


def test_nothing_else_of_the_template_is_carried_over(built_with_template):
    with zipfile.ZipFile(built_with_template[".docx"]) as package:
        names = package.namelist()
        everything = b"".join(package.read(n) for n in names)
    assert b"evil.example" not in everything
    assert b"attachedTemplate" not in everything
    assert b"Template body text" not in everything and b"TEMPLATE HEADER" not in everything
    assert not [n for n in names if "vba" in n.lower()]
    assert b"Council Quote" not in everything  # only the styles the writer uses are taken


def test_the_pdf_follows_the_style_and_the_docx_asks_to_refresh_its_contents(built_with_template):
    import pdfplumber
    with pdfplumber.open(built_with_template[".pdf"]) as pdf:
        page = pdf.pages[0]
        assert round(page.width) == 595  # A4, as the style file says
        fonts = {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars}
    assert not any("Georgia" in f or "Verdana" in f for f in fonts)
    settings = docx.Document(str(built_with_template[".docx"])).settings.element.xml
    assert "w:updateFields" in settings  # the template's layout is not the PDF's


@pytest.mark.parametrize("make, expected", [
    (lambda folder: (folder / "council.dotx").write_bytes(b"not a zip at all"), "not a zip archive"),
    (lambda folder: council_template(folder / "council.dotx") and _add_member(folder / "council.dotx", "word/vbaProject.bin", b"x"),
     "holds macros"),
    (lambda folder: _zip(folder / "council.dotx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>"}),
     "no word/styles.xml"),
    (lambda folder: _zip(folder / "council.dotx", {"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"\0" * 60_000_000}),
     "unpacks to more than 50 MB"),
    (lambda folder: council_template(folder / "council.dotx") and _replace_member(
        folder / "council.dotx", "word/styles.xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:styles xmlns:w="x">&a;</w:styles>'),
     "declares a document type"),
    (lambda folder: None, "does not exist beside the style file"),
])
def test_a_bad_template_is_one_clear_error(tmp_path, make, expected):
    from assessment.api import build
    from assessment.errors import ReportError
    folder = folder_with_template(tmp_path)
    make(folder)
    with pytest.raises(ReportError) as caught:
        build(folder, tmp_path / "out", cache_dir=False)
    message = str(caught.value)
    assert "style.toml" in message and "word.template" in message and expected in message, message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("name", ["../council.dotx", "/etc/passwd", "link.dotx"])
def test_a_template_outside_the_style_folder_is_refused(tmp_path, name):
    from assessment.api import build
    from assessment.errors import ReportError
    folder = folder_with_template(tmp_path, name)
    council_template(tmp_path / "council.dotx")
    (folder / "link.dotx").symlink_to(tmp_path / "council.dotx")
    with pytest.raises(ReportError) as caught:
        build(folder, tmp_path / "out", cache_dir=False)
    assert "word.template" in str(caught.value)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _add_member(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, data)
    return path


def _replace_member(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[name] = data
    return _zip(path, members)
