"""Every presentation decision both writers need, made once from the prepared report and the style.

A writer realises these decisions (in reportlab flowables, in Word's XML); it makes none of its
own, and holds no number the style does not give (tests/test_layout.py checks both). Which
sections start a page, what a table's title and header rows look like, which rows stand out,
how wide a key-facts label is, what the footer says and whether a line sits above it, how
contents entries are marked and indented, what an unavailable chart's panel says, how a
placeholder is shown, where the cover's parts sit, how big a chart is drawn: all here.

Every word the library itself puts in a document comes from the style's ``[labels]`` (English
defaults in ``theme.Labels``) through this module or ``transforms`` (figure and appendix
numbers, settled once for the headings, the contents and the captions alike).

Pure: imports model, theme and transforms, never reportlab or python-docx. Lengths are points.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from . import links, model
from .theme import MM, Labels, Theme, fill_label, text_box
from .transforms import Prepared, data_sources_list, glossary_table

RowKind = Literal["title", "header", "body", "emphasis"]
HEADING_LEVELS = 3  # headings are styled (and tagged H1-H3) to this depth; deeper ones take the last
LIST_LEVELS = 3  # bullet lists are styled to this depth (Word's List Bullet, List Bullet 2, 3)
CONTENTS_LEVELS = 2  # entries (level 1) and the bullets under them (level 2)
FIRST_PAGE = 1  # the cover's number: pages are counted from it
BULLETS = ("\u2022", "\u2013")  # the first level's bullet, then every deeper level's
CONTENTS_BULLET = "\u2022 "  # before a contents entry listed under the one above it
PLACEHOLDER_MARKS = ("[", "]")  # round a value a draft could not fill in
HEADER_SPACE = 0.0  # after a paragraph in a header cell: the cell's padding is its only margin


@attrs.frozen
class Padding:
    top: float
    right: float
    bottom: float
    left: float

    @classmethod
    def even(cls, size: float) -> "Padding":
        return cls(size, size, size, size)


@attrs.frozen
class Rule:
    """A line: its width (points) and colour."""

    width: float
    colour: str


# --- tables ---------------------------------------------------------------------------------


@attrs.frozen
class PlacedCell:
    cell: model.Cell
    column: int  # the first column it covers
    width: float  # its content's width: the columns it spans less the padding


@attrs.frozen
class TableRow:
    cells: tuple[PlacedCell, ...]
    kind: RowKind
    fill: str | None  # its background; None: the page's
    text_colour: str | None  # None: the body text's
    bold: bool
    paragraph_space: float  # after each paragraph in its cells
    indent: float = 0.0  # a sub-row's first cell: its words this far in from the cell's padding

    @property
    def is_header(self) -> bool:
        return self.kind in ("title", "header")


@attrs.frozen
class TableLayout:
    widths: tuple[float, ...]  # each column's, padding included
    aligns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    header_count: int  # the leading rows read as headers and repeated on each page (title included)
    padding: Padding
    grid: Rule
    keep_together: bool  # a short table moves whole to the next page rather than leave a stub
    caption: str | None
    space_after: float

    @property
    def has_title(self) -> bool:
        return bool(self.rows) and self.rows[0].kind == "title"


@attrs.frozen
class KeyFactsLayout:
    label_width: float
    content_width: float  # the content column's, padding included
    padding: Padding
    grid: Rule
    label_fill: str
    label_text: str
    space_after: float

    @property
    def inner_width(self) -> float:
        """What the content of a fact is laid out in."""
        return self.content_width - self.padding.left - self.padding.right


# --- charts ---------------------------------------------------------------------------------


def chart_width(node: model.Chart, theme: Theme) -> float:
    """The width a chart is drawn at: its own, or the text column's (the page less its side
    margins) when it gives none, so that a chart fills the column in every format."""
    return node.width if node.width is not None else theme.page.frame_width


@attrs.frozen
class PanelLine:
    text: str
    strong: bool
    size: float
    leading: float


@attrs.frozen
class UnavailablePanel:
    """What stands where a chart's picture would: words in a shaded, boxed cell."""

    lines: tuple[PanelLine, ...]
    fill: str
    border: Rule
    text_colour: str


