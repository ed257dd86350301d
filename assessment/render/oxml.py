"""The DOCX writer's raw XML, kept beneath python-docx's API as python-docx keeps its own.

Each function does one thing python-docx has no API for, or does what a slow part of its API
does (``format_run``, ``format_paragraph``, ``set_column_widths`` …) with the same XML, in the
same order, without its generic search for each element's place; tests/test_oxml_bypasses.py
compares each with python-docx's own. Elements are built with ``_element`` (python-docx's
``OxmlElement``), or in place with ``_new_child``, and ``qn``, so they take python-docx's element
classes and namespace prefixes. Only ``_foreign`` builds elements outside the namespaces
python-docx knows (VML, extended properties).

This module may reach into python-docx's objects (``cell._tc``, ``run._r`` …); the visitors in
``docx.py`` may not, which keeps python-docx's internals in one place when python-docx changes.
"""

from __future__ import annotations

import functools
import io
import re

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.opc.part import Part
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.shape import CT_Inline
from docx.oxml.simpletypes import ST_HexColor, ST_HpsMeasure, ST_TwipsMeasure
from docx.shape import InlineShape
from docx.shared import Emu, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

_P, _TBL, _SECT_PR, _XML_SPACE, _VAL = qn("w:p"), qn("w:tbl"), qn("w:sectPr"), qn("xml:space"), qn("w:val")
_R, _HYPERLINK = qn("w:r"), qn("w:hyperlink")

VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"  # not in python-docx's RT
EIGHTHS_PER_POINT = 8  # WordprocessingML gives border widths in eighths of a point
APP_VERSION_PART_MAX = 99  # each part of AppVersion's XX.YYYY form holds two digits


@functools.cache
def _tag_names(tag: str) -> tuple[str, dict]:
    nsptag = NamespacePrefixedTag(tag)
    return nsptag.clark_name, nsptag.nsmap


def _element(tag: str):
    """python-docx's ``OxmlElement(tag)`` (its parser's element, declaring the tag's prefix),
    with the tag's name and namespace worked out once, not on each of the thousands of calls."""
    clark_name, namespaces = _tag_names(tag)
    return oxml_parser.makeelement(clark_name, attrib=None, nsmap=namespaces)


def _new_child(parent, tag: str):
    """``parent.append(_element(tag))``, the element made in place as ``parent``'s last child
    (lxml's SubElement): the parent's document is python-docx's, so the element takes the class
    python-docx's parser gives the tag, and its prefix is the one declared above it, as
    ``_element``'s own declaration is dropped on being appended there. The same element and
    bytes, without a document of its own to make and free for each of thousands of elements."""
    return etree.SubElement(parent, _tag_names(tag)[0])


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _foreign(parent, namespace: str, tag: str, attributes: list[tuple[str, str]] = (), text: str | None = None):
    """An element in a namespace absent from python-docx's ``nsmap`` (VML, extended
    properties), where ``qn`` and so ``OxmlElement`` cannot name it: a child of ``parent``, or
    with ``parent`` None a root declaring ``namespace`` as its default. ``attributes`` keeps
    its order, which the serialised bytes follow."""
    tag = f"{{{namespace}}}{tag}"
    element = etree.Element(tag, nsmap={None: namespace}) if parent is None else etree.SubElement(parent, tag)
    for name, value in attributes:
        element.set(name, value)
    element.text = text
    return element


# property elements in python-docx's order, without its search for each one's place

_KEEP = object()  # a property left as it is

