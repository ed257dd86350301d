"""The PDF writer's paragraphs parse their markup without html.parser (``pdf._parse_fast``): the
same cleaned text, style, bullet and fragments, in the same order with the same attributes, as
reportlab's own ``Paragraph`` makes, for every paragraph of the fixture and the examples, for
random markup made by the writer's own ``markup``, and for markup the fast path leaves to
reportlab."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _wsc, cleanBlockQuotedText

from assessment import api, model
from assessment.loading import load_report
from assessment.render import pdf
from assessment.render.pdf import PdfWriter, _Heading, _Paragraph, escape

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "fixtures" / "medway-2022"] + sorted(p for p in (ROOT / "examples").iterdir()
                                                        if (p / "report.yaml").exists())

STYLES = [ParagraphStyle("plain", fontName="Helvetica", fontSize=10, leading=12),
          ParagraphStyle("upper", fontName="Helvetica-Bold", fontSize=14, leading=17, textTransform="uppercase"),
          ParagraphStyle("title", fontName="Times-Roman", fontSize=9, leading=11, textTransform="capitalize",
                         bulletFontName="Helvetica", bulletText="*")]


def state(paragraph, style) -> tuple:
    """Everything ``Paragraph._setup`` sets, the fragments as their attributes in order; the
    style is the one given, or a copy (<para> with attributes), and has the same attributes."""
    return (paragraph.text, paragraph.style is style, repr(vars(paragraph.style)), repr(paragraph.bulletText),
            paragraph.debug, [(type(frag).__name__, repr(sorted(vars(frag).items())) if hasattr(frag, "__dict__")
                               else repr(frag)) for frag in paragraph.frags])


def reportlabs(text, style, bullet=None):
    return state(Paragraph(text, style, bulletText=bullet), style)


def mine(text, style, bullet=None, fast=True):
    if fast:  # the markup is the writer's: the fast path must take it
        assert pdf._parse_fast(text, style, 1) is not None, text
    return state(_Paragraph(text, style, bulletText=bullet), style)


@pytest.fixture(scope="module")
def built_markups(tmp_path_factory):
    """(markup, style, bullet) of every paragraph the writer makes for the fixture and the
    examples (none has a placeholder: the random test makes those)."""
    seen = []
    original = _Paragraph._setup

    def record(self, text, style, bulletText, frags, cleaner):
        if frags is None:
            seen.append((text, style, bulletText))
        return original(self, text, style, bulletText, frags, cleaner)

    _Paragraph._setup = record
    try:
        cache = tmp_path_factory.mktemp("charts")
        for folder in FOLDERS:
            api.render_documents(load_report(folder), formats=["pdf"], cache_dir=cache)
    finally:
        _Paragraph._setup = original
    return seen


def test_every_built_paragraph_parses_as_reportlabs(built_markups):
    assert len(built_markups) > 700
    kinds = "".join(text for text, _, _ in built_markups)
    for piece in ("<b>", "<a href=", "<u>", "<br/>", '<a name="', "&amp;"):
        assert piece in kinds, piece
    assert any(bullet for _, _, bullet in built_markups)
    for text, style, bullet in built_markups:
        assert mine(text, style, bullet) == reportlabs(text, style, bullet), text


# random markup, made by the writer's own markup() from spans of awkward text
TEXT = st.lists(st.sampled_from(list("aZ 9.,-/#;=") + ["&", "<", ">", '"', "'", "\xa0", "\n", "\t", "\r", "  ",
                                                       "&amp;", "&#10;", "\u2009", "\u200b", "\x1c", "é", "b>",
                                                       "<b>", "<br/>", "para", "<para>"]), max_size=24).map("".join)
SPAN = st.one_of(
    st.builds(model.Text, TEXT, st.booleans(), st.booleans(), st.one_of(st.none(), TEXT, st.just("https://x.org/?a=1&b=2"))),
    st.builds(model.Placeholder, TEXT),
)
COLOURS = st.sampled_from(["#00558C", "#FFF2A8"])


def writer(link_colour, fill):
    """Enough of a PdfWriter for markup(): the link is the span's own href, as given."""
    layout = SimpleNamespace(placeholder=lambda span: (f"[{span.text}]", fill), link=lambda span: span.href or None)
    return SimpleNamespace(layout=layout, theme=SimpleNamespace(colours=SimpleNamespace(link=link_colour)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(SPAN, max_size=6), min_size=1, max_size=3), COLOURS, COLOURS, st.sampled_from(STYLES),
       st.one_of(st.none(), st.sampled_from(["\u2022", "1.", "&"])), TEXT, st.integers(0, 2),
       st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True))
