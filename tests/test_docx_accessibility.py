"""The DOCX as Word's Accessibility Checker and the GOV.UK guidance judge it
(tests/docx_accessibility.py): our documents pass; each rule fails the small DOCX made for it."""

from __future__ import annotations

import io

import attrs
import docx
import pytest
from docx.shared import Pt

import docx_accessibility
from assessment.api import load_report, render_documents
from assessment.theme import load_theme, style_path
from conftest import MEDWAY


def deliberate_sizes(style_file) -> tuple[float, ...]:
    """Every size the style sets: small type is allowed where the style chose it."""
    sizes = load_theme(style_file).sizes
    return tuple(getattr(sizes, f.name) for f in attrs.fields(type(sizes)) if isinstance(getattr(sizes, f.name), (int, float)))


MEDWAY_SIZES = deliberate_sizes(MEDWAY / "style.toml")


def test_the_medway_docx_passes(medway_build):
    assert docx_accessibility.check(medway_build["docx"].read_bytes(), allowed_sizes=MEDWAY_SIZES) == []


def test_the_draft_docx_passes_and_says_it_is_a_draft(draft_build):
    data = next(p for p in draft_build if p.suffix == ".docx").read_bytes()
    assert docx_accessibility.check(data, allowed_sizes=MEDWAY_SIZES) == []
    # The first page's own text carries the draft line, in the cover's foot.
    cover = docx.Document(io.BytesIO(data)).tables[0]
    assert "not for publication" in cover.rows[-1].cells[0].text


def test_another_style_and_a_report_in_code_pass(tmp_path):
    from assessment import compose as c
    report = c.report("Community Safety 2025", "Exampleton CSP",
                      c.section("Crime", "Figures are at www.example.gov.uk and police.uk.",
                                c.callout("Crime", ["Keep going."], heading="Aims for the year")))
    data = render_documents(report, ["docx"], cache_dir=False)["docx"]
    assert docx_accessibility.check(data, allowed_sizes=deliberate_sizes(style_path("plain"))) == []


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory, chart_cache):
    from assessment.api import build
    return build(MEDWAY, tmp_path_factory.mktemp("draft-docx"), draft=True, formats=["docx"], cache_dir=chart_cache)


# --- each rule fails the document made for it ---------------------------------------------------


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _good():
    """A minimal document that passes every rule."""
    document = docx.Document()
    document.core_properties.title = "A report"
    document.add_paragraph("A report", style="Title")
    document.styles["Normal"].font.size = Pt(12)
    document.add_paragraph("Some text.")
    lang = document.styles.element.find(f"{{{docx_accessibility.W}}}docDefaults").find(f"{{{docx_accessibility.W}}}rPrDefault")
    lang = lang.find(f"{{{docx_accessibility.W}}}rPr")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    if lang.find(qn("w:lang")) is None:
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), "en-GB")
        lang.append(element)
    return document


def test_the_good_document_passes():
    assert docx_accessibility.check(_saved(_good())) == []


def _no_title_style(document):
    document.paragraphs[0].style = document.styles["Normal"]
    document.paragraphs[0].runs[0].font.size = Pt(28)


def _contents_without_link(document):
    document.add_paragraph("Introduction\t3", style="TOC 1" if "TOC 1" in [s.name for s in document.styles] else None)
    if document.paragraphs[-1].style.name != "TOC 1":
        from docx.enum.style import WD_STYLE_TYPE
        document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
        document.paragraphs[-1].style = document.styles["TOC 1"]
    document.styles["TOC 1"].font.size = Pt(12)


def _fake_heading(document):
    run = document.add_paragraph().add_run("Aims for the year")
    run.bold, run.font.size = True, Pt(16)


def _silent_draft(document):
    from docx.oxml import parse_xml
    header = document.sections[0].header.paragraphs[0]
    header._p.append(parse_xml('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                               'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textpath string="DRAFT"/>'
                               '</v:shape></w:pict></w:r>'))


def _small_text(document):
    document.add_paragraph().add_run("Small print").font.size = Pt(8)


def _bare_address(document):
    document.add_paragraph("See www.ons.gov.uk for the figures.")


def _picture_without_description(document, tmp_path_factory=None):
    import base64
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    document.add_picture(io.BytesIO(png))
    for picture in document.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        picture.set("descr", "")


def _no_language(document):
    from docx.oxml.ns import qn
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    defaults.remove(defaults.find(qn("w:lang")))


def _no_title_property(document):
    document.core_properties.title = ""


@pytest.mark.parametrize("rule, spoil", [
    ("title", _no_title_style), ("title", _no_title_property), ("contents-links", _contents_without_link),
    ("fake-headings", _fake_heading), ("draft-says-so", _silent_draft), ("small-text", _small_text),
    ("bare-addresses", _bare_address), ("alt-text", _picture_without_description), ("language", _no_language),
])
def test_each_rule_fails_the_document_made_for_it(rule, spoil):
    document = _good()
    spoil(document)
    found = docx_accessibility.check(_saved(document))
    assert found and {f.rule for f in found} == {rule}, [str(f) for f in found]