_RUN_PROPERTY_TAGS = (  # python-docx's CT_RPr._tag_seq, the schema's order (it deletes its own copy)
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_PARAGRAPH_PROPERTY_TAGS = (  # python-docx's CT_PPr._tag_seq
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_RUN_RANKS = {qn(tag): rank for rank, tag in enumerate(_RUN_PROPERTY_TAGS)}
_PARAGRAPH_RANKS = {qn(tag): rank for rank, tag in enumerate(_PARAGRAPH_PROPERTY_TAGS)}
_R_PR, _P_PR, _B, _I, _SZ, _COLOR, _JC, _SPACING = (
    qn(t) for t in ("w:rPr", "w:pPr", "w:b", "w:i", "w:sz", "w:color", "w:jc", "w:spacing"))
_W_AFTER, _P_STYLE, _SHD = qn("w:after"), qn("w:pStyle"), qn("w:shd")
_KEEP_NEXT, _KEEP_LINES, _PAGE_BREAK_BEFORE = qn("w:keepNext"), qn("w:keepLines"), qn("w:pageBreakBefore")
_W_COLOR, _W_FILL, _W_SZ, _W_SPACE, _W_FLD_CHAR_TYPE = (
    qn(t) for t in ("w:color", "w:fill", "w:sz", "w:space", "w:fldCharType"))


def _insert_in_order(parent, child, ranks: dict) -> None:
    """Put ``child`` where python-docx's ``insert_element_before(*successors)`` does: before the
    first child of the earliest tag among those the schema puts after ``child``'s (python-docx
    tries them in the schema's order, one XPath each), or last if none is there."""
    rank = ranks[child.tag]
    successor, successor_rank = None, len(ranks)
    for sibling in parent:
        sibling_rank = ranks.get(sibling.tag, -1)
        if rank < sibling_rank < successor_rank:
            successor, successor_rank = sibling, sibling_rank
    if successor is None:
        parent.append(child)
    else:
        successor.addprevious(child)


def _get_or_add(parent, tag: str, clark: str, ranks: dict):
    """python-docx's ``get_or_add_x()`` for a ZeroOrOne child of a property element."""
    found = parent.find(clark)
    if found is None:
        found = _new_child(parent, tag)
        _insert_in_order(parent, found, ranks)
    return found


def _remove_all(parent, clark: str) -> None:
    for child in parent.findall(clark):
        parent.remove(child)


def _properties_of(element, clark: str, tag: str):
    """A run's w:rPr or a paragraph's w:pPr, added as its first child if it has none (as
    python-docx's ``get_or_add_rPr``/``get_or_add_pPr`` add it)."""
    found = element.find(clark)
    if found is None:
        found = _new_child(element, tag)
        element.insert(0, found)
    return found


def _set_on_off(properties, tag: str, clark: str, value, ranks: dict) -> None:
    """python-docx's ``CT_RPr._set_bool_val`` (and CT_PPr's ``keepNext_val`` …): None removes
    the element, True leaves it bare (its val's default), False writes w:val="0"."""
    if value is None:
        _remove_all(properties, clark)
        return
    element = _get_or_add(properties, tag, clark, ranks)
    if value:
        element.attrib.pop(_VAL, None)
    else:
        element.set(_VAL, "0")


def format_run(run, *, bold=_KEEP, italic=_KEEP, size=_KEEP, colour=_KEEP) -> None:
    """``run.bold``, ``run.italic``, ``run.font.size`` and ``run.font.color.rgb`` set to each
    value given (None too, as python-docx takes it), with python-docx's XML and without its
    search of the schema's successors for each element's place (most of a run's time)."""
    r = run._r
    if bold is not _KEEP or italic is not _KEEP or size is not _KEEP or colour not in (_KEEP, None):
        properties = _properties_of(r, _R_PR, "w:rPr")
    else:  # python-docx's rgb setter: None where there is no colour changes nothing
        properties = r.find(_R_PR)
        if colour is _KEEP or properties is None or properties.find(_COLOR) is None:
            return
    if bold is not _KEEP:
        _set_on_off(properties, "w:b", _B, bold, _RUN_RANKS)
    if italic is not _KEEP:
        _set_on_off(properties, "w:i", _I, italic, _RUN_RANKS)
    if size is not _KEEP:
        if size is None:
            _remove_all(properties, _SZ)
        else:
            _get_or_add(properties, "w:sz", _SZ, _RUN_RANKS).set(_VAL, ST_HpsMeasure.to_xml(size))
    if colour is not _KEEP:
        _remove_all(properties, _COLOR)  # python-docx replaces the element, so a theme colour goes
        if colour is not None:
            element = _new_child(properties, "w:color")
            element.set(_VAL, ST_HexColor.to_xml(colour))
            _insert_in_order(properties, element, _RUN_RANKS)


def format_paragraph(paragraph, *, alignment=_KEEP, space_after=_KEEP, keep_with_next=_KEEP,
                     keep_together=_KEEP, page_break_before=_KEEP) -> None:
    """``paragraph.alignment`` and ``paragraph.paragraph_format``'s ``space_after``,
    ``keep_with_next``, ``keep_together`` and ``page_break_before`` set to each value given, with
    python-docx's XML and without its search for each element's place."""
    flags = ((keep_with_next, "w:keepNext", _KEEP_NEXT), (keep_together, "w:keepLines", _KEEP_LINES),
             (page_break_before, "w:pageBreakBefore", _PAGE_BREAK_BEFORE))
    if alignment is _KEEP and space_after is _KEEP and all(value is _KEEP for value, _, _ in flags):
        return
    properties = _properties_of(paragraph._p, _P_PR, "w:pPr")
    if alignment is not _KEEP:
        if alignment is None:
            _remove_all(properties, _JC)
        else:
            _get_or_add(properties, "w:jc", _JC, _PARAGRAPH_RANKS).set(_VAL, WD_ALIGN_PARAGRAPH.to_xml(alignment))
    for value, tag, clark in flags:
        if value is not _KEEP:
            _set_on_off(properties, tag, clark, value, _PARAGRAPH_RANKS)
    if space_after is not _KEEP and (space_after is not None or properties.find(_SPACING) is not None):
        spacing = _get_or_add(properties, "w:spacing", _SPACING, _PARAGRAPH_RANKS)
        if space_after is None:
            spacing.attrib.pop(_W_AFTER, None)
        else:
            spacing.set(_W_AFTER, ST_TwipsMeasure.to_xml(space_after))


# table cells, rows and tables

_CELL_PROPERTY_TAGS = (  # python-docx's CT_TcPr._tag_seq
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
    "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
    "w:cellDel", "w:cellMerge", "w:tcPrChange",
)
_CELL_RANKS = {qn(tag): rank for rank, tag in enumerate(_CELL_PROPERTY_TAGS)}
_TR, _TC, _TC_PR, _TC_W, _GRID_SPAN, _V_MERGE, _TBL_GRID, _GRID_COL = (
    qn(t) for t in ("w:tr", "w:tc", "w:tcPr", "w:tcW", "w:gridSpan", "w:vMerge", "w:tblGrid", "w:gridCol"))
_W_W, _W_TYPE, _TR_PR, _TBL_PR_EX = qn("w:w"), qn("w:type"), qn("w:trPr"), qn("w:tblPrEx")


def _spans(element) -> bool:
    """Whether a cell in ``element`` (a row or table, nested tables' too) spans columns or rows:
    python-docx's ``row.cells`` then lists it more than once, or lists the cell above instead."""
    return next(element.iter(_GRID_SPAN, _V_MERGE), None) is not None


def row_cells(row) -> tuple:
    """``row.cells``, without python-docx's reading of each cell's span and merge, for a row none
    of whose cells spans or is merged, nested tables' included (python-docx's own answer
    otherwise): one cell a w:tc."""
    if _spans(row._tr):
        return row.cells
    table = row.table
    return tuple(_Cell(tc, table) for tc in row._tr.findall(_TC))


def merge_across(first, last):
    """``first.merge(last)`` for ``last`` in ``first``'s row at or to its right: python-docx's own
    growth of ``first`` (``_grow_to``) to the span's width, without its measuring of each cell's
    rows and columns by XPath over the whole table. Cells merged down, anywhere in the span,
    go through python-docx's ``merge`` (its measures then depend on the rows below)."""
    a, b = first._tc, last._tc
    tr = a.getparent()
    tcs = tr.findall(_TC) if b.getparent() is tr else []
    if a not in tcs or b not in tcs or tcs.index(b) < tcs.index(a):
        return first.merge(last)
    span = tcs[tcs.index(a):tcs.index(b) + 1]
    if any(tc.vMerge is not None for tc in span):
        return first.merge(last)
    a._grow_to(sum(tc.grid_span for tc in span), 1)
    return _Cell(a, first._parent)


def set_column_widths(table, widths) -> None:
    """Each row's cells and each grid column ``widths`` wide (Lengths), as python-docx's
    ``cell.width`` for each of ``row.cells`` and ``column.width`` for each of ``table.columns``
    set them, without its search of the schema's successors for each cell's w:tcW."""
    tbl = table._tbl
    if _spans(tbl):
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
    else:
        for tr in tbl.findall(_TR):
            for tc, width in zip(tr.findall(_TC), widths):
                properties = tc.find(_TC_PR)
                if properties is None:
                    properties = _new_child(tc, "w:tcPr")
                    tc.insert(0, properties)
                cell_width = _get_or_add(properties, "w:tcW", _TC_W, _CELL_RANKS)
                cell_width.set(_W_TYPE, "dxa")
                cell_width.set(_W_W, str(Emu(width).twips))
    grid = tbl.find(_TBL_GRID)
    for column, width in zip(grid.findall(_GRID_COL) if grid is not None else (), widths):
        if width is None:
            column.attrib.pop(_W_W, None)
        else:
            column.set(_W_W, ST_TwipsMeasure.to_xml(width))


def _shading(parent, fill: str) -> None:
    """``parent``'s w:shd, last, in place of any it had."""
    _remove_all(parent, _SHD)
    shd = _new_child(parent, "w:shd")
    shd.set(_VAL, "clear")
    shd.set(_W_COLOR, "auto")
    shd.set(_W_FILL, _hex(fill))


def shade_cell(cell, fill: str) -> None:
    _shading(cell._tc.get_or_add_tcPr(), fill)


def shade_run(run, fill: str) -> None:
    """A run's background in any colour (Word's highlight offers sixteen named ones)."""
    _shading(run._r.get_or_add_rPr(), fill)


def _eighths(points: float) -> str:
    return str(round(points * EIGHTHS_PER_POINT))


def set_table_borders(table, colour: str, width: float) -> None:
    """Every edge and inner line single, ``width`` points wide."""
    borders = _new_child(table._tbl.tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = _new_child(borders, f"w:{edge}")
        element.set(_VAL, "single")
        element.set(_W_SZ, _eighths(width))
        element.set(_W_SPACE, "0")
        element.set(_W_COLOR, _hex(colour))


def repeat_header_row(row) -> None:
    """Mark a row as a header: Word repeats it on each page and screen readers announce it."""
    _new_child(_row_properties(row._tr), "w:tblHeader").set(_VAL, "true")


def cant_split_row(row) -> None:
    _new_child(_row_properties(row._tr), "w:cantSplit")


def _row_properties(tr):
    """python-docx's ``tr.get_or_add_trPr()``: a new w:trPr goes after the w:tblPrEx, if any,
    else first."""
    found = tr.find(_TR_PR)
    if found is None:
        found = _new_child(tr, "w:trPr")
        exceptions = tr.find(_TBL_PR_EX)
        if exceptions is not None:
            exceptions.addnext(found)
        else:
            tr.insert(0, found)
    return found


def set_cell_margins(table, top: float = 0, right: float = 0, bottom: float = 0, left: float = 0) -> None:
    """Every cell's margins (its padding), in points; none given: no margins."""
    properties = table._tbl.tblPr
    margins = _new_child(properties, "w:tblCellMar")
    for side, points in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margin = _new_child(margins, f"w:{side}")
        margin.set(_W_W, str(Pt(points).twips))
        margin.set(_W_TYPE, "dxa")
    look = properties.find(qn("w:tblLook"))  # the schema wants tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def trailing_empty_paragraph(container):
    """The empty paragraph a table cell ends in (a new cell's, or the one Word needs after a
    nested table), for the next paragraph to use rather than leave a gap; None for the
    document body or a cell that ends otherwise."""
    tc = getattr(container, "_tc", None)
    if tc is None or tc[-1].tag != _P:
        return None
    last = tc[-1]  # the last of container.paragraphs, found without making each a Paragraph
    if last.find(_R) is not None:
        return None
    paragraph = Paragraph(last, container)
    if last.find(_HYPERLINK) is not None and paragraph.text:  # a link's words are its text too
        return None
    return paragraph


def close_cells(document) -> None:
    """Give every table cell in ``document``'s body the PDF's vertical rhythm: its padding is the only
    space above its first and below its last paragraph (reportlab drops the last paragraph's
    space after; Word would add it), no blank line stands above a table that opens a cell, and
    the paragraph Word requires after a table that ends a cell is a hairline, not a blank line."""
    for tc in document.element.body.iter(_TC):
        children = _cell_content(tc)
        # A new cell holds one empty paragraph, which would stand as a blank line above a table
        # added to the cell; Word needs a paragraph only at a cell's end.
        if len(children) > 1 and children[0].tag == _P and children[1].tag == _TBL \
                and not "".join(children[0].itertext()).strip():
            tc.remove(children.pop(0))
        last = children[-1] if children else None
        if last is None or last.tag != _P:
            continue
        if len(children) > 1 and children[-2].tag == _TBL and not "".join(last.itertext()).strip():
            _make_hairline(last, 0)
        else:
            spacing = _get_or_add(_properties_of(last, _P_PR, "w:pPr"), "w:spacing", _SPACING, _PARAGRAPH_RANKS)
            spacing.set(_W_AFTER, "0")


def _cell_content(tc) -> list:
    """A cell's elements but its w:tcPr (XPath's ``./*[not(self::w:tcPr)]``, without an XPath)."""
    return [child for child in tc if isinstance(child.tag, str) and child.tag != _TC_PR]


def add_paragraph(container, text: str | None = None) -> Paragraph:
    """``container.add_paragraph(text)``, for the document body without python-docx's search
    of the whole body for its closing section on each call (it grew with the square of the
    document: 1.5 s at 16x the Medway body): the section is the body's last child."""
    body = getattr(getattr(container, "element", None), "body", None)
    try:
        last = body[-1]  # not len(body): lxml counts an element's children one by one
    except (TypeError, IndexError):
        last = None
    if last is None or last.tag != _SECT_PR:
        return container.add_paragraph(text)
    p = _new_child(body, "w:p")
    last.addprevious(p)
    paragraph = Paragraph(p, container._body)
    if text:
        add_run(paragraph, text)
    return paragraph


def add_run(paragraph, text: str | None = None) -> Run:
    """``paragraph.add_run(text)`` for text without tabs or line breaks, without python-docx's
    character-by-character appender and its clearing XPath (about a tenth of the DOCX's
    time); the same XML, which the appender makes as one w:t for such text."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = _new_child(paragraph._p, "w:r")
    t = _new_child(r, "w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_XML_SPACE, "preserve")
    return Run(r, paragraph)


def add_body_table(document, rows: int, cols: int, width):
    """``document.add_table`` without its search of the whole body for the last section on every
    call (it grew with the square of the document), given the table's ``width``."""
    table = document._body.add_table(rows, cols, width)
    table.style = None
    return table


def separate_from_a_table_above(container, space_after: float) -> None:
    """Two tables with nothing between them are one table to Word and LibreOffice (the second's
    rows join the first, and its repeated header becomes the first's): a hairline paragraph
    keeps them apart, its space after the gap the PDF leaves under a table."""
    element = getattr(container, "_tc", None)
    if element is None:
        element = container.element.body
    # The last paragraph or table, found from the end: a list of every child for each table
    # grew with the square of the document (0.8 s at 16x the Medway body).
    block_tags = (_P, _TBL)
    last = next((child for child in reversed(element) if child.tag in block_tags), None)
    if last is None or last.tag != _TBL:
        return
    paragraph = _new_child(element, "w:p")
    last.addnext(paragraph)
    _make_hairline(paragraph, space_after)


def _make_hairline(paragraph, space_after: float) -> None:
    """Make an empty paragraph the smallest line Word lays out: one point, exactly, in
    one-point type, with ``space_after`` points under it."""
    spacing = paragraph.get_or_add_pPr().get_or_add_spacing()
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), str(Pt(space_after).twips))
    spacing.set(qn("w:line"), str(Pt(1).twips))
    spacing.set(qn("w:lineRule"), "exact")
    mark = _child(paragraph.get_or_add_pPr(), "w:rPr")
    _child(mark, "w:sz").set(qn("w:val"), str(2))  # half-points


def _child(parent, tag: str):
    """``parent``'s ``tag`` child, appended if it has none (for elements that come last)."""
    found = parent.find(qn(tag))
    if found is None:
        found = _new_child(parent, tag)
    return found


# paragraphs and runs

def keep_next_paragraph_whole(paragraph) -> None:
    """Keep the paragraph after ``paragraph`` on one page (Word's "keep lines together"), so a
    heading kept with its next paragraph moves with all of it, not with its first lines only."""
    following = paragraph._p.getnext()
    if following is not None and following.tag == qn("w:p"):
        format_paragraph(Paragraph(following, paragraph._parent), keep_together=True)


def set_outline_level(style, level: int) -> None:
    """Give a paragraph style a place in the document's outline (``level`` 1: a chapter's)."""
    _set_outline_level(style.element.get_or_add_pPr(), level)


def set_paragraph_style_id(paragraph, style_id: str) -> None:
    """By id: python-docx's ``paragraph.style`` setter scans every style on each call. The
    w:pPr and w:pStyle go where python-docx's ``p.style = style_id`` puts them, without its
    search of each element's possible successors (0.07 s of a Medway DOCX under the profiler)."""
    properties = _properties_of(paragraph._p, _P_PR, "w:pPr")
    if style_id is None:
        _remove_all(properties, _P_STYLE)
        return
    _get_or_add(properties, "w:pStyle", _P_STYLE, _PARAGRAPH_RANKS).set(_VAL, style_id)


def add_field_char(paragraph, kind: str) -> None:
    """One of a field's begin / separate / end marks, as its own run."""
    _new_child(paragraph.add_run()._r, "w:fldChar").set(_W_FLD_CHAR_TYPE, kind)


def add_field_code(paragraph, instruction: str) -> None:
    element = _new_child(paragraph.add_run()._r, "w:instrText")
    element.set(_XML_SPACE, "preserve")
    element.text = f" {instruction} "


def add_field(paragraph, instruction: str, cached: str = "") -> None:
    """A Word field (PAGE …) as begin / instruction / separate / result / end runs; ``cached``
    shows until Word updates the field."""
    add_field_char(paragraph, "begin")
    add_field_code(paragraph, instruction)
    add_field_char(paragraph, "separate")
    add_run(paragraph, cached)
    add_field_char(paragraph, "end")


def add_contents_entry(paragraph, title: str, level: int) -> None:
    """A TC field: the entry a refreshed TOC \\f lists for this heading, and nothing else shows."""
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    add_field_char(paragraph, "begin")
    add_field_code(paragraph, f'TC "{quoted}" \\l {level}')
    add_field_char(paragraph, "end")


def add_hyperlink(paragraph, url: str, text: str) -> Run:
    """A run linking to an external ``url``, returned for the caller to style."""
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = _new_child(paragraph._p, "w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = add_run(paragraph, text)
    link.append(run._r)  # moves the run out of the paragraph into the link
    return run


def add_internal_link(paragraph, anchor: str, text: str) -> Run:
    """``text`` as a link to the bookmark ``anchor`` in the same document."""
    link = _new_child(paragraph._p, "w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = add_run(paragraph, text)
    link.append(run._r)  # moves the run out of the paragraph into the link
    return run


def add_bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark around the whole of ``paragraph``: a place links and the contents can go to."""
    start = _element("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = _element("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def set_paragraph_top_border(paragraph, colour: str, width: float, gap: float) -> None:
    """A line ``width`` points thick above the paragraph, ``gap`` points above its words."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    top = _element("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), _eighths(width))
    top.set(qn("w:space"), str(round(gap)))  # points
    top.set(qn("w:color"), _hex(colour))
    borders.append(top)
    # pBdr follows keepNext … numPr, suppressLineNumbers; before shd, tabs, spacing, ind, jc.
    later = next((p_pr.find(qn(tag)) for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")
                  if p_pr.find(qn(tag)) is not None), None)
    if later is not None:
        later.addprevious(borders)
    else:
        p_pr.append(borders)


def set_paragraph_outline_level(paragraph, level: int) -> None:
    """Mark a paragraph as a heading of ``level`` (1-9) without changing its style or look."""
    _set_outline_level(paragraph._p.get_or_add_pPr(), level)


def _set_outline_level(p_pr, level: int) -> None:
    outline = p_pr.find(qn("w:outlineLvl"))
    if outline is None:
        outline = _element("w:outlineLvl")
        # outlineLvl follows jc and the text settings; before rPr, the only later child used here.
        mark = p_pr.find(qn("w:rPr"))
        if mark is not None:
            mark.addprevious(outline)
        else:
            p_pr.append(outline)
    outline.set(qn("w:val"), str(level - 1))


def drop_paragraph_borders(style) -> None:
    p_pr = style.element.pPr
    if p_pr is not None:
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)


