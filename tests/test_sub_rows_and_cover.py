"""Issue 17: rows with a level (indented sub-rows) and the cover's subtitle, line breaks and logo,
as both writers draw them. One small report folder is built once for the module (no charts, so
it takes a second); the rest are unit checks or compose reports rendered in memory."""

import io

import docx
import pdfplumber
import pikepdf
import pytest
from PIL import Image

import matterhorn
from assessment import compose as c
from assessment import images, limits, model, narrative
from assessment.api import build, load_report, render_documents, theme_for
from assessment.errors import ReportError
from assessment.layout import Layout
from assessment.theme import MM
from assessment.transforms import prepare
from conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INDENT = 4 * MM  # the plain style's sub_row_indent_mm
LOGO_HEIGHT = 20 * MM  # its logo_height_mm
LOGO_PIXELS = (300, 100)

REPORT = """\
name: levels
title: "Strategic Assessment\\n2018-19"
subtitle: April 2018 to March 2019
organisation: Testshire Community Safety Partnership
logo: {file: images/logo.png, alt: Testshire CSP logo}
date: 2024-01-31
style: plain
datasets:
  crimes: data/crimes.csv
body:
  - section: Crime
    content:
      - table: {data: crimes, level: level}
      - markdown: text/pipes.md
"""
CRIMES = "crime,count,level\nBurglary,100,\nResidential,60,1\nDetached,20,2\nBusiness and community,40,1\nRobbery,9,0\n"
PIPES = "| Offence | Count |\n|---|--:|\n| Vehicle crime | 50 |\n| - Theft of a vehicle | 20 |\n| – Theft from a vehicle | 30 |\n"


