"""The document tree: frozen attrs nodes that carry data only.

Writers walk this tree with one ``visit_<node>`` method per class; no node knows how it is
drawn. This module imports nothing else of ours so every other module can depend on it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal, Union

import attrs

Align = Literal["left", "right", "center"]
ChartKind = Literal["bar", "column", "line", "pie", "donut", "grouped-bar", "stacked-bar"]
ChartSort = Literal["data", "descending"]
Status = Literal["official", "draft"]


def _tuple(value) -> tuple:
    return tuple(value)


# --- inline ---------------------------------------------------------------------------------


@attrs.frozen
class Text:
    """A run of text. ``href`` makes it a hyperlink (http, https or mailto only)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


MISSING = "missing: "  # how a draft marks a name its data does not give: "missing: population"


@attrs.frozen
class Placeholder:
    """A value that could not be filled in (draft builds only); drawn highlighted. ``text`` is
    the analyst's line, as the command line lists it: ``missing: NAME``, or why a figure could
    not be worked out; the document shows the style's words for it (``Layout.placeholder``)."""

    text: str

    @property
    def missing_name(self) -> str | None:
        """The name the data does not give, or None for a figure that could not be worked out."""
        return self.text[len(MISSING):] if self.text.startswith(MISSING) else None


Inline = Union[Text, Placeholder]


# --- blocks ---------------------------------------------------------------------------------


@attrs.frozen
class Paragraph:
    spans: tuple[Inline, ...] = attrs.field(converter=_tuple)

    @classmethod
    def of(cls, text: str, *, bold: bool = False, italic: bool = False) -> "Paragraph":
        return cls((Text(text, bold=bold, italic=italic),))

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


@attrs.frozen
class ListItem:
    paragraph: Paragraph
    children: "BulletList | None" = None


@attrs.frozen
class BulletList:
    items: tuple[ListItem, ...] = attrs.field(converter=_tuple)

    @classmethod
    def of(cls, *texts: str) -> "BulletList":
        return cls(tuple(ListItem(Paragraph.of(t)) for t in texts))


@attrs.frozen
class Cell:
    """A table cell; it holds blocks (paragraphs, lists, nested tables, charts)."""

    blocks: tuple["Block", ...] = attrs.field(converter=_tuple)
    colspan: int = 1

    @classmethod
    def of(cls, text: str, *, bold: bool = False, colspan: int = 1) -> "Cell":
        return cls((Paragraph.of(text, bold=bold),), colspan=colspan)


@attrs.frozen
class Column:
    width: float = 1.0  # relative share of the table width
    align: Align = "left"


