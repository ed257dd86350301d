"""Each shortcut past python-docx in render/oxml.py writes python-docx's own XML.

For each one, the same input goes through python-docx's API and through the shortcut, onto
elements that already hold other properties (so an element's place among them is tested), and
the two documents' XML must be the same bytes, in elements' and attributes' order.
"""

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from assessment.render import oxml

def exact_xml(element) -> bytes:
    """The bytes python-docx saves. (Its ``.xml`` compares equal whatever the attributes' order.)"""
    return etree.tostring(element)


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


def formats_match(cases, make, setups, python_docx_way, ours) -> None:
    """``cases``: (setups, calls), each a run or paragraph made by ``make`` and set up through
    python-docx, then formatted by each way; the two documents' XML must be the same bytes."""
    def document(apply):
        made = docx.Document()
        for names, calls in cases:
            target = make(made)
            for name in names:
                setups[name](target)
            for values in calls:
                apply(target, values)
        return exact_xml(made.element)

    assert document(ours) == document(python_docx_way)


def run_formats_match(cases) -> None:
    formats_match(cases, lambda made: made.add_paragraph().add_run("words"), RUN_SETUPS, python_docx_format_run,
                  lambda run, values: oxml.format_run(run, **values))


RUN_SINGLE_VALUES = [{"bold": True}, {"bold": False}, {"bold": None}, {"italic": True}, {"italic": False},
                     {"italic": None}, {"size": Pt(9.5)}, {"size": None}, {"colour": RGBColor(9, 8, 7)},
                     {"colour": None}, {}]


def test_each_run_format_on_each_run_property_is_python_docx_s():
    """Every property alone, on a bare run and on a run holding each other property alone."""
    run_formats_match([(setups, [values]) for setups in [[]] + [[name] for name in sorted(RUN_SETUPS)]
                       for values in RUN_SINGLE_VALUES])


@SLOW
@given(st.lists(st.sampled_from(sorted(RUN_SETUPS)), unique=True, max_size=4), st.lists(run_values, max_size=3))
def test_run_formats_made_directly_are_python_docx_s(setups, calls):
    run_formats_match([([], calls), (setups, calls)])


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
    "together": lambda p: setattr(p.paragraph_format, "keep_together", False),
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
    "keep_with_next": st.sampled_from([True, False, None]),
    "keep_together": st.sampled_from([True, False, None]),
    "page_break_before": st.sampled_from([True, False, None]),
})


def python_docx_format_paragraph(paragraph, values):
    for name, value in values.items():
        if name == "alignment":
            paragraph.alignment = value
        else:
            setattr(paragraph.paragraph_format, name, value)


def paragraph_formats_match(cases) -> None:
    formats_match(cases, lambda made: made.add_paragraph("words"), PARAGRAPH_SETUPS, python_docx_format_paragraph,
                  lambda paragraph, values: oxml.format_paragraph(paragraph, **values))


def test_each_paragraph_format_on_each_paragraph_property_is_python_docx_s():
    values = [{"alignment": WD_ALIGN_PARAGRAPH.CENTER}, {"alignment": None}, {"space_after": Pt(5)},
              {"space_after": None}, {}] + [{name: value} for name in ("keep_with_next", "keep_together", "page_break_before")
                                            for value in (True, False, None)]
    paragraph_formats_match([(setups, [value]) for setups in [[]] + [[name] for name in sorted(PARAGRAPH_SETUPS)]
                             for value in values])


@SLOW
@given(st.lists(st.sampled_from(sorted(PARAGRAPH_SETUPS)), unique=True, max_size=5),
       st.lists(paragraph_values, max_size=3))
def test_paragraph_formats_made_directly_are_python_docx_s(setups, calls):
    paragraph_formats_match([([], calls), (setups, calls)])


# tables

