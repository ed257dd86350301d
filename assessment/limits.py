"""Every limit on what a report may ask for, in one place, and the check of a finished tree.

Each limit is far above what a real strategic assessment needs (the Medway report: longest
paragraph 1,400 characters, largest table 20 rows, largest chart 14 bars, nesting 5 deep) and
low enough that no report within them takes more than seconds or 400 MB to build. Folder input
is checked as it is read, with file and line; ``problems`` checks a tree however it was made
(the compose API included) before any writer sees it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import typing

import attrs

from . import content, model
from .errors import Problem

MAX_TEXT_FILE_BYTES = 1_000_000  # a Markdown file
MAX_DATA_FILE_BYTES = 20_000_000  # a CSV or Excel file
MAX_DATA_ROWS = 100_000
MAX_PARAGRAPH_CHARS = 20_000  # about four pages of solid text; reportlab splits a paragraph in
# time that grows with the square of its length, so one giant paragraph would take minutes
MAX_HEADING_CHARS = 300  # a heading must fit on a page with the text it keeps with
MAX_TABLE_ROWS = 10_000
MAX_TABLE_COLUMNS = 40
MAX_CHART_ROWS = 1_000
MAX_CHART_POINTS = 2_000.0  # width or height, in points (an A4 page is 595 × 842)
MIN_CHART_POINTS = 20.0
MAX_ROW_LEVEL = 3  # a table's sub-rows: a row, its sub-rows, theirs, and one more
MAX_DEPTH = 12  # blocks inside blocks (sections, boxes, columns, tables, lists)
MAX_BLOCKS = 50_000


def _where(parents: tuple) -> str:
    titles = [p.title for p in parents if isinstance(p, model.Section)]
    return f"section '{titles[-1]}'" if titles else "the report"


def problems(report: model.Report) -> list[Problem]:
    """What in a finished tree is past a limit, each named by its section."""
    found: list[Problem] = []
    count = 0
    for node, parents in model.walk(report.blocks):
        count += 1
        where = _where(parents)
        wrong_place = content.misplaced(node, content.container(parents[-1] if parents else None))
        if wrong_place:
            found.append(Problem(where, "", wrong_place))
            continue
        if len(parents) >= MAX_DEPTH:
            found.append(Problem(where, "", f"blocks are nested more than {MAX_DEPTH} deep"))
            break
        if isinstance(node, model.Section):
            if len(node.title) > MAX_HEADING_CHARS:
                found.append(Problem(where, "", f"a heading of {len(node.title):,} characters; at most {MAX_HEADING_CHARS}"))
            if node.level < 1:
                found.append(Problem(where, f"section '{node.title[:40]}'", f"level {node.level}; expected 1 or more"))
        elif isinstance(node, model.Paragraph):
            length = sum(len(span.text) for span in node.spans)
            if length > MAX_PARAGRAPH_CHARS:
                found.append(Problem(where, "", f"a paragraph of {length:,} characters; at most "
                                                f"{MAX_PARAGRAPH_CHARS:,} (split it into paragraphs)"))
        elif isinstance(node, model.BulletList):
            depth = _list_depth(node)
            if depth > MAX_DEPTH:
                found.append(Problem(where, "", f"a list nested {depth} deep; at most {MAX_DEPTH}"))
        elif isinstance(node, model.Table):
            found.extend(table_problems(node, where))
            if len(node.rows) > MAX_TABLE_ROWS:
                found.append(Problem(where, "", f"a table of {len(node.rows):,} rows; at most {MAX_TABLE_ROWS:,}"))
            if len(node.columns) > MAX_TABLE_COLUMNS:
                found.append(Problem(where, "", f"a table of {len(node.columns)} columns; at most {MAX_TABLE_COLUMNS}"))
        elif isinstance(node, model.Chart):
            found.extend(chart_problems(node, where))
    if count > MAX_BLOCKS:
        found.append(Problem("the report", "", f"{count:,} blocks; at most {MAX_BLOCKS:,}"))
    return found


def table_problems(table: model.Table, where: str) -> list[Problem]:
    """A table the writers can lay out: columns of positive width, rows that fill them."""
    if not table.columns:
        return [Problem(where, "table", "has no columns; expected at least one")]
    found = []
    for index, column in enumerate(table.columns):
        if not column.width > 0:
            found.append(Problem(where, f"table column {index + 1}", f"width {column.width!r}; expected a positive share"))
    if table.levels and len(table.levels) != len(table.rows):
        found.append(Problem(where, "table levels", f"{len(table.levels)} levels for {len(table.rows)} rows; "
                                                    "expected one a body row (or none)"))
    wrong = next((level for level in table.levels if not 0 <= level <= MAX_ROW_LEVEL), None)
    if wrong is not None:
        found.append(Problem(where, "table levels", f"level {wrong}; expected 0 for a row or 1 to {MAX_ROW_LEVEL} "
                                                    "for a sub-row"))
    for number, row in enumerate(table.header_rows + table.rows, 1):
        spans = [cell.colspan for cell in row]
        if any(span < 1 for span in spans) or sum(spans) != len(table.columns):
            found.append(Problem(where, f"table row {number}", f"spans {sum(spans)} columns with {len(row)} cells; "
                                                               f"expected cells spanning exactly {len(table.columns)}"))
            break
    return found


def chart_problems(chart: model.Chart, where: str) -> list[Problem]:
    found = []
    if chart.rows == ():
        found.append(Problem(where, f"chart '{chart.title}'", "has no rows of data; expected at least one "
                                                              "(rows=None declares the data unavailable)"))
    for index, row in enumerate(chart.rows or ()):
        missing = [name for name in (chart.x, chart.y, chart.series) if name and name not in row]
        if missing:
            found.append(Problem(where, f"chart '{chart.title}'", f"row {index + 1} has no {', '.join(map(repr, missing))}; "
                                                                  f"it has {', '.join(map(repr, row)) or 'nothing'}"))
            break
        value = row[chart.y]
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)):
            found.append(Problem(where, f"chart '{chart.title}'", f"row {index + 1}: {chart.y} is {value!r}; expected a finite number"))
            break
    if chart.rows is not None and len(chart.rows) > MAX_CHART_ROWS:
        found.append(Problem(where, f"chart '{chart.title}'", f"{len(chart.rows):,} rows of data; at most {MAX_CHART_ROWS:,}"))
    for name in ("width", "height"):
        size = getattr(chart, name)
        if size is not None and not MIN_CHART_POINTS <= size <= MAX_CHART_POINTS:  # NaN fails too (None: the column's)
            found.append(Problem(where, f"chart '{chart.title}'", f"{name} {size!r}; expected {MIN_CHART_POINTS:g} "
                                                                  f"to {MAX_CHART_POINTS:g} points"))
    return found


def _list_depth(node: model.BulletList) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((item.children, depth + 1) for item in current.items if item.children)
    return deepest


# --- shapes: a tree built in code may hold anything -----------------------------------------

@functools.lru_cache(maxsize=None)
def _hints(node_class: type) -> dict:
    return typing.get_type_hints(node_class, vars(model))


def _describe(value) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40] + '…' if len(text) > 40 else text}"


_UNION_TYPES = (typing.Union, type(int | None))


@functools.lru_cache(maxsize=None)
def _plan(expected):
    """The annotation taken apart once: (kind, arguments)."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected is typing.Any:
        return "any", ()
    if origin in _UNION_TYPES:
        return "union", args
    if origin is typing.Literal:
        return "literal", args
    if origin is tuple:
        return "tuple", args[:1] or (typing.Any,)
    if origin is dict:
        return "dict", ()
    if expected is float:
        return "float", ()
    if expected is int:
        return "int", ()
    if isinstance(expected, type):
        return "type", (expected,)
    return "any", ()


