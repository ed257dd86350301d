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
from .structuring import strict_converter, written

REPORT_FILE = "report.yaml"


def _default(node: type, field: str):
    """The model's default for ``field``: the one place it is written."""
    return attrs.fields_dict(node)[field].default


def _field(doc: str, default=attrs.NOTHING, *, example: str | None = None):
    """A field with the words the format reference prints for it."""
    metadata = {"doc": doc} if example is None else {"doc": doc, "example": example}
    if isinstance(default, attrs.Factory):
        return attrs.field(factory=default.factory, metadata=metadata)
    return attrs.field(default=default, metadata=metadata)


@attrs.frozen
class ColumnSpec:
    """One column of a table: which field of the dataset, headed how, laid out how."""

    field: str = _field("The dataset's column shown here (for change_from: the new column's name).")
    header: str | None = _field("The heading printed above the column; default the field's name.", None)
    width: float = _field("The column's share of the table width, relative to the others.", _default(model.Column, "width"))
    align: model.Align = _field("Alignment of the column's cells.", _default(model.Column, "align"))
    format: Literal["auto", "number", "decimal1", "percent", "text", "markdown"] = _field(
        "How values are written: auto (whole numbers with thousands separators, except year and code "
        "columns; text as Markdown), number, decimal1 (one decimal place), percent, text (as written), "
        "markdown.", "auto")
    bold: bool = _field("Print every cell of the column in bold.", False)
    decimals: int | None = _field("Decimal places for number and percent formats (rounded half-up, as published); "
                                  "default as the data writes them (57.5 stays 57.5%).", None)
    compute: str | None = _field("An expression over the row that computes this column (its field is a new name); "
                                 "the row's columns and the figures functions are in scope.", None,
                                 example="signed_change(y2021, y2022, 1)")
    change_from: list[str] | None = _field(
        "[from, to]: a '% change' computed from two columns when the data has no such column (a "
        "published change column, when there is one, wins: it was computed from unrounded figures).", None,
        example="[y2021, y2022]")


@attrs.frozen
class EmphasisSpec:
    """Rows to print in bold on a tinted background: those whose ``field`` equals ``equals``."""

    field: str = _field("The column compared.")
    equals: str = _field("The value that marks a row (compared as text).")


@attrs.frozen
class TableSpec:
    """A table of a dataset's rows."""

    data: str = _field("The dataset shown (a name under datasets).")
    columns: list[ColumnSpec] | None = _field("The columns, in order; default every column of the dataset.", None)
    title: str | None = _field("A title row spanning the table above the column headings.", None)
    caption: str | None = _field("A note printed under the table (its source, say).", _default(model.Table, "caption"))
    emphasis: EmphasisSpec | None = _field("Rows to emphasise, such as the partnership's own row in a comparison.", None,
                                           example="{field: area, equals: Medway}")
    header_emphasis: bool = _field("Print the column headings in bold.", True)
    where: str | None = _field("An expression over the row: only rows for which it is true are shown.", None,
                               example="type != 'All crime'")
    summary: str | None = _field("A sentence saying what the table shows, for screen-reader users.",
                                 _default(model.Table, "summary"))
    level: str | None = _field("A column of the dataset giving each row's level: empty or 0 for a row, 1 for a "
                               "sub-row of the row above it ('Residential' under 'Burglary'), 2 or 3 deeper still. "
                               "A sub-row's first cell is indented, with the style's marker (a dash) before it; the "
                               "column itself is shown only if listed in columns.", None, example="level")