def tables_to_try(made):
    """Tables as the writer makes them and as it leaves them: new, in the body and in a cell,
    with cells already shaded, aligned or merged across and down."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    plain = made.add_table(rows=3, cols=3)
    shaded = made.add_table(rows=2, cols=2)
    oxml.shade_cell(shaded.cell(0, 0), "#ABCDEF")
    oxml.shade_cell(shaded.cell(0, 1), "#123456")
    shaded.cell(0, 1)._tc.tcPr.remove(shaded.cell(0, 1)._tc.tcPr.tcW)  # a w:tcW to go before the w:shd
    shaded.cell(1, 1).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    shaded.cell(1, 0)._tc.remove(shaded.cell(1, 0)._tc.tcPr)  # a cell with no properties at all
    across = made.add_table(rows=2, cols=3)
    across.cell(0, 0).merge(across.cell(0, 1))
    down = made.add_table(rows=3, cols=2)
    down.cell(0, 1).merge(down.cell(2, 1))
    nested = plain.cell(1, 1).add_table(rows=2, cols=2)
    return [plain, shaded, across, down, nested]


def test_row_cells_are_python_docx_s_cells():
    made = docx.Document()
    for table in tables_to_try(made):
        for row in table.rows:
            theirs, ours = row.cells, oxml.row_cells(row)
            assert [(c._tc, c._parent) for c in ours] == [(c._tc, c._parent) for c in theirs]
            assert all(type(o) is type(t) for o, t in zip(ours, theirs))


@pytest.mark.parametrize("widths", [[40, 50.5, 60.25], [100], [12.3, 45.6], [0, 33, 7]])
def test_column_widths_set_directly_are_python_docx_s(widths):
    def document(set_widths):
        made = docx.Document()
        for table in tables_to_try(made):
            set_widths(table, [Pt(w) for w in widths])
        return exact_xml(made.element)

    def python_docx_widths(table, lengths):
        for row in table.rows:
            for cell, width in zip(row.cells, lengths):
                cell.width = width
        for column, width in zip(table.columns, lengths):
            column.width = width

    assert document(oxml.set_column_widths) == document(python_docx_widths)


def python_docx_trailing_empty_paragraph(container):
    """oxml.trailing_empty_paragraph as it was, through python-docx's paragraphs."""
    tc = getattr(container, "_tc", None)
    if tc is None or tc[-1].tag != qn("w:p"):
        return None
    paragraphs = container.paragraphs
    if paragraphs and not paragraphs[-1].runs and not paragraphs[-1].text:
        return paragraphs[-1]
    return None


def cells_to_try(made):
    cells = list(made.add_table(rows=1, cols=7).rows[0].cells)
    cells[1].paragraphs[0].add_run("words")
    cells[2].paragraphs[0].add_run()  # a run without text is still a run
    oxml.add_internal_link(cells[3].paragraphs[0], "_Toc1", "linked")
    link = oxml.add_internal_link(cells[4].paragraphs[0], "_Toc1", "x")  # a link without words
    link.text = ""
    cells[5].add_table(rows=1, cols=1)  # python-docx adds the paragraph Word needs after it
    cells[6].paragraphs[0].style = "Caption"
    cells[6].add_paragraph()
    return cells


def test_the_trailing_empty_paragraph_is_python_docx_s_last_paragraph():
    made = docx.Document()
    assert oxml.trailing_empty_paragraph(made) is None
    found = 0
    for cell in cells_to_try(made):
        theirs, ours = python_docx_trailing_empty_paragraph(cell), oxml.trailing_empty_paragraph(cell)
        assert (theirs is None) == (ours is None)
        if theirs is not None:
            found += 1
            assert (ours._p, ours._parent, type(ours)) == (theirs._p, theirs._parent, type(theirs))
    assert 0 < found < 7


def python_docx_close_cells(document):
    """oxml.close_cells as it was, through python-docx's XPath and get_or_add_ methods."""
    for tc in document.element.body.iter(qn("w:tc")):
        children = tc.xpath("./*[not(self::w:tcPr)]")
        if len(children) > 1 and children[0].tag == qn("w:p") and not "".join(children[0].itertext()).strip() \
                and children[1].tag == qn("w:tbl"):
            tc.remove(children[0])
        children = tc.xpath("./*[not(self::w:tcPr)]")
        last = children[-1] if children else None
        if last is None or last.tag != qn("w:p"):
            continue
        if len(children) > 1 and children[-2].tag == qn("w:tbl") and not "".join(last.itertext()).strip():
            oxml._make_hairline(last, 0)
        else:
            last.get_or_add_pPr().get_or_add_spacing().set(qn("w:after"), "0")


