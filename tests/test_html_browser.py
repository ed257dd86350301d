"""The HTML edition in a real browser: Debian's Chromium, driven by playwright (pointed at the
installed browser; playwright's own download is never used), loads the Medway and the Welsh
pages once, at a phone's width and at a desktop's. axe-core (vendored under tests/vendor, MPL-2.0)
checks them against WCAG 2.0, 2.1 and 2.2 A and AA; the layout is measured where it is drawn.

One browser for the module, both pages in one go: the checks cost a few seconds, not a build."""

import importlib.util
import os
import shutil

import pytest

from assessment import model
from assessment.api import render_documents, theme_for
from assessment.layout import Layout
from assessment.loading import load_report
from assessment.transforms import prepare
from conftest import MEDWAY, ROOT
from test_html import WELSH, expected_header_cells, nodes

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE, DESKTOP = 375, 1280  # CSS pixels: a small phone (WCAG's reflow width is 320) and a laptop
WINDOW_HEIGHT = 900

MEASURE = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    figures: document.querySelectorAll('figure').length,
    svgs: document.querySelectorAll('figure svg[role=img]').length,
    tables: document.querySelectorAll('table').length,
    headerCells: document.querySelectorAll('th').length,
    wideBoxes: [...document.querySelectorAll('.table-wrap')].filter(b => b.scrollWidth > b.clientWidth).length,
    overflowing: [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
        && !e.closest('.table-wrap')).length,
    bodyFont: getComputedStyle(document.body).fontFamily,
    headingColour: getComputedStyle(document.querySelector('h1')).color,
    copiedLabels: (() => {  // what a reader copies from the first chart whose value labels have halos
        const figure = [...document.querySelectorAll('figure')].find(f => f.querySelector('svg text[stroke]'));
        if (!figure) return null;
        const range = document.createRange();
        range.selectNodeContents(figure.querySelector('svg'));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        const copied = getSelection().toString();
        return {copied, labels: [...figure.querySelectorAll('svg text:not([stroke])')].map(t => t.textContent)};
    })(),
})"""


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None or importlib.util.find_spec("playwright") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium (apt-get install chromium) or playwright (pip install -e '.[test]') is missing in CI")
        pytest.skip("Chromium or playwright not installed")
    return found


@pytest.fixture(scope="module")
def browser_pages(tmp_path_factory, chart_cache):
    """What the browser found on each page: axe's results and the measures at each width.
    (Screenshots are for a person and cost a second: take them by hand, as the README says.)"""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    out = tmp_path_factory.mktemp("html-browser")
    pages = {}
    for name, folder in (("medway", MEDWAY), ("welsh", WELSH)):
        report = load_report(folder)
        path = out / f"{name}.html"
        path.write_bytes(render_documents(report, ["html"], cache_dir=chart_cache)["html"])
        theme = theme_for(report)
        pages[name] = {"path": path, "layout": Layout(prepare(report, theme.labels), theme)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            for name, found in pages.items():
                # One load a page, the window narrowed then widened: the page reflows as a
                # reader's would when a window is resized.
                page = browser.new_page(viewport={"width": PHONE, "height": WINDOW_HEIGHT})
                page.goto(found["path"].as_uri())
                found[PHONE] = page.evaluate(MEASURE)
                # Once a page, at the narrow width, where reflow and the scrolling boxes are
                # tested; colours and structure are the same at every width. Passed rules are
                # reported by name only (resultTypes), which halves axe's time.
                page.add_script_tag(path=str(AXE))
                found["axe"] = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                    " resultTypes: ['violations', 'incomplete']})", AXE_TAGS)
                page.set_viewport_size({"width": DESKTOP, "height": WINDOW_HEIGHT})
                found[DESKTOP] = page.evaluate(MEASURE)
                page.close()
        finally:
            browser.close()
    return pages


@pytest.mark.parametrize("name", ["medway", "welsh"])
def test_axe_finds_no_violation(browser_pages, name):
    results = browser_pages[name]["axe"]
    found = [f"{v['id']} ({len(v['nodes'])}): {v['help']}; first: {v['nodes'][0]['html'][:120]}" for v in results["violations"]]
    assert found == []
    assert len(results["passes"]) > 20  # it ran the rules it was asked to
    # What axe could not decide is listed for a person (the issue note records it): so far only
    # contrast it cannot measure: the words drawn inside the charts' SVG, and a few header
    # words inside a table's scrolling box at a phone's width.
    assert {v["id"] for v in results["incomplete"]} <= {"color-contrast"}


@pytest.mark.parametrize("name", ["medway", "welsh"])
def test_a_phone_reads_it_without_scrolling_sideways(browser_pages, name):
    phone = browser_pages[name][PHONE]
    assert phone["scrollWidth"] <= PHONE
    assert phone["overflowing"] == 0  # only a table's own box may be wider than the screen
    if name == "medway":
        assert phone["wideBoxes"] > 0  # the wide tables scroll inside their boxes there
    assert browser_pages[name][DESKTOP]["scrollWidth"] <= DESKTOP


@pytest.mark.parametrize("name", ["medway", "welsh"])
def test_the_page_holds_every_figure_table_and_header_cell(browser_pages, name):
    layout = browser_pages[name]["layout"]
    report = layout.prepared.report
    for width in (PHONE, DESKTOP):
        measured = browser_pages[name][width]
        assert measured["figures"] == len(nodes(report, model.Chart)) > 0
        assert measured["svgs"] == sum(chart.available for chart in nodes(report, model.Chart))
        assert measured["tables"] == len(nodes(report, model.Table)) + len(nodes(report, model.KeyFacts))
        assert measured["headerCells"] == expected_header_cells(layout, report)


def test_the_browser_draws_the_styles_font_and_colours(browser_pages):
    desktop = browser_pages["medway"][DESKTOP]
    assert desktop["bodyFont"].startswith('"Liberation Sans"')
    heading = browser_pages["medway"]["layout"].theme.colours.heading
    assert desktop["headingColour"] == "rgb({}, {}, {})".format(*(int(heading[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.parametrize("name", ["medway", "welsh"])
def test_a_chart_copied_gives_each_value_label_once(browser_pages, name):
    """The halo under a value label repeats its words; only the label itself is text to copy."""
    found = browser_pages[name][DESKTOP]["copiedLabels"]
    assert found is not None, "no chart with value labels"
    copied = [line.strip() for line in found["copied"].splitlines() if line.strip()]
    assert copied == found["labels"]  # each text of the picture once, in order, no halo's repeat
    assert len(found["labels"]) > 5