def add_watermark(paragraph, text: str, font_family: str, fill: str, *, opacity: float, width: float,
                  height: float, rotation: float) -> None:
    """Word's own watermark: a VML text-path shape centred behind the page, the text stretched
    to ``width`` × ``height`` points and turned ``rotation`` degrees clockwise. Added to a
    header's paragraph, it shows on every page that header serves."""
    pict = _element("w:pict")
    paragraph.add_run()._r.append(pict)
    shape = _foreign(pict, VML, "shape", [
        ("id", "DraftWatermark"),
        (f"{{{OFFICE}}}spt", "136"),
        ("type", "#_x0000_t136"),
        # z-index: Word's own value for a shape behind the text.
        ("style", f"position:absolute;margin-left:0;margin-top:0;width:{width:.1f}pt;height:{height:.1f}pt;"
                  f"rotation:{rotation:g};z-index:-251654144;mso-position-horizontal:center;"
                  "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
                  "mso-position-vertical-relative:margin"),
        ("fillcolor", fill),
        ("stroked", "f"),
    ])
    _foreign(shape, VML, "fill", [("opacity", f"{opacity:g}")])
    _foreign(shape, VML, "path", [("textpathok", "t")])
    _foreign(shape, VML, "textpath", [("on", "t"), ("fitshape", "t"),
                                      ("style", f'font-family:"{font_family}";font-size:1pt'),
                                      ("string", text)])