def test_cells_closed_directly_are_closed_as_python_docx_would():
    def document(close):
        made = docx.Document()
        cells = cells_to_try(made)
        cells[0].paragraphs[0].paragraph_format.space_before = Pt(3)  # a w:spacing already there
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT  # a w:pPr without one
        cells[2].add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].style = "Caption"  # nested cells too
        close(made)
        return exact_xml(made.element)

    assert document(oxml.close_cells) == document(python_docx_close_cells)


def python_docx_successors(element_class, tag: str) -> tuple:
    """The tags python-docx's ``_insert_<tag>`` looks for, in its order, to put a new ``tag``
    child before (kept in the closure its ZeroOrOne makes)."""
    insert = getattr(element_class, "_insert_" + tag.split(":")[1])
    (child,) = (cell.cell_contents for cell in insert.__closure__ if hasattr(cell.cell_contents, "_successors"))
    return tuple(child._successors)


@pytest.mark.parametrize("element_class, order, tags", [
    ("docx.oxml.text.font.CT_RPr", oxml._RUN_PROPERTY_TAGS, ["w:b", "w:i", "w:sz", "w:color"]),
    ("docx.oxml.text.parfmt.CT_PPr", oxml._PARAGRAPH_PROPERTY_TAGS, ["w:jc", "w:spacing", "w:keepNext", "w:keepLines", "w:pageBreakBefore"]),
    ("docx.oxml.table.CT_TcPr", oxml._CELL_PROPERTY_TAGS, ["w:tcW"]),
])
def test_each_element_goes_before_python_docx_s_successors_in_its_order(element_class, order, tags):
    """Where oxml puts each element it adds: before the tags python-docx's own inserter
    searches for, tried in python-docx's order (the earliest found wins)."""
    import importlib

    module, name = element_class.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    for tag in tags:
        assert order[order.index(tag) + 1:] == python_docx_successors(cls, tag), tag


# elements

def tags_oxml_makes() -> set:
    """Every tag oxml names to ``_element`` or ``_new_child``: its literals, its loops' edges
    and sides, and the property elements it adds by name."""
    import re

    source = Path(oxml.__file__).read_text(encoding="utf-8")
    tags = set(re.findall(r'_element\("([a-zA-Z0-9]+:[a-zA-Z0-9]+)"\)', source))
    tags |= set(re.findall(r'_new_child\(.*, "([a-zA-Z0-9]+:[a-zA-Z0-9]+)"\)', source))
    tags |= {f"w:{edge}" for edge in ("top", "left", "bottom", "right", "insideH", "insideV")}
    tags |= {"w:tcW", "w:trPr"}  # named by variables
    tags |= set(oxml._RUN_PROPERTY_TAGS + oxml._PARAGRAPH_PROPERTY_TAGS + oxml._CELL_PROPERTY_TAGS)
    return tags


def test_elements_are_python_docx_s_oxml_elements():
    from docx.oxml import OxmlElement

    tags = tags_oxml_makes()
    assert {"w:r", "w:t", "w:p", "w:pPr", "w:b", "w:color", "w:tcW", "w:fldChar", "w:hyperlink", "w:trPr",
            "w:cantSplit", "w:tblCellMar", "w:shd", "w:instrText", "w:pStyle"} <= tags
    for tag in sorted(tags):
        ours, theirs = oxml._element(tag), OxmlElement(tag)
        assert (type(ours), ours.tag, ours.nsmap, exact_xml(ours)) == (type(theirs), theirs.tag, theirs.nsmap, exact_xml(theirs)), tag
        made = docx.Document()  # and the same once in a document, where the prefix is declared already
        for element in (ours, theirs):
            made.add_paragraph()._p.append(element)
        first, second = made.paragraphs[-2]._p, made.paragraphs[-1]._p
        assert exact_xml(first) == exact_xml(second)


def parents_to_try(made):
    """Where oxml makes elements: the body, a paragraph, a run, a cell, a row, a header's
    paragraph, and an element of its own not yet in the document."""
    paragraph = made.add_paragraph("words")
    table = made.add_table(rows=1, cols=1)
    loose = oxml._element("w:pPr")
    return [made.element.body, paragraph._p, paragraph.runs[0]._r, table.cell(0, 0)._tc, table.rows[0]._tr,
            made.sections[0].header.paragraphs[0]._p, loose]


