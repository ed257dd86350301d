"""transforms: the work done once on the tree for both writers."""

import attrs
import pytest

from assessment import model as m
from assessment.transforms import (
    REPLACEMENT, ContentsEntry, describe, missing_items, page_label, prepare, replace_unsupported,
)


def chart(title, chart_id="", **fields):
    return m.Chart(chart_id, "bar", title, ({"x": "a", "y": 1},), **fields)


def sections_of(report):
    return [node for node, _ in m.walk(report.blocks) if isinstance(node, m.Section)]


def test_ids_are_slugs_made_unique_in_reading_order_and_given_ids_are_kept():
    report = m.Report(m.Cover("O", "T"), (
        m.Section("Anti-Social Behaviour", (chart("Crime by year"),)),
        m.Section("Anti-social behaviour!", (m.Section("Anti Social Behaviour", (), level=2),)),
        m.Section("Named", (chart("Crime by year"), chart("Own", chart_id="fig-own")), id="keep-me"),
        m.Section("???", ()),
    ))
    prepared = prepare(report)
    assert [s.id for s in sections_of(prepared.report)] == [
        "sec-anti-social-behaviour", "sec-anti-social-behaviour-2", "sec-anti-social-behaviour-3", "keep-me", "sec-item"]
    assert [c.id for c in prepared.charts()] == ["fig-crime-by-year", "fig-crime-by-year-2", "fig-own"]


def test_appendices_are_numbered_in_order_and_titled_for_both_writers():
    report = m.Report(m.Cover("O", "T"), (
        m.Section("Body", ()), m.Section("Glossary", (), appendix=True), m.Section("Sources", (), appendix=True)))
    titles = [s.title for s in sections_of(prepare(report).report)]
    assert titles == ["Body", "Appendix 1 \u2013 Glossary", "Appendix 2 \u2013 Sources"]


def test_figures_are_numbered_in_reading_order_wherever_they_sit():
    table = m.Table((m.Column(),), (), ((m.Cell((chart("In a cell"),)),),))
    report = m.Report(m.Cover("O", "T"), (
        m.Section("One", (chart("First"), m.KeyFacts((m.KeyFact("Label", (chart("In a key fact"),)),)))),
        m.Section("Two", (m.SideBySide(((chart("Left"),), (chart("Right"), table))),
                          m.Callout("T", "H", (chart("In a callout"),)),
                          m.Section("Deeper", (chart("Last"),), level=2))),
    ))
    prepared = prepare(report)
    numbered = sorted(prepared.figure_numbers.items(), key=lambda item: item[1])
    assert [chart_id for chart_id, _ in numbered] == [
        "fig-first", "fig-in-a-key-fact", "fig-left", "fig-right", "fig-in-a-cell", "fig-in-a-callout", "fig-last"]
    right = next(c for c in prepared.charts() if c.title == "Right")
    assert prepared.caption(right) == "Figure 4: Right"
    # A chart's caption is a note under its figure line (layout.chart's note), never instead of the title.
    assert prepared.caption(attrs.evolve(right, caption="Own words")) == "Figure 4: Right"


def test_contents_lists_level_one_sections_and_children_only_where_asked():
    report = m.Report(m.Cover("O", "T"), (
        m.Contents(),
        m.Section("Priorities", (m.Section("Violence", (), level=2), m.Section("Hidden", (), level=2, in_contents=False),
                                 m.Section("Deep", (m.Section("Deeper", (), level=3),), level=2)),
                  contents_children=True),
        m.Section("Crime", (m.Section("Not listed", (), level=2),)),
        m.Section("Left out", (), in_contents=False),
        m.Section("Glossary", (), appendix=True),
    ))
    prepared = prepare(report)
    assert prepared.contents == (
        ContentsEntry("sec-priorities", "Priorities", 1), ContentsEntry("sec-violence", "Violence", 2),
        ContentsEntry("sec-deep", "Deep", 2), ContentsEntry("sec-crime", "Crime", 1),
        ContentsEntry("sec-glossary", "Appendix 1 \u2013 Glossary", 1),
    )
    assert prepared.contents_entry("sec-violence").level == 2
    assert prepared.contents_entry("sec-not-listed") is None


def test_glossary_is_sorted_ignoring_case_with_a_stable_tie_break():
    entries = [m.GlossaryEntry(t, t.lower() + " meaning") for t in ["YOT", "asb", "ASB", "CSP", "Asb"]]
    report = m.Report(m.Cover("O", "T"), (m.Section("G", (m.Glossary(entries),)),))
    glossary = next(n for n, _ in m.walk(prepare(report).report.blocks) if isinstance(n, m.Glossary))
    assert [e.term for e in glossary.entries] == ["ASB", "Asb", "asb", "CSP", "YOT"]


def test_alt_text_is_the_authors_when_given_and_written_from_the_data_otherwise():
    report = m.Report(m.Cover("O", "T"), (m.Section("S", (chart("Mine", alt="What the author said"), chart("Yours"))),))
    assert prepare(report).alt_texts == {"fig-mine": "What the author said", "fig-yours": "Bar chart of Yours (y): a 1."}


LINE = m.Chart("c", "line", "Crime", tuple({"year": y, "crimes": v} for y, v in
                                           [("2019", 5), ("2020", 9), ("2021", 9), ("2022", 2)]), x="year", y="crimes")