@attrs.frozen
class ChartSpec:
    """A chart drawn from a dataset (nothing is typed into a chart by hand)."""

    kind: model.ChartKind = _field("The kind of chart.")
    title: str = _field("The chart's title, printed in its caption 'Figure N: …'.")
    data: str = _field("The dataset drawn (a name under datasets); an unavailable one draws a 'Data not available' panel.")
    x: str = _field("The column of categories (bars, months, years…).")
    y: str | list[str] = _field("The column of values, or several columns (wide data, one series each, named "
                                "by their column).", example="[y2021, y2022]")
    series: str | None = _field("A column that splits the values into series (grouped and stacked bars, several lines).",
                                _default(model.Chart, "series"))
    series_names: dict[str, str] = _field("With several y columns: the name each series is shown by (default the "
                                          "column's name).", attrs.Factory(dict), example="{rate_2017_18: 2017/18}")
    x_title: str | None = _field("The category axis's title.", _default(model.Chart, "x_title"))
    y_title: str | None = _field("The value axis's title.", _default(model.Chart, "y_title"))
    number_format: str = _field("How values are written on the axis and the bars: number (1,234), decimal1 (1,234.5), "
                                "percent (values already in percent: 48 is written 48%), or a d3-format string "
                                "(',.2f'; '.0%' multiplies by 100).", _default(model.Chart, "number_format"))
    caption: str | None = _field("A note printed under the figure's line 'Figure N: title' (its source, say).", _default(model.Chart, "caption"))
    emphasis: EmphasisSpec | None = _field("Categories to emphasise, as a table's rows are: the bars of the rows whose "
                                           "field equals the value are drawn in the palette's second colour, their "
                                           "labels in bold (column and bar charts of one series).", None,
                                           example="{field: area, equals: Medway}")
    alt: str | None = _field("Alternative text for screen readers; default a description written from the data.",
                             _default(model.Chart, "alt"))
    width: float | None = _field("Width in points; default the text column's width. A chart wider than where it "
                                 "stands (a key fact's cell, say) is scaled down to fit.", _default(model.Chart, "width"))
    height: float = _field("Height in points.", _default(model.Chart, "height"))
    id: str = _field("A stable identifier; default one made from the title.", "")
    sort: model.ChartSort = _field("Bars in the data's order, or largest first.", _default(model.Chart, "sort"))
    where: str | None = _field("An expression over the row: only rows for which it is true are drawn.", None,
                               example="type != 'All crime'")


@attrs.frozen
class SignatureSpec:
    """A name and role under a foreword."""

    name: str = _field("The person's name, in bold.")
    role: str = _field("Their role, under the name.")


@attrs.frozen
class ContentsSpec:
    """Where the contents page goes; its entries are the sections with in_contents."""

    item_label: str | None = _field("The heading of the entries' column; default the style's labels.contents_item.",
                                    _default(model.Contents, "item_label"))
    page_label: str | None = _field("The heading of the page numbers' column; default the style's labels.contents_page.",
                                    _default(model.Contents, "page_label"))


@attrs.frozen
class GlossarySpec:
    """A glossary from a dataset of terms and what they mean, sorted by term."""

    data: str = _field("The dataset of terms.")
    term: str = _field("Its column of terms.", "term")
    definition: str = _field("Its column of meanings.", "definition")
    heading: str | None = _field("A heading of its own (a section one level below where it stands; needed in the "
                                 "report body).", None, example="Glossary of Terms")


@attrs.frozen
class DataSourcesSpec:
    """A bulleted list of where the report's data comes from."""

    data: str = _field("The dataset of sources; with more columns than `field`, every column is shown as a table.")
    field: str = _field("Its column that names each source.", "source")
    heading: str | None = _field("A heading of its own (a section one level below where it stands; needed in the "
                                 "report body).", None, example="Data sources")


@attrs.frozen
class MarkdownBlock:
    """Narrative from a Markdown file; ## and ### headings open sub-sections."""

    markdown: str = _field("A .md file inside the report folder.", example="text/introduction.md")


@attrs.frozen
class TextBlock:
    """Narrative written in report.yaml; figures in {{ … }} are filled in."""

    text: str = _field("Markdown, without headings.", example="'**{{ crime_annual[-1].crimes | number }} crimes**'")


@attrs.frozen
class TableBlock:
    """A table of a dataset."""

    table: TableSpec = _field("The table.", example="{data: crime_types, columns: [{field: type, header: Crime type}, "
                                                     "{field: percent, format: percent, align: right}]}")


@attrs.frozen
class ChartBlock:
    """A chart of a dataset."""

    chart: ChartSpec = _field("The chart.", example="{kind: line, title: ASB by month, data: asb_months, x: month, y: incidents}")


@attrs.frozen
class KeyFactSpec:
    """One row of a key-facts table: a label and what is known."""

    label: str = _field("The row's label, in the shaded first column.")
    content: list["BlockSpec"] = _field("Blocks beside it (text, tables, charts).")


@attrs.frozen
class KeyFactsBlock:
    """A table of labels and facts, as the 'All Recorded Crime' pages have."""

    key_facts: list[KeyFactSpec] = _field("The rows, in order.", example="[{label: Level of crime, content: [{text: '…'}]}]")