def no_break_hyphens(run) -> None:
    """Each hyphen inside a word becomes Word's non-breaking hyphen, so the line never wraps
    there ("2018-19" stays whole); a hyphen beside a space is left as written."""
    for text in run._r.findall(qn("w:t")):
        words = re.split(r"(?<=\S)-(?=\S)", text.text or "")
        if len(words) == 1:
            continue
        text.text = words[0]
        anchor = text
        for word in words[1:]:
            hyphen = _element("w:noBreakHyphen")
            anchor.addnext(hyphen)
            rest = _element("w:t")
            rest.set(qn("xml:space"), "preserve")
            rest.text = word
            hyphen.addnext(rest)
            anchor = rest


def no_picture_distance(inline_shape) -> None:
    """No gap around an inline picture. Without the attributes LibreOffice keeps its own default
    (about 9 pt) to the picture's left, so it stands out of line with the words below it."""
    for side in ("distT", "distB", "distL", "distR"):
        inline_shape._inline.set(side, "0")


def add_picture(run, png: bytes, width, height, shape_ids: dict):
    """``run.add_picture`` with the picture's id from a counter: python-docx finds the next id
    by an XPath over the whole story for each picture (0.4 s at 16x the Medway body). The
    counter starts where python-docx would (one past the story's largest id, read once) and
    each picture takes the next, as python-docx's would, since nothing else this writer adds
    has a numeric id. ``shape_ids``: story part -> its next id, kept by the writer."""
    part = run.part
    shape_id = shape_ids.get(part) or part.next_id
    shape_ids[part] = shape_id + 1
    r_id, image = part.get_or_add_image(io.BytesIO(png))
    cx, cy = image.scaled_dimensions(width, height)
    inline = CT_Inline.new_pic_inline(shape_id, r_id, image.filename, cx, cy)
    run._r.add_drawing(inline)
    return InlineShape(inline)


