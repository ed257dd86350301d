"""A report folder → the model.

``report.yaml`` is read safely and structured into spec classes by cattrs (unknown keys are
errors); datasets are read from CSV; narrative is filled in and parsed by ``narrative``.
Problems are collected across the whole folder and raised together as one ``ReportError``.
"""

from __future__ import annotations

import csv
import io
import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal, Union

import attrs
import cattrs
import yaml

from . import figures, narrative
from .errors import KindError, Problem, ReportError, structure_problems
from .model import (
    BulletList, Callout, Cell, Chart, Column, Contents, Cover, DataSources, Glossary,
    GlossaryEntry, KeyFact, KeyFacts, ListItem, Paragraph, Report, Section, SideBySide, Signature, Table,
)

REPORT_FILE = "report.yaml"

# --- what report.yaml may say ---------------------------------------------------------------


@attrs.frozen
class ColumnSpec:
    field: str
    header: str | None = None
    width: float = 1.0
    align: Literal["left", "right", "center"] = "left"
    format: Literal["auto", "number", "decimal1", "percent", "text", "markdown"] = "auto"
    bold: bool = False
    # [from, to]: a "% change" computed from two columns when the data has no such column.
    # When the data does have the column, its published values win (ONS computes from
    # unrounded rates, so recomputing from the rounded ones could disagree).
    change_from: list[str] | None = None


@attrs.frozen
class EmphasisSpec:
    field: str
    equals: str


@attrs.frozen
class TableSpec:
    data: str
    columns: list[ColumnSpec] | None = None
    title: str | None = None
    caption: str | None = None
    emphasis: EmphasisSpec | None = None
    header_emphasis: bool = True
    summary: str | None = None


@attrs.frozen
class ChartSpec:
    kind: Literal["bar", "column", "line", "pie", "donut", "grouped-bar", "stacked-bar"]
    title: str
    data: str
    x: str
    y: str
    series: str | None = None
    x_title: str | None = None
    y_title: str | None = None
    number_format: str = ",.0f"
    caption: str | None = None
    alt: str | None = None
    width: float = 440.0
    height: float = 220.0
    id: str = ""
    sort: Literal["data", "descending"] = "data"


@attrs.frozen
class SignatureSpec:
    name: str
    role: str


@attrs.frozen
class ContentsSpec:
    item_label: str = "Item"
    page_label: str = "Page"


@attrs.frozen
class GlossarySpec:
    data: str
    term: str = "term"
    definition: str = "definition"


@attrs.frozen
class DataSourcesSpec:
    data: str
    field: str = "source"


@attrs.frozen
class MarkdownBlock:
    markdown: str  # a file in the report folder


@attrs.frozen
class TextBlock:
    text: str  # Markdown written straight into report.yaml


@attrs.frozen
class TableBlock:
    table: TableSpec


@attrs.frozen
class ChartBlock:
    chart: ChartSpec


@attrs.frozen
class KeyFactSpec:
    label: str
    content: list["BlockSpec"]


@attrs.frozen
class KeyFactsBlock:
    key_facts: list[KeyFactSpec]


@attrs.frozen
class CalloutSpec:
    title: str
    content: list["BlockSpec"]
    heading: str = "Aims and items to note for the Community Safety Partnership"


@attrs.frozen
class CalloutBlock:
    callout: CalloutSpec


@attrs.frozen
class SideBySideBlock:
    side_by_side: list["BlockSpec"]


@attrs.frozen
class SignatureBlock:
    signature: SignatureSpec


@attrs.frozen
class ContentsBlock:
    contents: ContentsSpec


@attrs.frozen
class GlossaryBlock:
    glossary: GlossarySpec


@attrs.frozen
class DataSourcesBlock:
    data_sources: DataSourcesSpec


@attrs.frozen
class SectionBlock:
    section: str
    content: list["BlockSpec"] = attrs.Factory(list)
    id: str = ""
    new_page: bool | None = None
    in_contents: bool = True
    contents_children: bool = False
    appendix: bool = False


