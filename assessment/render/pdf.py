"""The PDF writer (reportlab platypus). Reads the model and the theme; knows nothing of DOCX.

Layout runs once: the contents page draws each page range as a form XObject that is defined
after the last page, when the page every section starts and ends on is known. Every string
from data reaches reportlab's paragraph markup through ``escape`` only.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from html import unescape
from fnmatch import fnmatch
from pathlib import Path
from typing import NamedTuple
from weakref import WeakKeyDictionary

import attrs

from . import platypus as _cheap_platypus_import  # noqa: F401 - before reportlab.platypus: see its docstring
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, KeepTogether, NextPageTemplate,
    PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)
from reportlab.platypus.flowables import PageBreakIfNotEmpty
from reportlab.platypus.paragraph import _wsc, cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from .. import model
from ..charts import Picture
from ..layout import HEADING_LEVELS, Layout, TableLayout
from ..theme import MM, Theme, parsed_font
from .base import PageMap, RenderInput, column_widths, dispatch
from .tagging import StructNode, Tagger, finish, untagged

NAME_DIGITS = 16  # hex digits of a hash that make a PDF name (a form's, a font's) unique enough


class _ChartPicture(Flowable):
    """A chart placed at a known size, drawn as a unit-square form XObject that ``finish``
    turns into the chart's image once the layout is done. Unlike platypus's Image, which opens
    the PNG to lay it out, it never waits for the bytes, so charts still being drawn by
    vl-convert overlap with the whole layout; and reportlab never encodes the picture, so its
    process-wide ASCII85 setting (pure Python, 0.05 s a build) never applies to it."""

    def __init__(self, picture: Picture, form: str, width: float, height: float):
        super().__init__()
        self.picture, self.form, self.width, self.height = picture, form, width, height
        self.hAlign = "LEFT"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.saveState()
        self.canv.scale(self.width, self.height)
        self.canv.doForm(self.form)
        self.canv.restoreState()


class _KeepTogether(KeepTogether):
    """KeepTogether that remembers what it holds, for the side-by-side grid to unwrap."""

    def __init__(self, flowables):
        super().__init__(flowables)
        self.parts = list(flowables)


class _Canvas(Canvas):
    """reportlab's canvas with two public hooks: ``before_save`` runs in ``save`` (the contents'
    page-range forms are defined there, once every page has been drawn), and ``on_link`` is
    told of every link annotation as it is made, so the tagger knows the element it is
    drawn in."""

    def __init__(self, *args, before_save, on_link, write=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_save, self.on_link, self.write = before_save, on_link, write

    def save(self):
        self.before_save(self)
        if self.write:  # a layout run for the page numbers alone has nothing to write
            super().save()

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, **kw):
        if addtopage:
            self.on_link(self)
        return super().linkRect(contents, destinationname, Rect, addtopage, name, relative, **kw)

    def linkURL(self, url, rect, relative=0, **kw):
        self.on_link(self)
        return super().linkURL(url, rect, relative, **kw)


class _DataTable(Table):
    """A table whose header rows repeat on every page, unless they are too tall to: a header
    that cannot fit a page even alone is then read once, at the table's start, and its rows may
    split like any other (reportlab would otherwise fail to lay the table out at all)."""

    def __init__(self, data, *, marks=None, page_body_height: float = 0.0, **kwargs):
        # reportlab makes the parts of a split table through this class, without our keywords
        super().__init__(data, **({"renderCB": marks} if marks is not None else {}), **kwargs)
        self.marks, self.page_body_height = marks, page_body_height

    def split(self, available_width, available_height):
        parts = self._split_parts(available_width, available_height)
        at_page_top = available_height >= self.page_body_height
        if not parts and self.repeatRows and at_page_top and self.marks is not None:
            self.repeatRows = self.marks.repeat_rows = 0
            parts = self._split_parts(available_width, available_height)
        return parts

    def _split_parts(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        for part in parts:
            if isinstance(part, _DataTable) and part is not self:
                part.marks, part.page_body_height = self.marks, self.page_body_height
        return parts


class _Columns(Table):
    """Side-by-side columns: a borderless one-row table, which draws nothing of its own, so
    only the columns' content is tagged, left column first. Columns that fit on no page are set
    one after the other instead, in the same reading order; ones that only miss the rest of
    this page split side by side when nothing in them is to be kept whole (long tables, each
    continued overleaf with its header), else move to the next."""

    def __init__(self, cells: list[list], grid_widths: list[float], gap: float, page_body_height: float,
                 font: tuple, splittable: bool = False):
        self.cells, self.grid_widths, self.gap, self.font, self.splittable = cells, grid_widths, gap, font, splittable
        super().__init__([cells], colWidths=grid_widths, hAlign="LEFT",
                         style=TableStyle([("FONT", (0, 0), (-1, -1), *font),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                         ]))
        self.stacked = [flowable for cell in cells for flowable in cell]
        self.page_body_height = page_body_height

    def split(self, available_width, available_height):
        _, height = self.wrap(available_width, available_height)
        if height <= self.page_body_height:
            return self._split_side_by_side(available_height) if self.splittable else []
        # Platypus places the first part of a split as it is, so it must fit here.
        first, rest = self.stacked[0], self.stacked[1:]
        if first.wrap(available_width, available_height)[1] <= available_height:
            return self.stacked
        parts = first.split(available_width, available_height)
        return parts + rest if parts else []

    def _split_side_by_side(self, available_height):
        """Each column cut at this page's foot, the two parts side by side again: empty if a
        column would start with nothing here (it then all moves overleaf)."""
        firsts, rests = [], []
        for cell, grid_width in zip(self.cells, self.grid_widths):
            width = grid_width - (self.gap if cell is not self.cells[-1] else 0)
            first, used = [], 0.0
            for index, flowable in enumerate(cell):
                room = available_height - used - flowable.getSpaceBefore()
                _, own = flowable.wrap(width, room)
                if own <= room:
                    first.append(flowable)
                    used += flowable.getSpaceBefore() + own + flowable.getSpaceAfter()
                    continue
                pieces = flowable.split(width, room) if room > 0 else []
                first += pieces[:1]
                rests.append(pieces[1:] + cell[index + 1:] if pieces else cell[index:])
                break
            else:
                rests.append([])
            if not first:
                return []
            firsts.append(first)
        make = lambda cells: _Columns(cells, self.grid_widths, self.gap, self.page_body_height, self.font, True)
        return [make(firsts), make(rests)]


# escape and quoteattr are xml.sax.saxutils's, written out: importing saxutils imports
# urllib.request, http.client and ssl (about 15 ms of a build's start-up) for two string functions.
def escape(text: str) -> str:
    """The one way data text enters reportlab markup: &, <, > become entities."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return "'" + text + "'" if "'" not in text else '"' + text.replace('"', "&quot;") + '"'


