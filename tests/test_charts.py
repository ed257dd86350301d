"""Charts: specs from data, drawn once and cached, visible text, pictures in both formats."""

import io

import attrs

import pytest
from PIL import Image

from assessment.charts import ChartRenderer, spec
from assessment.loading import load_report
from assessment.model import Chart
from assessment.theme import load_theme, style_path
from assessment.transforms import describe, prepare
from conftest import MEDWAY

SEASONALITY = Chart(
    id="fig-asb", kind="line", title="ASB incidents by month, April 2021 to March 2022",
    rows=tuple({"month": m, "incidents": v} for m, v in [("Apr-21", 650), ("May-21", 600), ("Jun-21", 650),
                                                           ("Jan-22", 350), ("Feb-22", 300), ("Mar-22", 380)]),
    x="month", y="incidents", y_title="Incidents",
)


@pytest.fixture(scope="module")
def theme():
    return load_theme(MEDWAY / "style.toml")


def test_spec_carries_data_encodings_and_theme(theme):
    vl = spec(SEASONALITY, theme)
    assert vl["data"]["values"][0] == {"month": "Apr-21", "incidents": 650}
    layer = vl.get("layer", [vl])[0]
    assert layer["mark"]["type"] == "line"
    assert layer["encoding"]["x"]["field"] == "month" and layer["encoding"]["x"]["type"] == "nominal"
    assert layer["encoding"]["y"]["field"] == "incidents" and layer["encoding"]["y"]["type"] == "quantitative"
    assert layer["encoding"]["x"]["sort"] == ["Apr-21", "May-21", "Jun-21", "Jan-22", "Feb-22", "Mar-22"]
    assert vl["config"]["font"].startswith("Liberation Sans,")  # a fallback list, never a lone name
    assert layer["mark"]["color"] == theme.colours.chart_palette[0]


def test_bar_chart_spec_puts_categories_on_y(theme):
    report = prepare(load_report(MEDWAY))
    bar = next(c for c in report.charts() if c.kind == "bar" and c.y == "percent")
    vl = spec(bar, theme)
    bars = vl["layer"][0]
    assert bars["encoding"]["y"]["field"] == "crime_type" and bars["encoding"]["x"]["field"] == "percent"
    assert [r["percent"] for r in vl["data"]["values"]] == [48, 14, 14, 11, 5, 4, 3, 1]


def test_second_build_hits_the_cache(theme, tmp_path):
    first = ChartRenderer(theme, cache_dir=tmp_path)
    png = first.render(SEASONALITY).png
    assert (first.hits, first.misses) == (0, 1)
    second = ChartRenderer(theme, cache_dir=tmp_path)
    assert second.render(SEASONALITY).png == png
    assert (second.hits, second.misses) == (1, 0)
    changed = ChartRenderer(theme, cache_dir=tmp_path)
    changed.render(attrs.evolve(SEASONALITY, rows=SEASONALITY.rows[:-1]))
    assert changed.misses == 1


def test_chart_text_is_drawn(theme, tmp_path):
    """The axis-label strip must hold dark pixels; vl-convert drops all text if the font is unknown."""
    picture = ChartRenderer(theme, cache_dir=None).render(SEASONALITY)
    image = Image.open(io.BytesIO(picture.png)).convert("L")
    width, height = image.size
    assert abs(width - theme.page.frame_width * 200 / 72) < 1  # 200 dpi at the text column's width (it gives none)
    label_strip = image.crop((0, int(height * 0.80), width, height))  # the month labels
    # Text is drawn in the theme's near-black (#1A1A1A); the blue line and grey axes are lighter.
    text_pixels = sum(label_strip.histogram()[:45])
    assert text_pixels > 200
    left_strip = image.crop((0, 0, int(width * 0.08), int(height * 0.7)))  # the y-axis title
    assert sum(left_strip.histogram()[:45]) > 50


def test_alt_text_written_from_data():
    assert describe(SEASONALITY) == (
        "Line chart of ASB incidents by month, April 2021 to March 2022 (Incidents), Apr-21 to Mar-22: "
        "highest 650 (Apr-21 and Jun-21), lowest 300 (Feb-22)."
    )


def test_author_alt_text_wins():
    report = load_report(MEDWAY)
    from assessment.model import Report, Section
    chart = attrs.evolve(SEASONALITY, alt="My own words.")
    prepared = prepare(Report(report.cover, (Section("S", (chart,)),)))
    assert list(prepared.alt_texts.values()) == ["My own words."]