BlockSpec = Union[
    SectionBlock, MarkdownBlock, TextBlock, TableBlock, ChartBlock, KeyFactsBlock, CalloutBlock,
    SideBySideBlock, SignatureBlock, ContentsBlock, GlossaryBlock, DataSourcesBlock,
]
_BLOCK_KINDS = {
    "section": SectionBlock, "markdown": MarkdownBlock, "text": TextBlock, "table": TableBlock,
    "chart": ChartBlock, "key_facts": KeyFactsBlock, "callout": CalloutBlock, "side_by_side": SideBySideBlock,
    "signature": SignatureBlock, "contents": ContentsBlock, "glossary": GlossaryBlock,
    "data_sources": DataSourcesBlock,
}


@attrs.frozen
class DatasetSpec:
    csv: str | None = None
    unavailable: str | None = None  # why the data is not available


@attrs.frozen
class PoliceSpec:
    """A table computed from a folder of police.uk street-level CSV files."""

    police_uk: str  # the folder, inside the report folder
    view: Literal["by_year", "by_month", "by_category", "top_areas"]
    kind: Literal["crime", "asb"] = "crime"
    year: str = "latest"  # a financial year such as 2021-22
    mapping: str | None = None  # CSV crime_type,category: police.uk types → the report's categories
    wards: str | None = None  # CSV lsoa_code,ward: LSOAs → wards, for top_areas by ward
    top: int = 5


@attrs.frozen
class ExcelSpec:
    """A table from a sheet of an .xlsx workbook; the first row holds the column names."""

    excel: str
    sheet: str | None = None  # default: the first sheet
    range: str | None = None  # such as A3:D20
    table: str | None = None  # an Excel table's name, instead of a range


@attrs.frozen
class ReportSpec:
    title: str
    organisation: str
    body: list[BlockSpec]
    name: str = "report"
    emblem: str = ""
    author: str = ""
    subject: str = ""
    language: str = "en-GB"
    date: dt.date = dt.date(2000, 1, 1)
    status: Literal["official", "draft"] = "official"
    version: str = "1.0"
    style: str = "medway"
    values: dict[str, Any] = attrs.Factory(dict)
    datasets: dict[str, Union[DatasetSpec, PoliceSpec, ExcelSpec]] = attrs.Factory(dict)


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)

    def block(value, _type):
        if not isinstance(value, dict):
            raise KindError(f"expected a mapping with one of {', '.join(_BLOCK_KINDS)}, found {value!r}")
        kinds = [key for key in value if key in _BLOCK_KINDS]
        if len(kinds) != 1:
            found = ", ".join(map(str, value)) or "nothing"
            raise KindError(f"expected exactly one block kind ({', '.join(_BLOCK_KINDS)}), found {found}")
        kind = kinds[0]
        if kind in ("contents",) and value[kind] is None:
            value = {**value, kind: {}}
        return conv.structure(value, _BLOCK_KINDS[kind])

    def dataset(value, _type):
        if isinstance(value, str):
            return DatasetSpec(csv=value)
        if isinstance(value, dict) and "police_uk" in value:
            return conv.structure(value, PoliceSpec)
        if isinstance(value, dict) and "excel" in value:
            return conv.structure(value, ExcelSpec)
        if isinstance(value, dict) and set(value) <= {"csv", "unavailable"} and len(value) == 1:
            return DatasetSpec(**value)
        raise KindError(f"expected a CSV path, {{unavailable: reason}}, {{police_uk: folder, view: …}} "
                        f"or {{excel: file.xlsx, …}}, found {value!r}")

    def date(value, _type):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise KindError(f"expected a date like 2022-12-01, found {value!r}") from None

    def text(value, _type):
        if isinstance(value, (dict, list)):
            raise KindError(f"expected text, found {value!r}")
        return str(value)

    conv.register_structure_hook(BlockSpec, block)
    conv.register_structure_hook(Union[DatasetSpec, PoliceSpec, ExcelSpec], dataset)
    conv.register_structure_hook(dt.date, date)
    conv.register_structure_hook(str, text)
    return conv


