"""One layout: every presentation rule and size is decided once (assessment/layout.py, from the
style) and both writers follow it. A writer holds no number or colour the style does not give."""

import ast
import io
import re

import attrs
import docx
import pdfplumber
import pikepdf
import pytest
from docx.shared import Pt
from reportlab.lib import colors as reportlab_colours

from assessment import compose as c
from assessment import model
from assessment.api import render_documents, theme_for
from assessment.layout import Layout
from assessment.render.base import Draft
from assessment.theme import MM, Labels
from assessment.transforms import prepare
from conftest import ROOT

RENDER = ROOT / "assessment" / "render"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# --- the writers hold no number and no colour of their own -----------------------------------

# 0, 1 and 2 are counting and arithmetic (the first, the last, both sides, a half), not sizes.
ALLOWED_NUMBERS = {0, 1, 2}
# Facts of a file format, not presentation: each a named module constant, and nothing else.
FORMAT_FACTS = {
    ("docx.py", "ZIP_EPOCH_YEAR"),  # a zip member's date cannot be before 1980
    ("docx.py", "ZIP_FILE_MODE"),  # 0o644 in the high half of a zip member's attributes
    ("oxml.py", "EIGHTHS_PER_POINT"),  # WordprocessingML's unit of border width
    ("oxml.py", "APP_VERSION_PART_MAX"),  # AppVersion is XX.YYYY
    ("pdf.py", "NAME_DIGITS"),  # how much of a hash names a PDF form or font
    ("tagging.py", "BITS_PER_COMPONENT"),  # an RGB image's samples
    ("html.py", "CSS_DEFAULT_POINTS"),  # a browser's default type size (16 px) is 12 points
    ("html.py", "PERCENT"),  # a share of 1 written as a CSS percentage
    ("platypus.py", "LARGE"),  # the length of a pattern in reportlab's code, not a measure of the page
}
_HEX_COLOUR = re.compile(r"#?[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}")  # "#FF0000", "FF0000" (as Word writes it), "#F00"
_NAMED_COLOURS = {name.lower() for name in reportlab_colours.getAllNamedColors()} - {"transparent"}
_COLOUR_NAMESPACES = {"colors", "WD_COLOR_INDEX", "WD_COLOR", "MSO_THEME_COLOR", "MSO_THEME_COLOR_INDEX"}
_COLOUR_CALLS = {"RGBColor", "Color", "CMYKColor", "HexColor"}


