"""The DOCX writer (python-docx). Reads the model and the theme; knows nothing of the PDF writer.

Word's own machinery is used wherever it exists: Heading 1-3 and List Bullet styles, real
tables with repeating header rows, a TOC field that Word refreshes on opening. What Word has
and python-docx has no API for is done by the named functions of ``oxml``, as are the hottest of
python-docx's setters (run and paragraph formats, column widths …), which ``oxml`` does with
python-docx's XML in a fraction of its time (tests/test_oxml_bypasses.py compares them); the
visitors here use python-docx's public API only (tests/test_docx_writer.py checks).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import attrs
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm, Pt, RGBColor

from .. import model, wordtemplate
from ..versions import installed_version
from ..layout import CONTENTS_LEVELS, HEADING_LEVELS, Layout, Padding
from ..theme import MM, Theme
from . import oxml
from .base import PLACEHOLDER_PAGES, RenderInput, column_widths, dispatch

ZIP_EPOCH_YEAR = 1980  # the earliest date a zip member can carry
ZIP_FILE_MODE = 0o644 << 16  # rw-r--r--, in the high half of a zip member's external attributes

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _version() -> str | None:
    """This package's version for the document's properties; None (and none recorded) when
    it runs from a source tree that was never installed."""
    return installed_version("assessment")


def _rgb(hex_value: str) -> RGBColor:
    return RGBColor.from_string(hex_value.lstrip("#").upper())


@attrs.define
class DocxWriter:
    source: RenderInput
    document: object = attrs.field(init=False)
    layout: Layout = attrs.field(init=False)
    _styles: dict = attrs.field(init=False, factory=dict)
    _template: object = attrs.field(init=False, default=None)  # wordtemplate.WordTemplate
    _section_level: int = attrs.field(init=False, default=0)  # of the section being written
    _bookmarks: dict = attrs.field(init=False, factory=dict)  # section id -> its contents entry's anchor
    _bookmarks_placed: list = attrs.field(init=False, factory=list)
    _shape_ids: dict = attrs.field(init=False, factory=dict)  # story part -> its next picture id

    _theme: Theme = attrs.field(init=False)

    def __attrs_post_init__(self):
        self._theme = self.source.theme
        template_path = self._theme.word_template_path()
        if template_path is not None:
            # The council's template decides the Word edition's page, cover included.
            self._template = wordtemplate.read(template_path)
            self._theme = attrs.evolve(self._theme, page=self._template.page(self._theme.page))
        self.layout = Layout(self.source.prepared, self._theme, self.source.draft)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def frame_width(self) -> float:
        return self.theme.page.frame_width

    # setup
    def _setup(self) -> None:
        t, s, c = self.theme, self.theme.sizes, self.theme.colours
        doc = self.document = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = Pt(t.page.width), Pt(t.page.height)
        section.top_margin, section.bottom_margin = Mm(t.page.margin_top_mm), Mm(t.page.margin_bottom_mm)
        section.left_margin, section.right_margin = Mm(t.page.margin_left_mm), Mm(t.page.margin_right_mm)
        section.footer_distance = Mm(t.page.footer_offset_mm)
        section.different_first_page_header_footer = True

        def font(style, size, colour, bold=None):
            style.font.name = t.fonts.docx_family
            oxml.set_style_fonts(style, t.fonts.docx_family)
            style.font.size = Pt(size)
            style.font.color.rgb = _rgb(colour)
            if bold is not None:
                style.font.bold = bold

        styles = doc.styles
        normal = styles["Normal"]
        font(normal, s.body, c.text)
        normal.paragraph_format.space_after = Pt(s.space_after_paragraph)
        _leading(normal, s.leading)
        for level in range(1, HEADING_LEVELS + 1):
            heading = styles[f"Heading {level}"]
            font(heading, s.heading(level), c.heading, bold=True)
            heading.font.italic = False
            heading.paragraph_format.space_before = Pt(s.space_before_heading if level > 1 else 0)
            heading.paragraph_format.space_after = Pt(s.space_after_heading)
            heading.paragraph_format.keep_with_next = True
            _leading(heading, s.heading(level) * t.layout.heading_line_height)
        font(styles["Caption"], s.caption, c.text, bold=False)
        styles["Caption"].font.italic = False
        _leading(styles["Caption"], s.caption * t.layout.caption_line_height)
        font(styles["TOC Heading"], s.heading1, c.heading, bold=True)
        for name, size in (("Title", s.cover_title), ("Subtitle", s.cover_emblem)):
            font(styles[name], size, c.cover_text, bold=True)
            styles[name].font.italic = False
            oxml.drop_paragraph_borders(styles[name])  # python-docx's template rules a line under its Title
        # In the navigation pane and the exported bookmarks, as the PDF's outline has it; the
        # contents field lists only its own entries (TC fields), so it does not list itself.
        oxml.set_outline_level(styles["TOC Heading"], 1)
        for depth in range(self.layout.list_levels):
            item = self.layout.list_item(depth, s.space_after_paragraph)
            styles[_list_style(item.level)].paragraph_format.space_after = Pt(item.space_after)
        table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        table_text.font.size = Pt(s.table)
        table_text.paragraph_format.space_after = Pt(s.space_after_table_paragraph)
        _leading(table_text, s.table_leading)
        names = {x.name for x in styles}
        for level in range(1, CONTENTS_LEVELS + 1):
            name = f"TOC {level}"
            toc = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            toc.base_style = normal
            toc.font.size = Pt(s.contents)
            toc.paragraph_format.space_after = Pt(s.contents_padding)
            toc.paragraph_format.left_indent = Pt(self.layout.contents_indent(level))
            toc.paragraph_format.tab_stops.add_tab_stop(Pt(self.frame_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if self._template is not None:
            # Last, so the council's own definitions replace the ones the style gave above.
            oxml.adopt_template(doc, self._template)

        self._footer(section)
        if self.source.draft:
            for header in (section.header, section.first_page_header):
                self._watermark(header)

    def _footer(self, section) -> None:
        look = self.layout.footer()
        paragraph = section.footer.paragraphs[0]
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(self.frame_width), WD_TAB_ALIGNMENT.RIGHT)
        oxml.add_run(paragraph, f"{look.text}\t")
        oxml.add_field(paragraph, "PAGE", str(self.layout.first_page_number))
        for run in paragraph.runs:
            oxml.format_run(run, size=Pt(look.size), colour=_rgb(look.colour))
        if look.rule is not None:
            oxml.set_paragraph_top_border(paragraph, look.rule.colour, look.rule.width, look.rule_gap)
        if look.draft is not None:
            marked = section.footer.add_paragraph()
            marked.alignment = WD_ALIGN_PARAGRAPH.CENTER
            marked.paragraph_format.space_before = Pt(look.draft_gap)
            oxml.format_run(oxml.add_run(marked, look.draft), bold=True, size=Pt(look.size))

    def _watermark(self, header) -> None:
        mark = self.layout.watermark()
        oxml.add_watermark(header.paragraphs[0], mark.text, self.theme.fonts.docx_family, mark.fill,
                           opacity=mark.opacity, width=mark.width, height=mark.height, rotation=mark.clockwise)

    def _properties(self) -> None:
        report = self.source.prepared.report
        props = self.document.core_properties
        when = dt.datetime.combine(report.date, dt.time())
        props.title = report.title
        props.subject = report.subject
        props.author = report.author
        props.last_modified_by = report.author
        props.language = report.language
        props.created = when
        props.modified = when
        props.revision = 1
        props.keywords = self.layout.labels.keywords
        props.comments = ""  # the template's "generated by python-docx"; dropped below as empty
        oxml.drop_empty_core_properties(self.document)
        oxml.set_app_properties(self.document, "assessment", _version(), report.cover.organisation)
        # What python-docx's template brings that is no part of this document: a thumbnail of
        # another document, an empty bibliography (custom XML), and Word 2010's copy of the
        # template's styles, which would contradict the styles set above.
        package_rels, document_rels = self.document.part.package.rels, self.document.part.rels
        oxml.drop_relationships(package_rels, RT.THUMBNAIL)
        oxml.drop_relationships(document_rels, RT.CUSTOM_XML)
        oxml.drop_relationships(document_rels, oxml.STYLES_WITH_EFFECTS)
        oxml.drop_template_settings(self.document)
        if self.layout.contents_refresh_on_open:
            oxml.update_fields_on_open(self.document)
        oxml.set_default_language(self.document, report.language)

    # inline
    def runs(self, paragraph, spans, *, bold: bool = False) -> None:
        for span in spans:
            if isinstance(span, model.Placeholder):
                words, fill = self.layout.placeholder(span)
                oxml.shade_run(oxml.add_run(paragraph, words), fill)
                continue
            href = self.layout.link(span)
            if href:
                self._hyperlink(paragraph, span, href)
                continue
            oxml.format_run(oxml.add_run(paragraph, span.text), bold=span.bold or bold or None, italic=span.italic or None)

    def _hyperlink(self, paragraph, span: model.Text, href: str) -> None:
        run = oxml.add_hyperlink(paragraph, href, span.text)
        run.font.underline = True
        oxml.format_run(run, colour=_rgb(self.theme.colours.link), bold=span.bold or None)

    # blocks; ``into`` is the document or a table cell
    def blocks(self, blocks, into, width: float, style: str = "Normal", bold: bool = False) -> None:
        for block in blocks:
            dispatch(self, block, into, width, style, bold)

    def _paragraph(self, into, style: str):
        paragraph = oxml.trailing_empty_paragraph(into)
        return self.styled(paragraph if paragraph is not None else oxml.add_paragraph(into), style)

    def style(self, name: str):
        # python-docx finds a style by name with a linear search each time; look once.
        if name not in self._styles:
            self._styles[name] = self.document.styles[name]
        return self._styles[name]

    def styled(self, paragraph, name: str):
        """Set a paragraph style by id: python-docx's setter scans every style on each call."""
        if name != "Normal":
            oxml.set_paragraph_style_id(paragraph, self.style(name).style_id)
        return paragraph

    def visit_Paragraph(self, node: model.Paragraph, into, width, style="Normal", bold=False):
        paragraph = self._paragraph(into, style)
        self.runs(paragraph, node.spans, bold=bold)
        return paragraph

    def visit_BulletList(self, node: model.BulletList, into, width, style="Normal", bold=False, depth=0):
        s = self.theme.sizes
        in_table = style == "Table Text"
        look = self.layout.list_item(depth, s.space_after_table_paragraph if in_table else s.space_after_paragraph)
        for item in node.items:
            paragraph = self._paragraph(into, _list_style(look.level))
            self.runs(paragraph, item.paragraph.spans, bold=bold)
            if in_table:
                # Word has one List Bullet style; in a table the bullets take the table's size.
                oxml.format_paragraph(paragraph, space_after=Pt(look.space_after))
                for run in paragraph.runs:
                    oxml.format_run(run, size=Pt(s.table))
            if item.children:
                self.visit_BulletList(item.children, into, width, style, bold, depth + 1)

    def visit_Section(self, node: model.Section, into, width, style="Normal", bold=False):
        heading = self.styled(oxml.add_paragraph(self.document, node.title), f"Heading {self.layout.heading_level(node)}")
        entry = self.source.prepared.contents_entry(node.id)
        if entry is not None:
            oxml.add_contents_entry(heading, entry.title, entry.level)
        if self.layout.starts_page(node):
            oxml.format_paragraph(heading, page_break_before=True)
        bookmark = self._bookmarks.get(node.id)
        if bookmark is not None:
            oxml.add_bookmark(heading, bookmark, len(self._bookmarks_placed))
            self._bookmarks_placed.append(bookmark)
        outer, self._section_level = self._section_level, self.layout.heading_level(node)
        self.blocks(node.blocks, into, width)
        self._section_level = outer
        if self.layout.heading_keeps_next_whole:
            oxml.keep_next_paragraph_whole(heading)

    def _table(self, into, rows: int, widths: list[float], padding: Padding | None = None):
        """A table of fixed column widths; ``padding`` (points) is its cells' margins, none: Word's."""
        if into is self.document:
            table = oxml.add_body_table(into, rows, len(widths), Pt(sum(widths)))
        else:
            table = into.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        oxml.set_column_widths(table, [Pt(w) for w in widths])
        if padding is not None:
            oxml.set_cell_margins(table, padding.top, padding.right, padding.bottom, padding.left)
        return table

    def visit_Table(self, node: model.Table, into, width, style="Normal", bold=False):
        look = self.layout.table(node, width, nested=into is not self.document)
        oxml.separate_from_a_table_above(into, look.space_after)
        table = self._table(into, len(look.rows), list(look.widths), look.padding)
        oxml.set_table_borders(table, look.grid.colour, look.grid.width)
        docx_rows = list(table.rows)  # table.rows[r] wraps every row on each access: quadratic
        # look.keep_together is not realised: Word has no "keep a table whole when it fits", and
        # keeping each row with the next pushes a table taller than a page away from its heading.
        for row, docx_row in zip(look.rows, docx_rows):
            if row.is_header:
                oxml.repeat_header_row(docx_row)
            if not any(self.layout.taller_than_a_page(p.cell.blocks, p.width) for p in row.cells):
                oxml.cant_split_row(docx_row)  # a row splits only when it is taller than a page
            docx_cells = oxml.row_cells(docx_row)  # python-docx's row.cells, made once per row
            for placed in row.cells:
                cell, col = placed.cell, placed.column
                target = docx_cells[col]
                if cell.colspan > 1:
                    target = oxml.merge_across(target, docx_cells[col + cell.colspan - 1])
                self.blocks(cell.blocks, target, placed.width, "Table Text", bold=row.bold)
                align = look.aligns[col] if col < len(look.aligns) else "left"
                for paragraph in target.paragraphs:
                    oxml.format_paragraph(paragraph, alignment=_ALIGN[align], space_after=Pt(row.paragraph_space))
                    if row.indent and col == 0:
                        paragraph.paragraph_format.left_indent = Pt(row.indent)
                    if row.text_colour is not None:
                        for run in paragraph.runs:
                            oxml.format_run(run, colour=_rgb(row.text_colour))
                if row.fill is not None:
                    oxml.shade_cell(target, row.fill)
        if look.caption:
            self.runs(self._paragraph(into, "Caption"), self.layout.caption_spans(look.caption))
        return table

    def visit_KeyFacts(self, node: model.KeyFacts, into, width, style="Normal", bold=False):
        look = self.layout.key_facts(width)
        table = self._table(into, len(node.rows), [look.label_width, look.content_width], look.padding)
        oxml.set_table_borders(table, look.grid.colour, look.grid.width)
        for fact, row in zip(node.rows, table.rows):
            label, content = oxml.row_cells(row)
            oxml.shade_cell(label, look.label_fill)
            paragraph = self._paragraph(label, "Table Text")
            run = oxml.add_run(paragraph, fact.label)
            oxml.format_run(run, bold=True, colour=_rgb(look.label_text))
            self.blocks(fact.blocks, content, look.inner_width, "Table Text")

    def visit_Chart(self, node: model.Chart, into, width, style="Normal", bold=False):
        prepared = self.source.prepared
        look = self.layout.chart(node, width)
        if look.panel is None:
            paragraph = self._paragraph(into, style)
            oxml.format_paragraph(paragraph, keep_with_next=look.keep_with_caption)
            run = paragraph.add_run()
            inline = oxml.add_picture(run, self.source.pictures[node.id].png, Pt(look.width), Pt(look.height), self._shape_ids)
            oxml.set_picture_alt_text(inline, node.id, prepared.alt_texts[node.id])
        else:
            self._unavailable_panel(look.panel, into, look.width, look.height, look.keep_with_caption)
        caption = self._paragraph(into, "Caption")
        self.runs(caption, self.layout.caption_spans(look.caption))
        if look.note:
            caption.add_run().add_break()  # the note on a line of its own, in the same caption
            self.runs(caption, self.layout.caption_spans(look.note))

    def _unavailable_panel(self, panel, into, width: float, height: float, keep_with_caption: bool) -> None:
        table = self._table(into, 1, [width])
        oxml.set_table_borders(table, panel.border.colour, panel.border.width)
        row = table.rows[0]
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cell = row.cells[0]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        oxml.shade_cell(cell, panel.fill)
        for line in panel.lines:
            paragraph = self._paragraph(cell, "Normal")
            oxml.format_paragraph(paragraph, alignment=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=keep_with_caption,
                                  space_after=Pt(0))
            paragraph.paragraph_format.line_spacing = Pt(line.leading)
            run = oxml.add_run(paragraph, line.text)
            oxml.format_run(run, bold=line.strong or None, size=Pt(line.size), colour=_rgb(panel.text_colour))

    def visit_Callout(self, node: model.Callout, into, width, style="Normal", bold=False):
        look = self.layout.callout(width)
        table = self._table(into, 1, [width], look.padding)
        oxml.set_table_borders(table, look.border.colour, look.border.width)
        if not self.layout.taller_than_a_page(node.blocks, look.inner_width):
            oxml.cant_split_row(table.rows[0])  # kept whole, unless it is taller than a page
        cell = table.rows[0].cells[0]
        oxml.shade_cell(cell, look.fill)
        for text, is_title in self.layout.callout_lines(node):
            size = look.title_size if is_title else look.heading_size
            paragraph = self._paragraph(cell, "Normal")
            if is_title:
                # A heading to assistive technology and Word's navigation pane, one level under
                # the section it closes; its look stays the box's.
                oxml.set_paragraph_outline_level(paragraph, min(self._section_level + 1, HEADING_LEVELS))
            run = oxml.add_run(paragraph, text)
            oxml.format_run(run, bold=True, size=Pt(size), colour=_rgb(look.words_colour))
        self.blocks(node.blocks, cell, look.inner_width)

    def visit_SideBySide(self, node: model.SideBySide, into, width, style="Normal", bold=False):
        # A borderless one-row table is the grid Word and LibreOffice both keep side by side
        # (section columns would not work inside a cell); its columns hold the real content.
        column_width, grid_widths = column_widths(width, len(node.columns), self.theme.sizes.column_gap)
        grid = self._table(into, 1, grid_widths)
        oxml.set_cell_margins(grid)  # none, so a column's content has the column's whole width
        for column, cell in zip(node.columns, grid.rows[0].cells):
            self.blocks(column, cell, column_width, style, bold)  # close_cells tidies each cell

    def visit_Signature(self, node: model.Signature, into, width, style="Normal", bold=False):
        s = self.theme.sizes
        name = oxml.add_paragraph(into)
        name.paragraph_format.space_before = Pt(s.body)
        name.paragraph_format.space_after = Pt(s.space_small)
        oxml.add_run(name, node.name).bold = True
        oxml.add_paragraph(into, node.role)

    def visit_Contents(self, node: model.Contents, into, width, style="Normal", bold=False):
        pages = self.source.pages
        look = self.layout.contents(node, width)
        heading = self.styled(oxml.add_paragraph(into), "TOC Heading")
        oxml.add_run(heading, look.heading)
        oxml.format_paragraph(heading, page_break_before=look.new_page)
        header = oxml.add_paragraph(into)
        header.paragraph_format.tab_stops.add_tab_stop(Pt(self.frame_width), WD_TAB_ALIGNMENT.RIGHT)
        oxml.add_run(header, f"{look.item_label}\t{look.page_label}").bold = True
        paragraphs = [self.styled(oxml.add_paragraph(into), f"TOC {line.level}") for line in look.lines]
        if not paragraphs:
            return
        # The TOC field wraps the entries; until Word refreshes it, they show the PDF's pages.
        # Built from the headings' TC fields (\\f), a refreshed contents lists what the PDF's does,
        # not every Heading 1 and 2.
        first, last = paragraphs[0], paragraphs[-1]
        oxml.add_field_char(first, "begin")
        oxml.add_field_code(first, f'TOC \\f \\l "1-{CONTENTS_LEVELS}" \\h \\z')
        oxml.add_field_char(first, "separate")
        for index, (line, paragraph) in enumerate(zip(look.lines, paragraphs)):
            label = pages.label(line.section_id) if pages else PLACEHOLDER_PAGES
            # A link to the heading, as Word's own contents entries are (the TOC field's \h).
            self._bookmarks[line.section_id] = f"_Toc{index + 1:04d}"
            oxml.add_internal_link(paragraph, self._bookmarks[line.section_id], f"{line.text}\t{label}")
        oxml.add_field_char(last, "end")

    def visit_Glossary(self, node: model.Glossary, into, width, style="Normal", bold=False):
        self.visit_Table(self.layout.glossary(node), into, width)

    def visit_DataSources(self, node: model.DataSources, into, width, style="Normal", bold=False):
        self.visit_BulletList(self.layout.data_sources(node), into, width, style)

    def cover(self) -> None:
        """The cover as a box inside the margins (Word has no page background of a page's own):
        the words' rows above the accent band, the band, the emblem's row below, each where the
        layout puts it on the PDF's cover."""
        t, look = self.theme, self.layout.cover()
        top, bottom = t.page.margin_top_mm * MM, t.page.height - look.box_bottom
        # No cell margins, so the box's edge is the margin's (Word sets a table out by its cells'
        # left margin); the words are indented to the cover's inset instead.
        inset = max(look.inset - t.page.margin_left_mm * MM, 0)
        heights = (t.page.height - look.band_top - top, look.band_height, bottom - (t.page.height - look.band_bottom))
        table = self._table(self.document, len(heights), [self.frame_width], Padding(0, 0, 0, 0))
        words, _band, foot = table.rows
        for row, height, fill in zip(table.rows, heights, (look.fill, look.accent, look.fill)):
            row.height = Pt(max(height, 0))
            row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
            oxml.shade_cell(row.cells[0], fill)
            oxml.cant_split_row(row)
        before = max(look.text_top - top, 0)
        cell = words.cells[0]
        logo = look.logo
        if logo is not None and logo.above:
            self._cover_logo(cell.paragraphs[0], logo, inset, space_after=logo.space)
        for line in look.lines:
            paragraph = oxml.trailing_empty_paragraph(cell) or cell.add_paragraph()
            self._cover_line(paragraph, line, look.text_colour, inset)
        if logo is not None and not logo.above:
            self._cover_logo(cell.add_paragraph(), logo, inset, space_before=logo.space)
        cell.paragraphs[0].paragraph_format.space_before = Pt(before)
        if look.emblem is not None:
            # The emblem's baseline sits emblem_drop sizes under the band: its line's top one size above that.
            paragraph = foot.cells[0].paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(max(look.band_bottom - look.emblem_baseline - look.emblem.size, 0))
            self._cover_line(paragraph, look.emblem, look.text_colour, inset)
        if look.draft_note is not None:
            self._cover_line(oxml.trailing_empty_paragraph(foot.cells[0]) or foot.cells[0].add_paragraph(),
                             look.draft_note, look.text_colour, inset)

    def _cover_line(self, paragraph, line, colour: str, inset: float) -> None:
        if line.role:
            # The report's title in Word's Title style (the emblem a Subtitle): the document's
            # title to a screen reader and Word's accessibility checker, its look the cover's.
            self.styled(paragraph, "Title" if line.role == "title" else "Subtitle")
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(inset)
        paragraph.paragraph_format.space_after = Pt(line.space_after)
        paragraph.paragraph_format.line_spacing = Pt(line.leading)
        run = oxml.add_run(paragraph, line.text)  # python-docx writes each "\n" as a line break
        oxml.format_run(run, bold=line.bold, size=Pt(line.size), colour=_rgb(colour))
        if not line.hyphen_breaks:
            oxml.no_break_hyphens(run)

    def _cover_logo(self, paragraph, logo, inset: float, *, space_before: float = 0, space_after: float = 0) -> None:
        paragraph.paragraph_format.left_indent = Pt(inset)
        paragraph.paragraph_format.space_before = Pt(space_before)
        paragraph.paragraph_format.space_after = Pt(space_after)
        inline = oxml.add_picture(paragraph.add_run(), logo.png, Pt(logo.width), Pt(logo.height), self._shape_ids)
        oxml.set_picture_alt_text(inline, "logo", logo.alt)
        oxml.no_picture_distance(inline)

    def render(self) -> bytes:
        self._setup()
        report = self.source.prepared.report
        self.cover()
        blocks = report.blocks
        self.blocks(blocks, self.document, self.frame_width)
        # Last, so the parts it unlinks free no relationship ids for the body's pictures and
        # links to take: their ids stay what they were before the clean-up existed.
        oxml.close_cells(self.document)
        self._properties()
        return _fixed_zip(oxml.package_members(self.document), report.date)


def _list_style(level: int) -> str:
    """Word's bullet list style for a list ``level`` deep (1: the outer list)."""
    return "List Bullet" if level == 1 else f"List Bullet {level}"


def _fixed_zip(members, date: dt.date) -> bytes:
    """Same input, same bytes: ``members`` (name, bytes), python-docx's in its order, zipped
    with fixed member timestamps."""
    stamp = (max(date.year, ZIP_EPOCH_YEAR), date.month, date.day, 0, 0, 0)
    latest = dict(members)  # a name written twice: its last bytes, as read back by name from a zip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, _ in members:
            fixed = zipfile.ZipInfo(name, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = ZIP_FILE_MODE
            target.writestr(fixed, latest[name])
    return out.getvalue()


def render_docx(source: RenderInput) -> bytes:
    return DocxWriter(source).render()


def _leading(style, points: float) -> None:
    """The PDF's baseline-to-baseline distance, as Word's "at least": a multiple would scale the
    font's own line height (1.15 times the size for Liberation Sans), so the same leading ran
    looser in Word; "exactly" would clip a picture or larger type in the paragraph."""
    style.paragraph_format.line_spacing = Pt(points)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