def test_medway_has_five_pictures_in_each_format(medway_build, medway_docx):
    import doctext
    sizes = [size for page in doctext.image_sizes(medway_build["pdf"].read_bytes()) for size in page]
    assert len(sizes) >= 5 and all(width > 100 and height > 50 for width, height in sizes)
    pictures = medway_docx.element.body.xpath(".//pic:pic")
    assert len(pictures) >= 5
    descr = [d.get("descr") for d in medway_docx.element.body.xpath(".//wp:docPr")]
    assert len(descr) == len(pictures) and all(len(d) > 20 for d in descr)


@pytest.mark.parametrize("kind", ["column", "bar", "line", "pie", "donut", "grouped-bar", "stacked-bar"])
def test_every_chart_kind_draws(kind, theme, tmp_path):
    rows = tuple({"year": y, "kind": k, "count": n} for y, k, n in
                 [("2020-21", "Crime", 29652), ("2020-21", "ASB", 9574), ("2021-22", "Crime", 32541), ("2021-22", "ASB", 5641)])
    series = "kind" if kind in ("grouped-bar", "stacked-bar") else None
    if series is None:
        rows = tuple(r for r in rows if r["kind"] == "Crime")
    chart = Chart(id="k", kind=kind, title=f"A {kind} chart", rows=rows, x="year", y="count", series=series)
    vl = spec(chart, theme)
    encodings = vl.get("layer", [vl])[0]["encoding"]
    if kind in ("pie", "donut"):
        assert encodings["theta"]["field"] == "count" and encodings["color"]["field"] == "year"
    elif series:
        assert encodings["color"]["field"] == "kind"
        assert ("xOffset" in encodings) == (kind == "grouped-bar")
    picture = ChartRenderer(theme, cache_dir=tmp_path).render(chart)
    image = Image.open(io.BytesIO(picture.png)).convert("L")
    assert sum(image.histogram()[:45]) > 100  # dark pixels: labels or legend text were drawn


def test_medway_specs_draw_without_vega_lite_warnings(theme, caplog):
    """vl-convert 2 forwards Vega-Lite's warnings to logging; a spec that provokes one (as the
    bar charts' "-x" sort across two layers did) would print it under every build."""
    import vl_convert

    report = prepare(load_report(MEDWAY))
    with caplog.at_level("WARNING", logger="vl_convert"):
        for chart in report.charts():
            if chart.available:
                vl_convert.vegalite_to_vega(spec(chart, theme))
    assert [r.getMessage() for r in caplog.records if r.name == "vl_convert"] == []


def test_descending_bars_keep_their_order_in_both_layers(theme):
    rows = tuple({"area": a, "rate": v} for a, v in [("B", 5), ("A", 9), ("C", "n/a"), ("D", 7)])
    chart = Chart(id="b", kind="bar", title="Rates", rows=rows, x="area", y="rate", sort="descending")
    layers = spec(chart, theme)["layer"]
    assert len(layers) >= 2  # the bars and their value labels
    assert [layer["encoding"]["y"]["sort"] for layer in layers] == [["A", "D", "B", "C"]] * len(layers)


def test_a_chart_vl_convert_cannot_draw_is_one_clear_error(theme, monkeypatch):
    import vl_convert

    from assessment.errors import ReportError

    def fails(*args, **kwargs):
        raise ValueError("Error: unrecognized scale type\n    at parse (vega.js:1:1)")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", fails)
    picture = ChartRenderer(theme, cache_dir=None).render(SEASONALITY)
    with pytest.raises(ReportError) as raised:
        picture.png
    assert [str(p) for p in raised.value.problems] == [
        "chart fig-asb: 'ASB incidents by month, April 2021 to March 2022': "
        "vl-convert could not draw it (Error: unrecognized scale type)"]


def test_converter_settings_reach_vl_convert_and_come_back(theme):
    import vl_convert

    from assessment import charts

    ChartRenderer(theme, cache_dir=None).render(SEASONALITY)  # the converter is running
    with pytest.raises(ValueError, match="at least one"):
        charts.use_converters(0)
    previous = charts.use_converters(release_memory=True)
    try:
        assert previous == (charts.CONVERTERS, False)
        assert vl_convert.get_config()["gc_after_conversion"] is True
        assert vl_convert.get_config()["num_workers"] == charts.CONVERTERS  # None kept the count
        assert ChartRenderer(theme, cache_dir=None).render(SEASONALITY).png.startswith(b"\x89PNG")
    finally:
        charts.use_converters(previous[0], release_memory=previous[1])
    assert (vl_convert.get_config()["num_workers"], vl_convert.get_config()["gc_after_conversion"]) == previous


