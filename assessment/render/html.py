"""The HTML writer: one self-contained web page. Reads the model and the theme; knows nothing
of the PDF and DOCX writers.

Nothing is fetched from anywhere: the stylesheet is in the page (built here from the style's
colours, sizes and fonts), charts are inline SVG, a logo is a ``data:`` picture, and the only
addresses are the links the text itself makes. The page reflows to a phone's width; a table
wider than the screen scrolls in its own box; a print stylesheet follows the layout's page
breaks.

Every string from data reaches the page through ``escape`` only (text and attribute values
alike); the one string of the style that reaches the stylesheet, a font's name, goes through
``css_string``. Same input, same bytes: nothing depends on the clock or on dict order.
"""

from __future__ import annotations

import base64
import html
import re

import attrs

from .. import model
from ..layout import HEADING_LEVELS, LIST_LEVELS, Layout, TableRow
from ..theme import Theme
from .base import RenderInput, column_widths, dispatch

CSS_DEFAULT_POINTS = 12  # a browser's default type size, 16 px, in points: the root size is the style's body against it
PERCENT = 100  # a share written as a CSS percentage

_ALIGN_CLASS = {"right": "right", "center": "centre"}
# What vl-convert writes into a chart's SVG for its own interactive view: ARIA roles and labels
# for each mark. The page gives the whole picture one name (its alt text) instead.
_SVG_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_SVG_OPENING = re.compile(r"<svg\b[^>]*>")
_SVG_VIEW_BOX = re.compile(r'\sviewBox="([^"]*)"')
_SVG_ID = re.compile(r'(\sid="|url\(#|href="#)([^")]*)')
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def escape(text: str) -> str:
    """The one way data text enters the page: &, <, >, " and ' become character references,
    so it is text wherever it lands (an element's content or an attribute's value)."""
    return html.escape(str(text), quote=True)


def css_string(text: str) -> str:
    """A quoted CSS string: a font name from a style file can close no rule and no element."""
    return '"' + "".join(ch if ch.isalnum() or ch in " -_" else f"\\{ord(ch):x} " for ch in text) + '"'


