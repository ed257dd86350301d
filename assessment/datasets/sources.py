"""The datasets ``report.yaml`` declares, read from inside the report folder.

Every path a folder names goes through ``ReportFolder.resolve``: relative, inside the folder
once symlinks are resolved, and of the kind expected (file or folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import attrs

from ..errors import Problem, ReportError
from ..theme import Labels, Theme, load_theme, style_path
from ..spec import REPORT_FILE, DatasetSpec, ExcelSpec, PoliceSpec, SourceSpec
from .csvfile import read_csv
from .table import Dataset


@attrs.define
class ReportFolder:
    """A report folder and the problems met resolving paths in it."""

    root: Path
    problems: list[Problem] = attrs.Factory(list)

    def resolve(self, relative: str, where: str, kind: Literal["file", "folder"] = "file") -> Path | None:
        """``relative`` inside the folder, or None with a problem naming ``where``."""
        if "\x00" in relative or any(len(part.encode()) > 255 for part in relative.split("/")):
            self.problems.append(Problem(REPORT_FILE, where, f"{relative[:60]!r} is not a usable file name "
                                                             "(a NUL character, or a name over 255 bytes)"))
            return None
        candidate = Path(relative)
        if candidate.is_absolute() or ".." in candidate.parts:
            self.problems.append(Problem(REPORT_FILE, where, f"'{relative}' must be a path inside the report folder"))
            return None
        path = self.root / candidate
        try:
            inside = path.resolve().is_relative_to(self.root.resolve())
            exists = path.is_file() if kind == "file" else path.is_dir()
        except (OSError, RuntimeError):  # unreadable, too long a path, or a symlink loop
            inside = exists = False
        if not inside:
            self.problems.append(Problem(REPORT_FILE, where, f"'{relative}' leads outside the report folder"))
            return None
        if not exists:
            self.problems.append(Problem(REPORT_FILE, where, f"{kind} '{relative}' does not exist"))
            return None
        return path


@attrs.define
class _Reader:
    folder: ReportFolder
    datasets: dict[str, Dataset] = attrs.Factory(dict)
    police_summaries: dict = attrs.Factory(dict)  # one read per police.uk folder
    labels: Labels = Labels()  # the style's month names and unmatched-area words

    @property
    def problems(self) -> list[Problem]:
        return self.folder.problems

    def read(self, name: str, spec: SourceSpec) -> None:
        try:
            if isinstance(spec, PoliceSpec):
                dataset = self.police(name, spec)
            elif isinstance(spec, ExcelSpec):
                dataset = self.excel(name, spec)
            else:
                dataset = self.csv(name, spec)
        except ReportError as exc:
            self.problems.extend(exc.problems)
            return
        if dataset is not None:
            self.datasets[name] = dataset

    def csv(self, name: str, spec: DatasetSpec) -> Dataset | None:
        if spec.unavailable is not None:
            return Dataset.unavailable(name, REPORT_FILE, spec.unavailable)
        path = self.folder.resolve(spec.csv, f"datasets.{name}")
        return read_csv(path, display=spec.csv, name=name) if path else None

    def excel(self, name: str, spec: ExcelSpec) -> Dataset | None:
        from . import excel

        path = self.folder.resolve(spec.excel, f"datasets.{name}.excel")
        if path is None:
            return None
        return excel.read_table(path, display=spec.excel, name=name, sheet=spec.sheet,
                                cell_range=spec.range, table=spec.table)

    def police(self, name: str, spec: PoliceSpec) -> Dataset | None:
        from . import police

        where = f"datasets.{name}"
        folder = self.folder.resolve(spec.police_uk, f"{where}.police_uk", kind="folder")
        if folder is None:
            return None
        summary = self.police_summaries.get(folder)
        if summary is None:
            summary = self.police_summaries[folder] = police.read_folder(folder, display=spec.police_uk)
            self.problems.extend(summary.problems)
            if summary.skipped > len(summary.problems):
                self.problems.append(Problem(spec.police_uk, "", f"and {summary.skipped - len(summary.problems)} more bad rows"))
        if not summary.years:
            raise ReportError.single(spec.police_uk, "", "no usable rows; expected police.uk street-level files")
        year = summary.latest_year() if spec.year == "latest" else spec.year
        if year not in summary.years:
            raise ReportError.single(REPORT_FILE, f"{where}.year", f"no data for {year}; the files cover {', '.join(summary.years)}")
        lookups = {}
        for field, columns in (("mapping", ("crime_type", "category")), ("wards", ("lsoa_code", "ward"))):
            relative = getattr(spec, field)
            if relative is None:
                continue
            path = self.folder.resolve(relative, f"{where}.{field}")
            if path is None:
                return None
            table = read_csv(path, display=relative)
            missing = [c for c in columns if c not in table.fields]
            if missing:
                raise ReportError.single(relative, "line 1", f"expected columns {', '.join(columns)}; missing {', '.join(missing)}")
            lookups[field] = {str(r[columns[0]]): str(r[columns[1]]) for r in table.rows}
        if spec.view == "by_year":
            rows = police.by_year(summary)
        elif spec.view == "by_month":
            rows = police.by_month(summary, year, self.labels.months.split())
        elif spec.view == "by_category":
            rows = police.by_category(summary, year, spec.kind, lookups.get("mapping"))
        else:
            rows = police.top_areas(summary, year, spec.kind, spec.top, lookups.get("wards"), self.labels.unmatched_area)
        fields = tuple(rows[0]) if rows else ()
        return Dataset(name, spec.police_uk, fields, tuple(rows))


def load_datasets(folder: ReportFolder, specs: dict[str, SourceSpec], labels: Labels | None = None) -> dict[str, Dataset]:
    """Read every declared dataset; problems are added to ``folder.problems``, not raised. The
    words a police.uk view writes are ``labels``' (English by default)."""
    reader = _Reader(folder, labels=labels or Labels())
    for name, spec in sorted(specs.items()):
        reader.read(name, spec)
    return reader.datasets


def folder_style(folder: ReportFolder, name: str) -> tuple[str, Theme | None]:
    """The style as the writers will load it (None if it cannot be), checked now so its problems
    join the folder's."""
    if name.endswith(".toml"):
        path = folder.resolve(name, "style")
        if path is None:
            return name, None
        name = str(path.resolve())
    try:
        return name, load_theme(style_path(name))
    except ReportError as exc:
        folder.problems.extend(
            Problem(REPORT_FILE, "style", p.message) if p.file == "style" else
            attrs.evolve(p, file=str(Path(p.file).relative_to(folder.root))) if Path(p.file).is_relative_to(folder.root) else p
            for p in exc.problems)
    return name, None
