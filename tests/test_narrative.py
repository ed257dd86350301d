"""narrative.parse (Markdown → nodes) and templates.fill (the sandboxed figures), on their own."""

import pytest

from assessment.model import BulletList, ListItem, Paragraph, Placeholder, Section, Text
from assessment.errors import NarrativeError
from assessment.narrative import parse
from assessment.templates import fill, make_environment


def p(*spans):
    return Paragraph(tuple(Text(s) if isinstance(s, str) else s for s in spans))


def error(markdown, level=1, first_line=1) -> str:
    with pytest.raises(NarrativeError) as caught:
        parse(markdown, file="text/a.md", level=level, first_line=first_line)
    return str(caught.value)


# --- headings -----------------------------------------------------------------------------

def test_headings_open_sections_one_level_below_the_enclosing_one_and_close_them_in_order():
    blocks = parse("Intro\n\n## Two\n\nA\n\n### Three\n\nB\n\n## Again\n\nC\n", file="text/a.md", level=1)
    assert blocks == [
        p("Intro"),
        Section("Two", (p("A"), Section("Three", (p("B"),), level=3)), level=2),
        Section("Again", (p("C"),), level=2),
    ]


def test_a_deeper_enclosing_section_takes_only_deeper_headings():
    assert parse("### Three\n\nB\n", file="text/a.md", level=2) == [Section("Three", (p("B"),), level=3)]
    assert error("Text\n\n## Sub\n", level=2) == (
        "text/a.md: line 3: found a level-2 heading, expected a heading deeper than level 2 ('### …')")


def test_a_heading_no_deeper_than_its_section_names_file_and_line():
    assert error("Text\n\n# Top\n") == (
        "text/a.md: line 3: found a level-1 heading, expected a heading deeper than level 1 ('## …')")


def test_a_skipped_level_names_file_and_line_counted_from_where_the_text_starts():
    assert error("A\n\n## Two\n\n#### Four\n", first_line=10) == (
        "text/a.md: line 14: a level-4 heading follows level 2; expected level 3 or less (no skipped levels)")
    # A heading that skips from the section's own level is refused the same way.
    assert "a level-3 heading follows level 1" in error("### Three\n")


def test_where_no_headings_are_allowed_any_heading_is_an_error():
    assert error("Text\n\n## Sub\n", level=None) == "text/a.md: line 3: found a level-2 heading, expected no headings here"


def test_heading_titles_are_plain_text_of_their_spans():
    [section] = parse("## The **bold** [link](https://x.org)\n", file="text/a.md", level=1)
    assert section.title == "The bold link" and section.level == 2


# --- inline spans -------------------------------------------------------------------------

def test_bold_italic_and_both():
    [paragraph] = parse("**b** *i* ***bi*** _u_", file="text/a.md", level=1)
    assert paragraph.spans == (Text("b", bold=True), Text(" "), Text("i", italic=True), Text(" "),
                               Text("bi", bold=True, italic=True), Text(" "), Text("u", italic=True))


def test_links_keep_only_http_https_and_mailto_targets_and_always_their_words():
    [paragraph] = parse("[a](https://x.org/?q=1) [b](http://x.org) [c](mailto:csp@x.org) [d](ftp://x.org) "
                        "[e](/relative) [f](javascript:alert(1))", file="text/a.md", level=1)
    linked = [(s.text, s.href) for s in paragraph.spans if s.href]
    assert linked == [("a", "https://x.org/?q=1"), ("b", "http://x.org"), ("c", "mailto:csp@x.org")]
    assert "d e [f](javascript:alert(1))" in paragraph.plain  # words kept; markdown-it leaves javascript: as text


def test_bold_inside_a_link_keeps_the_link():
    [paragraph] = parse("[**strong** words](https://x.org)", file="text/a.md", level=1)
    assert paragraph.spans == (Text("strong", bold=True, href="https://x.org"), Text(" words", href="https://x.org"))


def test_line_breaks_inside_a_paragraph_become_spaces():
    assert parse("line one\nline two", file="text/a.md", level=1) == [p("line one line two")]