def _colour(hex_value: str):
    return colors.HexColor(hex_value)


# --- fonts ----------------------------------------------------------------------------------


class _ParsedFont(TTFont):
    """reportlab's TTFont on a face already parsed for the style's font check: TTFont's own
    constructor would parse the file again (about 0.02 s a face). The other attributes are set
    as TTFont sets them (tests/test_build_paths.py compares the two)."""

    def __init__(self, name: str, face):
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


def register_fonts(theme: Theme) -> dict[str, str]:
    """Embed the theme's TTFs once per process under names derived from the files."""
    names = {}
    for which in ("regular", "bold", "italic", "bold_italic"):
        font_file = theme.font_file(which)
        name = f"{theme.fonts.family}-{which}-{hashlib.sha256(font_file.encode()).hexdigest()[:NAME_DIGITS]}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_ParsedFont(name, parsed_font(font_file)))
        names[which] = name
    pdfmetrics.registerFontFamily(
        names["regular"], normal=names["regular"], bold=names["bold"],
        italic=names["italic"], boldItalic=names["bold_italic"],
    )
    return names


# --- flowables that record where things land ------------------------------------------------


class _Wrap(NamedTuple):
    width: float  # the width asked for
    style: ParagraphStyle
    frags: list
    lines: object  # reportlab's ParaLines
    answer: tuple[float, float]


class _Paragraph(Paragraph):
    """reportlab's paragraph, answering a wrap to the width of its last wrap from that wrap.

    reportlab wraps a paragraph again whenever it reconsiders it (keep-with-next groups, a table
    measuring its rows, then drawing them, a frame trying a split): Medway's 718 paragraphs are
    wrapped 1,973 times, 1,118 of them to the width they were last wrapped to, each breaking the
    lines anew (the layout's largest cost). A wrap depends only on the width, the style, the text
    and what the last wrap left; when none of these changed the answer is the same, so it is
    given again. A split, a new style or new fragments start afresh.
    """

    _last_wrap: _Wrap | None = None

    def wrap(self, availWidth, availHeight):
        last = self._last_wrap
        if (last is not None and last.width == availWidth and last.style is self.style and last.frags is self.frags
                and last.lines is self.__dict__.get("blPara") and last.answer == (self.width, self.height)):
            return last.answer
        fragments = self.frags
        answer = super().wrap(availWidth, availHeight)
        # A wrap that split a word too long for the line rewrote the fragments, and reportlab's
        # next wrap of those sets the lines differently (the same words and height): not kept.
        kept = self.__dict__.get("width") == availWidth and self.frags is fragments
        self._last_wrap = _Wrap(availWidth, self.style, fragments, self.__dict__.get("blPara"), answer) if kept else None
        return answer

    def split(self, availWidth, availHeight):
        self._last_wrap = None
        return super().split(availWidth, availHeight)

    def _setup(self, text, style, bulletText, frags, cleaner):
        parsed = None
        if frags is None and cleaner is cleanBlockQuotedText and isinstance(text, str):
            parsed = _parse_fast(text, style, self.caseSensitive)
        if parsed is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        self.text, self.style, self.frags = parsed
        self.bulletText = bulletText
        self.debug = 0


# --- paragraph markup, parsed without html.parser ---------------------------------------------
#
# reportlab parses every paragraph's markup with Python's html.parser (a regular-expression
# tokenizer driving ParaParser's handlers), most of a paragraph's set-up. The markup is ours
# (``PdfWriter.markup``, ``escape``, ``quoteattr``, a few tags), so its grammar is small: text,
# the entities escape writes, start, end and empty tags with quoted attributes. ``_parse_fast``
# tokenizes that grammar and makes the very calls html.parser would make on ParaParser (its
# ``convert_charrefs`` is off: text is cut at each entity, which arrives on its own; tag and
# attribute names lower-cased, attribute values unescaped; ``<x/>`` as a start and an end tag);
# anything else is left to reportlab (tests/test_pdf_markup_fast.py compares the two).

# Text reportlab's cleaner (cleanBlockQuotedText) gives back unchanged has no line breaks or
# other white space than single spaces inside it (a no-break space stays as it is).
_OTHER_WHITE_SPACE = re.compile("[%s]" % re.escape(_wsc.replace(" ", "")))