@pytest.mark.parametrize("chart, expected", [
    (LINE, "Line chart of Crime (crimes), 2019 to 2022: highest 9 (2020 and 2021), lowest 2 (2022)."),
    (attrs.evolve(LINE, kind="column", y_title="Crimes recorded"),
     "Column chart of Crime (Crimes recorded), 2019 to 2022: highest 9 (2020 and 2021), lowest 2 (2022)."),
    (attrs.evolve(LINE, kind="bar", rows=tuple({"year": str(i), "crimes": i * 1.5} for i in range(14))),
     "Bar chart of Crime (crimes): 0 0; 1 1.5; 2 3; 3 4.5; 4 6; 5 7.5; 6 9; 7 10.5; 8 12; 9 13.5; 10 15; 11 16.5; and 2 more."),
    (attrs.evolve(LINE, kind="pie", y="percent", rows=({"year": "ASB", "percent": 40}, {"year": "Crime", "percent": 60})),
     "Pie chart of Crime (percent): ASB 40%; Crime 60%."),
    (attrs.evolve(LINE, kind="donut", y_title="Share (%)", rows=({"year": "A", "crimes": 12345},)),
     "Donut chart of Crime (Share (%)): A 12,345%."),
    (attrs.evolve(LINE, rows=None), "Crime: data not available."),
    (attrs.evolve(LINE, rows=({"year": "2019", "crimes": "n/a"},)), "Line chart of Crime: no values."),
])
def test_describe_says_what_is_drawn_its_range_and_its_extremes(chart, expected):
    assert describe(chart) == expected


@pytest.mark.parametrize("first, last, label", [(4, 4, "4"), (4, 5, "4-5"), (12, 15, "12-15"), (7, 6, "7")])
def test_page_label_is_the_references_form(first, last, label):
    assert page_label(first, last) == label


def test_missing_items_lists_every_placeholder_once_in_reading_order():
    def para(*names):
        return m.Paragraph(tuple(m.Placeholder(f"missing: {n}") for n in names) + (m.Text(" words"),))
    bullets = m.BulletList((m.ListItem(para("b"), m.BulletList((m.ListItem(para("c")),))),))
    table = m.Table((m.Column(),), (), ((m.Cell((para("d"),)),),))
    report = m.Report(m.Cover("O", "T"), (
        m.Section("S", (para("a", "b"), bullets, table, m.KeyFacts((m.KeyFact("L", (para("e", "a"),)),)),
                        m.Callout("T", "H", (para("f"),)))),))
    assert missing_items(report) == [f"missing: {n}" for n in "abcdef"]
    assert missing_items(m.Report(m.Cover("O", "T"), (m.Section("S", (m.Paragraph.of("all there"),)),))) == []


def test_replace_unsupported_swaps_every_undrawable_character_and_warns_once_per_character():
    covered = frozenset([*range(0x20, 0x7F), 0x25A1])  # ASCII and the square, as a stand-in font
    report = m.Report(m.Cover("Org \u2603", "Title"), (
        m.Section("First", (m.Paragraph((m.Text("snow \u2603\tand\nice"), m.Placeholder("missing: \U0001F600"))),
                            m.Chart("c", "bar", "Chart \u2603", ({"x": "Ward \u00e9", "y": 1},)))),
        m.Section("Second \U0001F600", (m.Glossary((m.GlossaryEntry("\u00e9", "d"),)),)),
    ))
    cleaned, warnings = replace_unsupported(report, covered)
    assert cleaned.cover.organisation == "Org " + REPLACEMENT
    first = cleaned.blocks[0]
    assert first.blocks[0].spans == (m.Text("snow \u25a1\tand\nice"), m.Placeholder("missing: \u25a1"))  # tabs, newlines kept
    assert first.blocks[1].title == "Chart \u25a1" and first.blocks[1].rows == ({"x": "Ward \u25a1", "y": 1},)
    assert cleaned.blocks[1].title == "Second \u25a1"
    assert cleaned.blocks[1].blocks[0].entries[0].term == "\u25a1"
    assert warnings == [
        "character '\u2603' (U+2603) is not in the font; shown as \u25a1 (first in 'the cover')",
        "character '\U0001F600' (U+1F600) is not in the font; shown as \u25a1 (first in 'First')",
        "character '\u00e9' (U+00E9) is not in the font; shown as \u25a1 (first in 'First')",
    ]


def test_replace_unsupported_changes_nothing_and_warns_of_nothing_when_the_font_has_every_character():
    report = m.Report(m.Cover("Org", "Title"), (m.Section("S", (m.Paragraph.of("plain"),)),))
    cleaned, warnings = replace_unsupported(report, frozenset(range(0x20, 0x7F)))
    assert cleaned == report and warnings == []


def test_replace_unsupported_leaves_link_targets_and_field_names_alone():
    covered = frozenset([*range(0x20, 0x7F), 0x25A1])
    link = m.Text("the council", href="https://\u4f8b\u3048.jp/")
    chart = m.Chart("c", "bar", "T", ({"ward": "A", "v\u00e9": 1},), x="ward", y="v\u00e9")
    cleaned, _ = replace_unsupported(m.Report(m.Cover("O", "T"), (m.Section("S", (m.Paragraph((link,)), chart)),)), covered)
    section = cleaned.blocks[0]
    assert section.blocks[0].spans[0].href == link.href
    assert section.blocks[1].y in section.blocks[1].rows[0]