@attrs.frozen
class CalloutSpec:
    """A boxed note: aims, items to note, key points."""

    title: str = _field("The box's title.")
    content: list["BlockSpec"] = _field("Blocks inside the box.")
    heading: str = _field("A line under the title; none unless given.", "",
                          example="Aims and items to note for the Community Safety Partnership")


@attrs.frozen
class CalloutBlock:
    """A boxed note."""

    callout: CalloutSpec = _field("The box.", example="{title: Reducing reoffending, content: [{text: '- Extend IOM'}]}")


@attrs.frozen
class SideBySideBlock:
    """Blocks set next to each other in equal columns, read left to right."""

    side_by_side: list["BlockSpec"] = _field("Two or more blocks, one a column.",
                                             example="[{table: {data: rates}}, {table: {data: scores}}]")


@attrs.frozen
class SignatureBlock:
    """A signature."""

    signature: SignatureSpec = _field("The signature.", example="{name: Cllr A Smith, role: Chair of the CSP}")


@attrs.frozen
class ContentsBlock:
    """The contents page."""

    contents: ContentsSpec = _field("Its settings ({} for the defaults).", example="{}")


@attrs.frozen
class GlossaryBlock:
    """A glossary."""

    glossary: GlossarySpec = _field("The glossary.", example="{data: glossary}")


@attrs.frozen
class DataSourcesBlock:
    """A list of data sources."""

    data_sources: DataSourcesSpec = _field("The sources.", example="{data: data_sources}")


@attrs.frozen
class SectionBlock:
    """A section with a heading; sections inside it are one level deeper."""

    section: str = _field("The heading.", example="All Recorded Crime")
    content: list["BlockSpec"] = _field("The blocks of the section.", attrs.Factory(list))
    id: str = _field("A stable anchor for links; default one made from the heading.", _default(model.Section, "id"))
    new_page: bool | None = _field("Start on a new page; default: the style decides by level.", _default(model.Section, "new_page"))
    in_contents: bool = _field("List the section in the contents.", _default(model.Section, "in_contents"))
    contents_children: bool = _field("List its sub-sections as bullets under it in the contents.",
                                     _default(model.Section, "contents_children"))
    appendix: bool = _field("Number it as an appendix: 'Appendix N – heading'.", _default(model.Section, "appendix"))


BlockSpec = Union[
    SectionBlock, MarkdownBlock, TextBlock, TableBlock, ChartBlock, KeyFactsBlock, CalloutBlock,
    SideBySideBlock, SignatureBlock, ContentsBlock, GlossaryBlock, DataSourcesBlock,
]
# A block is a one-key mapping; the key is the first field of its spec class.
BLOCK_KINDS: dict[str, type] = {attrs.fields(kind)[0].name: kind for kind in BlockSpec.__args__}


@attrs.frozen
class DatasetSpec:
    """A CSV file (write just its path), or a dataset declared unavailable."""

    csv: str | None = _field("A .csv file inside the report folder: UTF-8, a header row first.", None,
                             example="data/crime-annual.csv")
    unavailable: str | None = _field("Why the data is not available; the report says so where it would be shown.", None)


@attrs.frozen
class PoliceSpec:
    """A table computed from a folder of police.uk street-level CSV files."""

    police_uk: str = _field("The folder of monthly street-level files, inside the report folder.")
    view: Literal["by_year", "by_month", "by_category", "top_areas"] = _field(
        "The table computed: crimes and ASB by financial year, by month of a year, by category, or the top areas.")
    kind: Literal["crime", "asb"] = _field("Crimes, or anti-social behaviour incidents (rows without a Crime ID).", "crime")
    year: str = _field("A financial year such as 2021-22, or latest.", "latest")
    mapping: str | None = _field("A CSV crime_type,category mapping police.uk's crime types to the report's categories.", None)
    wards: str | None = _field("A CSV lsoa_code,ward mapping LSOAs to wards, for top_areas by ward.", None)
    top: int = _field("How many areas top_areas lists.", 5)


@attrs.frozen
class ExcelSpec:
    """A table from a sheet of an .xlsx workbook; the first row holds the column names."""

    excel: str = _field("The .xlsx file inside the report folder (needs the excel extra).")
    sheet: str | None = _field("The sheet; default the first.", None)
    range: str | None = _field("A range such as A3:D20; default the whole sheet.", None)
    table: str | None = _field("An Excel table's name, instead of a range.", None)


SourceSpec = Union[DatasetSpec, PoliceSpec, ExcelSpec]