def test_elements_made_in_place_are_python_docx_s_appended():
    """``_new_child`` is python-docx's ``parent.append(OxmlElement(tag))``: the same class and
    bytes, an attribute in another namespace (a link's r:id) too."""
    from docx.oxml import OxmlElement

    def document(add):
        made = docx.Document()
        parents = parents_to_try(made)
        classes = []
        for parent in parents:
            for tag in sorted(tags_oxml_makes()):
                element = add(parent, tag)
                classes.append(type(element))
                if tag == "w:hyperlink":
                    element.set(qn("r:id"), "rId9")
        stories = [made.element, made.sections[0].header._element, parents[-1]]
        return [exact_xml(story) for story in stories], classes

    def appended(parent, tag):
        element = OxmlElement(tag)
        parent.append(element)
        return element

    assert document(oxml._new_child) == document(appended)


# the package

def a_package():
    """A document with parts of each kind the writer's have: a picture, a header, a link, its
    own app.xml, and the template's thumbnail unlinked."""
    import io

    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (8, 4), (200, 30, 60)).save(png, format="PNG")
    made = docx.Document()
    paragraph = made.add_paragraph("words")
    oxml.add_hyperlink(paragraph, "https://example.org/", "a link")
    oxml.add_picture(made.add_paragraph().add_run(), png.getvalue(), Pt(40), Pt(20), {})
    oxml.add_watermark(made.sections[0].header.paragraphs[0], "DRAFT", "Arial", "silver",
                       opacity=0.5, width=100, height=50, rotation=315)
    oxml.set_app_properties(made, "assessment", "1.2.3", "A Council")
    oxml.drop_relationships(made.part.package.rels, RT.THUMBNAIL)
    return made


