"""Accessible output: what the DOCX declares, and styles that cannot be read refused at load."""

import shutil

import pytest

from assessment.errors import ReportError
from assessment.loading import load_report
from assessment.theme import contrast, load_theme, style_path
from conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_headings_never_skip_a_level(medway_docx):
    levels = [int(p.style.name.split()[-1]) for p in medway_docx.paragraphs if p.style.name.startswith("Heading")]
    assert levels[0] == 1 and len(levels) > 30
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_docx_every_picture_has_alt_text(medway_docx):
    doc_prs = medway_docx.element.body.xpath(".//wp:docPr")
    assert doc_prs and all(len(d.get("descr", "")) > 20 for d in doc_prs)


def test_docx_table_header_rows_are_marked(medway_docx):
    marked = [t for t in medway_docx.tables if t.rows[0]._tr.xpath("./w:trPr/w:tblHeader")]
    titles = {t.cell(0, 0).text for t in marked}
    assert {"Term", "Priority", "Crime Severity Score: Total Recorded Crime"} <= titles
    benchmark = next(t for t in marked if t.cell(0, 0).text.startswith("Offence rate"))
    assert [bool(r._tr.xpath("./w:trPr/w:tblHeader")) for r in benchmark.rows[:3]] == [True, True, False]


def test_docx_core_properties_and_language(medway_docx):
    props = medway_docx.core_properties
    assert props.title == "Medway Community Safety Partnership Strategic Assessment 2022"
    assert props.author == "Medway Community Safety Partnership"
    assert props.subject.startswith("Annual strategic assessment")
    assert props.language == "en-GB"
    assert props.created.year == 2022 and props.modified == props.created
    lang = medway_docx.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    assert lang[0].get(W + "val") == "en-GB"


def test_docx_has_no_empty_paragraphs_for_spacing(medway_docx):
    # Except the one-point paragraph Word's table model needs between two tables (without it
    # the two are one table): it is no blank line a reader meets.
    def separator(p):
        return p._p.xpath("./w:pPr/w:spacing[@w:line='20' and @w:lineRule='exact']") and \
            p._p.getprevious() is not None and p._p.getprevious().tag.endswith("}tbl") and \
            p._p.getnext() is not None and p._p.getnext().tag.endswith("}tbl")
    empty = [p for p in medway_docx.paragraphs if not p.text.strip() and not p._p.xpath(".//w:drawing") and not separator(p)]
    assert empty == []


def test_pdf_declares_language_title_and_bookmarks(medway_build):
    import pypdf
    reader = pypdf.PdfReader(medway_build["pdf"])
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata.title == "Medway Community Safety Partnership Strategic Assessment 2022"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title
    bookmarks = list(titles(reader.outline))
    assert "Introduction" in bookmarks and "Cuckooing" in bookmarks and "Appendix 1 – Crime Types" in bookmarks
    assert len(bookmarks) == 38  # the contents page and every heading


def test_built_in_styles_pass_contrast():
    load_theme(style_path("plain"))
    for path in (ROOT / "fixtures" / "medway-2022" / "style.toml", *ROOT.glob("examples/*/style.toml")):
        load_theme(path)
    assert round(contrast("#FFFFFF", "#00558C"), 2) == 7.84
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0


def _custom_style(tmp_path, old, new):
    path = tmp_path / "s.toml"
    shutil.copy(ROOT / "fixtures" / "medway-2022" / "style.toml", path)
    path.write_text(path.read_text().replace(old, new))
    return path


def test_low_contrast_colour_is_refused(tmp_path):
    path = _custom_style(tmp_path, 'table_header_fill = "#00558C"', 'table_header_fill = "#9DB6CF"')
    with pytest.raises(ReportError) as caught:
        load_theme(path)
    assert str(caught.value).endswith(
        "s.toml: colours.table_header_text on colours.table_header_fill: contrast #FFFFFF on #9DB6CF is 2.09:1; "
        "expected at least 4.5:1 (WCAG AA)")


def test_small_body_text_is_refused(tmp_path):
    path = _custom_style(tmp_path, "body = 12\n", "body = 10\n")
    with pytest.raises(ReportError) as caught:
        load_theme(path)
    assert "s.toml: sizes.body: 10 pt is below the 12 pt minimum for body text" in str(caught.value)


def test_skipped_heading_level_is_refused(medway_copy):
    (medway_copy / "text" / "multi-agency.md").write_text("Intro\n\n#### Too deep\n\nText\n")
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    assert str(caught.value) == ("text/multi-agency.md: line 3: a level-4 heading follows level 1; "
                                 "expected level 2 or less (no skipped levels)")