def test_placeholders_are_split_out_of_the_text_they_sit_in():
    [paragraph] = parse("a \u27e6missing: x\u27e7 b **\u27e6missing: y\u27e7**", file="text/a.md", level=1)
    assert paragraph.spans == (Text("a "), Placeholder("missing: x"), Text(" b "), Placeholder("missing: y"))


# --- lists --------------------------------------------------------------------------------

def test_lists_nest_and_ordered_lists_become_bullets():
    blocks = parse("- one\n- two\n  - nested **b**\n- three\n\n1. first\n2. second\n", file="text/a.md", level=1)
    assert blocks == [
        BulletList((ListItem(p("one")),
                    ListItem(p("two"), BulletList((ListItem(p("nested ", Text("b", bold=True))),))),
                    ListItem(p("three")))),
        BulletList((ListItem(p("first")), ListItem(p("second")))),
    ]


def test_a_second_paragraph_in_a_list_item_joins_the_first():
    [bullets] = parse("- first\n\n  second paragraph\n- next\n", file="text/a.md", level=1)
    assert [item.paragraph.plain for item in bullets.items] == ["first second paragraph", "next"]


# --- what stays text ----------------------------------------------------------------------

def test_code_html_and_images_stay_text():
    blocks = parse("```\n<b>code</b>\n```\n\n`inline <i>` &amp; <span>x</span>\n\n<div>block</div>\n\n![alt words](a.png)\n",
                   file="text/a.md", level=1)
    assert [b.plain for b in blocks] == ["<b>code</b>", "inline <i> & <span>x</span>", "<div>block</div>", "alt words"]
    assert all(type(b) is Paragraph for b in blocks)


# --- fill ---------------------------------------------------------------------------------

def test_fill_formats_figures_and_leaves_text_without_braces_alone():
    env = make_environment()
    assert fill(env, "{{ n | number }} and {{ change(100, 110, 1) }}", {"n": 1234}, file="f.md") == "1,234 and 10\\.0% increase"  # printed values are escaped for Markdown
    assert fill(env, "50% of crime; no braces", {}, file="f.md") == "50% of crime; no braces"


def test_fill_errors_name_the_file_and_the_line_counted_from_first_line():
    env = make_environment()
    with pytest.raises(NarrativeError) as caught:
        fill(env, "ok\n\n{{ nope }}\n", {}, file="text/a.md", first_line=5)
    assert str(caught.value) == "text/a.md: line 7: 'nope' is undefined"
    with pytest.raises(NarrativeError) as caught:
        fill(env, "a\n{{ 1 / 0 }}", {}, file="text/a.md")
    assert str(caught.value) == "text/a.md: line 2: division by zero"
    with pytest.raises(NarrativeError) as caught:
        fill(env, "a {{ x", {}, file="text/a.md")
    assert str(caught.value).startswith("text/a.md: line 1: ")


@pytest.mark.parametrize("expression", ["''.__class__.__mro__", "n.real.__class__", "change.__globals__",
                                        "rows.__class__.__base__.__subclasses__()", "cycler.__init__.__globals__"])
def test_fill_refuses_to_reach_python_internals(expression):
    env = make_environment()
    with pytest.raises(NarrativeError) as caught:
        fill(env, "{{ " + expression + " }}", {"n": 1, "rows": [1]}, file="text/a.md")
    assert str(caught.value).startswith("text/a.md: line 1: expression refused by the sandbox: access to attribute")


def test_draft_fill_marks_what_is_missing_instead_of_failing():
    env = make_environment(draft=True)
    filled = fill(env, "{{ nope }}, {{ gone | number }}, {{ change(before, 2) }}, {{ n | number }}", {"n": 5}, file="f.md")
    assert filled == "\u27e6missing: nope\u27e7, \u27e6missing: gone\u27e7, \u27e6missing: before\u27e7, 5"
    [paragraph] = parse(filled, file="f.md", level=1)
    assert [s.text for s in paragraph.spans if isinstance(s, Placeholder)] == ["missing: nope", "missing: gone", "missing: before"]