def _fits(value, expected) -> bool:
    kind, args = _plan(expected)
    if kind == "type":
        return isinstance(value, args[0])
    if kind == "union":
        return any(_fits(value, option) for option in args)
    if kind == "tuple":
        return isinstance(value, tuple) and all(_fits(item, args[0]) for item in value)
    if kind == "float":
        return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "literal":
        return value in args
    if kind == "dict":
        return isinstance(value, dict)
    return True


def _mismatch(value, expected) -> str | None:
    """Why ``value`` is not of the annotated type ``expected`` (None when it is)."""
    if _fits(value, expected):
        return None
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected is typing.Any:
        return None
    if origin in _UNION_TYPES:
        return f"expected {_name(expected)}, found {_describe(value)}"
    if origin is typing.Literal:
        return None if value in args else f"expected one of {', '.join(map(repr, args))}, found {_describe(value)}"
    if origin is tuple:
        if not isinstance(value, tuple):
            return f"expected a tuple, found {_describe(value)}"
        item_type = args[0] if args else typing.Any
        for item in value:
            reason = _mismatch(item, item_type)
            if reason:
                return reason
        return None
    if origin is dict:
        return None if isinstance(value, dict) else f"expected a mapping, found {_describe(value)}"
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"expected a finite number, found {_describe(value)}"
        return None
    if expected is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else f"expected a whole number, found {_describe(value)}"
    if isinstance(expected, type):
        return None if isinstance(value, expected) else f"expected {_name(expected)}, found {_describe(value)}"
    return None


def _name(expected) -> str:
    if typing.get_origin(expected) in _UNION_TYPES:
        return " or ".join(_name(a) for a in typing.get_args(expected))
    return {str: "text", type(None): "nothing", bool: "true or false", _dt.date: "a date",
            float: "a finite number"}.get(expected, getattr(expected, "__name__", str(expected)))


def shape_problems(report) -> list[Problem]:
    """Fields of the wrong type anywhere in the tree, named by node and field: a report made in
    code gets the one-line error a folder gets, not a failure deep inside a writer."""
    found: list[Problem] = []
    seen = 0

    def check(node, path: str, depth: int) -> None:
        nonlocal seen
        seen += 1
        if depth > MAX_DEPTH * 4 or seen > MAX_BLOCKS * 20 or len(found) >= 20:
            return
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            where = f"{path}.{field.name}"
            reason = _mismatch(value, _hints(type(node))[field.name])
            if reason:
                found.append(Problem("report", where, reason))
                continue
            for index, child in enumerate(_children(value)):
                check(child, f"{where}[{index}]" if isinstance(value, tuple) else where, depth + 1)

    if not isinstance(report, model.Report):
        return [Problem("report", "", f"expected a Report (assessment.compose.report or load_report), found {_describe(report)}")]
    check(report, "report", 0)
    return found


def _children(value):
    if attrs.has(type(value)):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            if attrs.has(type(item)):
                yield item
            elif isinstance(item, tuple):  # rows of cells
                yield from (cell for cell in item if attrs.has(type(cell)))