def _needs_cleaning(text: str) -> bool:
    return "  " in text or text[:1] == " " or text[-1:] == " " or _OTHER_WHITE_SPACE.search(text) is not None


_MARKUP_TOKEN = re.compile(
    r"([^<&]+)"  # text
    r"|&([a-zA-Z][a-zA-Z0-9]*);"  # a named entity
    r"|&#([0-9]+);"  # a decimal character reference
    r"|</([a-zA-Z]+)>"  # an end tag
    r"|<([a-zA-Z]+)((?: [a-zA-Z]+=(?:\"[^\"<>]*\"|'[^'<>]*'))*)(/?)>"  # a start or empty tag
)
_MARKUP_ATTRIBUTE = re.compile(r" ([a-zA-Z]+)=(?:\"([^\"<>]*)\"|'([^'<>]*)')")
_PARA_START = re.compile(r"\s*<\s*para")  # markup reportlab does not wrap in <para>
# The tags the writer makes. Others are left to reportlab: some change global state (<seq>
# counts) and html.parser reads what follows <script> or <style> as raw text.
_FAST_TAGS = frozenset(("b", "i", "u", "a", "font", "br"))


def _parse_fast(text: str, style, case_sensitive):
    """(cleaned text, style, fragments) as ``Paragraph._setup`` makes them from ``text``, or
    None for markup outside the grammar above (or that reportlab's parse would refuse)."""
    if _needs_cleaning(text):
        text = cleanBlockQuotedText(text)
    if _PARA_START.match(text):
        return None
    tokens = []
    end = 0
    for token in _MARKUP_TOKEN.finditer(text):
        if token.start() != end:
            return None
        end = token.end()
        tokens.append(token.groups())
    if end != len(text):
        return None
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    try:
        parser._setup_for_parse(style)
        parser.handle_starttag("para", [])
        for data, entity, charref, closing, opening, attributes, empty in tokens:
            if data is not None:
                parser.handle_data(data)
            elif entity is not None:
                parser.handle_entityref(entity)
            elif charref is not None:
                parser.handle_charref(charref)
            elif closing is not None:
                if closing.lower() not in _FAST_TAGS:
                    return None
                parser.handle_endtag(closing.lower())
            elif opening.lower() not in _FAST_TAGS:
                return None
            else:
                pairs = [(name.lower(), unescape(double or single))
                         for name, double, single in _MARKUP_ATTRIBUTE.findall(attributes)] if attributes else []
                if empty:
                    parser.handle_startendtag(opening.lower(), pairs)
                else:
                    parser.handle_starttag(opening.lower(), pairs)
        parser.handle_endtag("para")
        style, frags, bullet_frags = parser._complete_parse()
    except Exception:  # reportlab's parse raises it again, in its own words
        return None
    if frags is None or bullet_frags:
        return None
    textTransformFrags(frags, style)
    return text, style, frags


class _Heading(_Paragraph):
    def __init__(self, text, style, section_id: str, title: str, level: int):
        super().__init__(text, style)
        self.section_id, self.title, self.level = section_id, title, level


class _PageLabel(Flowable):
    """A contents entry's page range, drawn as a form XObject that is filled in once the whole
    layout is known: the contents page then needs no second layout pass. The column is as wide
    as before and the text sits on the baseline a one-line right-aligned paragraph would use."""

    def __init__(self, section_id: str, style: ParagraphStyle):
        super().__init__()
        self.section_id, self.style = section_id, style

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, self.style.leading
        return self.width, self.height

    def draw(self):
        style = self.style
        drop = style.fontSize if rl_config.paraFontSizeHeightOffset else pdfmetrics.getAscent(style.fontName, style.fontSize)
        self.canv.saveState()
        self.canv.translate(self.width, self.height - drop)
        self.canv.doForm(_label_form(self.section_id))
        self.canv.restoreState()


def _label_form(section_id: str) -> str:
    # Authors may give a section any id; a form's name must be a plain PDF name.
    return "pages" + hashlib.sha256(section_id.encode()).hexdigest()[:NAME_DIGITS]


class _SectionEnd(Flowable):
    """Zero-size marker: the page it is drawn on is the last page of its section."""

    def __init__(self, section_id: str):
        super().__init__()
        self.section_id = section_id
        self.width = self.height = 0

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        pass


class _Document(BaseDocTemplate):
    def __init__(self, buffer, writer: "PdfWriter", **kwargs):
        super().__init__(buffer, **kwargs)
        self.writer = writer
        self.first: dict[str, int] = {}
        self.last: dict[str, int] = {}

    def afterFlowable(self, flowable):
        flowable = untagged(flowable)
        page = self.page
        if isinstance(flowable, _Heading):
            self.first.setdefault(flowable.section_id, page)
            self.canv.bookmarkPage(flowable.section_id)
            self.canv.addOutlineEntry(flowable.title, flowable.section_id, level=flowable.level - 1)
        elif isinstance(flowable, _SectionEnd):
            self.last[flowable.section_id] = page


# --- the writer -----------------------------------------------------------------------------