@attrs.define
class HtmlWriter:
    source: RenderInput
    layout: Layout = attrs.field(init=False)
    out: list[str] = attrs.field(init=False, factory=list)
    _boxes: int = attrs.field(init=False, default=0)  # callouts so far: each one's title gets its own id

    def __attrs_post_init__(self):
        self.layout = Layout(self.source.prepared, self.theme, self.source.draft)

    @property
    def theme(self) -> Theme:
        return self.source.theme

    @property
    def width(self) -> float:
        """The measure the layout is asked about: the PDF's text column, which is also the page's
        widest line of text on a screen."""
        return self.theme.page.frame_width

    def rem(self, points: float) -> str:
        """A length of the style in the page's unit: the root's type size is the body's, so a
        reader's own text size scales everything alike."""
        return f"{points / self.theme.sizes.body:.4g}rem"

    # inline
    def spans(self, spans) -> str:
        out = []
        for span in spans:
            if isinstance(span, model.Placeholder):
                words, fill = self.layout.placeholder(span)
                out.append(f'<mark class="placeholder" style="background:{fill}">{escape(words)}</mark>')
                continue
            text = escape(span.text)
            if span.bold:
                text = f"<strong>{text}</strong>"
            if span.italic:
                text = f"<em>{text}</em>"
            href = self.layout.link(span)
            if href:
                text = f'<a href="{escape(href)}">{text}</a>'
            out.append(text)
        return "".join(out)

    # blocks
    def blocks(self, blocks, width: float) -> None:
        for block in blocks:
            dispatch(self, block, width)

    def cell_blocks(self, blocks, width: float) -> None:
        """What a table cell, key fact or glossary entry holds: one paragraph as its words alone
        (the cell is its paragraph, as a screen reader reads it), more as blocks."""
        if len(blocks) == 1 and isinstance(blocks[0], model.Paragraph):
            self.out.append(self.spans(blocks[0].spans))
        else:
            self.blocks(blocks, width)

    def visit_Paragraph(self, node: model.Paragraph, width):
        self.out.append(f"<p>{self.spans(node.spans)}</p>\n")

    def visit_BulletList(self, node: model.BulletList, width):
        self.out.append("<ul>\n")
        for item in node.items:
            self.out.append(f"<li>{self.spans(item.paragraph.spans)}")
            if item.children:
                self.out.append("\n")
                self.visit_BulletList(item.children, width)
            self.out.append("</li>\n")
        self.out.append("</ul>\n")

    def visit_Section(self, node: model.Section, width):
        level = self.layout.heading_level(node)
        page = ' class="new-page"' if self.layout.starts_page(node) else ""
        self.out.append(f'<section{page}>\n<h{level} id="{escape(node.id)}">{escape(node.title)}</h{level}>\n')
        self.blocks(node.blocks, width)
        self.out.append("</section>\n")

    def visit_Table(self, node: model.Table, width):
        look = self.layout.table(node, width, nested=False)
        total = sum(look.widths)
        name = look.caption or node.title or node.summary
        label = f' role="region" aria-label="{escape(name)}"' if name else ""
        self.out.append(f'<div class="table-wrap" tabindex="0"{label}>\n<table>\n')
        if look.caption:
            self.out.append(f"<caption>{self.spans(self.layout.caption_spans(look.caption))}</caption>\n")
        self.out.append("<colgroup>" + "".join(f'<col style="width:{w / total * PERCENT:.4g}%">' for w in look.widths)
                        + "</colgroup>\n")
        head, body = look.rows[:look.header_count], look.rows[look.header_count:]
        if head:
            self.out.append("<thead>\n")
            for row in head:
                self._row(row, look)
            self.out.append("</thead>\n")
        self.out.append("<tbody>\n")
        for row in body:
            self._row(row, look)
        self.out.append("</tbody>\n</table>\n</div>\n")

    def _row(self, row: TableRow, look) -> None:
        looks = []
        if row.fill is not None:
            looks.append(f"background:{row.fill}")
        if row.text_colour is not None:
            looks.append(f"color:{row.text_colour}")
        if row.bold and not row.is_header:
            looks.append("font-weight:bold")
        style = f' style="{";".join(looks)}"' if looks else ""
        self.out.append(f"<tr{style}>")
        for placed in row.cells:
            cell = placed.cell
            align = look.aligns[placed.column] if placed.column < len(look.aligns) else "left"
            classes = [_ALIGN_CLASS[align]] if align in _ALIGN_CLASS else []
            attributes = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            if row.is_header:
                scope = "colgroup" if cell.colspan > 1 else "col"
                attributes = f' scope="{scope}"' + attributes
            if row.indent and placed.column == 0:
                attributes += f' style="padding-left:{self.rem(look.padding.left + row.indent)}"'
            if classes:
                attributes += f' class="{" ".join(classes)}"'
            tag = "th" if row.is_header else "td"
            self.out.append(f"<{tag}{attributes}>")
            self.cell_blocks(cell.blocks, placed.width)
            self.out.append(f"</{tag}>")
        self.out.append("</tr>\n")

    def visit_KeyFacts(self, node: model.KeyFacts, width):
        look = self.layout.key_facts(width)
        share = look.label_width / width * PERCENT
        self.out.append(f'<table class="key-facts">\n<colgroup><col style="width:{share:.4g}%"><col></colgroup>\n<tbody>\n')
        for fact in node.rows:
            self.out.append(f'<tr><th scope="row">{escape(fact.label)}</th><td>')
            self.cell_blocks(fact.blocks, look.inner_width)
            self.out.append("</td></tr>\n")
        self.out.append("</tbody>\n</table>\n")

    def visit_Chart(self, node: model.Chart, width):
        look = self.layout.chart(node, width)
        self.out.append('<figure class="chart">\n')
        if look.panel is None:
            number = self.source.prepared.figure_numbers[node.id]
            self.out.append(inline_svg(self.source.drawings[node.id], self.source.prepared.alt_texts[node.id],
                                       f"figure{number}-", self.rem(look.width)))
        else:
            panel = look.panel
            self.out.append(f'<div class="unavailable" style="min-height:{self.rem(look.height)}">')
            for line in panel.lines:
                weight = ' class="strong"' if line.strong else ""
                self.out.append(f'<p{weight} style="font-size:{self.rem(line.size)};line-height:{line.leading / line.size:.4g}">'
                                f"{escape(line.text)}</p>")
            self.out.append("</div>")
        note = f"<br>{self.spans(self.layout.caption_spans(look.note))}" if look.note else ""
        self.out.append(f"\n<figcaption>{self.spans(self.layout.caption_spans(look.caption))}{note}</figcaption>\n</figure>\n")

    def visit_Callout(self, node: model.Callout, width):
        look = self.layout.callout(width)
        self._boxes += 1
        title_id = f"box-{self._boxes}"
        self.out.append(f'<aside class="callout" aria-labelledby="{title_id}">\n')
        for words, is_title in self.layout.callout_lines(node):
            if is_title:
                self.out.append(f'<p class="callout-title" id="{title_id}">{escape(words)}</p>\n')
            else:
                self.out.append(f'<p class="callout-heading">{escape(words)}</p>\n')
        self.blocks(node.blocks, look.inner_width)
        self.out.append("</aside>\n")

    def visit_SideBySide(self, node: model.SideBySide, width):
        column_width, _ = column_widths(width, len(node.columns), self.theme.sizes.column_gap)
        self.out.append('<div class="columns">\n')
        for column in node.columns:
            # Each column keeps its printed width while the screen has room; on a phone the
            # columns stack, read in the same order.
            self.out.append(f'<div class="column" style="flex-basis:{self.rem(column_width)}">\n')
            self.blocks(column, column_width)
            self.out.append("</div>\n")
        self.out.append("</div>\n")

    def visit_Signature(self, node: model.Signature, width):
        self.out.append(f'<p class="signature-name">{escape(node.name)}</p>\n<p>{escape(node.role)}</p>\n')

    def visit_Contents(self, node: model.Contents, width):
        look = self.layout.contents(node, width)
        page = ' class="contents new-page"' if look.new_page else ' class="contents"'
        self.out.append(f'<nav{page} aria-labelledby="contents">\n<h1 id="contents">{escape(look.heading)}</h1>\n<ul>\n')
        nested = False  # inside the list of an entry's own entries
        for index, line in enumerate(look.lines):
            following = look.lines[index + 1].level if index + 1 < len(look.lines) else 1
            link = f'<a href="#{escape(line.section_id)}">{escape(line.text)}</a>'
            if line.level == 1:
                self.out.append(f"<li>{link}")
                nested = following > 1
                self.out.append("\n<ul>\n" if nested else "</li>\n")
            else:
                self.out.append(f'<li style="padding-left:{self.rem(line.indent)}">{link}</li>\n')
                if nested and following == 1:
                    self.out.append("</ul>\n</li>\n")
                    nested = False
        self.out.append("</ul>\n</nav>\n")

    def visit_Glossary(self, node: model.Glossary, width):
        # A list of terms and what they mean is what a description list is for: a screen reader
        # announces each pair. The layout's table of it gives the order and the words.
        table = self.layout.glossary(node)
        self.out.append(f'<dl class="glossary" aria-label="{escape(table.summary or "")}">\n')
        for row in table.rows:
            term, meaning = row
            self.out.append("<dt>")
            self.cell_blocks(term.blocks, width)
            self.out.append("</dt><dd>")
            self.cell_blocks(meaning.blocks, width)
            self.out.append("</dd>\n")
        self.out.append("</dl>\n")

    def visit_DataSources(self, node: model.DataSources, width):
        self.visit_BulletList(self.layout.data_sources(node), width)

    # the page around the blocks
    def cover(self) -> None:
        look = self.layout.cover()
        self.out.append('<header class="cover">\n<div class="cover-words">\n')
        logo = look.logo
        if logo is not None and logo.above:
            self._logo(logo)
        for index, line in enumerate(look.lines):
            self.out.append(f'<p class="cover-{index}">{_cover_words(line)}</p>\n')
        if logo is not None and not logo.above:
            self._logo(logo)
        self.out.append('</div>\n<div class="band"></div>\n')
        if look.emblem is not None:
            self.out.append(f'<p class="emblem">{_cover_words(look.emblem)}</p>\n')
        self.out.append("</header>\n")

    def _logo(self, logo) -> None:
        picture = base64.b64encode(logo.png).decode("ascii")
        self.out.append(f'<img class="logo" src="data:image/png;base64,{picture}" alt="{escape(logo.alt)}" '
                        f'style="width:{self.rem(logo.width)}">\n')

    def draft_notice(self) -> None:
        mark = self.layout.watermark()
        if mark is None:
            return
        line = self.layout.draft_footer()
        self.out.append(f'<div class="draft-notice" role="note"><p><strong>{escape(mark.text)}</strong> '
                        f"{escape(line or '')}</p></div>\n")

    def footer(self) -> None:
        look = self.layout.footer()
        self.out.append(f'<footer class="page-footer">\n<p>{escape(look.text)}</p>\n')
        if look.draft is not None:
            self.out.append(f'<p class="draft-line">{escape(look.draft)}</p>\n')
        self.out.append("</footer>\n")

    def stylesheet(self) -> str:
        t, layout = self.theme, self.layout
        s, c, shares = t.sizes, t.colours, t.layout
        rem = self.rem
        fonts = ", ".join([css_string(name) for name in layout.font_families] + ["sans-serif"])
        gutter = rem(s.bullet_indent)  # a phone's margin: the style's smallest indent, not a page's
        footer, cover = layout.footer(), layout.cover()
        callout = layout.callout(self.width)
        rules = [
            f"html{{font-size:{s.body / CSS_DEFAULT_POINTS * PERCENT:.4g}%;-webkit-text-size-adjust:100%}}",
            f"body{{margin:0;font-family:{fonts};color:{c.text};line-height:{s.leading / s.body:.4g};"
            "overflow-wrap:break-word}",
            f".page,.cover-words,.emblem,.page-footer,.draft-notice p{{max-width:{rem(self.width)};margin-left:auto;"
            f"margin-right:auto;padding-left:{gutter};padding-right:{gutter}}}",
            f"p{{margin:0 0 {rem(s.space_after_paragraph)}}}",
            # Where the printed report turns a page, the screen leaves a heading's space.
            f".new-page{{padding-top:{rem(s.space_before_heading)}}}",
            f"a{{color:{c.link}}}",
            f".skip{{position:absolute;top:0;left:0;background:{c.cover_fill};color:{c.cover_text};"
            f"padding:{rem(s.cell_padding)}}}",
            # Out of sight until a keyboard reaches it, yet read by a screen reader.
            ".skip:not(:focus){clip-path:inset(50%);overflow:hidden;white-space:nowrap;width:1px;height:1px;padding:0}",
            f".draft-notice{{background:{c.placeholder_fill};color:{c.text};padding-top:{rem(s.cell_padding)};"
            f"padding-bottom:{rem(s.cell_padding)}}}",
            ".draft-notice p{margin-top:0;margin-bottom:0}",
            f".cover{{background:{cover.fill};color:{cover.text_colour};padding-top:{rem(s.space_before_heading)};"
            f"margin-bottom:{rem(s.space_before_heading)}}}",
            ".cover p{font-weight:bold;hyphens:manual}",
            f".band{{height:{rem(cover.band_height)};background:{cover.accent}}}",
            f".cover .emblem{{margin-top:0;margin-bottom:0;padding-top:{rem(cover.emblem.space_after if cover.emblem else 0)};"
            f"padding-bottom:{rem(s.space_before_heading)}}}" if cover.emblem else "",
            ".nowrap{white-space:nowrap}",
            f".logo{{max-width:100%;height:auto;display:block;margin-bottom:{rem(cover.logo.space if cover.logo else 0)}}}",
        ]
        for index, line in enumerate(cover.lines):
            weight = "bold" if line.bold else "normal"
            rules.append(f".cover .cover-{index}{{font-size:{rem(line.size)};line-height:{line.leading / line.size:.4g};"
                         f"margin:0 0 {rem(line.space_after)};font-weight:{weight}}}")
        if cover.emblem is not None:
            rules.append(f".cover .emblem{{font-size:{rem(cover.emblem.size)};line-height:{t.layout.heading_line_height:.4g}}}")
        for level in range(1, HEADING_LEVELS + 1):
            before = s.space_before_heading if level > 1 else 0
            rules.append(f"h{level}{{font-size:{rem(s.heading(level))};line-height:{shares.heading_line_height:.4g};"
                         f"color:{c.heading};margin:{rem(before)} 0 {rem(s.space_after_heading)}}}")
        selector = "ul"
        previous = 0.0
        for depth in range(LIST_LEVELS):
            item = layout.list_item(depth, s.space_after_paragraph)
            marker = css_string(item.bullet + "\u00a0")
            rules.append(f"{selector}{{margin:0 0 {rem(item.space_after)};padding-left:{rem(item.indent - previous)};"
                         f"list-style-type:{marker}}}")
            rules.append(f"{selector} li{{margin-bottom:{rem(item.space_after)}}}")
            previous = item.indent
            selector += " ul"
        table_look = layout.table(model.Table((model.Column(),), (), ()), self.width)
        pad = table_look.padding
        key = layout.key_facts(self.width)
        grid = f"{table_look.grid.width}pt solid {table_look.grid.colour}"
        rules += [
            f".table-wrap{{overflow-x:auto;margin-bottom:{rem(table_look.space_after)}}}",
            f"table{{border-collapse:collapse;width:100%;font-size:{rem(s.table)};line-height:{s.table_leading / s.table:.4g}}}",
            f"th,td{{border:{grid};padding:{rem(pad.top)} {rem(pad.right)} {rem(pad.bottom)} {rem(pad.left)};"
            "vertical-align:top;text-align:left}",
            "th{font-weight:bold}",
            f"td p{{margin:0 0 {rem(s.space_after_table_paragraph)}}}",
            "th p,td p:last-child,td ul:last-child{margin-bottom:0}",
            ".right{text-align:right}.centre{text-align:center}",
            f"caption{{caption-side:bottom;text-align:left;font-size:{rem(s.caption)};"
            f"line-height:{shares.caption_line_height:.4g};padding-top:{rem(s.space_small)}}}",
            f".key-facts{{margin-bottom:{rem(key.space_after)}}}",
            f".key-facts th{{background:{key.label_fill};color:{key.label_text}}}",
            f".key-facts td{{font-size:{rem(s.table)}}}",
            f"figure{{margin:0 0 {rem(s.space_after_paragraph)}}}",
            "figure svg{display:block;max-width:100%;height:auto}",
            # A value label's halo is its words again, stroked to mask the gridlines: not text to copy.
            "figure svg text[stroke]{user-select:none}",
            f"figcaption{{font-size:{rem(s.caption)};line-height:{shares.caption_line_height:.4g};"
            f"margin-top:{rem(s.space_small)}}}",
        ]
        panel = layout.unavailable(model.Chart("", "bar", "", None))
        rules += [
            f".unavailable{{display:flex;flex-direction:column;justify-content:center;text-align:center;"
            f"background:{panel.fill};color:{panel.text_colour};border:{shares.unavailable_rule}pt solid {panel.border.colour};"
            f"max-width:100%}}",
            ".unavailable p{margin:0}.unavailable .strong{font-weight:bold}",
            f".callout{{background:{callout.fill};border:{callout.border.width}pt solid {callout.border.colour};"
            f"padding:{rem(callout.padding.top)} {rem(callout.padding.right)} {rem(callout.padding.bottom)} "
            f"{rem(callout.padding.left)};margin:{rem(callout.space_before)} 0 {rem(callout.space_after)}}}",
            f".callout-title{{font-weight:bold;font-size:{rem(callout.title_size)};"
            f"line-height:{callout.title_leading / callout.title_size:.4g};color:{callout.words_colour};margin:0}}",
            f".callout-heading{{font-weight:bold;font-size:{rem(callout.heading_size)};color:{callout.words_colour}}}",
            f".columns{{display:flex;flex-wrap:wrap;column-gap:{rem(s.column_gap)};margin-bottom:{rem(s.space_after_paragraph)}}}",
            ".column{flex-grow:1;flex-shrink:1;min-width:0}",
            f".signature-name{{font-weight:bold;margin-top:{rem(s.body)};margin-bottom:{rem(s.space_small)}}}",
            f".contents ul{{list-style:none;padding-left:0;font-size:{rem(s.contents)}}}",
            f".contents li{{margin:0;padding-top:{rem(s.contents_padding)};padding-bottom:{rem(s.contents_padding)};"
            f"border-bottom:{grid}}}",
            ".contents li li:last-child{border-bottom:0;padding-bottom:0}",
            f".glossary{{display:grid;grid-template-columns:minmax(0,{shares.glossary_term_share * PERCENT:.4g}%) minmax(0,1fr);"
            f"column-gap:{rem(s.cell_padding * 2)};row-gap:{rem(s.space_after_table_paragraph)};font-size:{rem(s.table)}}}",
            ".glossary dt{font-weight:bold}.glossary dd{margin:0}.glossary p{margin:0}",
            f".placeholder{{color:{c.text}}}",
            f".page-footer{{color:{footer.colour};font-size:{rem(footer.size)};margin-top:{rem(s.space_before_heading)};"
            f"padding-top:{rem(footer.rule_gap)};padding-bottom:{rem(s.space_before_heading)}}}"
            + (f".page-footer{{border-top:{footer.rule.width}pt solid {footer.rule.colour}}}" if footer.rule else ""),
            ".draft-line{font-weight:bold}",
            # Print: the layout's page breaks, tables whole in their width, nothing for a screen only.
            "@media print{"
            f"@page{{size:{t.page.width:.4g}pt {t.page.height:.4g}pt;margin:{t.page.margin_top_mm:g}mm "
            f"{t.page.margin_right_mm:g}mm {t.page.margin_bottom_mm:g}mm {t.page.margin_left_mm:g}mm}}"
            ".skip{display:none}.cover{break-after:page;margin-bottom:0}"
            ".new-page{break-before:page;padding-top:0}h1,h2,h3,.callout-title{break-after:avoid}"
            "figure,.callout,tr,.unavailable{break-inside:avoid}thead{display:table-header-group}"
            ".table-wrap{overflow:visible}"
            ".page,.cover-words,.emblem,.page-footer,.draft-notice p{max-width:none;padding-left:0;padding-right:0}}",
        ]
        return "\n".join(rule for rule in rules if rule)

    def render(self) -> bytes:
        report = self.source.prepared.report
        title = report.title or " ".join(report.cover.title.split())
        blocks = list(report.blocks)
        # The contents before the first section stay outside ``main``, so the skip link passes them.
        leading = []
        while blocks and isinstance(blocks[0], model.Contents):
            leading.append(blocks.pop(0))
        body: list[str] = []
        self.out = body
        body.append(f'<a class="skip" href="#main">{escape(self.layout.labels.skip_link)}</a>\n')
        self.draft_notice()
        self.cover()
        if leading:
            body.append('<div class="page">\n')
            self.blocks(leading, self.width)
            body.append("</div>\n")
        body.append('<main id="main" class="page">\n')
        self.blocks(blocks, self.width)
        body.append("</main>\n")
        self.footer()
        head = (f'<!DOCTYPE html>\n<html lang="{escape(report.language)}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{escape(title)}</title>\n")
        if report.author:
            head += f'<meta name="author" content="{escape(report.author)}">\n'
        if report.subject:
            head += f'<meta name="description" content="{escape(report.subject)}">\n'
        head += f"<style>\n{self.stylesheet()}\n</style>\n</head>\n<body>\n"
        return (head + "".join(body) + "</body>\n</html>\n").encode("utf-8")


def _cover_words(line) -> str:
    """A cover line with the author's breaks; a hyphenated word ("2018-19") kept on one line
    when the line may not break at a hyphen."""
    parts = []
    for part in line.parts:
        words = [escape(word) for word in part.split(" ")]
        if not line.hyphen_breaks:
            words = [f'<span class="nowrap">{word}</span>' if "-" in word else word for word in words]
        parts.append(" ".join(words))
    return "<br>".join(parts)


def inline_svg(markup: str, alt: str, id_prefix: str, width: str) -> str:
    """vl-convert's SVG as one picture of the page: named by its alt text (role img), its marks'
    own ARIA dropped, its ids (if any) made the page's own, drawn ``width`` wide and scaled down
    with the column. The chart's words inside it are escaped by Vega already."""
    markup = _XML_DECLARATION.sub("", markup)
    opening = _SVG_OPENING.search(markup)
    if opening is None:
        raise ValueError("vl-convert returned no SVG element")
    view_box = _SVG_VIEW_BOX.search(opening.group(0))
    inner = _SVG_ARIA.sub("", markup[opening.end():])
    inner = _SVG_ID.sub(lambda m: m.group(1) + id_prefix + m.group(2), inner)
    box = f' viewBox="{escape(view_box.group(1))}"' if view_box else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{box} role="img" '
            f'aria-label="{escape(alt)}" focusable="false" style="width:{width}">{inner}')


def render_html(source: RenderInput) -> bytes:
    return HtmlWriter(source).render()