@attrs.frozen
class Table:
    columns: tuple[Column, ...] = attrs.field(converter=_tuple)
    header_rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_tuple)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_tuple)
    caption: str | None = None
    emphasis_rows: tuple[int, ...] = attrs.field(default=(), converter=_tuple)  # body rows in bold
    # Plain text a reader would be given for the table (accessibility summary).
    summary: str | None = None
    # Shown above the header rows, across every column (``layout`` makes it the first header row).
    title: str | None = None
    # Each body row's level: 0 a row, 1 a sub-row of the row above it ("Residential" under
    # "Burglary"), 2 one below that. Empty: every row is a row. How a level looks is the layout's.
    levels: tuple[int, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen
class Chart:
    """What to draw, not how: the writers get a picture from ``charts`` and place it."""

    id: str
    kind: ChartKind
    title: str
    rows: tuple[dict, ...] | None  # None: the data is not available
    x: str = "x"
    y: str = "y"
    series: str | None = None
    x_title: str | None = None
    y_title: str | None = None
    number_format: str = ",.0f"
    caption: str | None = None  # a note under the figure's line "Figure N: title" (its source, say)
    alt: str | None = None
    unavailable_reason: str | None = None
    width: float | None = None  # points; None: the text column's width (``layout.chart_width``)
    height: float = 220.0  # points
    sort: ChartSort = "data"
    # Categories (values of ``x``, as text) drawn in the emphasis colour with bold labels, as a
    # table's emphasis rows are: the partnership's own bar among its peers.
    emphasised: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def available(self) -> bool:
        return self.rows is not None


@attrs.frozen
class KeyFact:
    label: str
    blocks: tuple["Block", ...] = attrs.field(converter=_tuple)


@attrs.frozen
class KeyFacts:
    """The label → content table of the "All Recorded Crime" and "ASB" pages."""

    rows: tuple[KeyFact, ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Callout:
    """The boxed "Aims and items to note for the Community Safety Partnership"."""

    title: str
    heading: str
    blocks: tuple["Block", ...] = attrs.field(converter=_tuple)


@attrs.frozen
class SideBySide:
    """Columns of equal width set next to each other and read left to right (the reference's
    paired benchmarking tables); each column is a run of blocks."""

    columns: tuple[tuple["Block", ...], ...] = attrs.field(converter=lambda cs: tuple(_tuple(c) for c in cs))

    @columns.validator
    def _two_or_more(self, attribute, value):
        if len(value) < 2:
            raise ValueError("side by side needs two or more columns")


@attrs.frozen
class Signature:
    name: str
    role: str


@attrs.frozen
class Contents:
    """Where the contents page goes; its entries are computed by ``transforms``."""

    item_label: str | None = None  # None: the style's labels (contents_item, contents_page)
    page_label: str | None = None


@attrs.frozen
class GlossaryEntry:
    term: str
    definition: str


@attrs.frozen
class Glossary:
    entries: tuple[GlossaryEntry, ...] = attrs.field(converter=_tuple)


@attrs.frozen
class DataSources:
    sources: tuple[str, ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Section:
    title: str
    blocks: tuple["Block", ...] = attrs.field(converter=_tuple)
    id: str = ""  # stable anchor, filled in by transforms when empty
    level: int = 1
    new_page: bool | None = None  # None: the style decides by level
    in_contents: bool = True
    contents_children: bool = False  # list child sections as bullets under this entry
    appendix: bool = False


Block = Union[
    Paragraph, BulletList, Table, Chart, KeyFacts, Callout, SideBySide, Signature, Contents,
    Glossary, DataSources, Section,
]


@attrs.frozen
class Logo:
    """A picture on the cover, already checked and drawn as a PNG (an SVG is rasterised)."""

    png: bytes = attrs.field(repr=False)
    alt: str  # what a screen reader says for it
    width: int  # pixels
    height: int


@attrs.frozen
class Cover:
    organisation: str
    title: str  # a line break in it is kept on the cover
    emblem: str = ""  # text mark under the title (the partnership's logotype)
    subtitle: str = ""  # under the title: the period covered, or a second title; may hold line breaks
    logo: Logo | None = None


@attrs.frozen
class Report:
    cover: Cover
    blocks: tuple[Block, ...] = attrs.field(converter=_tuple)
    title: str = ""
    author: str = ""
    subject: str = ""
    language: str = "en-GB"
    date: _dt.date = _dt.date(2000, 1, 1)
    status: Status = "official"
    version: str = "1.0"
    name: str = "report"  # file stem of the outputs
    style: str = "plain"  # a built-in style name or the path of a .toml style file


def walk(blocks, parents: tuple = ()):
    """Yield (node, parents) for every block node, depth first, in reading order."""
    for node in blocks:
        yield node, parents
        children: tuple = ()
        if isinstance(node, (Section, Callout, KeyFact)):
            children = node.blocks
        elif isinstance(node, SideBySide):
            for column in node.columns:
                yield from walk(column, parents + (node,))
        elif isinstance(node, KeyFacts):
            for fact in node.rows:
                yield from walk(fact.blocks, parents + (node,))
        elif isinstance(node, Table):
            for row in node.header_rows + node.rows:
                for cell in row:
                    yield from walk(cell.blocks, parents + (node,))
        if children:
            yield from walk(children, parents + (node,))