def python_docx_fixed_zip(document, date):
    """The writer's zip as it was made: python-docx's zip, read back and zipped again."""
    import io
    import zipfile

    from assessment.render.docx import ZIP_EPOCH_YEAR, ZIP_FILE_MODE

    buffer = io.BytesIO()
    document.save(buffer)
    stamp = (max(date.year, ZIP_EPOCH_YEAR), date.month, date.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = ZIP_FILE_MODE
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def test_package_members_are_what_python_docx_saves():
    import io
    import zipfile

    made = a_package()
    buffer = io.BytesIO()
    made.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        theirs = [(name, saved.read(name)) for name in saved.namelist()]
    ours = oxml.package_members(a_package())
    assert [name for name, _ in ours] == [name for name, _ in theirs]
    assert ours == theirs
    assert {"word/media/image1.png", "word/header1.xml", "docProps/app.xml"} <= {name for name, _ in ours}


def test_the_package_zipped_once_is_the_package_zipped_twice():
    import datetime as dt

    from assessment.render.docx import _fixed_zip

    for date in (dt.date(2022, 3, 31), dt.date(1975, 1, 1)):
        assert _fixed_zip(oxml.package_members(a_package()), date) == python_docx_fixed_zip(a_package(), date)


def merges_to_try():
    """(table maker, first cell, last cell): across, from each column to each one at or right
    of it, in bare, filled, narrowed and already merged rows, and down (python-docx's merge)."""
    def filled(made):
        table = made.add_table(rows=2, cols=4)
        table.cell(0, 1).paragraphs[0].add_run("moved")
        table.cell(0, 2).add_paragraph("two")
        table.cell(0, 3)._tc.tcPr.remove(table.cell(0, 3)._tc.tcPr.tcW)  # a cell of no width
        return table

    def merged_already(made):
        table = made.add_table(rows=3, cols=5)
        table.cell(0, 1).merge(table.cell(0, 2))
        table.cell(1, 3).merge(table.cell(2, 3))  # down
        return table

    cases = []
    for make, columns in ((lambda made: made.add_table(rows=2, cols=4), range(4)), (filled, range(4))):
        cases += [(make, (0, i), (0, j)) for i in columns for j in columns if j >= i]
    cases += [(merged_already, (0, 0), (0, 4)), (merged_already, (0, 1), (0, 3)), (merged_already, (1, 0), (1, 4)),
              (merged_already, (1, 2), (1, 3)), (merged_already, (0, 3), (0, 4)), (merged_already, (2, 0), (2, 4)),
              (merged_already, (0, 0), (2, 1)), (merged_already, (0, 4), (0, 0))]  # the last two: refused
    return cases


@pytest.mark.parametrize("make, first, last", merges_to_try())
def test_cells_merged_across_directly_are_python_docx_s_merge(make, first, last):
    def document(merge):
        made = docx.Document()
        table = make(made)
        try:
            merged = merge(table.cell(*first), table.cell(*last))
        except Exception as error:  # a span python-docx refuses, refused alike
            return exact_xml(made.element), repr(error)
        merged.add_paragraph("after")  # the merged cell takes the content that follows
        return exact_xml(made.element), merged._parent is table, type(merged)

    assert document(oxml.merge_across) == document(lambda a, b: a.merge(b))


def test_row_properties_go_where_python_docx_puts_them():
    from docx.oxml import OxmlElement

    def document(row_properties):
        made = docx.Document()
        table = made.add_table(rows=4, cols=1)
        rows = [row._tr for row in table.rows]
        rows[1].insert(0, OxmlElement("w:tblPrEx"))  # a new w:trPr goes after it
        rows[2].get_or_add_trPr().append(OxmlElement("w:jc"))  # one there already
        rows[3].insert(0, OxmlElement("w:tblPrEx"))
        rows[3].get_or_add_trPr()
        for tr in rows:
            row_properties(tr).append(OxmlElement("w:cantSplit"))
        return exact_xml(made.element)

    assert document(oxml._row_properties) == document(lambda tr: tr.get_or_add_trPr())


@pytest.mark.parametrize("style_id", ["Caption", "Heading1"])
def test_paragraph_style_ids_set_directly_are_python_docx_s(style_id):
    """On a new paragraph, one with words, and one holding each other property alone; twice."""
    def document(set_style):
        made = docx.Document()
        set_style(made.add_paragraph(), style_id)
        set_style(made.add_paragraph("words"), style_id)
        for name in sorted(PARAGRAPH_SETUPS):
            paragraph = made.add_paragraph("words")
            PARAGRAPH_SETUPS[name](paragraph)
            set_style(paragraph, style_id)
            set_style(paragraph, "Title")
        return exact_xml(made.element)

    def python_docx_style(paragraph, style_id):
        paragraph._p.style = style_id

    assert document(oxml.set_paragraph_style_id) == document(python_docx_style)


def test_shading_replaces_python_docx_s_way():
    """Shading as oxml made it with python-docx's get_or_add and a loose element appended."""
    from docx.oxml import OxmlElement

    def python_docx_shading(properties, fill):
        for old in properties.findall(qn("w:shd")):
            properties.remove(old)
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill.lstrip("#").upper())
        properties.append(shd)

    def document(shade_cell, shade_run):
        made = docx.Document()
        table = made.add_table(rows=1, cols=2)
        table.cell(0, 1)._tc.remove(table.cell(0, 1)._tc.tcPr)
        run = made.add_paragraph().add_run("x")
        for fill in ("#abcdef", "#123456"):  # the second replaces the first
            for cell in table.rows[0].cells:
                shade_cell(cell, fill)
            shade_run(run, fill)
        return exact_xml(made.element)

    theirs = document(lambda cell, fill: python_docx_shading(cell._tc.get_or_add_tcPr(), fill),
                      lambda run, fill: python_docx_shading(run._r.get_or_add_rPr(), fill))
    assert document(oxml.shade_cell, oxml.shade_run) == theirs


def test_the_next_paragraph_kept_whole_is_python_docx_s_keep_together():
    def document(keep_whole):
        made = docx.Document()
        heading = made.add_paragraph("heading")
        made.add_paragraph("next").paragraph_format.space_after = Pt(3)
        keep_whole(heading)
        keep_whole(made.add_paragraph("last"))  # nothing after it: nothing kept
        return exact_xml(made.element)

    def python_docx_keep(paragraph):
        following = paragraph._p.getnext()
        if following is not None and following.tag == qn("w:p"):
            following.get_or_add_pPr().keepLines_val = True

    assert document(oxml.keep_next_paragraph_whole) == document(python_docx_keep)
