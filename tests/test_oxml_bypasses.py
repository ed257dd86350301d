"""Each shortcut past python-docx in render/oxml.py writes python-docx's own XML.

For each one, the same input goes through python-docx's API and through the shortcut, onto
elements that already hold other properties (so an element's place among them is tested), and
the two documents' XML must be the same, in order and attributes.
"""

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt, RGBColor
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.render import oxml

SLOW = settings(max_examples=60, deadline=None)  # each example opens python-docx's template twice

# Properties a run may already have, set through python-docx: each puts an element somewhere
# among rPr's children, before or after the ones the shortcut adds.
RUN_SETUPS = {
    "style": lambda run: setattr(run, "style", "Strong"),
    "font": lambda run: setattr(run.font, "name", "Arial"),
    "caps": lambda run: setattr(run.font, "all_caps", True),
    "underline": lambda run: setattr(run.font, "underline", True),
    "highlight": lambda run: setattr(run.font, "highlight_color", 7),
    "superscript": lambda run: setattr(run.font, "superscript", True),
    "italic": lambda run: setattr(run, "italic", False),
    "size": lambda run: setattr(run.font, "size", Pt(14)),
    "colour": lambda run: setattr(run.font.color, "rgb", RGBColor(1, 2, 3)),
    "theme colour": lambda run: setattr(run.font.color, "theme_color", 5),
    "bold": lambda run: setattr(run, "bold", True),
}
KEEP = object()
run_values = st.fixed_dictionaries({}, optional={
    "bold": st.sampled_from([True, False, None]),
    "italic": st.sampled_from([True, False, None]),
    "size": st.sampled_from([Pt(8), Pt(10.5), Pt(11.25), None]),
    "colour": st.sampled_from([RGBColor(0x12, 0xAB, 0xEF), RGBColor(0, 0, 0), None]),
})


def python_docx_format_run(run, values):
    for name, value in values.items():
        if name in ("bold", "italic"):
            setattr(run, name, value)
        elif name == "size":
            run.font.size = value
        else:
            run.font.color.rgb = value


@SLOW
@given(st.lists(st.sampled_from(sorted(RUN_SETUPS)), unique=True, max_size=4), st.lists(run_values, max_size=3))
def test_run_formats_made_directly_are_python_docx_s(setups, calls):
    def document(format_run):
        made = docx.Document()
        for bare in (True, False):
            paragraph = made.add_paragraph()
            run = paragraph.add_run("words")
            if not bare:
                for setup in setups:
                    RUN_SETUPS[setup](run)
            for values in calls:
                format_run(run, values)
        return made.element.xml

    theirs = document(python_docx_format_run)
    assert document(lambda run, values: oxml.format_run(run, **values)) == theirs


def test_run_formats_cover_each_case_python_docx_treats_apart():
    """The cases the generated ones may miss: nothing to set, a colour taken away where none
    was (python-docx adds no rPr), False written as w:val="0"."""
    made = docx.Document()
    paragraph = made.add_paragraph()
    plain, uncoloured, unbold = (paragraph.add_run("x") for _ in range(3))
    oxml.format_run(plain)
    oxml.format_run(uncoloured, colour=None)
    oxml.format_run(unbold, bold=False, italic=None)
    assert plain._r.rPr is None and uncoloured._r.rPr is None
    assert unbold._r.rPr.xml.count('w:val="0"') == 1 and unbold._r.rPr.i is None


PARAGRAPH_SETUPS = {
    "style": lambda p: setattr(p, "style", "Caption"),
    "keep": lambda p: setattr(p.paragraph_format, "keep_with_next", True),
    "page break": lambda p: setattr(p.paragraph_format, "page_break_before", True),
    "indent": lambda p: setattr(p.paragraph_format, "left_indent", Pt(12)),
    "before": lambda p: setattr(p.paragraph_format, "space_before", Pt(3)),
    "line": lambda p: setattr(p.paragraph_format, "line_spacing", Pt(14)),
    "rule": lambda p: setattr(p.paragraph_format, "line_spacing_rule", WD_LINE_SPACING.AT_LEAST),
    "tabs": lambda p: p.paragraph_format.tab_stops.add_tab_stop(Pt(100)),
    "outline": lambda p: oxml.set_paragraph_outline_level(p, 2),
    "border": lambda p: oxml.set_paragraph_top_border(p, "#112233", 1, 2),
    "centred": lambda p: setattr(p, "alignment", WD_ALIGN_PARAGRAPH.CENTER),
    "after": lambda p: setattr(p.paragraph_format, "space_after", Pt(9)),
}
paragraph_values = st.fixed_dictionaries({}, optional={
    "alignment": st.sampled_from([WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER,
                                  WD_ALIGN_PARAGRAPH.JUSTIFY, None]),
    "space_after": st.sampled_from([Pt(0), Pt(4.5), Pt(6), None]),
})


def python_docx_format_paragraph(paragraph, values):
    for name, value in values.items():
        if name == "alignment":
            paragraph.alignment = value
        else:
            paragraph.paragraph_format.space_after = value


@SLOW
@given(st.lists(st.sampled_from(sorted(PARAGRAPH_SETUPS)), unique=True, max_size=5),
       st.lists(paragraph_values, max_size=3))
def test_paragraph_formats_made_directly_are_python_docx_s(setups, calls):
    def document(format_paragraph):
        made = docx.Document()
        for bare in (True, False):
            paragraph = made.add_paragraph("words")
            if not bare:
                for setup in setups:
                    PARAGRAPH_SETUPS[setup](paragraph)
            for values in calls:
                format_paragraph(paragraph, values)
        return made.element.xml

    theirs = document(python_docx_format_paragraph)
    assert document(lambda p, values: oxml.format_paragraph(p, **values)) == theirs
