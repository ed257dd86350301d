"""The HTML edition, read as a parser reads it: the same headings as the printed editions, a
table, header cell, figure and box for each the model has, no resource from elsewhere, data
that stays text, and the same bytes from the same input. (How a browser shows it, and what
axe-core finds there: tests/test_html_browser.py.)"""

import re

import lxml.html
import pytest

from assessment import ReportError, compose as c
from assessment import model
from assessment.api import build, render, render_documents, theme_for
from assessment.cli import main
from assessment.layout import Layout
from assessment.loading import load_report
from assessment.render.html import css_string, escape
from assessment.transforms import prepare
from conftest import MEDWAY, ROOT

WELSH = ROOT / "examples" / "welsh"


@pytest.fixture(scope="module")
def medway_html(chart_cache):
    report = load_report(MEDWAY)
    html = render_documents(report, ["html"], cache_dir=chart_cache)["html"]
    theme = theme_for(report)
    return {"report": report, "html": html, "page": lxml.html.fromstring(html),
            "layout": Layout(prepare(report, theme.labels), theme)}


def nodes(report, kind):
    return [node for node, _ in model.walk(report.blocks) if isinstance(node, kind)]


def headings(page):
    return [(int(h.tag[1]), h.text_content()) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def test_headings_are_the_docx_headings_at_the_same_levels(medway_html, medway_docx):
    printed = []
    for paragraph in medway_docx.paragraphs:
        name = paragraph.style.name
        if name == "TOC Heading":
            printed.append((1, paragraph.text))
        elif name.startswith("Heading "):
            printed.append((int(name.split()[-1]), paragraph.text))
    assert len(printed) > 30
    assert headings(medway_html["page"]) == printed


def test_the_page_says_its_language_title_and_offers_a_skip_link(medway_html):
    page, report = medway_html["page"], medway_html["report"]
    assert page.get("lang") == report.language == "en-GB"
    assert page.find("head/title").text == report.title
    first_link = next(page.iter("a"))
    assert first_link.get("href") == "#main" and first_link.text == "Skip to main content"
    assert page.get_element_by_id("main").tag == "main"
    assert page.find(".//meta[@name='viewport']") is not None


def test_the_contents_is_a_nav_whose_links_reach_every_listed_section(medway_html):
    page, layout = medway_html["page"], medway_html["layout"]
    (nav,) = page.findall(".//nav")
    assert nav.get("aria-labelledby") == "contents" and nav.find("h1").text == "Contents"
    links = nav.findall(".//a")
    lines = layout.contents(model.Contents(), layout.theme.page.frame_width).lines
    assert [a.text for a in links] == [line.text for line in lines]
    for a in links:
        assert page.get_element_by_id(a.get("href")[1:]).tag in ("h1", "h2", "h3")
    # An entry listed under another sits in that entry's own list.
    nested = nav.findall("ul/li/ul/li")
    assert len(nested) == sum(line.level == 2 for line in lines) > 0


def expected_header_cells(layout, report):
    width = layout.theme.page.frame_width
    tables = sum(len(row.cells) for table in nodes(report, model.Table)
                 for row in layout.table(table, width).rows if row.is_header)
    return tables + sum(len(facts.rows) for facts in nodes(report, model.KeyFacts))


def test_a_table_and_header_cell_for_each_the_model_has(medway_html):
    page, report, layout = medway_html["page"], medway_html["layout"].prepared.report, medway_html["layout"]
    tables = nodes(report, model.Table)
    data_tables = page.xpath("//table[not(contains(@class, 'key-facts'))]")
    assert len(data_tables) == len(tables) > 5
    assert len(page.xpath("//table[contains(@class, 'key-facts')]")) == len(nodes(report, model.KeyFacts)) > 0
    header_cells = page.xpath("//th")
    assert len(header_cells) == expected_header_cells(layout, report)
    assert all(th.get("scope") in ("col", "colgroup", "row") for th in header_cells)
    # The key facts' labels head their rows; every other header cell its columns.
    assert {th.get("scope") for th in page.xpath("//table[contains(@class, 'key-facts')]/tbody/tr/th")} == {"row"}
    captions = [t.caption for t in tables if t.caption]
    assert [caption.text_content() for caption in page.xpath("//caption")] == captions
    # A web address in a caption is a link, as in the other formats.
    assert page.xpath("//caption/a[@href='https://www.ons.gov.uk']")
    # Each data table scrolls in its own box, which a keyboard can reach and a screen reader names.
    for table in data_tables:
        box = table.getparent()
        assert box.get("class") == "table-wrap" and box.get("tabindex") == "0"
    named = [t for t in tables if t.caption or t.title or t.summary]
    assert len(page.xpath("//div[@class='table-wrap'][@role='region'][@aria-label]")) == len(named)


def test_emphasis_rows_and_title_rows_look_as_the_layout_says(medway_html):
    page, layout = medway_html["page"], medway_html["layout"]
    colours = layout.theme.colours
    emphasised = page.xpath(f"//tbody/tr[contains(@style, 'background:{colours.table_emphasis_fill}')]")
    expected = sum(len(t.emphasis_rows) for t in nodes(layout.prepared.report, model.Table))
    assert len(emphasised) == expected > 0
    assert all("font-weight:bold" in tr.get("style") for tr in emphasised)
    titles = page.xpath("//thead/tr[th[@scope='colgroup']]")
    assert len(titles) >= sum(1 for t in nodes(layout.prepared.report, model.Table) if t.title)


def test_a_figure_for_each_chart_with_its_alt_text_and_caption(medway_html):
    page, prepared = medway_html["page"], medway_html["layout"].prepared
    charts = prepared.charts()
    figures = page.xpath("//figure")
    assert len(figures) == len(charts) == 8  # five drawn, three whose data is not available
    for figure, chart in zip(figures, charts):
        assert figure.find("figcaption").text_content() == prepared.caption(chart)
        pictures = figure.findall("{http://www.w3.org/2000/svg}svg") + figure.findall("svg")
        if chart.available:
            (svg,) = pictures
            assert svg.get("role") == "img" and svg.get("aria-label") == prepared.alt_texts[chart.id]
            assert "viewbox" in svg.attrib or "viewBox" in svg.attrib
        else:
            assert pictures == []
            assert figure.find("div").text_content().startswith(prepared.labels.data_not_available)
    # The marks' own ARIA is gone: the picture has one name, its alt text.
    assert page.xpath("//svg//*[@role or @aria-label]") == []


def test_aims_boxes_are_asides_and_the_glossary_a_description_list(medway_html):
    page, report = medway_html["page"], medway_html["layout"].prepared.report
    callouts = nodes(report, model.Callout)
    asides = page.xpath("//aside")
    assert len(asides) == len(callouts) > 0
    for aside, callout in zip(asides, callouts):
        title = page.get_element_by_id(aside.get("aria-labelledby"))
        assert title.text == callout.title and title.getparent() is aside
    (glossary,) = nodes(report, model.Glossary)
    (dl,) = page.xpath("//dl")
    terms = sorted(glossary.entries, key=lambda e: (e.term.casefold(), e.term))
    assert [dt.text_content() for dt in dl.findall("dt")] == [e.term for e in terms]
    assert [dd.text_content() for dd in dl.findall("dd")] == [e.definition for e in terms]


def test_nothing_is_fetched_from_anywhere(medway_html):
    page, html = medway_html["page"], medway_html["html"].decode()
    assert page.xpath("//script | //link | //iframe | //object | //embed") == []
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("src", "srcset", "poster", "data", "{http://www.w3.org/1999/xlink}href"):
            value = element.get(name)
            assert value is None or value.startswith("data:"), (element.tag, name, value[:60])
        if element.get("href") is not None and element.tag != "a":
            pytest.fail(f"{element.tag} refers to {element.get('href')}")
    for a in page.iter("a"):
        assert re.match(r"(#|https?://|mailto:)", a.get("href")), a.get("href")
    style = page.find("head/style").text
    assert "url(" not in style and "@import" not in style
    assert medway_html["html"].count(b"http") == html.count('xmlns="http://www.w3.org/2000/svg"') * 1 + \
        html.count('xmlns:xlink="http://www.w3.org/1999/xlink"') + sum(
            a.get("href").startswith("http") for a in page.iter("a"))


def test_the_style_gives_the_colours_and_the_fonts(medway_html):
    style = medway_html["page"].find("head/style").text
    theme = medway_html["layout"].theme
    assert f'font-family:"Liberation Sans", "Arial", sans-serif' in style
    for colour in (theme.colours.text, theme.colours.heading, theme.colours.link, theme.colours.callout_fill,
                   theme.colours.key_label_fill, theme.colours.cover_fill, theme.colours.accent):
        assert colour in style
    assert "@media print" in style and "break-before:page" in style


def test_same_input_same_bytes(medway_html, chart_cache):
    again = render_documents(medway_html["report"], ["html"], cache_dir=chart_cache)["html"]
    assert again == medway_html["html"]


HOSTILE = '<script>alert("x")</script>'


def test_data_stays_text_wherever_it_lands(tmp_path):
    rows = [{"area": HOSTILE, "rate": 1}, {"area": "O'Brien & <Sons>", "rate": 2}]
    link = model.Paragraph((model.Text("click", href="javascript:alert(1)"), model.Text(" and "),
                            model.Text("mail", href="mailto:csp@example.org")))
    report = c.report(
        '"><img src=x onerror=alert(1)>', "Council </title><script>",
        c.section(HOSTILE, f"Words {HOSTILE}.", link,
                  c.table(rows, caption=HOSTILE, title="<b>t</b>"),
                  c.chart("bar", HOSTILE, rows, "area", "rate"),
                  c.callout(HOSTILE, [HOSTILE])),
        style="plain")
    html = render_documents(report, ["html"], cache_dir=False)["html"]
    page = lxml.html.fromstring(html)
    assert page.xpath("//script | //img") == []
    assert not [(e.tag, name) for e in page.iter() if isinstance(e.tag, str) for name in e.attrib
                if name.lower().startswith("on")]
    text = page.text_content()
    assert text.count(HOSTILE) >= 6  # heading, paragraph, table cell, caption, chart caption, box title and item
    assert "O'Brien & <Sons>" in text
    assert page.find("head/title").text == report.title
    # A link that would run code is shown as its words only; a mail link stays a link.
    assert [a.get("href") for a in page.iter("a") if a.get("href")[0] != "#"] == ["mailto:csp@example.org"]
    assert "click" in text
    # The chart's category names, drawn in the SVG, are text there too.
    assert b"&lt;script&gt;" in html.split(b"<figure")[1]


def test_the_one_escaping_function_and_the_css_string():
    assert escape('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    assert css_string('Font"}</style><script>') == '"Font\\22 \\7d \\3c \\2f style\\3e \\3c script\\3e "'


def test_a_draft_says_so_and_shows_its_placeholders(chart_cache):
    value = model.Paragraph((model.Text("Total: "), model.Placeholder("asb_total")))
    report = c.report("T", "O", c.section("S", value), style="plain", version="0.3",
                      date=__import__("datetime").date(2022, 12, 1))
    page = lxml.html.fromstring(render_documents(report, ["html"], draft=True, cache_dir=False)["html"])
    notice = page.find_class("draft-notice")[0]
    assert notice.text_content() == "DRAFT Draft 0.3 \u2014 2022-12-01 \u2014 not for publication"
    (mark,) = page.iter("mark")
    assert mark.text == "[asb_total]" and "background:#" in mark.get("style")
    official = lxml.html.fromstring(render_documents(report, ["html"], draft=False, cache_dir=False)["html"])
    assert official.find_class("draft-notice") == []


def test_the_welsh_page_speaks_welsh(chart_cache):
    report = load_report(WELSH)
    page = lxml.html.fromstring(render_documents(report, ["html"], cache_dir=chart_cache)["html"])
    assert page.get("lang") == "cy"
    assert next(page.iter("a")).text == "Neidio i'r prif gynnwys"
    assert page.find(".//nav/h1").text == "Cynnwys"
    assert all(f.text_content().startswith("Ffigur ") for f in page.iter("figcaption"))


def test_html_is_asked_for_and_never_a_default(tmp_path, chart_cache, monkeypatch):
    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))
    out = tmp_path / "out"
    assert main(["build", str(MEDWAY), "--out", str(out), "--format", "html"]) == 0
    assert [p.suffix for p in out.iterdir()] == [".html"]
    report = c.report("T", "O", c.section("S", "Words."), style="plain")
    assert render(report, tmp_path / "one.html", cache_dir=False).read_bytes().startswith(b"<!DOCTYPE html>")
    with pytest.raises(ReportError, match=r"\.pdf, \.docx or \.html"):
        render(report, tmp_path / "one.txt", cache_dir=False)
    with pytest.raises(ReportError, match="html"):
        render_documents(report, ["web"], cache_dir=False)
    from assessment import api, cli

    assert cli.FORMATS == api.FORMATS and cli.DEFAULT_FORMATS == api.DEFAULT_FORMATS == ("pdf", "docx")
    assert build.__defaults__[0] == ("pdf", "docx")


def test_a_chart_drawn_for_print_is_ready_for_the_page(tmp_path):
    from assessment.charts import ChartRenderer
    from assessment.chartsvg import draw_svgs

    report = c.report("T", "O", c.section("S", c.chart("bar", "Rates", [{"a": "x", "b": 1}], "a", "b")), style="plain")
    theme = theme_for(report)
    (chart,) = prepare(report, theme.labels).charts()
    renderer = ChartRenderer(theme, cache_dir=tmp_path)
    renderer.render(chart).png  # the PNG's drawing leaves the SVG it was made from beside it
    svg = tmp_path / f"{renderer.key(chart)}.svg"
    assert svg.read_text().startswith("<svg")
    svg.write_text("<svg>cached</svg>")  # read back, not drawn again
    assert draw_svgs([chart], theme, tmp_path) == {chart.id: "<svg>cached</svg>"}
