"""The DOCX writer (python-docx). Reads the model and the theme; knows nothing of the PDF writer.

Word's own machinery is used wherever it exists: Heading 1-3 and List Bullet styles, real
tables with repeating header rows, a TOC field that Word refreshes on opening. What Word has
and python-docx has no API for is done by the named functions of ``oxml``; the visitors here
use python-docx's public API only (tests/test_docx_writer.py checks).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import io
import zipfile

import attrs
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm, Pt, RGBColor

from .. import model
from ..theme import Theme
from ..transforms import data_sources_list, glossary_table
from . import oxml
from .base import PLACEHOLDER_PAGES, RenderInput, column_widths, dispatch

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _version() -> str | None:
    """This package's version for the document's properties; None (and none recorded) when
    it runs from a source tree that was never installed."""
    try:
        return importlib.metadata.version("assessment")
    except importlib.metadata.PackageNotFoundError:
        return None


def _rgb(hex_value: str) -> RGBColor:
    return RGBColor.from_string(hex_value.lstrip("#").upper())


@attrs.define
class DocxWriter:
    source: RenderInput
    document: object = attrs.field(init=False)
    _styles: dict = attrs.field(init=False, factory=dict)

    @property
    def theme(self) -> Theme:
        return self.source.theme

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
        # A multiple, not an exact height: exact spacing would clip pictures and big type.
        normal.paragraph_format.line_spacing = s.leading / s.body
        for level in (1, 2, 3):
            heading = styles[f"Heading {level}"]
            font(heading, s.heading(level), c.heading, bold=True)
            heading.font.italic = False
            heading.paragraph_format.space_before = Pt(s.space_before_heading if level > 1 else 0)
            heading.paragraph_format.space_after = Pt(s.space_after_heading)
            heading.paragraph_format.keep_with_next = True
        font(styles["Caption"], s.caption, c.text, bold=False)
        styles["Caption"].font.italic = False
        font(styles["TOC Heading"], s.heading1, c.heading, bold=True)
        for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
            styles[name].paragraph_format.space_after = Pt(s.space_after_paragraph / 2)
        table_text = styles.add_style("Table Text", 1)
        table_text.base_style = normal
        table_text.font.size = Pt(s.table)
        table_text.paragraph_format.space_after = Pt(3)
        table_text.paragraph_format.line_spacing = s.table_leading / s.table
        for level in (1, 2):
            toc = styles.add_style(f"TOC {level}", 1) if f"TOC {level}" not in [x.name for x in styles] else styles[f"TOC {level}"]
            toc.base_style = normal
            toc.font.size = Pt(s.contents)
            toc.paragraph_format.space_after = Pt(4)
            toc.paragraph_format.left_indent = Pt(0 if level == 1 else s.bullet_indent)
            toc.paragraph_format.tab_stops.add_tab_stop(Pt(self.frame_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

        self._footer(section)
        if self.source.draft:
            for header in (section.header, section.first_page_header):
                self._watermark(header)

    def _footer(self, section) -> None:
        t = self.theme
        report = self.source.prepared.report
        paragraph = section.footer.paragraphs[0]
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(self.frame_width), WD_TAB_ALIGNMENT.RIGHT)
        lead = paragraph.add_run(f"{report.cover.organisation} \u2013 {report.cover.title}\t")
        lead.font.size = Pt(t.sizes.footer)
        oxml.add_field(paragraph, "PAGE", "1")
        for run in paragraph.runs:
            run.font.size = Pt(t.sizes.footer)
            run.font.color.rgb = _rgb(t.colours.footer_text)
        if self.source.draft:
            marked = section.footer.add_paragraph()
            run = marked.add_run(self.source.draft.footer)
            run.bold = True
            run.font.size = Pt(t.sizes.footer)

    def _watermark(self, header) -> None:
        oxml.add_watermark(header.paragraphs[0], "DRAFT", self.theme.fonts.docx_family,
                           self.theme.colours.placeholder_fill)

    def _properties(self) -> None:
        report = self.source.prepared.report
        props = self.document.core_properties
        when = dt.datetime.combine(report.date, dt.time(0, 0))
        props.title = report.title
        props.subject = report.subject
        props.author = report.author
        props.last_modified_by = report.author
        props.language = report.language
        props.created = when
        props.modified = when
        props.revision = 1
        props.keywords = "Community Safety Partnership; Strategic Assessment"
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
        oxml.update_fields_on_open(self.document)
        oxml.set_default_language(self.document, report.language)

    # inline
    def runs(self, paragraph, spans, *, bold: bool = False) -> None:
        for span in spans:
            if isinstance(span, model.Placeholder):
                run = paragraph.add_run(f"[{span.text}]")
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                continue
            if span.href:
                self._hyperlink(paragraph, span)
                continue
            run = paragraph.add_run(span.text)
            run.bold = span.bold or bold or None
            run.italic = span.italic or None

    def _hyperlink(self, paragraph, span: model.Text) -> None:
        run = oxml.add_hyperlink(paragraph, span.href, span.text)
        run.font.underline = True
        run.font.color.rgb = _rgb(self.theme.colours.link)
        run.bold = span.bold or None

    # blocks; ``into`` is the document or a table cell
    def blocks(self, blocks, into, width: float, style: str = "Normal", bold: bool = False) -> None:
        for block in blocks:
            dispatch(self, block, into, width, style, bold)

    def _paragraph(self, into, style: str):
        paragraph = oxml.trailing_empty_paragraph(into)
        return self.styled(paragraph if paragraph is not None else into.add_paragraph(), style)

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

    def visit_BulletList(self, node: model.BulletList, into, width, style="Normal", bold=False, depth=1):
        for item in node.items:
            paragraph = self._paragraph(into, "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}")
            self.runs(paragraph, item.paragraph.spans, bold=bold)
            if style == "Table Text":
                # Word has one List Bullet style; in a table the bullets take the table's size.
                paragraph.paragraph_format.space_after = Pt(2)
                for run in paragraph.runs:
                    run.font.size = Pt(self.theme.sizes.table)
            if item.children:
                self.visit_BulletList(item.children, into, width, style, bold, depth + 1)

    def visit_Section(self, node: model.Section, into, width, style="Normal", bold=False):
        heading = self.styled(self.document.add_paragraph(node.title), f"Heading {min(node.level, 3)}")
        entry = self.source.prepared.contents_entry(node.id)
        if entry is not None:
            oxml.add_contents_entry(heading, entry.title, entry.level)
        if node.new_page if node.new_page is not None else node.level <= self.theme.page.new_page_level:
            heading.paragraph_format.page_break_before = True
        self.blocks(node.blocks, into, width)

    def _table(self, into, rows: int, widths: list[float]):
        table = into.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Pt(w)
        for column, w in zip(table.columns, widths):
            column.width = Pt(w)
        return table

    def visit_Table(self, node: model.Table, into, width, style="Normal", bold=False):
        c = self.theme.colours
        total = sum(col.width for col in node.columns)
        widths = [width * col.width / total for col in node.columns]
        all_rows = node.header_rows + node.rows
        table = self._table(into, len(all_rows), widths)
        oxml.set_table_borders(table, c.table_border, 4)
        header_count = len(node.header_rows)
        has_title = header_count > 1 and node.header_rows[0][0].colspan == len(node.columns)
        docx_rows = list(table.rows)  # table.rows[r] wraps every row on each access: quadratic
        for r, (row, docx_row) in enumerate(zip(all_rows, docx_rows)):
            is_header = r < header_count
            emphasised = not is_header and (r - header_count) in node.emphasis_rows
            if is_header:
                oxml.repeat_header_row(docx_row)
            oxml.cant_split_row(docx_row)
            col = 0
            docx_cells = docx_row.cells  # computed afresh on every access, so once per row
            for cell in row:
                target = docx_cells[col]
                if cell.colspan > 1:
                    target = target.merge(docx_cells[col + cell.colspan - 1])
                cell_width = sum(widths[col:col + cell.colspan])
                self.blocks(cell.blocks, target, cell_width, "Table Text", bold=is_header or emphasised)
                align = node.columns[col].align if col < len(node.columns) else "left"
                for paragraph in target.paragraphs:
                    paragraph.alignment = _ALIGN[align]
                    if is_header:
                        for run in paragraph.runs:
                            run.font.color.rgb = _rgb(c.table_header_text)
                if is_header:
                    oxml.shade_cell(target, c.table_title_fill if has_title and r == 0 else c.table_header_fill)
                elif emphasised:
                    oxml.shade_cell(target, c.table_emphasis_fill)
                col += cell.colspan
        if node.caption:
            self._paragraph(into, "Caption").add_run(node.caption)
        return table

    def visit_KeyFacts(self, node: model.KeyFacts, into, width, style="Normal", bold=False):
        c = self.theme.colours
        widths = [width * 0.26, width * 0.74]
        table = self._table(into, len(node.rows), widths)
        oxml.set_table_borders(table, c.table_border, 4)
        for fact, row in zip(node.rows, table.rows):
            label, content = row.cells
            oxml.shade_cell(label, c.key_label_fill)
            paragraph = self._paragraph(label, "Table Text")
            run = paragraph.add_run(fact.label)
            run.bold = True
            run.font.color.rgb = _rgb(c.key_label_text)
            self.blocks(fact.blocks, content, widths[1] - 12, "Table Text")

    def visit_Chart(self, node: model.Chart, into, width, style="Normal", bold=False):
        prepared = self.source.prepared
        scale = min(1.0, (width - 10) / node.width)
        w, h = node.width * scale, node.height * scale
        if node.available:
            paragraph = self._paragraph(into, style)
            paragraph.paragraph_format.keep_with_next = True
            run = paragraph.add_run()
            inline = run.add_picture(io.BytesIO(self.source.pictures[node.id].png), width=Pt(w), height=Pt(h))
            oxml.set_picture_alt_text(inline, node.id, prepared.alt_texts[node.id])
        else:
            self._unavailable_panel(node, into, w, h)
        caption = self._paragraph(into, "Caption")
        caption.add_run(prepared.caption(node))

    def _unavailable_panel(self, node: model.Chart, into, width: float, height: float) -> None:
        c = self.theme.colours
        table = self._table(into, 1, [width])
        oxml.set_table_borders(table, c.unavailable_border, 6)
        row = table.rows[0]
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cell = row.cells[0]
        oxml.shade_cell(cell, c.unavailable_fill)
        lines = [("Data not available", True, self.theme.sizes.body), (node.title, False, self.theme.sizes.small)]
        if node.unavailable_reason:
            lines.append((node.unavailable_reason, False, self.theme.sizes.small))
        for text, strong, size in lines:
            paragraph = self._paragraph(cell, "Normal")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = strong or None
            run.font.size = Pt(size)
            run.font.color.rgb = _rgb(c.unavailable_text)
        cell.paragraphs[0].paragraph_format.space_before = Pt(height / 3)

    def visit_Callout(self, node: model.Callout, into, width, style="Normal", bold=False):
        c = self.theme.colours
        table = self._table(into, 1, [width])
        oxml.set_table_borders(table, c.callout_border, 12)
        oxml.cant_split_row(table.rows[0])
        cell = table.rows[0].cells[0]
        oxml.shade_cell(cell, c.callout_fill)
        for text, size in ((node.title, self.theme.sizes.heading3), (node.heading, self.theme.sizes.body)):
            paragraph = self._paragraph(cell, "Normal")
            run = paragraph.add_run(text)
            run.bold = True
            run.font.size = Pt(size)
            run.font.color.rgb = _rgb(c.callout_heading)
        self.blocks(node.blocks, cell, width - 12)

    def visit_SideBySide(self, node: model.SideBySide, into, width, style="Normal", bold=False):
        # A borderless one-row table is the grid Word and LibreOffice both keep side by side
        # (section columns would not work inside a cell); its columns hold the real content.
        column_width, grid_widths = column_widths(width, len(node.columns), self.theme.sizes.column_gap)
        grid = self._table(into, 1, grid_widths)
        oxml.no_cell_margins(grid)  # so a column's content has the column's whole width
        for column, cell in zip(node.columns, grid.rows[0].cells):
            self.blocks(column, cell, column_width, style, bold)
            oxml.drop_leading_empty_paragraph(cell)

    def visit_Signature(self, node: model.Signature, into, width, style="Normal", bold=False):
        name = into.add_paragraph()
        name.paragraph_format.space_before = Pt(self.theme.sizes.body)
        name.add_run(node.name).bold = True
        into.add_paragraph(node.role)

    def visit_Contents(self, node: model.Contents, into, width, style="Normal", bold=False):
        prepared, pages = self.source.prepared, self.source.pages
        heading = self.styled(into.add_paragraph(), "TOC Heading")
        heading.add_run("Contents")
        heading.paragraph_format.page_break_before = True
        header = into.add_paragraph()
        header.paragraph_format.tab_stops.add_tab_stop(Pt(self.frame_width), WD_TAB_ALIGNMENT.RIGHT)
        header.add_run(f"{node.item_label}\t{node.page_label}").bold = True
        entries = prepared.contents
        paragraphs = []
        for entry in entries:
            paragraph = self.styled(into.add_paragraph(), f"TOC {entry.level}")
            paragraphs.append(paragraph)
        if not paragraphs:
            return
        # The TOC field wraps the entries; until Word refreshes it, they show the PDF's pages.
        # Built from the headings' TC fields (\\f), a refreshed contents lists what the PDF's does,
        # not every Heading 1 and 2.
        first, last = paragraphs[0], paragraphs[-1]
        oxml.add_field_char(first, "begin")
        oxml.add_field_code(first, 'TOC \\f \\l "1-2" \\h \\z')
        oxml.add_field_char(first, "separate")
        for entry, paragraph in zip(entries, paragraphs):
            label = pages.label(entry.section_id) if pages else PLACEHOLDER_PAGES
            prefix = "\u2022 " if entry.level > 1 else ""
            paragraph.add_run(f"{prefix}{entry.title}\t{label}")
        oxml.add_field_char(last, "end")

    def visit_Glossary(self, node: model.Glossary, into, width, style="Normal", bold=False):
        self.visit_Table(glossary_table(node), into, width)

    def visit_DataSources(self, node: model.DataSources, into, width, style="Normal", bold=False):
        self.visit_BulletList(data_sources_list(node), into, width, style)

    def cover(self) -> None:
        t, c = self.theme, self.theme.colours
        cover = self.source.prepared.report.cover
        doc = self.document
        height = t.page.height - (t.page.margin_top_mm + t.page.margin_bottom_mm) * 72 / 25.4 - 40
        table = self._table(doc, 1, [self.frame_width])
        row = table.rows[0]
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        cell = row.cells[0]
        oxml.shade_cell(cell, c.cover_fill)
        first = True
        for text, size, before in ((cover.organisation, t.sizes.cover_organisation, height * 0.25),
                                   (cover.title, t.sizes.cover_title, 0),
                                   (cover.emblem, t.sizes.cover_emblem, height * 0.3)):
            if not text:
                continue
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            paragraph.paragraph_format.space_before = Pt(before)
            paragraph.paragraph_format.left_indent = Pt(18)
            run = paragraph.add_run(text)
            run.bold = True
            run.font.size = Pt(size)
            run.font.color.rgb = _rgb(c.cover_text)

    def render(self) -> bytes:
        self._setup()
        report = self.source.prepared.report
        self.cover()
        blocks = report.blocks
        self.blocks(blocks, self.document, self.frame_width)
        # Last, so the parts it unlinks free no relationship ids for the body's pictures and
        # links to take: their ids stay what they were before the clean-up existed.
        self._properties()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return _fixed_zip(buffer.getvalue(), report.date)


def _fixed_zip(data: bytes, date: dt.date) -> bytes:
    """Same input, same bytes: fixed member timestamps and order."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_docx(source: RenderInput) -> bytes:
    return DocxWriter(source).render()