@attrs.frozen
class ChartLayout:
    width: float
    height: float
    caption: str
    keep_with_caption: bool  # never a chart at a page foot with its caption overleaf
    panel: UnavailablePanel | None  # None: the chart is drawn
    note: str | None = None  # the chart's own caption (its source, say), on a line under the figure's


# --- boxes, contents, page furniture --------------------------------------------------------


@attrs.frozen
class CalloutLayout:
    fill: str
    border: Rule
    padding: Padding
    title_size: float
    title_leading: float
    heading_size: float
    words_colour: str  # the title's and heading's
    inner_width: float
    space_before: float
    space_after: float


@attrs.frozen
class ContentsLine:
    section_id: str
    text: str  # the entry as shown: its bullet, if any, and the section's title
    level: int
    indent: float


@attrs.frozen
class ContentsLayout:
    heading: str
    new_page: bool
    item_label: str
    page_label: str
    lines: tuple[ContentsLine, ...]
    title_width: float
    page_width: float
    header_fill: str
    header_text: str
    rule: Rule
    padding: float  # above and below each entry
    size: float


@attrs.frozen
class FooterLayout:
    text: str  # on the left of every page but the cover; the page number on the right
    size: float
    colour: str
    baseline: float  # from the page's foot
    left: float
    right: float  # from the page's left edge
    rule: Rule | None  # the line above the words; None: no line
    rule_gap: float  # from the top of the words' type size to the line
    draft: str | None  # a draft's line, centred under the footer
    draft_gap: float


@attrs.frozen
class WatermarkLayout:
    text: str
    size: float
    angle: float  # degrees, anticlockwise
    opacity: float
    fill: str
    width: float  # of the text, unrotated
    height: float  # its capitals' height

    @property
    def clockwise(self) -> float:
        """The same turn measured clockwise from 0 up to a full circle (VML's way)."""
        return (-self.angle) % 360


@attrs.frozen
class CoverLine:
    text: str  # a line break in it ("\n") is the author's, kept
    size: float
    leading: float
    space_after: float
    bold: bool = True
    # Whether a line may wrap at a hyphen inside a word: never on the cover, so a year range
    # ("2018-19") or a hyphenated name stays whole in large type.
    hyphen_breaks: bool = False
    # Its part in the document's title: "title" (the organisation and the report's title, which
    # together are the document's title), "tagline" (the emblem), "" (neither).
    role: str = ""

    @property
    def parts(self) -> tuple[str, ...]:
        """The lines the author wrote, each still free to wrap."""
        return tuple(self.text.split("\n"))


@attrs.frozen
class CoverLogo:
    png: bytes = attrs.field(repr=False)
    alt: str
    width: float
    height: float
    above: bool  # before the organisation's line; else after the last line of words
    space: float  # between it and the words


@attrs.frozen
class CoverLayout:
    fill: str
    text_colour: str
    accent: str
    lines: tuple[CoverLine, ...]  # the organisation and the title, top down
    text_top: float  # the first line's top, from the page's top
    inset: float  # the words from the page's left and right edges
    band_bottom: float  # the accent band's foot, from the page's foot
    band_height: float
    emblem: CoverLine | None
    emblem_baseline: float  # from the page's foot
    box_bottom: float  # a writer that draws the cover as a box inside the margins stops it here
    logo: CoverLogo | None = None
    draft_note: CoverLine | None = None  # a draft's line, as the first page's text says it

    @property
    def band_top(self) -> float:
        return self.band_bottom + self.band_height