def test_random_markup_parses_as_reportlabs(lines, link_colour, fill, style, bullet, words, kind, section_id):
    made = writer(link_colour, fill)
    text = "<br/>".join(PdfWriter.markup(made, spans) for spans in lines)  # a caption and its note
    if kind == 1:  # a heading, with its anchor
        text = f'<a name="{escape(section_id)}"/>{text}'
    elif kind == 2:  # a contents line
        text = f'<a href="#{escape(section_id)}">{text}</a>'
    assert mine(text, style, bullet) == reportlabs(text, style, bullet)
    assert mine(escape(words), style) == reportlabs(escape(words), style)  # PdfWriter.text


# markup the fast path does not take: the same paragraph, or the same refusal
OTHERS = [
    "", " ", "\n\n", "a & b", "a &amp b", "1 < 2", "<b>x</i>", "<b>open", "x</b>", "<para leading='20'>x</para>",
    "  <para>x</para>", "<bullet>o</bullet>text", "<span fontSize='12'>x</span>",
    "<font color=red>x</font>", "<font  color='red'>x</font>", "<B>x</B>", "<FONT COLOR='red'>x</FONT>",
    "<a href='#x' >x</a>", "<a href=\"x\"\ncolor=\"red\">y</a>", "&#x41;&#65;&copy;&nosuch;", "<br>",
    "<strike>x</strike><super>2</super>", "<script>a<b>c</script>", "<u color='nosuchcolour'>x</u>",
]


@pytest.mark.parametrize("text", OTHERS)
def test_other_markup_as_reportlab_makes_it(text):
    for style in STYLES:
        try:
            expected = reportlabs(text, style)
        except Exception as error:  # noqa: BLE001 - the refusal must be the same
            with pytest.raises(type(error)) as raised:
                _Paragraph(text, style)
            assert str(raised.value) == str(error)
        else:
            assert mine(text, style, fast=False) == expected


def test_a_sequence_is_counted_once():
    """<seq/> moves reportlab's global counters: the fast path leaves it to reportlab whole."""
    assert pdf._parse_fast("a <seq/>", STYLES[0], 1) is None
    first, second = Paragraph("<seq/>", STYLES[0]), _Paragraph("<seq/>", STYLES[0])
    assert int(second.frags[0].text) == int(first.frags[0].text) + 1


def test_headings_bullets_and_split_parts():
    heading = _Heading('<a name="sec-x"/>Crime &amp; disorder', STYLES[0], "sec-x", "Crime & disorder", 1)
    assert state(heading, STYLES[0]) == reportlabs('<a name="sec-x"/>Crime &amp; disorder', STYLES[0])
    assert (heading.section_id, heading.title, heading.level) == ("sec-x", "Crime & disorder", 1)
    assert state(_Paragraph("one", STYLES[2]), STYLES[2]) == reportlabs("one", STYLES[2])  # the style's bullet
    words = "Total recorded crime rose by <b>4 %</b> in the year to March 2022. " * 8
    mine_, theirs = _Paragraph(words, STYLES[0]), Paragraph(words, STYLES[0])
    mine_.wrap(200, 800), theirs.wrap(200, 800)
    assert [state(p, STYLES[0]) for p in mine_.split(200, 40)] == [state(p, STYLES[0]) for p in theirs.split(200, 40)]


def test_text_needing_no_cleaning_is_what_the_cleaner_leaves():
    """``_needs_cleaning`` stands for reportlab's cleaner: every white space character Python
    splits on is in reportlab's list, or is the no-break space it keeps; text it passes is
    text the cleaner leaves as it is."""
    spaces = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert spaces <= set(_wsc) | {"\xa0"}
    for text in ["", "a", "a b", "a\xa0 b", "\xa0", " a", "a ", "a  b", "a\nb", "a\tb", "a\u3000b", "a\x1cb"]:
        assert pdf._needs_cleaning(text) is (cleanBlockQuotedText(text) != text), repr(text)
    assert cleanBlockQuotedText("a\u200bb") == "a\u200bb"  # cleaned needlessly (stripped at an end)


def test_the_comparison_sees_a_broken_fast_path(monkeypatch):
    """A fast path that leaves attribute values escaped, or an entity unsplit, is caught."""
    href = '<a href="https://x.org/?a=1&amp;b=2" color="#00558C"><u>x</u></a>'
    assert mine(href, STYLES[0]) == reportlabs(href, STYLES[0])
    monkeypatch.setattr(pdf, "unescape", lambda value: value)
    assert mine(href, STYLES[0]) != reportlabs(href, STYLES[0])
    monkeypatch.undo()

    class Unsplit(pdf.ParaParser):  # the fast path's parser only; reportlab keeps its own
        def handle_entityref(self, name):
            self.handle_data(f"&{name};")

    monkeypatch.setattr(pdf, "ParaParser", Unsplit)
    assert mine("a &amp; b", STYLES[0]) != reportlabs("a &amp; b", STYLES[0])
