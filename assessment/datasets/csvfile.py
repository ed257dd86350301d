"""CSV files: UTF-8, a header row first, cells typed as int, float or text."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from .. import limits
from ..figures import WrittenNumber
from ..errors import Problem, ReportError
from .table import Dataset

_INT = re.compile(r"[+-]?\d+")
MAX_DIGITS = 30
_LEADING_ZERO = re.compile(r"[+-]?0\d")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")


def typed(cell: str):
    """'12' → 12, '1.50' → 1.5 (printed '1.50'), '' → None; anything else, and codes with a
    leading zero ('011', '007'), stays text as written."""
    value = cell.strip()
    if value == "":
        return None
    if _LEADING_ZERO.match(value):
        return value
    if _INT.fullmatch(value):
        if len(value) > MAX_DIGITS:
            return value  # no count has so many digits: a code, kept as written
        return int(value)
    if _FLOAT.fullmatch(value):
        return WrittenNumber(value)
    return value


def read_csv(path: Path, *, display: str, name: str = "") -> Dataset:
    """Read a CSV of typed cells; Excel's UTF-8 BOM is accepted, cp1252 is named as such."""
    if path.stat().st_size > limits.MAX_DATA_FILE_BYTES:
        raise ReportError.single(display, "", f"is larger than {limits.MAX_DATA_FILE_BYTES // 1_000_000} MB; "
                                              "expected the table a report shows (aggregate it first)")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReportError.single(display, f"line {line}", "is not UTF-8 text (saved as Windows-1252 from Excel?); save it as 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text, newline=""))  # quoted cells may hold line breaks
    try:
        return _read_rows(reader, display, name)
    except csv.Error as exc:  # a cell past csv's field limit, a NUL byte, an unclosed quote at the end
        raise ReportError.single(display, f"line {reader.line_num}", f"cannot be read as CSV ({exc})") from None


def _read_rows(reader, display: str, name: str) -> Dataset:
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
        if len(rows) == limits.MAX_DATA_ROWS:
            raise ReportError.single(display, f"line {number}", f"more than {limits.MAX_DATA_ROWS:,} rows; "
                                                                "expected the table a report shows (aggregate it first)")
        row = {}
        for field, cell in zip(fields, cells):
            value = row[field] = typed(cell)
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(Problem(display, f"line {number}, column '{field}'", f"{cell.strip()} is too large a number"))
        rows.append(row)
        lines.append(number)
    if problems:
        raise ReportError(problems)
    return Dataset(name, display, fields, tuple(rows), lines=tuple(lines))
