"""A table from an Excel workbook (openpyxl, an optional extra: pip install 'assessment[excel]')."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

from .. import limits
from ..errors import Problem, ReportError
from .table import Dataset


def read_table(path: Path, *, display: str, name: str = "", sheet: str | None = None,
               cell_range: str | None = None, table: str | None = None):
    try:
        import openpyxl
    except ImportError:
        raise ReportError.single(display, "", "reading Excel needs openpyxl: pip install 'assessment[excel]'") from None
    if path.stat().st_size > limits.MAX_DATA_FILE_BYTES:
        raise ReportError.single(display, "", f"is larger than {limits.MAX_DATA_FILE_BYTES // 1_000_000} MB; "
                                              "expected the table a report shows")
    problem = _archive_problem(path)
    if problem:
        raise ReportError.single(display, "", problem)
    try:
        # Named tables are only visible outside read-only mode.
        book = openpyxl.load_workbook(path, read_only=table is None, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ReportError.single(display, "", f"cannot be read as an .xlsx workbook ({type(exc).__name__})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReportError.single(display, "sheet", f"has no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        if table is not None:
            if table not in worksheet.tables:
                known = ", ".join(worksheet.tables) or "none"
                raise ReportError.single(display, "table", f"sheet '{worksheet.title}' has no table '{table}' (tables: {known})")
            cell_range = worksheet.tables[table].ref
        rows = list(itertools.islice(worksheet.iter_rows(values_only=True) if cell_range is None else
                                     ([c.value for c in row] for row in worksheet[cell_range]), limits.MAX_DATA_ROWS + 2))
        if len(rows) > limits.MAX_DATA_ROWS + 1:
            raise ReportError.single(display, cell_range or worksheet.title, f"more than {limits.MAX_DATA_ROWS:,} rows; "
                                                                             "expected the table a report shows")
    finally:
        book.close()
    rows = [row for row in rows if any(v is not None and str(v).strip() for v in row)]
    if not rows:
        raise ReportError.single(display, cell_range or worksheet.title, "holds no rows; expected a header row first")
    header = tuple("" if v is None else str(v).strip() for v in rows[0])
    problems = [Problem(display, f"{cell_range or worksheet.title}, column {i}", "has no name in the header row")
                for i, h in enumerate(header, 1) if not h]
    if len(set(header)) != len(header):
        problems.append(Problem(display, cell_range or worksheet.title, "has a column name twice in the header row"))
    if problems:
        raise ReportError(problems)

    def typed(value):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            return value.strip() or None
        return value

    body = tuple({h: typed(v) for h, v in zip(header, row)} for row in rows[1:])
    return Dataset(name, display, header, body, lines=tuple(range(2, len(body) + 2)))


MAX_UNPACKED_BYTES = 100_000_000  # a workbook's parts once unzipped; a zip bomb is far larger
MAX_SHARED_STRINGS_BYTES = 5_000_000  # openpyxl reads every shared string before the first row


def _archive_problem(path: Path) -> str | None:
    """An .xlsx is a zip: its unpacked sizes are read from the zip's directory, before any part
    is unpacked, so a zip bomb or a sheet of a million strings is refused in milliseconds."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return "cannot be read as an .xlsx workbook (it is not a zip archive)"
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        return f"unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB; expected the table a report shows"
    strings = sum(part.file_size for part in parts if part.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_SHARED_STRINGS_BYTES:
        return (f"holds more than {MAX_SHARED_STRINGS_BYTES // 1_000_000} MB of text cells; expected the table "
                "a report shows")
    return None