def literals_outside_the_style(source: str, module: str = "snippet.py") -> list[str]:
    """Where ``source`` writes a number or a colour itself: a numeric literal other than
    ALLOWED_NUMBERS (outside FORMAT_FACTS), a colour written as a string (#RRGGBB, or a named
    colour: "yellow"), a named colour constant (colors.yellow, WD_COLOR_INDEX.YELLOW) or a
    colour made from literals (RGBColor(255, 0, 0), HexColor("#FF0000"))."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and (module, node.targets[0].id) in FORMAT_FACTS:
            exempt.update(id(inner) for inner in ast.walk(node.value))
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            if node.value not in ALLOWED_NUMBERS:
                found.append(f"{module}:{node.lineno}: number {node.value!r}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _HEX_COLOUR.fullmatch(node.value) or node.value.lower() in _NAMED_COLOURS:
                found.append(f"{module}:{node.lineno}: colour {node.value!r}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in _COLOUR_NAMESPACES:
            if node.attr not in ("HexColor", "toColor") and not node.attr.startswith("_"):
                found.append(f"{module}:{node.lineno}: colour {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _COLOUR_CALLS and node.args and all(isinstance(a, ast.Constant) for a in node.args):
                found.append(f"{module}:{node.lineno}: colour {name}(…) of literals")
    return found


def test_the_writers_hold_no_number_or_colour_the_style_does_not_give():
    modules = sorted(RENDER.glob("*.py"))
    assert {"pdf.py", "docx.py", "html.py", "oxml.py", "tagging.py", "base.py"} <= {m.name for m in modules}
    found = [hit for module in modules for hit in literals_outside_the_style(module.read_text(), module.name)]
    assert not found, "\n".join(found)


def test_the_scan_finds_each_kind_of_literal():
    assert literals_outside_the_style("x = 12") == ["snippet.py:1: number 12"]
    assert literals_outside_the_style("leading = size * 1.2") == ["snippet.py:1: number 1.2"]
    assert literals_outside_the_style('fill = "#FF0000"') == ["snippet.py:1: colour '#FF0000'"]
    assert literals_outside_the_style('shd.set("w:fill", "FFE066")') == ["snippet.py:1: colour 'FFE066'"]
    assert literals_outside_the_style('c = "yellow"') == ["snippet.py:1: colour 'yellow'"]
    assert literals_outside_the_style("c = colors.yellow") == ["snippet.py:1: colour colors.yellow"]
    assert literals_outside_the_style("run.font.highlight_color = WD_COLOR_INDEX.YELLOW") == \
        ["snippet.py:1: colour WD_COLOR_INDEX.YELLOW"]
    assert len(literals_outside_the_style("RGBColor(0, 0, 0)")) == 1
    # What stays allowed: counting, halves, format facts by name, the style's own values.
    assert literals_outside_the_style("x = width / 2 - 1; y = -1; z = items[0]") == []
    assert literals_outside_the_style("NAME_DIGITS = 16", "pdf.py") == []
    assert literals_outside_the_style("OTHER = 16", "pdf.py") == ["pdf.py:1: number 16"]
    assert literals_outside_the_style("fill = theme.colours.placeholder_fill; c = colors.HexColor(fill)") == []
    assert literals_outside_the_style('style = "Heading 1"; align = "center"; page = "1"') == []


def test_layout_is_pure():
    """layout decides; it draws nothing: no reportlab, no python-docx, no writer."""
    tree = ast.parse((ROOT / "assessment" / "layout.py").read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {("." * n.level) + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.split(".")[0] in ("reportlab", "docx", "lxml") or "render" in name for name in imported), imported


def test_every_built_in_style_sets_every_layout_key(tmp_path):
    """Defaults keep older style files loading; the shipped styles say every value outright."""
    import tomllib

    from assessment.theme import CoverGeometry, Proportions, Sizes

    for path in [*sorted((ROOT / "styles").glob("*.toml")), ROOT / "fixtures" / "medway-2022" / "style.toml"]:
        raw = tomllib.loads(path.read_text())
        for table, cls in (("sizes", Sizes), ("layout", Proportions), ("cover", CoverGeometry), ("labels", Labels)):
            missing = {f.name for f in attrs.fields(cls)} - set(raw.get(table, {}))
            assert not missing, f"{path.name} [{table}] lacks {sorted(missing)}"


# --- each rule, followed by both writers -----------------------------------------------------

ROWS = [{"area": "Corby", "rate": 61}, {"area": "Medway", "rate": 71}, {"area": "Bolton", "rate": 99}]


def _report():
    value = model.Paragraph((model.Text("Total incidents: "), model.Placeholder("asb_total")))
    return c.report(
        "Strategic Assessment 2022", "Exampleton Community Safety Partnership",
        c.section("Benchmarking",
                  c.table(ROWS, title="Offence rate per 1,000", headers={"area": "Area", "rate": "Rate"},
                          emphasis={"area": "Medway"}),
                  c.key_facts({"All crime": "Up 4% on last year."}),
                  c.chart("bar", "Knife crime by ward", None, "ward", "offences",
                          unavailable_reason="Not yet published by Kent Police."),
                  value),
        c.section("Priorities", "The four priorities.",
                  c.section("Reducing Reoffending", "Words."), contents_children=True),
        c.section("Run on", "Stays on the page.", new_page=False),
        date=__import__("datetime").date(2022, 12, 1), version="0.3",
        # Medway's look: its emphasis and key-label fills differ, so each rule's fill is its own.
        style=str(ROOT / "fixtures" / "medway-2022" / "style.toml"),
    )


@pytest.fixture(scope="module")
def built():
    report = _report()
    theme = theme_for(report)
    draft = Draft(report.version, report.date)
    documents = render_documents(report, ["pdf", "docx"], draft=True, cache_dir=False)
    layout = Layout(prepare(report, theme.labels), theme, draft)
    pdf = pdfplumber.open(io.BytesIO(documents["pdf"]))
    yield {"layout": layout, "theme": theme, "pdf": pdf, "pdf_bytes": documents["pdf"],
           "docx": docx.Document(io.BytesIO(documents["docx"])), "prepared": layout.prepared}
    pdf.close()


def _rgb(hex_value: str) -> tuple[float, ...]:
    return tuple(round(int(hex_value[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))


def _fills(page, hex_value: str) -> list[dict]:
    """The filled rectangles of ``page`` in colour ``hex_value``."""
    want = _rgb(hex_value)
    return [r for r in page.rects if r.get("fill") and r.get("non_stroking_color") is not None
            and tuple(round(v, 3) for v in r["non_stroking_color"]) == want]


def _sections(layout):
    return [node for node, _ in model.walk(layout.prepared.report.blocks) if isinstance(node, model.Section)]


def _docx_tables(document):
    return [t for t in document.tables]


def test_new_page_rule(built):
    layout, pdf, document = built["layout"], built["pdf"], built["docx"]
    decided = {s.title: layout.starts_page(s) for s in _sections(layout)}
    assert decided == {"Benchmarking": True, "Priorities": True, "Reducing Reoffending": False, "Run on": False}
    # PDF: a section that starts a page is the first thing on its page; one that does not is not.
    for title, starts in decided.items():
        page = next(p for p in pdf.pages[2:] if title in (p.extract_text() or ""))  # past the contents
        first_line = (page.extract_text() or "").lstrip().splitlines()[0]
        assert (first_line == title) == starts, title
    # DOCX: the same headings, and only they, break the page before them.
    breaks = {p.text: bool(p.paragraph_format.page_break_before) for p in document.paragraphs if p.text in decided}
    assert breaks == decided


def test_table_title_row(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    table = next(n for n, _ in model.walk(layout.prepared.report.blocks) if isinstance(n, model.Table))
    look = layout.table(table, theme.page.frame_width)
    assert look.has_title and look.header_count == 2 and look.rows[0].fill == theme.colours.table_title_fill
    # PDF: the first row is one header cell spanning both columns, on the title's fill.
    with pikepdf.open(io.BytesIO(built["pdf_bytes"])) as structure:
        def walk(node):
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    yield kid
                    yield from walk(kid)
        first_table = [e for e in walk(structure.Root.StructTreeRoot) if e.S == "/Table"][1]  # [0]: the contents
        first_row = next(e for e in walk(first_table) if e.S == "/TR")
        cells = [e for e in walk(first_row) if e.S in ("/TH", "/TD")]
        assert [str(e.S) for e in cells] == ["/TH"] and int(cells[0].A.ColSpan) == 2
    page = next(p for p in pdf.pages if "Offence rate per 1,000" in (p.extract_text() or ""))
    title_word = next(w for w in page.extract_words() if w["text"] == "Offence")
    fill = _fills(page, theme.colours.table_title_fill)
    assert any(r["top"] <= title_word["top"] and r["bottom"] >= title_word["bottom"]
               and abs(r["width"] - theme.page.frame_width) < 1 for r in fill)
    # DOCX: the first row is one merged cell, shaded in the title's fill, repeated as a header.
    t = _docx_tables(document)[1]  # [0] is the cover
    row = t.rows[0]
    tc = row.cells[0]._tc
    assert tc.tcPr.find(f"{W}gridSpan").get(f"{W}val") == "2"
    assert tc.tcPr.find(f"{W}shd").get(f"{W}fill") == theme.colours.table_title_fill.lstrip("#")
    assert row._tr.trPr.find(f"{W}tblHeader") is not None
    assert row.cells[0].text == "Offence rate per 1,000"


def test_emphasis_rows(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    table = next(n for n, _ in model.walk(layout.prepared.report.blocks) if isinstance(n, model.Table))
    look = layout.table(table, theme.page.frame_width)
    assert [r.kind for r in look.rows] == ["title", "header", "body", "emphasis", "body"]
    # PDF: Medway's row, and only it, is bold on the emphasis fill.
    page = next(p for p in pdf.pages if "Offence rate per 1,000" in (p.extract_text() or ""))
    fills = _fills(page, theme.colours.table_emphasis_fill)
    assert len(fills) == 1
    inside = [ch for ch in page.chars if fills[0]["top"] <= ch["top"] and ch["bottom"] <= fills[0]["bottom"]]
    assert "".join(ch["text"] for ch in inside) == "Medway71" and all("Bold" in ch["fontname"] for ch in inside)
    corby = [ch for ch in page.chars if ch["text"] == "C" and "Bold" not in ch["fontname"]]
    assert corby  # the other body rows are not bold
    # DOCX: the same row shaded and bold.
    t = _docx_tables(document)[1]
    for r, kind in enumerate(r.kind for r in look.rows):
        shading = [cell._tc.tcPr.find(f"{W}shd") for cell in t.rows[r].cells]
        fills = {s.get(f"{W}fill") if s is not None else None for s in shading}
        bold = {bool(run.bold) for cell in t.rows[r].cells for p in cell.paragraphs for run in p.runs}
        if kind == "emphasis":
            assert fills == {theme.colours.table_emphasis_fill.lstrip("#")} and bold == {True}
        elif kind == "body":
            assert fills == {None} and bold == {False}


def test_key_facts_label_width(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    look = layout.key_facts(theme.page.frame_width)
    assert look.label_width == pytest.approx(theme.page.frame_width * theme.layout.key_label_share)
    # PDF: the label column's fill is that wide.
    page = next(p for p in pdf.pages if "All crime" in (p.extract_text() or ""))
    (label,) = _fills(page, theme.colours.key_label_fill)
    assert label["width"] == pytest.approx(look.label_width, abs=0.5)
    assert label["x0"] == pytest.approx(theme.page.margin_left_mm * MM, abs=0.5)
    # DOCX: the table's first grid column is that wide.
    facts = next(t for t in _docx_tables(document) if t.rows[0].cells[0].text == "All crime")
    grid = facts._tbl.tblGrid.findall(f"{W}gridCol")
    assert int(grid[0].get(f"{W}w")) == pytest.approx(Pt(look.label_width).twips, abs=1)
    assert int(grid[1].get(f"{W}w")) == pytest.approx(Pt(look.content_width).twips, abs=1)


def test_footer_words_and_rule(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    footer = layout.footer()
    assert footer.text == "Exampleton Community Safety Partnership \u2013 Strategic Assessment 2022"
    assert footer.rule is not None and footer.rule.colour == theme.colours.brand
    # PDF: every page after the cover has the words, the page number and the rule above them.
    for page in pdf.pages[1:]:
        lines = (page.extract_text() or "").splitlines()
        assert any(line.startswith(footer.text) for line in lines), page.page_number
        rules = [ln for ln in page.lines if ln.get("stroking_color") is not None
                 and tuple(round(v, 3) for v in ln["stroking_color"]) == _rgb(footer.rule.colour)]
        above = page.height - (footer.baseline + footer.size + footer.rule_gap)
        assert any(abs(ln["top"] - above) < 0.5 and ln["linewidth"] == pytest.approx(footer.rule.width) for ln in rules)
    # DOCX: the footer's first paragraph: the same words, then the page number. The rule is not
    # drawn yet: a paragraph border there is painted untagged by LibreOffice's PDF export.
    paragraph = document.sections[0].footer.paragraphs[0]
    assert paragraph.text.startswith(footer.text + "\t")
    # The draft's line: the same words in both.
    assert footer.draft == "Draft 0.3 \u2014 2022-12-01 \u2014 not for publication"
    assert all(footer.draft in (p.extract_text() or "") for p in pdf.pages)
    assert [p.text for p in document.sections[0].footer.paragraphs][1] == footer.draft


def test_contents_heading_prefixes_and_indents(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    look = layout.contents(model.Contents(), theme.page.frame_width)
    assert look.heading == "Contents"
    assert [(line.text, line.indent) for line in look.lines] == [
        ("Benchmarking", 0), ("Priorities", 0), ("\u2022 Reducing Reoffending", theme.sizes.bullet_indent), ("Run on", 0)]
    # PDF: the heading, and each entry as the layout writes it, indented as it says.
    page = pdf.pages[1]
    text = page.extract_text()
    assert text.splitlines()[0] == look.heading
    for line in look.lines:
        assert line.text in text
    bullet = next(w for w in page.extract_words() if w["text"] == "\u2022")
    item = next(w for w in page.extract_words() if w["text"] == "Priorities")
    assert bullet["x0"] - item["x0"] == pytest.approx(theme.sizes.bullet_indent, abs=0.5)
    # DOCX: the same heading, and each entry's words and indent (its TOC style's).
    heading = next(p for p in document.paragraphs if p.style.name == "TOC Heading")
    assert heading.text == look.heading
    entries = [p for p in document.paragraphs if p.style.name.startswith("TOC ") and p.style.name != "TOC Heading"]
    assert [p.text.split("\t")[0] for p in entries] == [line.text for line in look.lines]
    for p, line in zip(entries, look.lines):
        assert (p.style.paragraph_format.left_indent or 0) == Pt(line.indent)


def test_unavailable_chart_panel(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    chart = next(n for n, _ in model.walk(layout.prepared.report.blocks) if isinstance(n, model.Chart))
    panel = layout.chart(chart, theme.page.frame_width).panel
    words = [line.text for line in panel.lines]
    assert words == ["Data not available", "Knife crime by ward", "Not yet published by Kent Police."]
    # PDF: the words in order, in the panel's fill.
    page = next(p for p in pdf.pages if "Knife crime by ward" in (p.extract_text() or ""))
    # The draft's watermark letters (drawn over the page, far larger) would interleave with the words.
    text = page.filter(lambda obj: obj.get("size", 0) < theme.sizes.watermark / 2).extract_text()
    assert all(w in text for w in words) and text.index(words[0]) < text.index(words[1]) < text.index(words[2])
    assert _fills(page, panel.fill)
    # DOCX: a one-cell table with the same words, in order, shaded alike.
    box = next(t for t in _docx_tables(document) if t.rows[0].cells[0].text.startswith(words[0]))
    assert [p.text for p in box.rows[0].cells[0].paragraphs] == words
    assert box.rows[0].cells[0]._tc.tcPr.find(f"{W}shd").get(f"{W}fill") == panel.fill.lstrip("#")
    # The caption under it: the same words in both.
    caption = layout.chart(chart, theme.page.frame_width).caption
    assert caption == "Figure 1: Knife crime by ward" and caption in text
    assert any(p.text == caption for p in document.paragraphs)


def test_placeholder_look(built):
    layout, pdf, document, theme = built["layout"], built["pdf"], built["docx"], built["theme"]
    words, fill = layout.placeholder(model.Placeholder("asb_total"))
    assert (words, fill) == ("[asb_total]", theme.colours.placeholder_fill)
    # PDF: the words on a rectangle of the placeholder fill.
    page = next(p for p in pdf.pages if words in (p.extract_text() or ""))
    start = next(w for w in page.extract_words() if w["text"] == words)
    assert any(r["x0"] <= start["x0"] + 0.5 and r["x1"] >= start["x1"] - 0.5 for r in _fills(page, fill))
    # DOCX: the run shaded in the same fill, and no named highlight colour.
    run = next(r for p in document.paragraphs for r in p.runs if r.text == words)
    assert run._r.rPr.find(f"{W}shd").get(f"{W}fill") == fill.lstrip("#")
    assert run.font.highlight_color is None


def test_watermark_look(built):
    layout, pdf, document = built["layout"], built["pdf"], built["docx"]
    mark = layout.watermark()
    assert (mark.text, mark.size, mark.angle) == ("DRAFT", 110, 45)
    # PDF: drawn at the layout's size, in the layout's opacity.
    page = pdf.pages[1]
    assert "".join(ch["text"] for ch in page.chars if ch["size"] > mark.size - 1) == mark.text
    with pikepdf.open(io.BytesIO(built["pdf_bytes"])) as structure:
        states = structure.pages[1].Resources.get("/ExtGState", {})
        assert [float(state.ca) for state in states.values() if "/ca" in state] == [pytest.approx(mark.opacity)]
    # DOCX: the same words, opacity, and turn (VML measures it clockwise).
    shape = document.sections[0].header._element.xpath(".//*[local-name()='shape']")[0]
    assert f"rotation:{mark.clockwise:g}" in shape.get("style")
    assert shape.xpath("./*[local-name()='fill']")[0].get("opacity") == f"{mark.opacity:g}"
    assert shape.xpath("./*[local-name()='textpath']")[0].get("string") == mark.text


def test_cover_band(built):
    layout, pdf, document = built["layout"], built["pdf"], built["docx"]
    look = layout.cover()
    # PDF: the accent band where the layout puts it.
    cover = pdf.pages[0]
    (band,) = _fills(cover, look.accent)
    assert band["height"] == pytest.approx(look.band_height, abs=0.1)
    assert cover.height - band["bottom"] == pytest.approx(look.band_bottom, abs=0.1)
    # DOCX: the cover box's middle row is the band: its height, its fill; the words above it.
    box = _docx_tables(document)[0]
    words, band_row, _ = box.rows
    assert band_row.height == Pt(look.band_height)
    assert band_row.cells[0]._tc.tcPr.find(f"{W}shd").get(f"{W}fill") == look.accent.lstrip("#")
    assert [p.text for p in words.cells[0].paragraphs] == [line.text for line in look.lines]


def test_labels_come_from_the_style():
    """Every word the library writes is a label: a style's [labels] changes both documents."""
    report = _report()
    theme = theme_for(report)
    welsh = attrs.evolve(theme, labels=Labels(contents="Cynnwys", data_not_available="Dim data ar gael",
                                              figure="Ffigur {number}: {caption}", footer="{title} | {organisation}"))
    documents = render_documents(report, ["pdf", "docx"], theme=welsh, cache_dir=False)
    with pdfplumber.open(io.BytesIO(documents["pdf"])) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(documents["docx"])).paragraphs)
    cells = "\n".join(c.text for t in docx.Document(io.BytesIO(documents["docx"])).tables for r in t.rows for c in r.cells)
    footer = docx.Document(io.BytesIO(documents["docx"])).sections[0].footer.paragraphs[0].text
    for expected in ("Cynnwys", "Ffigur 1: Knife crime by ward"):
        assert expected in text and expected in words
    assert "Dim data ar gael" in text and "Dim data ar gael" in cells
    assert "Strategic Assessment 2022 | Exampleton Community Safety Partnership" in text
    assert footer.startswith("Strategic Assessment 2022 | Exampleton Community Safety Partnership")
    assert "Contents" not in text and "Data not available" not in text


def test_a_label_fills_in_only_its_own_marks():
    from assessment.theme import fill_label

    assert fill_label("Figure {number}: {caption}", number=3, caption="x") == "Figure 3: x"
    assert fill_label("{number.__class__} {0} {caption", number=3) == "{number.__class__} {0} {caption"
