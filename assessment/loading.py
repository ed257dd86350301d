"""A report folder → the model: the builders that turn spec classes into nodes.

``spec`` reads ``report.yaml``; ``datasets`` reads the data it names; narrative is filled in
and parsed by ``narrative``. Problems are collected across the whole folder and raised together
as one ``ReportError``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import cattrs

from . import charts, content, images, limits, narrative, templates
from .datasets import Dataset, Failed, load_datasets, template_value
from .datasets.sources import ReportFolder, folder_style
from .errors import KindError, NarrativeError, Problem, ReportError
from .editions import editions, in_edition
from .files import name_problem
from .tablebuilding import TableBuilding
from .structuring import misused
from .theme import Labels, language_problem
from .model import (
    Callout, Chart, Contents, Cover, DataSources, Glossary,
    GlossaryEntry, KeyFact, KeyFacts, Report, Section, SideBySide, Signature,
)
from .spec import (
    REPORT_FILE, CalloutBlock, ChartBlock, ContentsBlock, DataSourcesBlock, GlossaryBlock,
    KeyFactsBlock, MarkdownBlock, SectionBlock, SideBySideBlock, SignatureBlock, TableBlock, TableSpec,
    TextBlock, CONVERTER, SourceSpec, read_yaml, structure,
)


@attrs.define
class _Loader(TableBuilding):
    folder: ReportFolder
    draft: bool
    env: Any
    datasets: dict[str, Dataset] = attrs.Factory(dict)
    failed_datasets: frozenset[str] = frozenset()  # declared, but their own errors are reported
    context: dict[str, Any] = attrs.Factory(dict)
    template_cache: dict[str, tuple] = attrs.Factory(dict)
    labels: Labels = Labels()  # the style's words, for what the loader writes itself
    report_file: str = REPORT_FILE  # the file being read: report.yaml or an edition

    @property
    def problems(self) -> list[Problem]:
        return self.folder.problems

    def dataset(self, name: str, where: str, fields: tuple[str, ...] = ()) -> Dataset | None:
        data = self.datasets.get(name)
        if data is None:
            if name not in self.failed_datasets:
                known = ", ".join(sorted(self.datasets)) or "none"
                self.problems.append(Problem(REPORT_FILE, where, f"unknown dataset '{name}' (datasets: {known})"))
            return None
        missing = [f for f in fields if f and data.rows is not None and f not in data.fields]
        if missing:
            self.problems.append(Problem(data.file, "line 1", f"has no column {', '.join(repr(m) for m in missing)} (needed by {self.report_file} {where}); columns: {', '.join(data.fields)}"))
            return None
        return data

    # narrative
    def markdown(self, source: str, *, file: str, level: int | None, first_line: int = 1) -> list:
        """The author's narrative: figures filled in, then Markdown."""
        try:
            filled = templates.fill(self.env, source, self.context, file=file, first_line=first_line)
            return narrative.parse(filled, file=file, level=level, first_line=first_line)
        except NarrativeError as exc:
            if not exc.follow_on:
                self.problems.append(exc.problem)
            return []

    def data_markdown(self, value: str, *, file: str, where: str) -> list:
        """A text cell of a dataset: Markdown, never a template (data is not code)."""
        try:
            return narrative.parse(value, file=file, level=None)
        except NarrativeError as exc:
            self.problems.append(Problem(file, where, exc.problem.message))
            return []

    # blocks
    def blocks(self, specs: list, *, level: int | None, where: str, place: str, start: int = 0) -> list:
        """Build ``specs`` (``where[start]`` onwards), which stand in ``place`` (a name of content.ALLOWED)."""
        out: list = []
        for index, spec in enumerate(specs, start):
            here = f"{where}[{index}]"
            method = getattr(self, "build_" + type(spec).__name__)
            result = method(spec, level=level, where=here)
            built = result if isinstance(result, list) else [result] if result is not None else []
            for node in built:
                wrong_place = content.misplaced(node, place)
                if wrong_place:
                    self.problems.append(Problem(REPORT_FILE, here, wrong_place))
                else:
                    out.append(node)
        return out

    def build_SectionBlock(self, spec: SectionBlock, *, level, where):
        section_level = (level or 0) + 1
        return Section(
            spec.section,
            tuple(self.blocks(spec.content, level=section_level, where=f"{where}.content", place="section")),
            id=spec.id, level=section_level, new_page=spec.new_page, in_contents=spec.in_contents,
            contents_children=spec.contents_children, appendix=spec.appendix,
        )

    def build_MarkdownBlock(self, spec: MarkdownBlock, *, level, where):
        path = self.folder.resolve(spec.markdown, f"{where}.markdown")
        if path is None:
            return []
        if path.stat().st_size > limits.MAX_TEXT_FILE_BYTES:
            self.problems.append(Problem(spec.markdown, "", f"is larger than {limits.MAX_TEXT_FILE_BYTES // 1000:,} kB; "
                                                            "expected narrative text (split it into several files)"))
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

    def build_ChartBlock(self, spec: ChartBlock, *, level, where):
        chart = spec.chart
        for name in ("width", "height"):
            size = getattr(chart, name)
            if size is not None and not limits.MIN_CHART_POINTS <= size <= limits.MAX_CHART_POINTS:
                self.problems.append(Problem(REPORT_FILE, f"{where}.chart.{name}", f"{size:g}; expected "
                                             f"{limits.MIN_CHART_POINTS:g} to {limits.MAX_CHART_POINTS:g} points"))
                return None
        unknown = sorted(set(chart.series_names) - set(chart.y if isinstance(chart.y, list) else []))
        if unknown:
            self.problems.append(Problem(REPORT_FILE, f"{where}.chart.series_names", f"names {', '.join(map(repr, unknown))}, "
                                                                                     "which are not among the chart's y columns"))
            return None
        if isinstance(chart.y, list) and (chart.series or not chart.y):
            self.problems.append(Problem(REPORT_FILE, f"{where}.chart.y", "several y columns name the series themselves; "
                                                                          "expected no series key and at least one column"))
            return None
        data = self.dataset(chart.data, f"{where}.chart.data",
                            (chart.x, *(chart.y if isinstance(chart.y, list) else [chart.y]), chart.series or ""))
        if data is None:
            return None
        rows = None
        if data.rows == ():
            self.problems.append(Problem(data.file, "line 2", f"has no rows; chart '{chart.title}' needs at least one "
                                                              "(declare the dataset {unavailable: reason} if the source has none)"))
            return None
        wide = isinstance(chart.y, list)
        y_fields = chart.y if wide else [chart.y]
        y, series = ("value", "series") if wide else (chart.y, chart.series)
        if data.rows is not None:
            picked = []
            for index, row in self.selected(data, chart.where, f"{where}.chart.where"):
                for field in y_fields:
                    if not isinstance(row[field], (int, float)) or isinstance(row[field], bool):
                        self.problems.append(Problem(data.file, f"{data.field_line(index)}, column '{field}'",
                                                     f"found {row[field]!r}, expected a number"))
                    # Wide data (one column a series) is drawn as long data: a row a value.
                    picked.append({chart.x: row[chart.x], y: row[field], series: chart.series_names.get(field, field)} if wide else
                                  {k: row[k] for k in (chart.x, chart.y, chart.series) if k})
            rows = tuple(picked)
            if not rows:
                self.problems.append(Problem(REPORT_FILE, f"{where}.chart.where", f"keeps no rows of {data.file}; "
                                                                                  "expected at least one to draw"))
                return None
        emphasis = ()
        if chart.emphasis:
            emphasis = tuple(str(r.get(chart.x)) for r in data.rows or () if str(r.get(chart.emphasis.field)) == chart.emphasis.equals)
        built = Chart(
            id=chart.id, kind=chart.kind, title=chart.title, rows=rows, x=chart.x, y=y,
            series=series, x_title=chart.x_title, y_title=chart.y_title,
            number_format=chart.number_format, caption=chart.caption, alt=chart.alt,
            unavailable_reason=data.unavailable_reason, width=chart.width, height=chart.height,
            sort=chart.sort, emphasised=emphasis,
        )
        wrong = charts.problems(built)
        for field, problem in wrong:
            self.problems.append(Problem(REPORT_FILE, f"{where}.chart.{field}", problem))
        return None if wrong else built

    def build_KeyFactsBlock(self, spec: KeyFactsBlock, *, level, where):
        return KeyFacts(tuple(
            KeyFact(fact.label, tuple(self.blocks(fact.content, level=None, where=f"{where}.key_facts[{i}].content",
                                                  place="key fact")))
            for i, fact in enumerate(spec.key_facts)
        ))

    def build_CalloutBlock(self, spec: CalloutBlock, *, level, where):
        c = spec.callout
        return Callout(c.title, c.heading, tuple(self.blocks(c.content, level=None, where=f"{where}.callout.content", place="callout")))

    def build_SideBySideBlock(self, spec: SideBySideBlock, *, level, where):
        if len(spec.side_by_side) < 2:
            self.problems.append(Problem(REPORT_FILE, f"{where}.side_by_side", "expected two or more blocks to set side by side"))
            return None
        # One column per listed block (a Markdown file may make several blocks in its column).
        return SideBySide(tuple(self.blocks([column], level=None, where=f"{where}.side_by_side", place="side-by-side column",
                                            start=index)
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
        glossary = Glossary(tuple(GlossaryEntry(str(r[g.term] or ""), str(r[g.definition] or "")) for r in data.rows))
        return self.headed(glossary, g.heading, level)

    def build_DataSourcesBlock(self, spec: DataSourcesBlock, *, level, where):
        d = spec.data_sources
        data = self.dataset(d.data, f"{where}.data_sources.data", (d.field,))
        if data is None or data.rows is None:
            return None
        if len(data.fields) > 1:
            # Every column the analyst kept (publisher, date, link …), as a table of them.
            sources = self.table(TableSpec(data=d.data), f"{where}.data_sources")
        else:
            sources = DataSources(tuple(str(r[d.field]) for r in data.rows if r[d.field] is not None))
        return self.headed(sources, d.heading, level)

    @staticmethod
    def headed(block, heading: str | None, level: int | None):
        """A glossary or list of sources with its own heading: a section one level below where
        it stands (a section of its own in the report body)."""
        if not heading or block is None:
            return block
        return Section(heading, (block,), level=(level or 0) + 1)


def load_report(folder: str | Path, *, draft: bool | None = None, edition: str | None = None) -> Report:
    """Read a report folder into the model; every problem in it is reported in one error.
    ``edition`` is one of the other report files report.yaml lists under ``editions``
    (``editions(folder)`` gives them); None reads report.yaml."""
    if not isinstance(folder, (str, Path)) or not str(folder) or "\x00" in str(folder):
        raise misused("assessment.load_report", "folder", "a folder path", folder)
    if draft is not None and not isinstance(draft, bool):
        raise misused("assessment.load_report", "draft", "True, False or None", draft)
    folder = Path(folder)
    if edition is None:
        return _load(folder, draft, REPORT_FILE)
    listed = editions(folder)
    if edition not in listed[1:]:
        raise misused("assessment.load_report", "edition", f"one of report.yaml's editions ({', '.join(listed[1:]) or 'none'})", edition)
    try:
        return _load(folder, draft, edition)
    except ReportError as exc:
        raise ReportError(in_edition(exc.problems, edition)) from None


def _load(folder: Path, draft: bool | None, report_file: str) -> Report:
    raw = read_yaml(folder, report_file)
    try:
        spec = structure(raw)
    except ReportError as exc:
        # The rest of the folder is still read, so one run reports everything it can.
        raise ReportError(_unique(exc.problems + _salvage(ReportFolder(folder), raw))) from None
    if report_file != REPORT_FILE and spec.editions:
        raise ReportError.single(REPORT_FILE, "editions", f"is given in {report_file}; only report.yaml lists the "
                                                          "folder's editions")
    is_draft = spec.status == "draft" if draft is None else draft
    loader = _Loader(ReportFolder(folder), is_draft, templates.make_environment(draft=is_draft, language=spec.language),
                     report_file=report_file)
    style, theme = folder_style(loader.folder, spec.style)
    if theme is not None:
        loader.labels = theme.labels
        wrong_language = language_problem(theme.labels, spec.language)
        if wrong_language:
            loader.problems.append(Problem(REPORT_FILE, "language", wrong_language))
    loader.datasets = load_datasets(loader.folder, spec.datasets, loader.labels)
    loader.failed_datasets = frozenset(spec.datasets) - set(loader.datasets)
    for name in sorted(set(spec.values) & set(spec.datasets)):
        loader.problems.append(Problem(REPORT_FILE, f"values.{name}", "has the same name as a dataset; rename one"))
    loader.context = {**spec.values, **{name: Failed(name) for name in loader.failed_datasets},
                      **{name: template_value(d) for name, d in loader.datasets.items()}}
    blocks = loader.blocks(spec.body, level=0, where="body", place="report body")
    date = spec.date
    if date is None:
        if is_draft:
            date = dt.date.today()  # a draft is dated the day it is built
        else:
            loader.problems.append(Problem(REPORT_FILE, "date", "required key missing; expected the publication date, "
                                                                "like 2022-12-01 (only a draft may leave it out)"))
    logo = images.folder_logo(loader.folder, spec.logo)
    if name_problem(spec.name):
        loader.problems.append(Problem(REPORT_FILE, "name", name_problem(spec.name)))
    if loader.problems:
        raise ReportError(_unique(loader.problems))
    return Report(
        cover=Cover(spec.organisation, spec.title, spec.emblem, spec.subtitle, logo), blocks=tuple(blocks),
        title=" ".join(f"{spec.organisation} {spec.title}".split()), author=spec.author, subject=spec.subject,
        language=spec.language, date=date, status="draft" if is_draft else spec.status,
        version=spec.version, name=spec.name, style=style,
    )


def _salvage(folder: ReportFolder, raw: dict) -> list[Problem]:
    """The style's and the datasets' own problems, from a report.yaml that did not structure."""
    style = raw.get("style", "plain")
    if isinstance(style, str):
        folder_style(folder, style)
    datasets = raw.get("datasets")
    readable = {}
    for name, value in (datasets.items() if isinstance(datasets, dict) else ()):
        try:
            readable[str(name)] = CONVERTER.structure(value, SourceSpec)
        except (cattrs.BaseValidationError, KindError):
            continue  # already reported by the structuring that failed
    load_datasets(folder, readable)
    return folder.problems


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