def set_picture_alt_text(inline_shape, name: str, description: str) -> None:
    """The name and the description (alt text) a screen reader reads for a picture."""
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", description)
    doc_pr.set("name", name)


# styles and settings

def set_style_fonts(style, family: str) -> None:
    """Name ``family`` for every script and drop the theme's fonts, which would otherwise win
    for the scripts python-docx's ``font.name`` leaves alone."""
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(attr), family)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme_attr), None)


def adopt_template(document, template) -> None:
    """Put a council template's style definitions, theme and page setup in place of ours
    (``template``: a ``wordtemplate.WordTemplate``; its elements are copied, never moved).
    A list style keeps our numbering link: the template's list numbering is not carried over,
    so its numbering ids would point at nothing here."""
    from copy import deepcopy

    styles = document.styles.element
    ours = {_style_name(style): style for style in styles.iter(qn("w:style"))}
    for theirs in template.styles:
        copied = deepcopy(theirs)
        existing = ours.get(_style_name(copied))
        if existing is None:
            styles.append(copied)
            continue
        kept = existing.find(qn("w:pPr"))
        kept_numbering = kept.find(qn("w:numPr")) if kept is not None else None
        p_pr = copied.find(qn("w:pPr"))
        if p_pr is not None:
            for numbering in p_pr.findall(qn("w:numPr")):
                p_pr.remove(numbering)
        if kept_numbering is not None:
            if p_pr is None:
                p_pr = _element("w:pPr")
                _insert_style_ppr(copied, p_pr)
            p_pr.insert(0, deepcopy(kept_numbering))
        copied.set(qn("w:styleId"), existing.get(qn("w:styleId")))  # our paragraphs name it by our id
        existing.addprevious(copied)
        styles.remove(existing)
    defaults = template.doc_defaults
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        current = styles.find(qn("w:docDefaults"))
        current.addprevious(deepcopy(defaults))
        styles.remove(current)
    if template.theme_xml is not None:
        part = document.part
        drop_relationships(part.rels, RT.THEME)
        part.relate_to(Part(PackURI("/word/theme/theme1.xml"), CT.OFC_THEME, template.theme_xml, part.package), RT.THEME)
    section = document.sections[0]._sectPr
    for setting in (template.page_size, template.page_margins):
        if setting is not None:
            current = section.find(setting.tag)
            if current is not None:
                current.addprevious(deepcopy(setting))
                section.remove(current)


