"""Tables from datasets: columns as written, computed (``compute:``) or a change between two
columns, rows selected (``where:``), emphasised and given levels; every bad cell reported at
its file, line and column. A part of the loader (``loading._Loader`` builds on it); the
expressions run in the narrative's sandbox and time budget.
"""

from __future__ import annotations

import attrs

from . import cells, figures, templates
from .datasets import Dataset, template_value
from .errors import NarrativeError, Problem
from .model import Cell, Column, Paragraph, Table
from .spec import REPORT_FILE, ColumnSpec, TableSpec


class TableBuilding:
    """The loader's table methods; the loader gives ``dataset``, ``data_markdown``,
    ``problems``, ``labels``, ``env``, ``context`` and ``template_cache``."""

    def table(self, spec: TableSpec, where: str) -> Table | None:
        fields = tuple(f for c in spec.columns or () if not c.compute for f in (c.change_from or [c.field]))
        data = self.dataset(spec.data, f"{where}.data", fields + ((spec.level,) if spec.level else ()))
        if data is None:
            return None
        if data.rows is None:
            return Table((Column(),), ((Cell.of(spec.title or spec.data, bold=True),),),
                         ((Cell.of(self.labels.data_not_available),),), caption=data.unavailable_reason)
        columns = spec.columns or [ColumnSpec(field=f) for f in data.fields if f != spec.level]
        header_row = tuple(Cell.of(c.header if c.header is not None else c.field, bold=spec.header_emphasis) for c in columns)
        header_rows = [header_row]
        rows, emphasis, levels = [], [], []
        identifiers = {c.field for c in columns if c.format == "auto" and cells.identifier_column(c.field)}
        for index, row in self.selected(data, spec.where, f"{where}.where"):
            row_cells = []
            for number, column in enumerate(columns):
                where_cell = f"{data.field_line(index)}, column '{column.field}'"
                if column.compute:
                    value = self.expression(column.compute, data, index, f"{where}.columns[{number}].compute")
                    row_cells.append(self.cell(value, attrs.evolve(column, format="text" if isinstance(value, str) else column.format),
                                           file=data.file, where=where_cell))
                elif column.field in row:
                    row_cells.append(self.cell(row[column.field], column, file=data.file, where=where_cell,
                                           identifier=column.field in identifiers))
                else:
                    row_cells.append(self.computed_change(row, column, file=data.file, where=where_cell))
            if spec.emphasis and str(row.get(spec.emphasis.field)) == spec.emphasis.equals:
                emphasis.append(len(rows))
            if spec.level:
                levels.append(cells.row_level(row[spec.level]))
                if levels[-1] is None:
                    levels[-1] = 0
                    self.problems.append(Problem(data.file, f"{data.field_line(index)}, column '{spec.level}'",
                                                 f"level {row[spec.level]!r}; {cells.LEVELS_ALLOWED}"))
            rows.append(tuple(row_cells))
        return Table(
            tuple(Column(c.width, c.align) for c in columns), tuple(header_rows), tuple(rows),
            caption=spec.caption, emphasis_rows=tuple(emphasis), summary=spec.summary, title=spec.title,
            levels=tuple(levels) if any(levels) else (),
        )

    def selected(self, data: Dataset, expression: str | None, where: str):
        """(index, row) of the rows ``expression`` keeps (every row without one)."""
        for index, row in enumerate(data.rows):
            if expression is None or self.expression(expression, data, index, where):
                yield index, row

    def expression(self, expression: str, data: Dataset, index: int, where: str):
        row = self.template_rows(data)[index]
        scope = {**self.context, **row, "row": row}
        try:
            return templates.evaluate(self.env, expression, scope, file=REPORT_FILE, where=where)
        except NarrativeError as exc:
            self.problems.append(exc.problem)
            return None

    def template_rows(self, data: Dataset) -> tuple:
        """A dataset's rows as templates see them (cells that know their place), made once."""
        if data.name not in self.template_cache:
            self.template_cache[data.name] = template_value(data)
        return self.template_cache[data.name]

    def cell(self, value, column: ColumnSpec, *, file: str, where: str, identifier: bool = False) -> Cell:
        if cells.is_markdown(value, column.format):
            blocks = self.data_markdown(value, file=file, where=where)
            return Cell(tuple(cells.embolden(b) for b in blocks) if column.bold else tuple(blocks))
        try:
            words = cells.text(value, column.format, column.decimals, identifier=identifier)
        except figures.FigureError as exc:
            self.problems.append(Problem(file, where, f"{exc}; expected a number"))
            words = ""
        return Cell((Paragraph.of(words, bold=column.bold),) if words else ())

    def computed_change(self, row: dict, column: ColumnSpec, *, file: str, where: str) -> Cell:
        before, after = column.change_from
        try:
            text = figures.signed_percent_change(row[before], row[after])
        except figures.FigureError as exc:
            self.problems.append(Problem(file, where, f"cannot compute the change from '{before}' to '{after}': {exc}"))
            text = ""
        return Cell((Paragraph.of(text, bold=column.bold),) if text else ())