def test_a_charts_caption_is_a_note_under_its_title_in_every_format():
    import io

    import docx
    from lxml import html as lxml_html

    import doctext
    from assessment import compose as c
    from assessment.api import render_documents
    rows = [{"year": "2021-22", "n": 5}, {"year": "2022-23", "n": 7}]
    report = c.report("T", "O", c.section("S", c.chart("column", "Incidents by year", rows, "year", "n",
                                                       caption="Source: Kent Police, www.kent.police.uk")),
                      contents=False)
    documents = render_documents(report, ["pdf", "docx", "html"], cache_dir=False)
    text = doctext.pdf_text(documents["pdf"])
    assert "Figure1:IncidentsbyyearSource:KentPolice,www.kent.police.uk" in text  # the title kept, the note after it
    caption = next(p for p in docx.Document(io.BytesIO(documents["docx"])).paragraphs if p.style.name == "Caption")
    assert caption.text == "Figure 1: Incidents by year\nSource: Kent Police, www.kent.police.uk"
    figcaption = lxml_html.fromstring(documents["html"]).xpath("//figcaption")[0]
    assert figcaption.text_content() == "Figure 1: Incidents by yearSource: Kent Police, www.kent.police.uk"
    assert figcaption.xpath("./br") and figcaption.xpath(".//a[@href='https://www.kent.police.uk']")


def test_an_unavailable_panel_grows_to_its_words_in_the_pdf():
    import pdfplumber
    import io

    from assessment import compose as c
    from assessment.api import render_documents
    words = "The force's figures for this year were withheld while a new recording system beds in. " * 3
    report = c.report("T", "O", c.section("S", c.chart("line", "Incidents", None, "month", "n", height=40,
                                                       unavailable_reason=words)), contents=False)
    pdf = render_documents(report, ["pdf"], cache_dir=False)["pdf"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[1]
        box = max(page.rects, key=lambda r: r["height"] * r["width"])
        lines = page.extract_text_lines()
    panel = [line for line in lines if box["top"] <= line["top"] and not line["text"].startswith(("Figure", "O "))]
    assert box["height"] > 40  # grown past the 40 points asked, to its words
    assert panel[-1]["text"].endswith("beds in.") and panel[-1]["bottom"] <= box["bottom"]  # the last words inside
    caption = next(line for line in lines if line["text"] == "Figure 1: Incidents")
    assert caption["top"] >= box["bottom"]  # and the caption under the box, not over it


def test_a_chart_without_a_width_fills_the_text_column_in_every_format():
    """Without a width a chart is drawn as wide as the text column (the page less its side
    margins) and placed at that width; a width given still wins. Margins wider by 15 mm each
    side draw a narrower picture, under another cache key."""
    import io
    import re

    import docx
    from lxml import html as lxml_html

    import doctext
    from assessment import compose as c
    from assessment.api import render_documents, theme_for
    from assessment.theme import MM

    rows = [{"year": "2020-21", "n": 9574}, {"year": "2021-22", "n": 5641}]
    report = c.report("T", "O", c.section("S", c.chart("column", "Incidents by year", rows, "year", "n", height=150),
                                          c.chart("bar", "Incidents", rows, "year", "n", width=300, height=100)),
                      contents=False)
    base = theme_for(report)
    narrow = attrs.evolve(base, page=attrs.evolve(base.page, margin_left_mm=base.page.margin_left_mm + 15,
                                                   margin_right_mm=base.page.margin_right_mm + 15))
    for theme in (base, narrow):
        column = theme.page.width - (theme.page.margin_left_mm + theme.page.margin_right_mm) * MM
        documents = render_documents(report, ["pdf", "docx", "html"], theme=theme, cache_dir=False)
        placed = [size for page in doctext.image_sizes(documents["pdf"]) for size in page]
        assert placed == [(round(column), 150), (300, 100)]
        extents = docx.Document(io.BytesIO(documents["docx"])).element.body.xpath(".//wp:extent")
        assert [(int(e.get("cx")) / 12700, int(e.get("cy")) / 12700) for e in extents] == \
            [(pytest.approx(column, abs=0.01), 150), (300, 100)]
        svgs = lxml_html.fromstring(documents["html"]).xpath("//figure/svg")
        widths = [float(re.search(r"width:([\d.]+)rem", s.get("style")).group(1)) * theme.sizes.body for s in svgs]
        assert widths == [pytest.approx(column, abs=0.1), pytest.approx(300, abs=0.1)]
    assert round(column) < round(base.page.frame_width) - 80  # the margins did narrow the column
    first = next(n for n in _charts(report) if n.width is None)
    assert ChartRenderer(base, cache_dir=None).key(first) != ChartRenderer(narrow, cache_dir=None).key(first)


def _charts(report):
    from assessment.transforms import prepare

    return prepare(report).charts()
