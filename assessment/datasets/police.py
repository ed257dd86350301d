"""police.uk street-level CSV files → the tables a strategic assessment needs.

Files are read one row at a time and only counters are kept, so a year of a large force's
files (millions of rows) fits in a few megabytes. Rows with an empty Crime ID are anti-social
behaviour, as police.uk publishes them. Years are financial years, April to March.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import attrs

from .. import figures
from ..errors import Problem, ReportError

CRIME_TYPES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences",
)
COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
           "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_FILES = 2_400  # two hundred years of monthly files
MAX_PROBLEMS = 50  # past this, a count: a wrong folder should not print a million lines


def financial_year(month: str) -> str:
    """'2021-04' → '2021-22'; '2022-03' → '2021-22'."""
    year, number = int(month[:4]), int(month[5:7])
    start = year if number >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def month_label(month: str, names=_MONTH_NAMES) -> str:
    """'2021-04' → 'Apr-21', the reference's form, in ``names`` (a style's month names)."""
    return f"{names[int(month[5:7]) - 1]}-{month[2:4]}"


@attrs.define
class PoliceSummary:
    """Counts from a folder of police.uk files, kept small whatever the number of rows."""

    rows: int = 0
    by_month: Counter = attrs.Factory(Counter)  # (kind, "YYYY-MM") → count
    by_type: Counter = attrs.Factory(Counter)  # (kind, financial year, crime type) → count
    by_lsoa: Counter = attrs.Factory(Counter)  # (kind, financial year, LSOA code) → count
    lsoa_names: dict = attrs.Factory(dict)
    problems: list = attrs.Factory(list)
    skipped: int = 0
    last_line: int = 0  # of the file being read, for a problem that stops it

    def problem(self, file: str, line: int, message: str) -> None:
        self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, f"line {line}", message))

    @property
    def years(self) -> list[str]:
        return sorted({financial_year(month) for _, month in self.by_month})

    def latest_year(self) -> str:
        if not self.years:
            raise ReportError.single("police.uk", "", "no rows were read; expected monthly street-level CSV files")
        return self.years[-1]


def read_folder(folder: Path, *, display: str) -> PoliceSummary:
    """Stream every ``*.csv`` below ``folder`` (police.uk's monthly download layout)."""
    root = folder.resolve()
    # Only files inside the folder: a symlink may point anywhere, a partner's folder included.
    files = sorted(path for path in folder.rglob("*.csv") if path.resolve().is_relative_to(root) and path.is_file())
    if len(files) > MAX_FILES:
        raise ReportError.single(display, "", f"holds {len(files):,} .csv files; at most {MAX_FILES:,} "
                                              "(police.uk publishes one a month per force)")
    if not files:
        raise ReportError.single(display, "", "holds no .csv files; expected police.uk street-level files")
    summary = PoliceSummary()
    known = set(CRIME_TYPES)
    for path in files:
        name = f"{display}/{path.relative_to(folder)}"
        try:
            _read_file(path, name, summary, known)
        except csv.Error as exc:  # a cell past csv's field limit, a NUL byte
            summary.problem(name, summary.last_line, f"cannot be read as CSV ({exc})")
        except UnicodeDecodeError:
            summary.problem(name, summary.last_line, "is not UTF-8 text; expected police.uk's CSV files")
    return summary


def _rows(reader, summary: PoliceSummary):
    """The reader's rows, with the line each ends on kept where a failing read can find it."""
    while True:
        summary.last_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        summary.last_line = reader.line_num
        yield cells


def _read_file(path: Path, name: str, summary: PoliceSummary, known: set) -> None:
    """Count one monthly file's rows into ``summary``; bad rows are problems, not stops."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        summary.last_line = 1
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:len(COLUMNS)]] != list(COLUMNS):
            summary.problem(name, 1, f"header is not police.uk's street-level layout ({', '.join(COLUMNS)})")
            return
        for cells in _rows(reader, summary):
            line = summary.last_line
            if len(cells) < len(COLUMNS):
                summary.problem(name, line, f"has {len(cells)} cells, expected {len(COLUMNS)}")
                continue
            crime_id, month, lsoa, lsoa_name, crime_type = cells[0], cells[1], cells[7], cells[8], cells[9]
            if not _MONTH.fullmatch(month):
                summary.problem(name, line, f"Month {month!r} is not in the form 2021-04")
                continue
            if crime_type not in known:
                summary.problem(name, line, f"unknown Crime type {crime_type!r}")
                continue
            kind = "asb" if not crime_id.strip() else "crime"
            year = financial_year(month)
            summary.rows += 1
            summary.by_month[kind, month] += 1
            summary.by_type[kind, year, crime_type] += 1
            if lsoa:
                summary.by_lsoa[kind, year, lsoa] += 1
                summary.lsoa_names.setdefault(lsoa, lsoa_name)


# --- the tables -----------------------------------------------------------------------------


def by_year(summary: PoliceSummary) -> list[dict]:
    """One row per financial year: crimes and ASB incidents."""
    totals = Counter()
    for (kind, month), count in summary.by_month.items():
        totals[kind, financial_year(month)] += count
    return [{"year": year, "crimes": totals["crime", year], "asb": totals["asb", year]} for year in summary.years]


def by_month(summary: PoliceSummary, year: str, names=_MONTH_NAMES) -> list[dict]:
    """Twelve rows, April to March, for seasonality charts."""
    start = int(year[:4])
    months = [f"{start}-{m:02d}" for m in range(4, 13)] + [f"{start + 1}-{m:02d}" for m in range(1, 4)]
    return [{"month": month_label(m, names), "crimes": summary.by_month["crime", m], "asb": summary.by_month["asb", m]}
            for m in months]


def by_category(summary: PoliceSummary, year: str, kind: str, mapping: dict[str, str] | None) -> list[dict]:
    """Counts by the report's categories (police.uk crime types when no mapping is given)."""

    counts = Counter()
    for (row_kind, row_year, crime_type), count in summary.by_type.items():
        if row_kind == kind and row_year == year:
            counts[(mapping or {}).get(crime_type, crime_type)] += count
    total = sum(counts.values())
    rows = []
    for category, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        share = int(figures.round_half_up(count / total * 100)) if total else 0
        rows.append({"category": category, "count": count, "percent": share})
    return rows


def top_areas(summary: PoliceSummary, year: str, kind: str, top: int, wards: dict[str, str] | None,
              unmatched: str = "Unmatched LSOA") -> list[dict]:
    """The ``top`` areas by count — LSOAs, or wards when a lookup is given — and their share."""

    counts = Counter()
    for (row_kind, row_year, lsoa), count in summary.by_lsoa.items():
        if row_kind == kind and row_year == year:
            area = wards.get(lsoa, unmatched) if wards is not None else summary.lsoa_names.get(lsoa, lsoa)
            counts[area] += count
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [{"rank": i, "area": area, "count": count,
             "share": int(figures.round_half_up(count / total * 100)) if total else 0}
            for i, (area, count) in enumerate(ranked, 1)]
