"""Building a report in code: short constructors over the model for scripts and notebooks.

Data may be a list of dicts or anything with ``to_dict(orient="records")`` (a pandas
DataFrame); pandas itself is never imported here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import attrs

from . import cells, content, figures, images, narrative
from .errors import NarrativeError, ReportError
from .structuring import misused
from .model import (
    Block, Callout, Cell, Chart, Column, Contents, Cover, KeyFact, KeyFacts, Logo, Paragraph, Report,
    Section, SideBySide, Table,
)


def _refuse(function: str, argument: str, expected: str, value: Any) -> ReportError:
    return misused(f"compose.{function}", argument, expected, value)


def records(data: Any, *, function: str = "records") -> list[dict]:
    """Rows as plain dicts with plain Python values, from dicts or a DataFrame."""
    if hasattr(data, "to_dict"):
        data = data.to_dict(orient="records")
    if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Iterable):
        raise _refuse(function, "data", "a list of rows (dicts) or a pandas DataFrame", data)
    rows = []
    for index, row in enumerate(data):
        if not isinstance(row, Mapping):
            raise _refuse(function, f"data[{index}]", "a row as a dict of column → value", row)
        rows.append({str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.items()})
    return rows


def text(markdown: str) -> list[Block]:
    """Markdown (bold, italic, links, bullet lists) → blocks. No headings: use ``section``."""
    if not isinstance(markdown, str):
        raise _refuse("text", "markdown", "Markdown text", markdown)
    try:
        return narrative.parse(markdown, file="<text>", level=None)
    except NarrativeError as exc:
        raise ReportError(exc.problem) from None


def section(title: str, *content: Block | Sequence[Block] | str, level: int = 1, **options) -> Section:
    """A section; strings in ``content`` are Markdown, sections nest one level deeper."""
    blocks: list[Block] = []
    for item in content:
        if isinstance(item, str):
            blocks.extend(text(item))
        elif isinstance(item, (list, tuple)):
            blocks.extend(item)
        else:
            blocks.append(item)
    blocks = [_relevel(b, level + 1) if isinstance(b, Section) else b for b in blocks]
    _check_places("section", blocks, "section")
    return Section(title, tuple(blocks), level=level, **options)


def _check_places(function: str, blocks, place: str, argument: str = "content") -> None:
    for index, block in enumerate(blocks):
        if not attrs.has(type(block)):
            raise _refuse(function, f"{argument}[{index}]", "a block (compose.text, table, chart …) or Markdown text", block)
        wrong_place = content.misplaced(block, place)
        if wrong_place:
            raise ReportError.single(f"compose.{function}", f"{argument}[{index}]", wrong_place)


def _relevel(node: Section, level: int) -> Section:
    return attrs.evolve(node, level=level, blocks=tuple(
        _relevel(b, level + 1) if isinstance(b, Section) else b for b in node.blocks))


def _display(value: Any, fmt: str | None) -> str:
    if value is None:
        return ""
    if fmt == "percent":
        return figures.percent(value)
    if fmt == "number" or (fmt is None and isinstance(value, int) and not isinstance(value, bool)):
        return figures.number(value)
    if fmt == "decimal1":
        return figures.number(value, 1)
    return str(value)


def table(data: Any, *, columns: Sequence[str] | None = None, headers: Mapping[str, str] | None = None,
          title: str | None = None, caption: str | None = None, formats: Mapping[str, str] | None = None,
          widths: Mapping[str, float] | None = None, emphasis: Mapping[str, Any] | None = None,
          level: str | None = None) -> Table:
    """A table from rows. Numeric columns are right-aligned; ints get thousands separators.
    ``level`` names a column giving each row's level (0 or None a row, 1 a sub-row of the row
    above it, and so on), shown only if listed in ``columns``."""
    rows = records(data, function="table")
    columns = list(columns or [c for c in (rows[0].keys() if rows else []) if c != level])
    levels = []
    for index, row in enumerate(rows if level is not None else ()):
        levels.append(cells.row_level(row.get(level)))
        if levels[-1] is None:
            raise ReportError.single("compose.table", f"data[{index}][{level!r}]",
                                     f"level {row.get(level)!r}; {cells.LEVELS_ALLOWED}")
    headers, formats, widths = dict(headers or {}), dict(formats or {}), dict(widths or {})
    numeric = {c: bool(rows) and all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows) for c in columns}
    header_rows = [tuple(Cell.of(headers.get(c, c), bold=True) for c in columns)]
    body = tuple(tuple(Cell.of(_display(r.get(c), formats.get(c))) for c in columns) for r in rows)
    marked = ()
    if emphasis:
        (field, value), = emphasis.items()
        marked = tuple(i for i, r in enumerate(rows) if r.get(field) == value)
    return Table(tuple(Column(widths.get(c, 1.0), "right" if numeric[c] else "left") for c in columns),
                 tuple(header_rows), body, caption=caption, emphasis_rows=marked, title=title or None,
                 levels=tuple(levels) if any(levels) else ())


def chart(kind: str, title: str, data: Any, x: str, y: str, **options) -> Chart:
    """A chart of ``data`` (rows or a DataFrame); ``data=None`` declares it unavailable."""
    rows = None if data is None else tuple(records(data, function="chart"))
    ident = options.pop("id", "")
    emphasis = options.pop("emphasis", None)
    if isinstance(emphasis, Mapping):  # {field: value}, as compose.table takes it
        (field, value), = emphasis.items()
        emphasis = tuple(str(r.get(x)) for r in rows or () if r.get(field) == value)
    elif isinstance(emphasis, str):
        emphasis = (emphasis,)
    built = Chart(id=ident, kind=kind, title=title, rows=rows, x=x, y=y, emphasised=emphasis or (), **options)
    from .charts import problems

    for field, problem in problems(built)[:1]:
        raise ReportError.single("compose.chart", field, problem)
    return built


def _blocks(content: Block | Sequence[Block] | str) -> tuple[Block, ...]:
    """Markdown, one block or a list of blocks, as blocks."""
    if isinstance(content, str):
        return tuple(text(content))
    if isinstance(content, (list, tuple)):
        return tuple(content)
    return (content,)


def key_facts(facts: Mapping[str, Block | Sequence[Block] | str]) -> KeyFacts:
    if not isinstance(facts, Mapping):
        raise _refuse("key_facts", "facts", "a dict of label → content", facts)
    rows = tuple(KeyFact(label, _blocks(blocks)) for label, blocks in facts.items())
    for row in rows:
        _check_places("key_facts", row.blocks, "key fact", f"facts[{row.label!r}]")
    return KeyFacts(rows)


def side_by_side(*columns: Block | Sequence[Block] | str) -> SideBySide:
    """Columns of equal width next to each other, read left to right; each is a block, a list
    of blocks or Markdown."""
    if len(columns) < 2:
        raise ReportError.single("compose.side_by_side", "columns", f"expected two or more columns, found {len(columns)}")
    built = tuple(_blocks(column) for column in columns)
    for index, column in enumerate(built):
        _check_places("side_by_side", column, "side-by-side column", f"columns[{index}]")
    return SideBySide(built)


def callout(title: str, items: Iterable[str] | str,
            heading: str = "") -> Callout:
    if isinstance(items, str):
        markdown = items
    elif isinstance(items, Iterable) and all(isinstance(item, str) for item in items):
        markdown = "\n".join(f"- {item}" for item in items)
    else:
        raise _refuse("callout", "items", "Markdown text or a list of items as text", items)
    return Callout(title, heading, tuple(text(markdown)))


def report(title: str, organisation: str, *blocks: Block, contents: bool = True, name: str = "report",
           date: dt.date | None = None, status: str = "official", version: str = "1.0",
           style: str = "plain", author: str | None = None, subject: str = "", emblem: str = "",
           subtitle: str = "", logo: str | Path | None = None, logo_alt: str | None = None,
           language: str = "en-GB") -> Report:
    """A whole report; a contents page is put first unless ``contents=False``. ``logo`` is a
    .png or .svg file for the cover, checked as a report folder's is; ``logo_alt`` (required
    with it) is what a screen reader says for it. ``language`` is the documents' language tag;
    the style's labels must be written in it."""
    body = ((Contents(),) if contents else ()) + tuple(blocks)
    _check_places("report", blocks, "report body", "blocks")
    return Report(
        cover=Cover(organisation, title, emblem, subtitle, _logo(logo, logo_alt)), blocks=body,
        title=" ".join(f"{organisation} {title}".split()),
        author=author or organisation, subject=subject, date=date or dt.date(2000, 1, 1),
        status=status, version=version, name=name, style=style, language=language,
    )


def _logo(path: str | Path | None, alt: str | None) -> Logo | None:
    if path is None:
        return None
    if not isinstance(path, (str, Path)) or not Path(path).is_file():
        raise _refuse("report", "logo", "the path of a .png or .svg file", path)
    if not isinstance(alt, str) or not alt.strip():
        raise _refuse("report", "logo_alt", "the words a screen reader says for the logo", alt)
    return images.read_logo(Path(path), display=str(path), alt=" ".join(alt.split()))


def paragraph(words: str, *, bold: bool = False) -> Paragraph:
    return Paragraph.of(words, bold=bold)