@attrs.frozen
class LogoSpec:
    """A picture on the cover: the partnership's or the council's logo."""

    file: str = _field("A .png or .svg file inside the report folder (an SVG may link to nothing outside itself).",
                       example="images/logo.png")
    alt: str = _field("What a screen reader says for it: whose logo it is.", example="Medway Council logo")


@attrs.frozen
class ReportSpec:
    """report.yaml: the report's metadata, its values and datasets, and its body."""

    title: str = _field("The report's title, on the cover and in the footer; a line break in it is kept on the cover.",
                        example="\"Strategic Assessment\\n2018-19\"")
    organisation: str = _field("The partnership, on the cover and in the footer.",
                               example="Medway Community Safety Partnership")
    body: list[BlockSpec] = _field("The report's blocks, in reading order.")
    name: str = _field("The built files' name: a plain file name.", _default(model.Report, "name"))
    emblem: str = _field("A line under the title on the cover (the partnership's logotype in words).",
                         _default(model.Cover, "emblem"))
    subtitle: str = _field("A line under the title on the cover: the period covered, or a second title (a line "
                           "break in it is kept).", _default(model.Cover, "subtitle"),
                           example="April 2021 to March 2022")
    logo: LogoSpec | None = _field("A logo on the cover, with the words a screen reader says for it.", None,
                                   example="{file: images/logo.png, alt: Exampleton Council logo}")
    author: str = _field("The documents' author property.", _default(model.Report, "author"))
    subject: str = _field("The documents' subject property.", _default(model.Report, "subject"))
    language: str = _field("The language tag of the documents.", _default(model.Report, "language"))
    date: dt.date | None = _field("The publication date, like 2022-12-01; required unless status is draft.", None)
    status: model.Status = _field("official, or draft (watermark, draft footer, placeholders for missing figures).",
                                  _default(model.Report, "status"))
    version: str = _field("The version, shown in a draft's footer (quote it: '1.0').", _default(model.Report, "version"))
    style: str = _field("A built-in style's name, or a .toml style file in the folder.", _default(model.Report, "style"))
    values: dict[str, Any] = _field("Single figures the narrative quotes, by name.", attrs.Factory(dict),
                                    example="{population: 279800}")
    datasets: dict[str, SourceSpec] = _field("Every table of numbers, by name: a CSV path, {unavailable: reason}, "
                                             "{police_uk: …} or {excel: …}.", attrs.Factory(dict))
    editions: list[str] = _field("Other report files in this folder, built with this one: each a whole report "
                                 "(another language's edition, say) reading the same data, with a name of its own. "
                                 "Only report.yaml lists them.", attrs.Factory(list), example="[report.cy.yaml]")


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

    def fields(value, _type):
        if isinstance(value, str) and value:
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
            return list(value)
        raise KindError(f"expected a column name or a list of column names, found {written(value)}")

    conv.register_structure_hook(str | list[str], fields)
    conv.register_structure_hook(BlockSpec, block)
    conv.register_structure_hook(SourceSpec, dataset)
    conv.register_structure_hook(dt.date, date)
    return conv


CONVERTER = _converter()


def require_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ReportError.single(str(folder), "", "is not a folder; expected a report folder containing report.yaml")


def read_yaml(folder: Path, file: str = REPORT_FILE) -> dict:
    """``folder/report.yaml`` (or another report ``file`` of the folder, an edition) parsed; a
    file that is not a mapping of settings ends here."""
    path = folder / file
    require_folder(folder)
    if not path.is_file():
        raise ReportError.single(str(path), "", f"does not exist; a report folder needs a {file}")
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ReportError.single(file, "", "leads outside the report folder (a symlink); expected the file itself")
    try:
        raw = yamlfile.load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ReportError.single(file, "", "is not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        if not isinstance(exc, (yamlfile.LimitError, yaml.constructor.ConstructorError)):
            what = f"is not valid YAML: {what}"
        raise ReportError.single(file, where, what) from None
    if not isinstance(raw, dict):
        raise ReportError.single(file, "", f"expected a mapping of report settings, found {type(raw).__name__}")
    return raw


def structure(raw: dict) -> ReportSpec:
    """Settings → a ReportSpec; every structural problem of the file in one error."""
    try:
        return CONVERTER.structure(raw, ReportSpec)
    except cattrs.BaseValidationError as exc:  # every problem of the file, gathered by cattrs
        raise ReportError(structure_problems(exc, REPORT_FILE)) from None


def read_spec(folder: Path) -> ReportSpec:
    return structure(read_yaml(folder))