def _logo_png(transparent: bool = True) -> bytes:
    picture = Image.new("RGBA", LOGO_PIXELS, (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    picture.paste((250, 200, 0, 255), (10, 10, 90, 90))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("levels") / "report"
    (root / "data").mkdir(parents=True)
    (root / "text").mkdir()
    (root / "images").mkdir()
    (root / "report.yaml").write_text(REPORT, encoding="utf-8")
    (root / "data" / "crimes.csv").write_text(CRIMES, encoding="utf-8")
    (root / "text" / "pipes.md").write_text(PIPES, encoding="utf-8")
    (root / "images" / "logo.png").write_bytes(_logo_png())
    return root


@pytest.fixture(scope="module")
def built(folder, tmp_path_factory):
    written = build(folder, tmp_path_factory.mktemp("levels-out"), cache_dir=False)
    return {path.suffix.lstrip("."): path for path in written}


def _word_x(page, word: str) -> float:
    return next(w["x0"] for w in page.extract_words() if w["text"] == word)


# --- sub-rows -----------------------------------------------------------------------------------


def test_the_row_carries_its_level_from_each_source(folder):
    report = load_report(folder)
    table, pipes = [n for n, _ in model.walk(report.blocks) if isinstance(n, model.Table)]
    assert table.levels == (0, 1, 2, 1, 0)
    assert [row[0].blocks[0].plain for row in table.rows][:2] == ["Burglary", "Residential"]
    assert len(table.columns) == 2  # the level column is not shown
    assert pipes.levels == (0, 1, 1)  # "- " and "– " before a pipe table's first cell
    assert [row[0].blocks[0].plain for row in pipes.rows] == ["Vehicle crime", "Theft of a vehicle", "Theft from a vehicle"]
    composed = c.table([{"crime": "Burglary", "n": 1, "lvl": None}, {"crime": "Residential", "n": 1, "lvl": 1}], level="lvl")
    assert composed.levels == (0, 1) and len(composed.columns) == 2


def test_a_sub_row_is_indented_in_the_pdf_by_the_style_per_level(built):
    with pdfplumber.open(built["pdf"]) as pdf:
        page = next(p for p in pdf.pages if "Burglary" in (p.extract_text() or ""))
        text = page.extract_text()
        parent = _word_x(page, "Burglary")
        # the table's dashes (the footer has one too)
        markers = sorted({round(w["x0"], 1) for w in page.extract_words() if w["text"] == "\u2013" and w["x0"] < parent + 3 * INDENT})
    assert "\u2013 Residential" in text and "\u2013 Theft of a vehicle" in text and "\u2013 \u2013" not in text
    assert markers == [pytest.approx(parent + INDENT, abs=0.2), pytest.approx(parent + 2 * INDENT, abs=0.2)]


def test_a_sub_row_is_indented_in_the_docx_cell(built):
    document = docx.Document(str(built["docx"]))
    table = next(t for t in document.tables if t.rows[1].cells[0].text == "Burglary")
    indents = []
    for row in table.rows[1:]:
        ind = row.cells[0].paragraphs[0]._p.find(f"{W}pPr/{W}ind")
        indents.append(int(ind.get(f"{W}left")) if ind is not None else 0)
        assert row.cells[1].paragraphs[0]._p.find(f"{W}pPr/{W}ind") is None  # only the label moves
    twips = round(INDENT * 20)
    assert indents == [0, twips, 2 * twips, twips, 0]
    assert [row.cells[0].text for row in table.rows[1:4]] == ["Burglary", "\u2013 Residential", "\u2013 Detached"]


def test_sub_rows_leave_the_table_a_regular_tagged_table(built):
    data = built["pdf"].read_bytes()
    assert matterhorn.check(data, warnings=False) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tables = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Table"]
        rows = [k for k in tables[0].K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/TR"]
        assert len(rows) == 6 and all(len([cell for cell in row.K if cell.S in ("/TH", "/TD")]) == 2 for row in rows)


def test_the_marker_and_indent_are_the_styles():
    table = model.Table((model.Column(), model.Column()), (), (
        (model.Cell.of("Burglary"), model.Cell.of("1")), (model.Cell.of("Residential"), model.Cell.of("1")),
        (model.Cell.of("\u2013 Business"), model.Cell.of("1"))), levels=(0, 1, 1))
    report = c.report("T", "O", c.section("S", table), contents=False)
    theme = theme_for(report)
    look = Layout(prepare(report, theme), theme).table(table, 400)
    firsts = [row.cells[0].cell.blocks[0].plain for row in look.rows]
    assert firsts == ["Burglary", "\u2013 Residential", "\u2013 Business"]  # a dash the data has is not doubled
    assert [row.indent for row in look.rows] == [0, pytest.approx(INDENT), pytest.approx(INDENT)]
    assert look.rows[1].cells[0].width == pytest.approx(look.rows[0].cells[0].width - INDENT)
    assert look.rows[1].cells[1].width == look.rows[0].cells[1].width
    plain = attrs_evolve(theme, labels={"sub_row_marker": ""}, layout={"sub_row_indent_mm": 7})
    look = Layout(prepare(report, plain), plain).table(table, 400)
    assert look.rows[1].cells[0].cell.blocks[0].plain == "Residential" and look.rows[1].indent == pytest.approx(7 * MM)


def attrs_evolve(theme, **tables):
    import attrs

    return attrs.evolve(theme, **{name: attrs.evolve(getattr(theme, name), **values) for name, values in tables.items()})


def test_a_level_past_the_maximum_is_one_clear_error():
    with pytest.raises(ReportError) as caught:
        c.table([{"crime": "Burglary", "lvl": 0}, {"crime": "Detached", "lvl": limits.MAX_ROW_LEVEL + 1}], level="lvl")
    assert [str(p) for p in caught.value.problems] == [
        f"compose.table: data[1]['lvl']: level {limits.MAX_ROW_LEVEL + 1}; expected empty or 0 for a row, or 1 to "
        f"{limits.MAX_ROW_LEVEL} for a sub-row"]
    with pytest.raises(Exception) as caught:
        narrative.parse("| A | B |\n|---|---|\n| x | 1 |\n| ---- y | 2 |\n", file="text/x.md", level=None, first_line=5)
    assert str(caught.value) == ("text/x.md: line 8: a table row of level 4 (---- before its words); "
                                 "expected at most 3 dashes for a sub-row")
    bad = model.Table((model.Column(),), (), ((model.Cell.of("x"),),), levels=(9,))
    assert [p.message for p in limits.table_problems(bad, "the report")] == [
        "level 9; expected 0 for a row or 1 to 3 for a sub-row"]


# --- the cover ----------------------------------------------------------------------------------


def test_the_pdf_cover_keeps_the_title_break_and_shows_the_subtitle(built):
    with pdfplumber.open(built["pdf"]) as pdf:
        lines = (pdf.pages[0].extract_text() or "").splitlines()
    assert lines[-3:] == ["Strategic Assessment", "2018-19", "April 2018 to March 2019"]


def test_the_docx_cover_keeps_the_title_break_and_hyphen_and_shows_the_subtitle(built):
    document = docx.Document(str(built["docx"]))
    cover = document.tables[0].rows[0].cells[0]
    title = next(p for p in cover.paragraphs if "Strategic" in p.text)
    xml = title._p.xml
    assert "<w:br/>" in xml and "<w:noBreakHyphen/>" in xml and "2018-19" not in xml
    assert title.text == "Strategic Assessment\n2018-19"
    assert any(p.text == "April 2018 to March 2019" for p in cover.paragraphs)
    assert document.core_properties.title == "Testshire Community Safety Partnership Strategic Assessment 2018-19"


def test_the_pdf_cover_shows_the_logo_at_the_styles_height_with_alt_text(built):
    with pdfplumber.open(built["pdf"]) as pdf:
        pictures = pdf.pages[0].images
        words = pdf.pages[0].extract_words()
    assert len(pictures) == 1
    logo = pictures[0]
    assert logo["height"] == pytest.approx(LOGO_HEIGHT, abs=0.1)
    assert logo["width"] == pytest.approx(LOGO_HEIGHT * LOGO_PIXELS[0] / LOGO_PIXELS[1], abs=0.1)
    assert tuple(logo["srcsize"]) == LOGO_PIXELS
    organisation = next(w for w in words if w["text"] == "Testshire")
    assert logo["bottom"] < organisation["top"] and logo["x0"] == pytest.approx(organisation["x0"], abs=1)  # above, in line
    with pikepdf.open(built["pdf"]) as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Testshire CSP logo"]
        image = next(x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image")
        assert "/SMask" in image  # its transparent ground shows the cover's colour


def test_the_docx_cover_shows_the_logo_with_its_description(built):
    document = docx.Document(str(built["docx"]))
    cover = document.tables[0]._tbl
    pictures = cover.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline")
    assert len(pictures) == 1
    doc_pr = pictures[0].find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert doc_pr.get("descr") == "Testshire CSP logo"
    extent = pictures[0].find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    assert int(extent.get("cy")) == pytest.approx(LOGO_HEIGHT * 12700, abs=12700 * 0.1)
    assert len(document.inline_shapes) == 1


def test_an_svg_logo_is_rasterised_and_a_logo_may_stand_below(tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg' width='60' height='20' viewBox='0 0 120 40'>"
                   "<defs><linearGradient id='g'><stop offset='0' stop-color='#fff'/><stop offset='1' stop-color='#fc0'/>"
                   "</linearGradient></defs><rect width='120' height='40' fill='url(#g)'/></svg>")
    style = tmp_path / "below.toml"
    style.write_text((ROOT / "styles" / "plain.toml").read_text().replace('logo_position = "above"', 'logo_position = "below"'))
    report = c.report("Strategic Assessment 2024", "Exampleton CSP", c.section("S", "Words."), contents=False,
                      logo=svg, logo_alt="Exampleton CSP logo", style=str(style))
    assert (report.cover.logo.width, report.cover.logo.height) == (3 * images.SVG_RASTER_HEIGHT, images.SVG_RASTER_HEIGHT)
    pdf = render_documents(report, ["pdf"], cache_dir=False)["pdf"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        logo, = document.pages[0].images
        title = next(w for w in document.pages[0].extract_words() if w["text"] == "2024")
    assert logo["height"] == pytest.approx(LOGO_HEIGHT, abs=0.1) and logo["width"] == pytest.approx(3 * LOGO_HEIGHT, abs=0.1)
    assert logo["top"] > title["bottom"]
    with pikepdf.open(io.BytesIO(pdf)) as document:
        image = next(x for x in document.pages[0].Resources.XObject.values() if x.Subtype == "/Image")
        assert "/SMask" not in image  # nothing in it is transparent


def test_same_input_same_bytes_with_a_logo(folder):
    report = load_report(folder)
    first = render_documents(report, cache_dir=False)
    again = render_documents(load_report(folder), cache_dir=False)
    assert first["pdf"] == again["pdf"] and first["docx"] == again["docx"]


def test_compose_asks_for_alt_text_with_a_logo(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_logo_png())
    with pytest.raises(ReportError) as caught:
        c.report("T", "O", c.section("S", "x"), logo=logo)
    assert str(caught.value).startswith("compose.report: logo_alt:")
    with pytest.raises(ReportError) as caught:
        c.report("T", "O", c.section("S", "x"), logo=tmp_path / "missing.png", logo_alt="O logo")
    assert str(caught.value).startswith("compose.report: logo:")


def test_an_svg_doctype_in_another_encoding_is_still_refused(tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_bytes(("<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE svg [<!ENTITY x 'y'>]>"
                     "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='2'><text>&x;</text></svg>").encode("utf-16"))
    with pytest.raises(ReportError) as caught:
        images.read_logo(svg, display="images/logo.svg", alt="A logo")
    assert "declares a DOCTYPE" in str(caught.value)


def test_a_palette_png_keeps_its_transparency(tmp_path):
    picture = Image.new("P", (20, 10), 0)
    picture.putpalette([255, 255, 255, 200, 0, 0])
    picture.paste(1, (0, 0, 10, 10))
    path = tmp_path / "logo.png"
    picture.save(path, transparency=0)
    logo = images.read_logo(path, display="logo.png", alt="A logo")
    with Image.open(io.BytesIO(logo.png)) as decoded:
        assert decoded.mode == "RGBA" and decoded.getpixel((15, 5))[3] == 0 and decoded.getpixel((5, 5)) == (200, 0, 0, 255)


def _elements(node):
    kids = node.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)