@attrs.define
class PdfWriter:
    source: RenderInput
    image_cache: Path | None = None  # pictures kept ready for the PDF (tagging.pdf_ready)
    layout: Layout = attrs.field(init=False)
    footer: object = attrs.field(init=False)  # layout.FooterLayout, the same on every page
    fonts: dict[str, str] = attrs.field(init=False)
    styles: dict[str, ParagraphStyle] = attrs.field(init=False)
    tagger: Tagger = attrs.field(init=False)  # a new one for each layout (_layout)
    pictures: dict[str, Picture] = attrs.field(init=False, factory=dict)  # form name → chart drawn there
    _draft_note: StructNode | None = attrs.field(init=False, default=None)  # the draft line on the cover

    def __attrs_post_init__(self):
        self.layout = Layout(self.source.prepared, self.theme, self.source.draft)
        self.footer = self.layout.footer()
        self.fonts = register_fonts(self.theme)
        self.styles = self._styles()

    @property
    def theme(self) -> Theme:
        return self.source.theme

    # styles
    def _styles(self) -> dict[str, ParagraphStyle]:
        s, c, ratio = self.theme.sizes, self.theme.colours, self.theme.layout
        regular, bold = self.fonts["regular"], self.fonts["bold"]
        body = ParagraphStyle("body", fontName=regular, fontSize=s.body, leading=s.leading,
                              textColor=_colour(c.text), spaceAfter=s.space_after_paragraph)
        styles = {"body": body}
        for level in range(1, HEADING_LEVELS + 1):
            size = s.heading(level)
            styles[f"h{level}"] = ParagraphStyle(
                f"h{level}", parent=body, fontName=bold, fontSize=size, leading=size * ratio.heading_line_height,
                textColor=_colour(c.heading), spaceBefore=s.space_before_heading if level > 1 else 0,
                spaceAfter=s.space_after_heading, keepWithNext=1,
            )
        table = ParagraphStyle("table", parent=body, fontSize=s.table, leading=s.table_leading,
                               spaceAfter=s.space_after_table_paragraph)
        styles["table"] = table
        styles["table-bold"] = ParagraphStyle("table-bold", parent=table, fontName=bold)
        styles["table-header"] = ParagraphStyle("table-header", parent=table, fontName=bold,
                                                textColor=_colour(c.table_header_text), spaceAfter=0)
        styles["key-label"] = ParagraphStyle("key-label", parent=table, fontName=bold,
                                             textColor=_colour(c.key_label_text))
        styles["caption"] = ParagraphStyle("caption", parent=body, fontSize=s.caption,
                                           leading=s.caption * ratio.caption_line_height, spaceBefore=s.space_small,
                                           spaceAfter=s.space_after_paragraph)
        styles["callout-title"] = ParagraphStyle("callout-title", parent=body, fontName=bold,
                                                 fontSize=s.heading3, leading=s.heading3 * ratio.callout_title_line_height,
                                                 textColor=_colour(c.callout_heading))
        styles["callout-heading"] = ParagraphStyle("callout-heading", parent=body, fontName=bold,
                                                   textColor=_colour(c.callout_heading))
        styles["unavailable"] = ParagraphStyle("unavailable", parent=body, fontName=bold, alignment=TA_CENTER,
                                               textColor=_colour(c.unavailable_text))
        styles["unavailable-note"] = ParagraphStyle("unavailable-note", parent=body, fontSize=s.small,
                                                    leading=s.small * ratio.caption_line_height, alignment=TA_CENTER,
                                                    textColor=_colour(c.unavailable_text))
        styles["contents"] = ParagraphStyle("contents", parent=body, fontSize=s.contents, spaceAfter=0)
        styles["contents-page"] = ParagraphStyle("contents-page", parent=styles["contents"], alignment=TA_RIGHT)
        styles["contents-header"] = ParagraphStyle("contents-header", parent=styles["contents"], fontName=bold,
                                                   textColor=_colour(c.table_header_text))
        styles["signature-name"] = ParagraphStyle("signature-name", parent=body, fontName=bold, spaceBefore=s.body,
                                                  spaceAfter=s.space_small)
        return styles

    # inline markup
    def markup(self, spans) -> str:
        out = []
        for span in spans:
            if isinstance(span, model.Placeholder):
                words, fill = self.layout.placeholder(span)
                out.append(f'<font backColor="{fill}">{escape(words)}</font>')
                continue
            text = escape(span.text)
            if span.bold:
                text = f"<b>{text}</b>"
            if span.italic:
                text = f"<i>{text}</i>"
            href = self.layout.link(span)
            if href:
                text = f'<a href={quoteattr(href)} color="{self.theme.colours.link}"><u>{text}</u></a>'
            out.append(text)
        return "".join(out)

    # block visitors: each returns a list of flowables laid out in ``width`` points
    def blocks(self, blocks, width: float, style: str = "body") -> list:
        flow: list = []
        for block in blocks:
            flow.extend(dispatch(self, block, width, style))
        return flow

    def visit_Paragraph(self, node: model.Paragraph, width, style="body"):
        return [self.tagger.tag(_Paragraph(self.markup(node.spans), self.styles[style]), "P")]

    def caption(self, words: str, note: str | None = None):
        """A caption, tagged, its web addresses links; a note on a line of its own under it."""
        markup = self.markup(self.layout.caption_spans(words))
        if note:
            markup += "<br/>" + self.markup(self.layout.caption_spans(note))
        return self.tagger.tag(_Paragraph(markup, self.styles["caption"]), "Caption")

    def text(self, words: str, style: str, role: str = "P"):
        """A paragraph of data text, escaped, tagged."""
        return self.tagger.tag(_Paragraph(escape(words), self.styles[style]), role)

    def visit_BulletList(self, node: model.BulletList, width, style="body", depth=0):
        # Bullets are drawn by each item's own paragraph, so bullet and words are one tagged LI.
        base = self.styles[style]
        look = self.layout.list_item(depth, base.spaceAfter)
        item_style = ParagraphStyle(
            f"{style}-item-{depth}", parent=base, leftIndent=base.leftIndent + look.indent,
            bulletIndent=base.leftIndent + look.bullet_indent, bulletFontName=self.fonts["regular"],
            bulletFontSize=base.fontSize, spaceAfter=look.space_after)
        flow = []
        with self.tagger.group("L"):
            for item in node.items:
                # A nested list belongs to its item's body (LI holds only Lbl and LBody).
                with self.tagger.group("LI"), self.tagger.group("LBody"):
                    paragraph = _Paragraph(self.markup(item.paragraph.spans), item_style, bulletText=look.bullet)
                    flow.append(self.tagger.tag(paragraph, "P"))
                    if item.children:
                        flow.extend(self.visit_BulletList(item.children, width, style, depth + 1))
        return flow

    def visit_Section(self, node: model.Section, width, style="body"):
        flow: list = []
        if self.layout.starts_page(node):
            flow.append(PageBreakIfNotEmpty())
        level = self.layout.heading_level(node)
        heading = f'<a name="{escape(node.id)}"/>{escape(node.title)}'
        flow.append(self.tagger.tag(_Heading(heading, self.styles[f"h{level}"], node.id, node.title, level), f"H{level}"))
        flow.extend(self.blocks(node.blocks, width))
        flow.append(_SectionEnd(node.id))
        return flow

    def _table_style(self, look: TableLayout, spans) -> TableStyle:
        pad = look.padding
        commands = [
            ("GRID", (0, 0), (-1, -1), look.grid.width, _colour(look.grid.colour)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad.left), ("RIGHTPADDING", (0, 0), (-1, -1), pad.right),
            ("TOPPADDING", (0, 0), (-1, -1), pad.top), ("BOTTOMPADDING", (0, 0), (-1, -1), pad.bottom),
        ]
        for r, row in enumerate(look.rows):
            if row.fill is not None:
                commands.append(("BACKGROUND", (0, r), (-1, r), _colour(row.fill)))
            if row.indent:
                # Padding, not a paragraph indent: it moves whatever the cell holds (a list, a
                # nested table) and leaves the cell's tagged content as it is.
                commands.append(("LEFTPADDING", (0, r), (0, r), pad.left + row.indent))
        commands.extend(spans)
        return self._grid_style(commands)

    def _grid_style(self, commands: list) -> TableStyle:
        # reportlab selects each cell's font before drawing it, whatever the cell holds
        # (Helvetica unless told): name ours, so no PDF refers to a font it does not embed.
        body = self.styles["body"]
        return TableStyle([("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize, body.leading)] + commands)

    def _cell_style(self, row) -> str:
        """The paragraph style of a table row's text: its weight, colour and paragraph spacing."""
        base = "table-bold" if row.bold else "table"
        key = f"{base}-{row.text_colour}-{row.paragraph_space:g}"
        if key not in self.styles:
            colour = {"textColor": _colour(row.text_colour)} if row.text_colour is not None else {}
            self.styles[key] = ParagraphStyle(key, parent=self.styles[base], spaceAfter=row.paragraph_space, **colour)
        return key

    def visit_Table(self, node: model.Table, width, style="body"):
        look = self.layout.table(node, width, nested=style != "body")
        data, spans = [], []
        with self.tagger.group("Table"):
            for r, row in enumerate(look.rows):
                cells = []
                cell_style = self._cell_style(row)
                with self.tagger.group("TR"):
                    for placed in row.cells:
                        cell, c = placed.cell, placed.column
                        with self.tagger.group("TH", scope="Column", colspan=cell.colspan) if row.is_header else \
                                self.tagger.group("TD", colspan=cell.colspan):
                            content = self.blocks(cell.blocks, placed.width, cell_style)
                        align = look.aligns[c] if c < len(look.aligns) else "left"
                        if align != "left":
                            content = [_aligned(f, align) for f in content]
                        cells.append(content)
                        if cell.colspan > 1:
                            spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r)))
                            cells.extend([[]] * (cell.colspan - 1))  # never a string: reportlab would select Helvetica for it
                data.append(cells)
        table = _DataTable(data, colWidths=list(look.widths), repeatRows=look.header_count, hAlign="LEFT", splitInRow=1,
                           style=self._table_style(look, spans), marks=self.tagger.table_callback(look.header_count),
                           page_body_height=self.theme.page.frame_height)
        flow: list = [_KeepTogether([table]) if look.keep_together else table]
        table.spaceAfter = look.space_after  # unlike a Spacer, never starts a page
        if look.caption:
            flow.append(self.caption(look.caption))
        return flow

    def visit_KeyFacts(self, node: model.KeyFacts, width, style="body"):
        look = self.layout.key_facts(width)
        pad = look.padding
        data = []
        with self.tagger.group("Table"):
            for fact in node.rows:
                with self.tagger.group("TR"):
                    with self.tagger.group("TH", scope="Row"):
                        label = [self.text(fact.label, "key-label")]
                    with self.tagger.group("TD"):
                        content = self.blocks(fact.blocks, look.inner_width, "table")
                data.append([label, content])
        table = Table(data, colWidths=[look.label_width, look.content_width], hAlign="LEFT", splitInRow=1,
                      renderCB=self.tagger.table_callback(0), style=self._grid_style([
            ("GRID", (0, 0), (-1, -1), look.grid.width, _colour(look.grid.colour)),
            ("BACKGROUND", (0, 0), (0, -1), _colour(look.label_fill)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad.left), ("RIGHTPADDING", (0, 0), (-1, -1), pad.right),
            ("TOPPADDING", (0, 0), (-1, -1), pad.top), ("BOTTOMPADDING", (0, 0), (-1, -1), pad.bottom),
        ]))
        table.spaceAfter = look.space_after
        return [table]

    def visit_Chart(self, node: model.Chart, width, style="body"):
        prepared = self.source.prepared
        look = self.layout.chart(node, width)
        if look.panel is None:
            form = "chart" + hashlib.sha256(node.id.encode()).hexdigest()[:NAME_DIGITS]
            self.pictures[form] = self.source.pictures[node.id]
            drawn = self.tagger.tag(_ChartPicture(self.pictures[form], form, look.width, look.height), "Figure",
                                    alt=prepared.alt_texts[node.id])
        else:
            with self.tagger.group("Div"):
                drawn = self._unavailable_panel(look.panel, look.width, look.height)
        caption = self.caption(look.caption, look.note)
        drawn.keepWithNext = look.keep_with_caption
        return [drawn, caption]

    def _unavailable_panel(self, panel, width: float, height: float):
        inner = []
        for line in panel.lines:
            name = f"unavailable-{'strong' if line.strong else 'note'}-{line.size:g}"
            if name not in self.styles:
                self.styles[name] = ParagraphStyle(
                    name, parent=self.styles["body"], fontName=self.fonts["bold" if line.strong else "regular"],
                    fontSize=line.size, leading=line.leading, alignment=TA_CENTER, textColor=_colour(panel.text_colour))
            inner.append(self.text(line.text, name))

        def box(row_height: float | None) -> Table:
            return Table([[inner]], colWidths=[width], rowHeights=[row_height], hAlign="LEFT",
                         renderCB=self.tagger.table_callback(0), style=self._grid_style([
                ("BOX", (0, 0), (-1, -1), panel.border.width, _colour(panel.border.colour)),
                ("BACKGROUND", (0, 0), (-1, -1), _colour(panel.fill)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]))
        # The chart's height, unless its words need more: the box grows to them, never overflows.
        _, needed = box(None).wrap(width, self.theme.page.frame_height)
        return box(height if needed <= height else None)

    def visit_Callout(self, node: model.Callout, width, style="body"):
        look = self.layout.callout(width)
        pad = look.padding
        with self.tagger.group("Div"):
            inner = [self.text(words, "callout-title" if is_title else "callout-heading")
                     for words, is_title in self.layout.callout_lines(node)]
            inner.extend(self.blocks(node.blocks, look.inner_width))
        box = Table([[inner]], colWidths=[width], hAlign="LEFT", splitInRow=1,
                    renderCB=self.tagger.table_callback(0), style=self._grid_style([
            ("BOX", (0, 0), (-1, -1), look.border.width, _colour(look.border.colour)),
            ("BACKGROUND", (0, 0), (-1, -1), _colour(look.fill)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad.left), ("RIGHTPADDING", (0, 0), (-1, -1), pad.right),
            ("TOPPADDING", (0, 0), (-1, -1), pad.top), ("BOTTOMPADDING", (0, 0), (-1, -1), pad.bottom),
        ]))
        box.spaceBefore = look.space_before
        box.spaceAfter = look.space_after
        # A box that fits on a page moves whole rather than leave its title alone at a page foot;
        # a taller one still splits.
        return [_KeepTogether([box])]

    def visit_SideBySide(self, node: model.SideBySide, width, style="body"):
        column_width, grid_widths = column_widths(width, len(node.columns), self.theme.sizes.column_gap)
        # A cell never splits, so KeepTogether has no work there (and it reports an endless
        # height outside a frame, to make the frame split it).
        built = [self.blocks(column, column_width, style) for column in node.columns]
        cells = [[part for flowable in column for part in (flowable.parts if isinstance(flowable, _KeepTogether) else [flowable])]
                 for column in built]
        body = self.styles["body"]
        # Columns may split across a page only when none of their blocks is to be kept whole.
        splittable = not any(isinstance(flowable, _KeepTogether) for column in built for flowable in column)
        grid = _Columns(cells, grid_widths, self.theme.sizes.column_gap, self.theme.page.frame_height,
                        (body.fontName, body.fontSize, body.leading), splittable)
        grid.spaceAfter = self.theme.sizes.space_after_paragraph
        return [grid]

    def visit_Signature(self, node: model.Signature, width, style="body"):
        return [self.text(node.name, "signature-name"), self.text(node.role, "body")]

    def visit_Contents(self, node: model.Contents, width, style="body"):
        look = self.layout.contents(node, width)
        flow: list = [PageBreakIfNotEmpty()] if look.new_page else []
        heading = self.tagger.tag(_Heading(f'<a name="contents"/>{escape(look.heading)}', self.styles["h1"], "contents",
                                           look.heading, 1), "H1")
        page_header = ParagraphStyle("contents-header-page", parent=self.styles["contents-header"], alignment=TA_RIGHT)
        rows = []
        with self.tagger.group("Table"):
            with self.tagger.group("TR"):
                with self.tagger.group("TH", scope="Column"):
                    item = self.text(look.item_label, "contents-header")
                with self.tagger.group("TH", scope="Column"):
                    page = self.tagger.tag(_Paragraph(escape(look.page_label), page_header), "P")
                rows.append([item, page])
            for line in look.lines:
                link = f'<a href="#{escape(line.section_id)}">{escape(line.text)}</a>'
                item_style = self.styles["contents"] if not line.indent else ParagraphStyle(
                    "contents-sub", parent=self.styles["contents"], leftIndent=line.indent)
                with self.tagger.group("TR"):
                    # The entry's words are the Link element's content, with its annotations
                    # (finish adds them), so a screen reader reads the section's name as the link.
                    with self.tagger.group("TD"), self.tagger.group("P"):
                        item = self.tagger.tag(_Paragraph(link, item_style), "Link")
                    with self.tagger.group("TD"):
                        page = self.tagger.tag(_PageLabel(line.section_id, self.styles["contents-page"]), "P")
                rows.append([item, page])
        table = Table(rows, colWidths=[look.title_width, look.page_width], repeatRows=1, hAlign="LEFT",
                      renderCB=self.tagger.table_callback(1), style=self._grid_style([
                          ("BACKGROUND", (0, 0), (-1, 0), _colour(look.header_fill)),
                          ("LINEBELOW", (0, 0), (-1, -1), look.rule.width, _colour(look.rule.colour)),
                          ("TOPPADDING", (0, 0), (-1, -1), look.padding), ("BOTTOMPADDING", (0, 0), (-1, -1), look.padding),
                      ]))
        return flow + [heading, table]

    def visit_Glossary(self, node: model.Glossary, width, style="body"):
        return self.visit_Table(self.layout.glossary(node), width)

    def visit_DataSources(self, node: model.DataSources, width, style="body"):
        return self.visit_BulletList(self.layout.data_sources(node), width, style)

    # the cover and the pages
    def cover(self) -> list:
        look = self.layout.cover()
        # A draft says so in its tagged content, first thing on the first page: the cover's draft
        # line is drawn as text of this P (on later pages it is page furniture, an artifact).
        self._draft_note = self.tagger.node("P") if self.source.draft is not None else None
        flow: list = [Spacer(1, look.text_top)]
        for index, line in enumerate(look.lines):
            name = f"cover-{index}"
            self.styles[name] = ParagraphStyle(name, parent=self.styles["body"], fontName=self.fonts["bold" if line.bold else "regular"],
                                               fontSize=line.size, leading=line.leading, textColor=_colour(look.text_colour),
                                               alignment=TA_LEFT, spaceAfter=line.space_after)
            # reportlab wraps only at spaces, so a hyphen ("2018-19") never ends a line here.
            words = "<br/>".join(escape(part) for part in line.parts)
            flow.append(self.tagger.tag(_Paragraph(words, self.styles[name]), "P"))
        if look.logo is not None:
            logo = look.logo
            form = "logo" + hashlib.sha256(logo.png).hexdigest()[:NAME_DIGITS]
            self.pictures[form] = Picture(logo.png, logo.width, logo.height)
            drawn = self.tagger.tag(_ChartPicture(self.pictures[form], form, logo.width, logo.height), "Figure", alt=logo.alt)
            if logo.above:
                drawn.spaceAfter = logo.space
                flow.insert(1, drawn)
            else:
                drawn.spaceBefore = logo.space
                flow.append(drawn)
        return flow

    def _draw_cover(self, canvas, doc):
        look, page = self.layout.cover(), self.theme.page
        with self.tagger.artifact(canvas, "Layout"):
            canvas.saveState()
            canvas.setFillColor(_colour(look.fill))
            canvas.rect(0, 0, page.width, page.height, stroke=0, fill=1)
            canvas.setFillColor(_colour(look.accent))
            canvas.rect(0, look.band_bottom, page.width, look.band_height, stroke=0, fill=1)
            if look.emblem is not None:
                # Under the band whatever the title's length, as the printed cover has it.
                canvas.setFillColor(_colour(look.text_colour))
                canvas.setFont(self.fonts["bold"], look.emblem.size)
                canvas.drawString(look.inset, look.emblem_baseline, look.emblem.text)
            canvas.restoreState()
        # Read aloud here, and so also legible: in the cover's text colour, not the page's.
        self._draw_draft_marks(canvas, doc, self._draft_note, look.text_colour)

    def _draw_page(self, canvas, doc):
        footer = self.footer
        with self.tagger.artifact(canvas, "Pagination"):
            canvas.saveState()
            canvas.setFont(self.fonts["regular"], footer.size)
            canvas.setFillColor(_colour(footer.colour))
            canvas.drawString(footer.left, footer.baseline, footer.text)
            canvas.drawRightString(footer.right, footer.baseline, str(doc.page))
            if footer.rule is not None:
                canvas.setStrokeColor(_colour(footer.rule.colour))
                canvas.setLineWidth(footer.rule.width)
                above = footer.baseline + footer.size + footer.rule_gap
                canvas.line(footer.left, above, footer.right, above)
            canvas.restoreState()
        self._draw_draft_marks(canvas, doc)

    def _draw_watermark(self, canvas, doc):
        """Drawn when the page is done, so it lies over charts, table fills and boxes (drawn
        first it was mostly hidden under them); translucent, so the page stays readable."""
        mark = self.layout.watermark()
        if mark is None:
            return
        page = self.theme.page
        with self.tagger.artifact(canvas, "Pagination"):
            canvas.saveState()
            canvas.setFillColor(_colour(mark.fill), alpha=mark.opacity)
            canvas.setFont(self.fonts["bold"], mark.size)
            canvas.translate(page.width / 2, page.height / 2)
            canvas.rotate(mark.angle)
            canvas.drawCentredString(0, -mark.height / 2, mark.text)
            canvas.restoreState()

    def _draw_draft_marks(self, canvas, doc, tagged_as=None, colour=None):
        """The draft line under the footer: an artifact unless ``tagged_as`` is the struct node
        it is read as."""
        footer = self.footer
        if self.layout.watermark() is None or footer.draft is None:
            return
        page = self.theme.page
        if tagged_as is not None:
            self.tagger.begin(canvas, tagged_as)
        else:
            self.tagger.begin_artifact(canvas, "Pagination")
        canvas.saveState()
        canvas.setFont(self.fonts["bold"], footer.size)
        canvas.setFillColor(_colour(colour or self.theme.colours.text))
        canvas.drawCentredString(page.width / 2, footer.baseline - footer.size - footer.draft_gap, _one_line(footer.draft))
        canvas.restoreState()
        if tagged_as is not None:
            self.tagger.end_node(canvas)
        else:
            self.tagger.end(canvas)

    def _layout(self, write: bool = True) -> tuple[bytes, PageMap]:
        t = self.theme
        self.tagger = Tagger()
        report = self.source.prepared.report
        buffer = io.BytesIO()
        body = self.styles["body"]
        doc = _Document(
            buffer, self, pagesize=(t.page.width, t.page.height),
            leftMargin=t.page.margin_left_mm * MM, rightMargin=t.page.margin_right_mm * MM,
            topMargin=t.page.margin_top_mm * MM, bottomMargin=t.page.margin_bottom_mm * MM,
            title=report.title, author=report.author, subject=report.subject,
            creator="assessment", producer="assessment (reportlab)", lang=report.language,
            displayDocTitle=1, invariant=1,
            # Every page opens by selecting the canvas's initial font: ours, so no PDF names a
            # font it does not embed (reportlab's default is an unembedded Helvetica).
            initialFontName=body.fontName, initialFontSize=body.fontSize, initialLeading=body.leading,
            # Streams are left unencoded: pikepdf compresses them when it writes the file, and
            # reportlab's ASCII85 step (pure Python) is skipped without touching rl_config.
            pageCompression=0,
        )
        body_frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        inset = self.layout.cover().inset
        cover_frame = Frame(inset, 0, t.page.width - 2 * inset, t.page.height, id="cover",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self._draw_cover, onPageEnd=self._draw_watermark),
            PageTemplate("body", [body_frame], onPage=self._draw_page, onPageEnd=self._draw_watermark),
        ])
        story = self.cover() + [NextPageTemplate("body"), PageBreak()]
        story += self.blocks(report.blocks, doc.width)
        found: list[PageMap] = []

        def before_save(canvas):
            # Every heading has landed: the contents' page ranges can be drawn.
            found.append(PageMap(dict(doc.first), dict(doc.last), doc.page))
            if write:
                self._define_page_labels(canvas, found[0])
                self._define_picture_forms(canvas)

        doc.build(story, canvasmaker=functools.partial(_Canvas, before_save=before_save,
                                                       on_link=self.tagger.link_made, write=write))
        return buffer.getvalue(), found[0]

    def _define_picture_forms(self, canvas) -> None:
        """Empty unit-square forms where the charts go; ``finish`` puts each picture in."""
        for form in self.pictures:
            canvas.beginForm(form, 0, 0, 1, 1)
            canvas.endForm()

    def _define_page_labels(self, canvas, pages: PageMap) -> None:
        """The form each contents entry's _PageLabel drew, now that every heading has landed."""
        if not any(isinstance(node, model.Contents) for node, _ in model.walk(self.source.prepared.report.blocks)):
            return
        style = self.styles["contents-page"]
        ascent, descent = pdfmetrics.getAscentDescent(style.fontName, style.fontSize)
        for entry in self.source.prepared.contents:
            label = pages.label(entry.section_id)
            canvas.beginForm(_label_form(entry.section_id),
                             -pdfmetrics.stringWidth(label, style.fontName, style.fontSize), descent, 0, ascent)
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            canvas.drawRightString(0, 0, label)
            canvas.endForm()

    def _finish(self, pdf: bytes) -> bytes:
        report = self.source.prepared.report
        return finish(pdf, self.tagger, title=report.title, language=report.language, date=report.date,
                      pictures={form: picture.png for form, picture in self.pictures.items()}, labels=self.layout.labels,
                      image_cache=self.image_cache)

    def render(self) -> tuple[bytes, PageMap]:
        """One layout pass: the contents page's numbers are filled in after it (_PageLabel)."""
        pdf, pages = self._layout()
        return self._finish(pdf), pages


def _one_line(text: str) -> str:
    """Text for the canvas's draw*String, which draws a line break or tab as the font's missing
    glyph (mapped to U+0000 for a screen reader); paragraphs collapse white space so too."""
    return " ".join(text.split())


def _aligned(flowable, align: str):
    paragraph = untagged(flowable)
    if isinstance(paragraph, Paragraph):
        paragraph.style = ParagraphStyle(f"{paragraph.style.name}-{align}", parent=paragraph.style,
                                         alignment={"right": TA_RIGHT, "center": TA_CENTER}.get(align, TA_LEFT))
    return flowable


def render_pdf(source: RenderInput, image_cache: Path | None = None) -> tuple[bytes, PageMap]:
    return PdfWriter(source, image_cache).render()


def lay_out_pdf(source: RenderInput) -> PageMap:
    """Where each heading lands, for the DOCX's contents when no PDF is asked for: the same
    layout as ``render_pdf`` (so the same page numbers), but nothing written, tagged or filled."""
    return PdfWriter(source)._layout(write=False)[1]
