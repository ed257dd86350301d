"""What ``report.yaml`` may say: its schema as spec classes, and the converter that reads it.

The spec classes describe the file, not the document: the builders in ``loading`` turn them
into model nodes. Where a spec field becomes a model field, its default is the model's, so the
two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal, Union

import attrs
import cattrs
import yaml

from . import model, yamlfile
from .errors import KindError, ReportError, structure_problems
from .structuring import strict_converter

REPORT_FILE = "report.yaml"


def _default(node: type, field: str):
    """The model's default for ``field``: the one place it is written."""
    return attrs.fields_dict(node)[field].default


@attrs.frozen
class ColumnSpec:
    field: str
    header: str | None = None
    width: float = _default(model.Column, "width")
    align: model.Align = _default(model.Column, "align")
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
    caption: str | None = _default(model.Table, "caption")
    emphasis: EmphasisSpec | None = None
    header_emphasis: bool = True
    summary: str | None = _default(model.Table, "summary")


@attrs.frozen
class ChartSpec:
    kind: model.ChartKind
    title: str
    data: str
    x: str
    y: str
    series: str | None = _default(model.Chart, "series")
    x_title: str | None = _default(model.Chart, "x_title")
    y_title: str | None = _default(model.Chart, "y_title")
    number_format: str = _default(model.Chart, "number_format")
    caption: str | None = _default(model.Chart, "caption")
    alt: str | None = _default(model.Chart, "alt")
    width: float = _default(model.Chart, "width")
    height: float = _default(model.Chart, "height")
    id: str = ""
    sort: model.ChartSort = _default(model.Chart, "sort")


@attrs.frozen
class SignatureSpec:
    name: str
    role: str


@attrs.frozen
class ContentsSpec:
    item_label: str = _default(model.Contents, "item_label")
    page_label: str = _default(model.Contents, "page_label")


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
    id: str = _default(model.Section, "id")
    new_page: bool | None = _default(model.Section, "new_page")
    in_contents: bool = _default(model.Section, "in_contents")
    contents_children: bool = _default(model.Section, "contents_children")
    appendix: bool = _default(model.Section, "appendix")


BlockSpec = Union[
    SectionBlock, MarkdownBlock, TextBlock, TableBlock, ChartBlock, KeyFactsBlock, CalloutBlock,
    SideBySideBlock, SignatureBlock, ContentsBlock, GlossaryBlock, DataSourcesBlock,
]
# A block is a one-key mapping; the key is the first field of its spec class.
BLOCK_KINDS: dict[str, type] = {attrs.fields(kind)[0].name: kind for kind in BlockSpec.__args__}


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


SourceSpec = Union[DatasetSpec, PoliceSpec, ExcelSpec]


@attrs.frozen
class ReportSpec:
    title: str
    organisation: str
    body: list[BlockSpec]
    name: str = _default(model.Report, "name")
    emblem: str = _default(model.Cover, "emblem")
    author: str = _default(model.Report, "author")
    subject: str = _default(model.Report, "subject")
    language: str = _default(model.Report, "language")
    date: dt.date | None = None  # required of an official report; a draft may leave it out
    status: model.Status = _default(model.Report, "status")
    version: str = _default(model.Report, "version")
    style: str = _default(model.Report, "style")
    values: dict[str, Any] = attrs.Factory(dict)
    datasets: dict[str, SourceSpec] = attrs.Factory(dict)


def _converter() -> cattrs.Converter:
    conv = strict_converter()
    kinds = ", ".join(BLOCK_KINDS)

    def block(value, _type):
        if not isinstance(value, dict):
            raise KindError(f"expected a mapping with one of {kinds}, found {value!r}")
        named = [key for key in value if key in BLOCK_KINDS]
        if len(named) != 1:
            found = ", ".join(map(str, value)) or "nothing"
            raise KindError(f"expected exactly one block kind ({kinds}), found {found}")
        kind = named[0]
        if kind == "contents" and value[kind] is None:
            value = {**value, kind: {}}
        return conv.structure(value, BLOCK_KINDS[kind])

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

    conv.register_structure_hook(BlockSpec, block)
    conv.register_structure_hook(SourceSpec, dataset)
    conv.register_structure_hook(dt.date, date)
    return conv


CONVERTER = _converter()


def require_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ReportError.single(str(folder), "", "is not a folder; expected a report folder containing report.yaml")


def read_yaml(folder: Path) -> dict:
    """``folder/report.yaml`` parsed; a file that is not a mapping of settings ends here."""
    path = folder / REPORT_FILE
    require_folder(folder)
    if not path.is_file():
        raise ReportError.single(str(path), "", "does not exist; a report folder needs a report.yaml")
    try:
        raw = yamlfile.load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ReportError.single(REPORT_FILE, "", "is not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        if not isinstance(exc, (yamlfile.LimitError, yaml.constructor.ConstructorError)):
            what = f"is not valid YAML: {what}"
        raise ReportError.single(REPORT_FILE, where, what) from None
    if not isinstance(raw, dict):
        raise ReportError.single(REPORT_FILE, "", f"expected a mapping of report settings, found {type(raw).__name__}")
    return raw


def structure(raw: dict) -> ReportSpec:
    """Settings → a ReportSpec; every structural problem of the file in one error."""
    try:
        return CONVERTER.structure(raw, ReportSpec)
    except cattrs.BaseValidationError as exc:  # every problem of the file, gathered by cattrs
        raise ReportError(structure_problems(exc, REPORT_FILE)) from None


def read_spec(folder: Path) -> ReportSpec:
    return structure(read_yaml(folder))