_CONVERTER = _converter()


# --- datasets -------------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")


def _typed(cell: str):
    value = cell.strip()
    if value == "":
        return None
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


@attrs.frozen
class Dataset:
    name: str
    file: str
    fields: tuple[str, ...]
    rows: tuple[dict, ...] | None  # None: declared unavailable
    unavailable_reason: str | None = None
    lines: tuple[int, ...] = ()  # the line each row ends on, for messages

    def field_line(self, index: int) -> str:
        return f"line {self.lines[index] if index < len(self.lines) else index + 2}"


def read_csv(path: Path, *, display: str, name: str = "") -> Dataset:
    """Read a CSV of typed cells; Excel's UTF-8 BOM is accepted, cp1252 is named as such."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReportError.single(display, f"line {line}", "is not UTF-8 text (saved as Windows-1252 from Excel?); save it as 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text, newline=""))  # quoted cells may hold line breaks
    try:
        header = next(reader)
    except StopIteration:
        raise ReportError.single(display, "line 1", "is empty; expected a header row") from None
    fields = tuple(h.strip() for h in header)
    problems = []
    seen = set()
    for column, field in enumerate(fields, 1):
        if not field:
            problems.append(Problem(display, "line 1", f"column {column} has no name"))
        elif field in seen:
            problems.append(Problem(display, "line 1", f"column '{field}' appears twice"))
        seen.add(field)
    rows, lines = [], []
    for cells in reader:
        number = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(fields):
            problems.append(Problem(display, f"line {number}", f"has {len(cells)} cells, expected {len(fields)} ({', '.join(fields)})"))
            continue
        rows.append({field: _typed(cell) for field, cell in zip(fields, cells)})
        lines.append(number)
    if problems:
        raise ReportError(problems)
    return Dataset(name, display, fields, tuple(rows), lines=tuple(lines))


# --- the folder → the model -----------------------------------------------------------------


@attrs.define
class _Loader:
    folder: Path
    draft: bool
    problems: list[Problem] = attrs.Factory(list)
    datasets: dict[str, Dataset] = attrs.Factory(dict)
    context: dict[str, Any] = attrs.Factory(dict)
    env: Any = None
    police_cache: dict = attrs.Factory(dict)

    # folder files, confined to the folder
    def resolve(self, relative: str, where: str) -> Path | None:
        candidate = Path(relative)
        if candidate.is_absolute() or ".." in candidate.parts:
            self.problems.append(Problem(REPORT_FILE, where, f"'{relative}' must be a path inside the report folder"))
            return None
        path = (self.folder / candidate)
        try:
            inside = path.resolve().is_relative_to(self.folder.resolve())
        except OSError:
            inside = False
        if not inside:
            self.problems.append(Problem(REPORT_FILE, where, f"'{relative}' leads outside the report folder"))
            return None
        if not path.is_file():
            self.problems.append(Problem(REPORT_FILE, where, f"file '{relative}' does not exist"))
            return None
        return path

    def load_datasets(self, specs: dict) -> None:
        for name, spec in sorted(specs.items()):
            if isinstance(spec, PoliceSpec):
                self.police_dataset(name, spec)
                continue
            if isinstance(spec, ExcelSpec):
                self.excel_dataset(name, spec)
                continue
            if spec.unavailable is not None:
                self.datasets[name] = Dataset(name, REPORT_FILE, (), None, spec.unavailable)
                continue
            path = self.resolve(spec.csv, f"datasets.{name}")
            if path is None:
                continue
            try:
                self.datasets[name] = read_csv(path, display=spec.csv, name=name)
            except ReportError as exc:
                self.problems.extend(exc.problems)

    def police_dataset(self, name: str, spec: PoliceSpec) -> None:
        from . import police

        where = f"datasets.{name}"
        folder = self.resolve_folder(spec.police_uk, f"{where}.police_uk")
        if folder is None:
            return
        summary = self.police_cache.get(folder)
        if summary is None:
            try:
                summary = self.police_cache[folder] = police.read_folder(folder, display=spec.police_uk)
            except ReportError as exc:
                self.problems.extend(exc.problems)
                return
            self.problems.extend(summary.problems)
            if summary.skipped > len(summary.problems):
                self.problems.append(Problem(spec.police_uk, "", f"and {summary.skipped - len(summary.problems)} more bad rows"))
        if not summary.years:
            self.problems.append(Problem(spec.police_uk, "", "no usable rows; expected police.uk street-level files"))
            return
        year = summary.latest_year() if spec.year == "latest" else spec.year
        if year not in summary.years:
            self.problems.append(Problem(REPORT_FILE, f"{where}.year", f"no data for {year}; the files cover {', '.join(summary.years)}"))
            return
        lookups = {}
        for field, columns in (("mapping", ("crime_type", "category")), ("wards", ("lsoa_code", "ward"))):
            relative = getattr(spec, field)
            if relative is None:
                continue
            path = self.resolve(relative, f"{where}.{field}")
            if path is None:
                return
            try:
                table = read_csv(path, display=relative)
            except ReportError as exc:
                self.problems.extend(exc.problems)
                return
            missing = [c for c in columns if c not in table.fields]
            if missing:
                self.problems.append(Problem(relative, "line 1", f"expected columns {', '.join(columns)}; missing {', '.join(missing)}"))
                return
            lookups[field] = {str(r[columns[0]]): str(r[columns[1]]) for r in table.rows}
        if spec.view == "by_year":
            rows = police.by_year(summary)
        elif spec.view == "by_month":
            rows = police.by_month(summary, year)
        elif spec.view == "by_category":
            rows = police.by_category(summary, year, spec.kind, lookups.get("mapping"))
        else:
            rows = police.top_areas(summary, year, spec.kind, spec.top, lookups.get("wards"))
        fields = tuple(rows[0]) if rows else ()
        self.datasets[name] = Dataset(name, spec.police_uk, fields, tuple(rows))

    def excel_dataset(self, name: str, spec: ExcelSpec) -> None:
        from . import excel

        path = self.resolve(spec.excel, f"datasets.{name}.excel")
        if path is None:
            return
        try:
            self.datasets[name] = excel.read_table(path, display=spec.excel, name=name, sheet=spec.sheet,
                                                   cell_range=spec.range, table=spec.table)
        except ReportError as exc:
            self.problems.extend(exc.problems)

    def resolve_folder(self, relative: str, where: str) -> Path | None:
        candidate = Path(relative)
        if candidate.is_absolute() or ".." in candidate.parts:
            self.problems.append(Problem(REPORT_FILE, where, f"'{relative}' must be a path inside the report folder"))
            return None
        path = self.folder / candidate
        if not path.resolve().is_relative_to(self.folder.resolve()):
            self.problems.append(Problem(REPORT_FILE, where, f"'{relative}' leads outside the report folder"))
            return None
        if not path.is_dir():
            self.problems.append(Problem(REPORT_FILE, where, f"folder '{relative}' does not exist"))
            return None
        return path

    def dataset(self, name: str, where: str, fields: tuple[str, ...] = ()) -> Dataset | None:
        data = self.datasets.get(name)
        if data is None:
            if not any(p.where == f"datasets.{name}" for p in self.problems):
                known = ", ".join(sorted(self.datasets)) or "none"
                self.problems.append(Problem(REPORT_FILE, where, f"unknown dataset '{name}' (datasets: {known})"))
            return None
        missing = [f for f in fields if f and data.rows is not None and f not in data.fields]
        if missing:
            self.problems.append(Problem(data.file, "line 1", f"has no column {', '.join(repr(m) for m in missing)} (needed by {REPORT_FILE} {where}); columns: {', '.join(data.fields)}"))
            return None
        return data

    # narrative
    def markdown(self, source: str, *, file: str, level: int | None, first_line: int = 1) -> list:
        try:
            filled = narrative.fill(self.env, source, self.context, file=file, first_line=first_line)
            return narrative.parse(filled, file=file, level=level, first_line=first_line)
        except narrative.NarrativeError as exc:
            self.problems.append(exc.problem)
            return []

    # blocks
    def blocks(self, specs: list, *, level: int | None, where: str) -> list:
        out: list = []
        for index, spec in enumerate(specs):
            here = f"{where}[{index}]"
            method = getattr(self, "build_" + type(spec).__name__)
            result = method(spec, level=level, where=here)
            out.extend(result if isinstance(result, list) else [result] if result is not None else [])
        return out

    def build_SectionBlock(self, spec: SectionBlock, *, level, where):
        section_level = (level or 0) + 1
        return Section(
            spec.section,
            tuple(self.blocks(spec.content, level=section_level, where=f"{where}.content")),
            id=spec.id, level=section_level, new_page=spec.new_page, in_contents=spec.in_contents,
            contents_children=spec.contents_children, appendix=spec.appendix,
        )

    def build_MarkdownBlock(self, spec: MarkdownBlock, *, level, where):
        path = self.resolve(spec.markdown, f"{where}.markdown")
        if path is None:
            return []
        try:
            source = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self.problems.append(Problem(spec.markdown, "", "is not UTF-8 text; save it as UTF-8"))
            return []
        return self.markdown(source, file=spec.markdown, level=level)

    def build_TextBlock(self, spec: TextBlock, *, level, where):
        return self.markdown(spec.text, file=f"{REPORT_FILE} {where}.text", level=None)

    def build_TableBlock(self, spec: TableBlock, *, level, where):
        return self.table(spec.table, f"{where}.table")

    def table(self, spec: TableSpec, where: str) -> Table | None:
        fields = tuple(f for c in spec.columns or () for f in (c.change_from or [c.field]))
        data = self.dataset(spec.data, f"{where}.data", fields)
        if data is None:
            return None
        if data.rows is None:
            return Table((Column(),), ((Cell.of(spec.title or spec.data, bold=True),),),
                         ((Cell.of("Data not available"),),), caption=data.unavailable_reason)
        columns = spec.columns or [ColumnSpec(field=f) for f in data.fields]
        header_row = tuple(Cell.of(c.header if c.header is not None else c.field, bold=spec.header_emphasis) for c in columns)
        header_rows = []
        if spec.title:
            header_rows.append((Cell.of(spec.title, bold=True, colspan=len(columns)),))
        header_rows.append(header_row)
        rows, emphasis = [], []
        for index, row in enumerate(data.rows):
            cells = []
            for column in columns:
                where_cell = f"{data.field_line(index)}, column '{column.field}'"
                if column.field in row:
                    cells.append(self.cell(row[column.field], column, file=data.file, where=where_cell))
                else:
                    cells.append(self.computed_change(row, column, file=data.file, where=where_cell))
            rows.append(tuple(cells))
            if spec.emphasis and str(row.get(spec.emphasis.field)) == spec.emphasis.equals:
                emphasis.append(index)
        return Table(
            tuple(Column(c.width, c.align) for c in columns), tuple(header_rows), tuple(rows),
            caption=spec.caption, emphasis_rows=tuple(emphasis), summary=spec.summary,
        )

    def cell(self, value, column: ColumnSpec, *, file: str, where: str) -> Cell:
        try:
            if value is None:
                text = ""
            elif column.format == "percent":
                text = figures.percent(value)
            elif column.format == "number":
                text = figures.number(value)
            elif column.format == "decimal1":
                text = figures.number(value, 1)
            elif column.format in ("auto", "markdown") and isinstance(value, str):
                blocks = self.markdown(value, file=file, level=None)
                if column.bold:
                    blocks = [_embolden(b) for b in blocks]
                return Cell(tuple(blocks))
            elif isinstance(value, int) and column.format == "auto":
                text = figures.number(value)
            else:
                text = str(value)
        except figures.FigureError as exc:
            self.problems.append(Problem(file, where, f"{exc}; expected a number"))
            text = ""
        return Cell((Paragraph.of(text, bold=column.bold),) if text else ())

    def computed_change(self, row: dict, column: ColumnSpec, *, file: str, where: str) -> Cell:
        before, after = column.change_from
        try:
            text = figures.signed_percent_change(row[before], row[after])
        except figures.FigureError as exc:
            self.problems.append(Problem(file, where, f"cannot compute the change from '{before}' to '{after}': {exc}"))
            text = ""
        return Cell((Paragraph.of(text, bold=column.bold),) if text else ())

    def build_ChartBlock(self, spec: ChartBlock, *, level, where):
        chart = spec.chart
        data = self.dataset(chart.data, f"{where}.chart.data", (chart.x, chart.y, chart.series or ""))
        if data is None:
            return None
        rows = None
        if data.rows is not None:
            rows = tuple({k: row[k] for k in (chart.x, chart.y, chart.series) if k} for row in data.rows)
            for index, row in enumerate(rows):
                if not isinstance(row[chart.y], (int, float)):
                    self.problems.append(Problem(data.file, f"{data.field_line(index)}, column '{chart.y}'", f"found {row[chart.y]!r}, expected a number"))
        return Chart(
            id=chart.id, kind=chart.kind, title=chart.title, rows=rows, x=chart.x, y=chart.y,
            series=chart.series, x_title=chart.x_title, y_title=chart.y_title,
            number_format=chart.number_format, caption=chart.caption, alt=chart.alt,
            unavailable_reason=data.unavailable_reason, width=chart.width, height=chart.height,
            sort=chart.sort,
        )

    def build_KeyFactsBlock(self, spec: KeyFactsBlock, *, level, where):
        return KeyFacts(tuple(
            KeyFact(fact.label, tuple(self.blocks(fact.content, level=None, where=f"{where}.key_facts[{i}].content")))
            for i, fact in enumerate(spec.key_facts)
        ))

    def build_CalloutBlock(self, spec: CalloutBlock, *, level, where):
        c = spec.callout
        return Callout(c.title, c.heading, tuple(self.blocks(c.content, level=None, where=f"{where}.callout.content")))

    def build_SideBySideBlock(self, spec: SideBySideBlock, *, level, where):
        if len(spec.side_by_side) < 2:
            self.problems.append(Problem(REPORT_FILE, f"{where}.side_by_side", "expected two or more blocks to set side by side"))
            return None
        # One column per listed block (a Markdown file may make several blocks in its column).
        return SideBySide(tuple(self.blocks([column], level=None, where=f"{where}.side_by_side[{index}]")
                                for index, column in enumerate(spec.side_by_side)))

    def build_SignatureBlock(self, spec: SignatureBlock, *, level, where):
        return Signature(spec.signature.name, spec.signature.role)

    def build_ContentsBlock(self, spec: ContentsBlock, *, level, where):
        return Contents(spec.contents.item_label, spec.contents.page_label)

    def build_GlossaryBlock(self, spec: GlossaryBlock, *, level, where):
        g = spec.glossary
        data = self.dataset(g.data, f"{where}.glossary.data", (g.term, g.definition))
        if data is None or data.rows is None:
            return None
        return Glossary(tuple(GlossaryEntry(str(r[g.term] or ""), str(r[g.definition] or "")) for r in data.rows))

    def build_DataSourcesBlock(self, spec: DataSourcesBlock, *, level, where):
        d = spec.data_sources
        data = self.dataset(d.data, f"{where}.data_sources.data", (d.field,))
        if data is None or data.rows is None:
            return None
        return DataSources(tuple(str(r[d.field]) for r in data.rows if r[d.field] is not None))


def _embolden(block):
    if isinstance(block, Paragraph):
        return Paragraph(tuple(attrs.evolve(s, bold=True) if hasattr(s, "bold") else s for s in block.spans))
    if isinstance(block, BulletList):
        return BulletList(tuple(ListItem(_embolden(i.paragraph), i.children) for i in block.items))
    return block


class _SafeLoaderWithoutDates(yaml.SafeLoader):
    """Safe YAML, but dates stay text: '2022-13-01' is then an error that names its field."""


_SafeLoaderWithoutDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def require_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ReportError.single(str(folder), "", "is not a folder; expected a report folder containing report.yaml")


def read_spec(folder: Path) -> ReportSpec:
    path = folder / REPORT_FILE
    require_folder(folder)
    if not path.is_file():
        raise ReportError.single(str(path), "", "does not exist; a report folder needs a report.yaml")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_SafeLoaderWithoutDates)
    except UnicodeDecodeError:
        raise ReportError.single(REPORT_FILE, "", "is not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise ReportError.single(REPORT_FILE, where, f"is not valid YAML: {what}") from None
    if not isinstance(raw, dict):
        raise ReportError.single(REPORT_FILE, "", f"expected a mapping of report settings, found {type(raw).__name__}")
    try:
        return _CONVERTER.structure(raw, ReportSpec)
    except Exception as exc:  # cattrs gathers every problem into one exception group
        raise ReportError(structure_problems(exc, REPORT_FILE)) from None


def load_report(folder: str | Path, *, draft: bool | None = None) -> Report:
    """Read a report folder into the model; every problem in it is reported in one error."""
    folder = Path(folder)
    spec = read_spec(folder)
    is_draft = spec.status == "draft" if draft is None else draft
    loader = _Loader(folder, is_draft)
    loader.env = narrative.make_environment(draft=is_draft)
    loader.load_datasets(spec.datasets)
    clashes = sorted(set(spec.values) & set(spec.datasets))
    for name in clashes:
        loader.problems.append(Problem(REPORT_FILE, f"values.{name}", "has the same name as a dataset; rename one"))
    loader.context = {
        **spec.values,
        **{name: [Row(r, d) for r in d.rows] if d.rows is not None else _Unavailable(name)
           for name, d in loader.datasets.items()},
    }
    blocks = loader.blocks(spec.body, level=0, where="body")
    if loader.problems:
        raise ReportError(_unique(loader.problems))
    return Report(
        cover=Cover(spec.organisation, spec.title, spec.emblem), blocks=tuple(blocks),
        title=f"{spec.organisation} {spec.title}".strip(), author=spec.author, subject=spec.subject,
        language=spec.language, date=spec.date, status="draft" if is_draft else spec.status,
        version=spec.version, name=spec.name,
        style=str((folder / spec.style).resolve()) if spec.style.endswith(".toml") else spec.style,
    )


class Row(dict):
    """A CSV row for templates: a missing column is an error naming the file and its columns."""

    __slots__ = ("_dataset",)

    def __init__(self, values: dict, dataset: "Dataset"):
        super().__init__(values)
        self._dataset = dataset

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            data = self._dataset
            raise figures.FigureError(f"{data.file} has no column '{key}' (columns: {', '.join(data.fields)})") from None


class _Unavailable:
    """A dataset declared unavailable: any use of it in text is an error naming it."""

    def __init__(self, name: str):
        self._name = name

    def __getitem__(self, key):
        raise figures.FigureError(f"dataset '{self._name}' is declared unavailable")

    __getattr__ = __getitem__


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def style_name(folder: str | Path) -> str:
    return read_spec(Path(folder)).style