@attrs.frozen
class ListItemLayout:
    indent: float  # the words' left edge, from the list's
    bullet_indent: float  # the bullet's
    bullet: str
    space_after: float
    level: int  # 1 to LIST_LEVELS: the styled level this depth takes


@attrs.frozen
class Layout:
    """The decisions for one report in one style; both writers hold one and ask it."""

    prepared: Prepared
    theme: Theme
    draft: object | None = None  # render.base.Draft: version and date of a draft build

    @property
    def labels(self) -> Labels:
        return self.theme.labels

    # sections and lists
    # A heading stays on the page of the whole paragraph after it, not of its first lines only:
    # reportlab's keepWithNext moves the pair as one, and Word, told the same, paginates alike.
    heading_keeps_next_whole = True

    def taller_than_a_page(self, blocks, width: float) -> bool:
        """Whether ``blocks`` set ``width`` wide stand taller than a page's text column: such a
        table row or box must be free to split (kept whole, Word would cut it off at the page
        foot); anything shorter is kept whole. An estimate from the font's widths, on the
        generous side: a row it calls short is short."""
        return self._height(blocks, max(width, 1.0)) > self.theme.page.frame_height

    def _height(self, blocks, width: float) -> float:
        s = self.theme.sizes
        total = 0.0
        for node in blocks:
            if isinstance(node, model.Paragraph):
                text = "".join(getattr(span, "text", "") for span in node.spans)
                wide = text_box(self.theme, text, "regular", s.body)[0] if text else 0.0
                total += max(1, -(-wide // width)) * s.leading + s.space_after_paragraph
            elif isinstance(node, model.BulletList):
                for item in node.items:
                    total += self._height((item.paragraph,), width - s.body)
                    if item.children is not None:
                        total += self._height((item.children,), width - s.body)
            elif isinstance(node, model.Table):
                share = width / max(1, len(node.columns))
                for row in node.header_rows + node.rows:
                    total += max((self._height(cell.blocks, share * cell.colspan) for cell in row), default=0.0)
                    total += s.cell_padding_top + s.cell_padding_bottom
            elif isinstance(node, model.Chart):
                total += node.height * min(1.0, width / chart_width(node, self.theme)) + s.caption * 2
            elif isinstance(node, (model.Callout, model.Section)):
                total += s.heading3 * 2 + self._height(node.blocks, width)
            else:
                total += s.leading * 2
        return total

    @staticmethod
    def caption_spans(caption: str) -> tuple[model.Text, ...]:
        """A caption's words, each web address in them a link (as in the narrative)."""
        return links.linked(caption)

    @property
    def contents_refresh_on_open(self) -> bool:
        """Whether Word is asked to update the contents field when the DOCX opens (it asks the
        reader first). The cached entries carry this layout's pages, which the DOCX keeps too
        (same metrics, same keeps, same page breaks: tests/test_medway_build.py checks them
        through LibreOffice), so an official document opens without the prompt; a draft, whose
        pages still move, asks, and so does a DOCX laid out in a council's Word template."""
        return self.draft is not None or bool(self.theme.word.template)

    def starts_page(self, section: model.Section) -> bool:
        """A section's own ``new_page`` wins; otherwise levels up to the style's start a page."""
        if section.new_page is not None:
            return section.new_page
        return section.level <= self.theme.page.new_page_level

    @staticmethod
    def heading_level(section: model.Section) -> int:
        return min(section.level, HEADING_LEVELS)

    def list_item(self, depth: int, paragraph_space: float) -> ListItemLayout:
        """An item ``depth`` lists deep (0: the outer list), in text whose paragraphs are
        followed by ``paragraph_space``."""
        s = self.theme.sizes
        return ListItemLayout(
            indent=s.bullet_indent * (depth + 1), bullet_indent=s.bullet_indent * depth + s.space_small,
            bullet=BULLETS[min(depth, len(BULLETS) - 1)],
            space_after=self.list_item_space(paragraph_space), level=min(depth + 1, LIST_LEVELS))

    list_levels = LIST_LEVELS
    first_page_number = FIRST_PAGE

    def list_item_space(self, paragraph_space: float) -> float:
        return max(self.theme.sizes.space_small, paragraph_space / 2)

    # inline
    @staticmethod
    def link(span: model.Text) -> str | None:
        """Where a span links to, if anywhere: a web page or an e-mail address only
        (links.ALLOWED_SCHEMES); any other target is shown as the span's words alone."""
        return links.allowed(span.href.strip()) if span.href else None

    @property
    def font_families(self) -> tuple[str, ...]:
        """The text's fonts, first choice first: the style's, then the one the Word edition
        names (a reader's machine may have only that); a writer adds its format's fallback."""
        return tuple(dict.fromkeys((self.theme.fonts.family, self.theme.fonts.docx_family)))

    def placeholder(self, span: model.Placeholder) -> tuple[str, str]:
        """A value a draft could not fill in: its words as shown, in the labels' language (the
        command line's list of what is missing stays the analyst's English), and the fill
        behind them."""
        opening, closing = PLACEHOLDER_MARKS
        name = span.missing_name
        words = (fill_label(self.labels.missing_value, name=name) if name is not None
                 else fill_label(self.labels.figure_problem, reason=span.text))
        return f"{opening}{words}{closing}", self.theme.colours.placeholder_fill

    # tables
    def table(self, node: model.Table, width: float, *, nested: bool = False) -> TableLayout:
        s, c, shares = self.theme.sizes, self.theme.colours, self.theme.layout
        total = sum(col.width for col in node.columns)
        widths = tuple(width * col.width / total for col in node.columns)
        # A column narrower than its padding would leave its words less than no room: the side
        # padding gives way first, so the narrowest column keeps at least a character's width.
        side = min(s.cell_padding, max(0.0, (min(widths) - s.table) / 2))
        padding = Padding(s.cell_padding_top, side, s.cell_padding_bottom, side)
        rows: list[TableRow] = []

        def placed(cells, indent: float = 0.0) -> tuple[PlacedCell, ...]:
            out, column = [], 0
            for cell in cells:
                inner = sum(widths[column:column + cell.colspan]) - padding.left - padding.right
                out.append(PlacedCell(cell, column, max(s.table, inner - (indent if column == 0 else 0.0))))
                column += cell.colspan
            return tuple(out)

        if node.title:
            title = model.Cell.of(node.title, bold=True, colspan=len(node.columns))
            rows.append(TableRow(placed((title,)), "title", c.table_title_fill, c.table_header_text, True, HEADER_SPACE))
        for cells in node.header_rows:
            rows.append(TableRow(placed(cells), "header", c.table_header_fill, c.table_header_text, True, HEADER_SPACE))
        header_count = len(rows)
        emphasised = set(node.emphasis_rows)
        space = s.space_after_table_paragraph
        for index, cells in enumerate(node.rows):
            level = node.levels[index] if index < len(node.levels) else 0
            # The indent never takes the words' last character's width: a narrow column keeps it.
            indent = min(level * shares.sub_row_indent_mm * MM, max(0.0, widths[0] - 2 * side - s.table)) if cells else 0.0
            if level and cells:
                cells = (self.sub_row_label(cells[0]),) + tuple(cells[1:])
            if index in emphasised:
                rows.append(TableRow(placed(cells, indent), "emphasis", c.table_emphasis_fill, None, True, space, indent))
            else:
                rows.append(TableRow(placed(cells, indent), "body", None, None, False, space, indent))
        return TableLayout(
            widths=widths, aligns=tuple(col.align for col in node.columns), rows=tuple(rows),
            header_count=header_count, padding=padding, grid=Rule(shares.table_rule, c.table_border),
            keep_together=not nested and len(rows) <= shares.keep_table_rows, caption=node.caption,
            space_after=s.space_after_paragraph)

    def sub_row_label(self, cell: model.Cell) -> model.Cell:
        """A sub-row's first cell with the style's marker before its words, unless the words
        already begin with it (data copied from a published table often carries the dash)."""
        marker = self.labels.sub_row_marker
        first = cell.blocks[0] if cell.blocks else None
        if not marker.strip() or not isinstance(first, model.Paragraph) or first.plain.lstrip().startswith(marker.strip()):
            return cell
        bold = next((span.bold for span in first.spans if isinstance(span, model.Text)), False)
        marked = model.Paragraph((model.Text(marker, bold=bold),) + first.spans)
        return attrs.evolve(cell, blocks=(marked,) + cell.blocks[1:])

    def glossary(self, node: model.Glossary) -> model.Table:
        return glossary_table(node, self.labels, self.theme.layout.glossary_term_share)

    @staticmethod
    def data_sources(node: model.DataSources) -> model.BulletList:
        return data_sources_list(node)

    def key_facts(self, width: float) -> KeyFactsLayout:
        s, c = self.theme.sizes, self.theme.colours
        label = width * self.theme.layout.key_label_share
        return KeyFactsLayout(label, width - label, Padding.even(s.cell_padding), Rule(self.theme.layout.table_rule, c.table_border),
                              c.key_label_fill, c.key_label_text, s.space_after_paragraph)

    # charts
    def chart(self, node: model.Chart, width: float) -> ChartLayout:
        """Drawn at its own size, or scaled down to the column's width."""
        drawn = chart_width(node, self.theme)
        scale = min(1.0, width / drawn)
        return ChartLayout(drawn * scale, node.height * scale, self.prepared.caption(node), True,
                           None if node.available else self.unavailable(node), note=node.caption or None)

    def unavailable(self, node: model.Chart) -> UnavailablePanel:
        s, c, shares = self.theme.sizes, self.theme.colours, self.theme.layout
        small = s.small * shares.caption_line_height
        lines = [PanelLine(self.labels.data_not_available, True, s.body, s.leading), PanelLine(node.title, False, s.small, small)]
        if node.unavailable_reason:
            lines.append(PanelLine(node.unavailable_reason, False, s.small, small))
        return UnavailablePanel(tuple(lines), c.unavailable_fill, Rule(shares.unavailable_rule, c.unavailable_border),
                                c.unavailable_text)

    # boxes
    def callout(self, width: float) -> CalloutLayout:
        s, c, shares = self.theme.sizes, self.theme.colours, self.theme.layout
        pad = s.callout_padding
        return CalloutLayout(c.callout_fill, Rule(shares.callout_rule, c.callout_border), Padding.even(pad),
                             s.heading3, s.heading3 * shares.callout_title_line_height, s.body, c.callout_heading,
                             width - pad - pad, s.space_before_heading, s.space_after_paragraph)

    @staticmethod
    def callout_lines(node: model.Callout) -> tuple[tuple[str, bool], ...]:
        """The box's title and, when it has one, its heading line (True: the title)."""
        return ((node.title, True),) + (((node.heading, False),) if node.heading else ())

    # contents
    def contents(self, node: model.Contents, width: float) -> ContentsLayout:
        s, c, shares = self.theme.sizes, self.theme.colours, self.theme.layout
        lines = tuple(ContentsLine(entry.section_id, (CONTENTS_BULLET if entry.level > 1 else "") + entry.title,
                                   entry.level, self.contents_indent(entry.level))
                      for entry in self.prepared.contents)
        page = width * shares.contents_page_share
        item = self.labels.contents_item if node.item_label is None else node.item_label
        page_words = self.labels.contents_page if node.page_label is None else node.page_label
        return ContentsLayout(self.labels.contents, True, item, page_words, lines, width - page, page,
                              c.table_header_fill, c.table_header_text, Rule(shares.table_rule, c.table_border),
                              s.contents_padding, s.contents)

    def contents_indent(self, level: int) -> float:
        """An entry's indent: none for an item, a bullet's for an entry under it."""
        return 0.0 if level == 1 else self.theme.sizes.bullet_indent

    # page furniture
    def footer(self) -> FooterLayout:
        t = self.theme
        cover = self.prepared.report.cover
        rule = Rule(t.layout.footer_rule, t.colours.brand) if t.layout.footer_rule > 0 else None
        return FooterLayout(
            text=" ".join(fill_label(self.labels.footer, organisation=cover.organisation, title=cover.title).split()),
            size=t.sizes.footer, colour=t.colours.footer_text, baseline=t.page.footer_offset_mm * MM,
            left=t.page.margin_left_mm * MM, right=t.page.width - t.page.margin_right_mm * MM,
            rule=rule, rule_gap=t.layout.footer_rule_gap, draft=self.draft_footer(), draft_gap=t.sizes.space_small)

    def draft_footer(self) -> str | None:
        draft = self.draft
        if draft is None:
            return None
        date = draft.date.isoformat() if isinstance(draft.date, dt.date) else str(draft.date)
        return fill_label(self.labels.draft_footer, version=draft.version, date=date)

    def watermark(self) -> WatermarkLayout | None:
        if self.draft is None:
            return None
        t = self.theme
        width, height = text_box(t, self.labels.watermark, "bold", t.sizes.watermark)
        return WatermarkLayout(self.labels.watermark, t.sizes.watermark, t.layout.watermark_angle,
                               t.layout.watermark_opacity, t.colours.placeholder_fill, width, height)

    def cover(self) -> CoverLayout:
        t = self.theme
        s, c, g = t.sizes, t.colours, t.cover
        cover = self.prepared.report.cover

        def line(text: str, size: float, bold: bool = True, role: str = "") -> CoverLine:
            return CoverLine(text, size, size * t.layout.heading_line_height, size * g.space_after, bold, role=role)

        band = t.page.height * g.band_bottom
        emblem = line(" ".join(cover.emblem.split()), s.cover_emblem, role="tagline") if cover.emblem.strip() else None
        lines = [line(cover.organisation, s.cover_organisation, role="title"),
                 line(broken_lines(cover.title), s.cover_title, role="title")]
        if cover.subtitle.strip():
            lines.append(line(broken_lines(cover.subtitle), s.cover_subtitle, bold=False))

        inset = g.inset_mm * MM
        return CoverLayout(
            fill=c.cover_fill, text_colour=c.cover_text, accent=c.accent, lines=tuple(lines),
            text_top=t.page.height * g.text_top, inset=inset, band_bottom=band, band_height=s.cover_band,
            emblem=emblem, emblem_baseline=band - g.emblem_drop * s.cover_emblem,
            box_bottom=t.page.margin_bottom_mm * MM + s.leading,
            logo=self.cover_logo(t.page.width - 2 * inset),
            # A draft says so in the first page's own text, not only in page furniture a screen
            # reader skips (the watermark, the footer): the PDF tags the cover's draft line as
            # text, the DOCX writes it in the cover's foot.
            draft_note=line(self.draft_footer(), s.footer) if self.draft is not None else None)

    def cover_logo(self, room: float) -> CoverLogo | None:
        """The style's height, unless the logo would then be wider than the words' column."""
        logo, g = self.prepared.report.cover.logo, self.theme.cover
        if logo is None:
            return None
        height = g.logo_height_mm * MM
        width = height * logo.width / logo.height
        if width > room:
            width, height = room, room * logo.height / logo.width
        return CoverLogo(logo.png, logo.alt, width, height, g.logo_position == "above",
                         self.theme.sizes.cover_organisation * g.space_after)


def broken_lines(text: str) -> str:
    """The author's line breaks kept, each line's own spacing tidied and blank lines dropped."""
    return "\n".join(" ".join(part.split()) for part in text.splitlines() if part.strip())
