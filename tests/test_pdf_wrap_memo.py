"""The PDF writer's paragraphs answer a repeated wrap from the last one: the same answers and
lines as reportlab's own paragraph, for any sequence of wraps, splits and style changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from assessment.render.pdf import _Paragraph

STYLES = [ParagraphStyle("a", fontName="Helvetica", fontSize=10, leading=12),
          ParagraphStyle("b", fontName="Helvetica-Bold", fontSize=14, leading=17, firstLineIndent=12)]
WORDS = st.sampled_from(["crime", "anti-social", "behaviour", "<b>Medway</b>", "2021/22", "reoffending",
                         "<i>partnership</i>", "a", "Community", "Safety", "&amp;", "12.5%",
                         "www.medway.gov.uk/community-safety-partnership", "<b>Anti-social</b>behaviour"])
STEPS = st.lists(st.one_of(st.tuples(st.just("wrap"), st.sampled_from([40, 90, 90, 200, 481.9])),
                           st.tuples(st.just("style"), st.sampled_from([0, 1])),
                           st.tuples(st.just("split"), st.sampled_from([24, 40, 100]))), min_size=1, max_size=12)


def lines(paragraph):
    bl = paragraph.blPara
    return [(getattr(line, "extraSpace", None), repr(getattr(line, "words", line))) for line in bl.lines]


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=60), STEPS)
def test_a_remembered_wrap_answers_as_reportlabs_paragraph(words, steps):
    text = " ".join(words)
    mine, theirs = _Paragraph(text, STYLES[0]), Paragraph(text, STYLES[0])
    width = None
    for step, value in steps:
        if step == "wrap":
            width = value
            assert mine.wrap(value, 800) == theirs.wrap(value, 800)
            assert lines(mine) == lines(theirs)
        elif step == "style":
            mine.style = theirs.style = STYLES[value]
        elif width is not None:  # reportlab splits a paragraph it has wrapped
            parts_mine, parts_theirs = mine.split(width, value), theirs.split(width, value)
            assert [p.wrap(width, 800) for p in parts_mine] == [p.wrap(width, 800) for p in parts_theirs]
            if parts_mine:
                mine, theirs = parts_mine[-1], parts_theirs[-1]
                assert type(mine) is _Paragraph


def test_a_second_wrap_to_the_same_width_breaks_no_lines():
    paragraph = _Paragraph("Total recorded crime rose by 4 % in the year to March 2022. " * 8, STYLES[0])
    calls = []
    original = Paragraph.breakLines
    Paragraph.breakLines = lambda self, widths: calls.append(widths) or original(self, widths)
    try:
        first = paragraph.wrap(200, 800)
        assert paragraph.wrap(200, 500) == first and len(calls) == 1
        paragraph.wrap(300, 800)
        assert len(calls) == 2
        paragraph.style = STYLES[1]  # the writer aligns a cell's paragraph by giving it a new style
        paragraph.wrap(300, 800)
        assert len(calls) == 3
    finally:
        Paragraph.breakLines = original