def _style_name(style) -> str:
    name = style.find(qn("w:name"))
    return "" if name is None else (name.get(qn("w:val")) or "").lower()


def _insert_style_ppr(style, p_pr) -> None:
    """A style's pPr goes before its rPr and table properties (the schema's order)."""
    for later in ("w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        found = style.find(qn(later))
        if found is not None:
            found.addprevious(p_pr)
            return
    style.append(p_pr)


def set_default_language(document, language: str) -> None:
    """The language of all text without its own, and of the theme's fonts (the template says
    en-US, with Japanese for East Asian text)."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        defaults.append(lang)
    lang.set(qn("w:val"), language)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)
        theme_lang.attrib.pop(qn("w:eastAsia"), None)


def update_fields_on_open(document) -> None:
    """Word refreshes the contents and page fields when the document opens."""
    settings = document.settings.element
    update = _element("w:updateFields")
    update.set(qn("w:val"), "true")
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(update)
    else:
        settings.append(update)


def drop_template_settings(document) -> None:
    """Settings that describe python-docx's template, not this document: its editing sessions
    (rsids), its id (the same in every python-docx document), and a proofing state that says
    spelling and grammar were checked, which would keep Word from marking mistakes."""
    settings = document.settings.element
    for tag in ("w:rsids", "w:proofState", "w14:docId"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)


# the package

def drop_relationships(rels, reltype: str) -> None:
    """Unlink the parts of ``reltype`` from a part's or the package's ``rels``; a part no
    relationship reaches is not saved."""
    for rel_id, rel in list(rels.items()):
        if rel.reltype == reltype:
            del rels[rel_id]


def drop_empty_core_properties(document) -> None:
    """Core properties left empty (category, description …): an empty element says nothing,
    and the template's ``lastPrinted`` is a printing that never happened."""
    core = document.core_properties._element
    for element in list(core):
        if element.tag == qn("cp:lastPrinted") or (not (element.text or "").strip() and len(element) == 0):
            core.remove(element)


def app_version(version: str) -> str | None:
    """``version`` (1.2.3) as the ``XX.YYYY`` the schema demands of AppVersion (01.0203);
    None when it does not fit."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", version)
    if not match:
        return None
    major, minor, patch = (int(part or 0) for part in match.groups())
    if max(major, minor, patch) > APP_VERSION_PART_MAX:
        return None
    return f"{major:02d}.{minor:02d}{patch:02d}"


def set_app_properties(document, application: str, version: str | None, company: str) -> None:
    """docProps/app.xml written afresh. python-docx copies its template's (Microsoft Macintosh
    Word, 1 page, 0 words …) and has no API for it. Page, word and line counts are left out,
    not guessed: Word's pagination is not the PDF's, and Word counts again when it saves."""
    root = _foreign(None, EXTENDED_PROPERTIES, "Properties")
    _foreign(root, EXTENDED_PROPERTIES, "Application", text=application)
    if company:
        _foreign(root, EXTENDED_PROPERTIES, "Company", text=company)
    fitted = app_version(version) if version else None
    if fitted:
        _foreign(root, EXTENDED_PROPERTIES, "AppVersion", text=fitted)
    package = document.part.package
    rel = next((r for r in package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES), None)
    partname = rel.target_part.partname if rel is not None else PackURI("/docProps/app.xml")
    part = Part(partname, CT.OFC_EXTENDED_PROPERTIES, serialize_part_xml(root), package)
    if rel is not None:  # the same rId, so the package's relationships keep their order
        package.rels.add_relationship(RT.EXTENDED_PROPERTIES, part, rel.rId)
    else:
        package.relate_to(part, RT.EXTENDED_PROPERTIES)


class _Members:
    """python-docx's zip writer as its PackageWriter uses it, keeping each member's name and
    bytes, in order, instead of deflating them."""

    def __init__(self):
        self.members: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.members.append((pack_uri.membername, blob))


def package_members(document) -> list[tuple[str, bytes]]:
    """What ``document.save`` zips, as (member name, bytes) in its order, unzipped: for the
    writer to zip once with its fixed dates, not to deflate the whole package twice. The steps
    are python-docx's ``OpcPackage.save`` and ``PackageWriter.write``."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    members, parts = _Members(), package.parts
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    return members.members
