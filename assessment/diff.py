"""What changed between two drafts, section by section, read back out of their DOCX files.

Both sides are reduced to an outline — the heading path, then the paragraphs and table cells
under it — and compared with difflib. Two report folders are compared by building their
DOCX in memory first, so the comparison is always of what a reader would see.
"""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import attrs

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIPPED_STYLES = {"TOC 1", "TOC 2", "TOC Heading"}
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")


@attrs.frozen
class TableText:
    label: str
    rows: tuple[tuple[str, ...], ...]


@attrs.frozen
class Change:
    section: str
    kind: str  # "changed", "added", "removed"
    what: str  # "paragraph", "cell", "table", "section"
    text: str

    def __str__(self) -> str:
        mark = {"changed": "~", "added": "+", "removed": "-"}[self.kind]
        return f"{mark} {self.what}: {self.text}"


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(_W + "t"))


def outline(document) -> dict[str, list]:
    """Heading path → the paragraphs (str) and tables (TableText) beneath it, in order."""
    styles = {s.style_id: s.name for s in document.styles}
    sections: dict[str, list] = {"(before the first heading)": []}
    path: list[str] = []
    current = sections["(before the first heading)"]
    for element in document.element.body.iterchildren():
        if element.tag == _W + "p":
            style_el = element.find(f"{_W}pPr/{_W}pStyle")
            style = styles.get(style_el.get(_W + "val"), "") if style_el is not None else ""
            text = _text(element).strip()
            if not text or style in _SKIPPED_STYLES:
                continue
            if style.startswith("Heading "):
                level = int(style.split()[-1])
                path = path[: level - 1] + [text]
                current = sections.setdefault(" \u203a ".join(path), [])
            else:
                current.append(text)
        elif element.tag == _W + "tbl":
            current.extend(_tables(element))
    return {key: items for key, items in sections.items() if items or key != "(before the first heading)"}


def _tables(table) -> list[TableText]:
    """A table's text; side-by-side columns (one row of cells that each open with a table) give
    the tables they hold, so a changed cell is named in its own table."""
    rows = list(table.iterchildren(_W + "tr"))
    cells = list(rows[0].iterchildren(_W + "tc")) if len(rows) == 1 else []
    firsts = [next((c for c in cell if c.tag != _W + "tcPr"), None) for cell in cells]
    if len(cells) > 1 and all(first is not None and first.tag == _W + "tbl" for first in firsts):
        return [text for cell in cells for nested in cell.iterchildren(_W + "tbl") for text in _tables(nested)]
    texts = tuple(tuple(_text(cell).strip() for cell in row.iterchildren(_W + "tc")) for row in rows)
    label = texts[0][0] if texts and texts[0] else ""
    return [TableText(label, texts)]


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _figures(old: str, new: str) -> str:
    before, after = _NUMBER.findall(old), _NUMBER.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    pairs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            pairs.append(f"{', '.join(before[i1:i2]) or '—'} \u2192 {', '.join(after[j1:j2]) or '—'}")
    return f" (figures {'; '.join(pairs)})" if pairs else ""


def _focus(old: str, new: str) -> tuple[str, str]:
    """The changed part of two paragraphs with a few words of context either side."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not ops:
        return _short(old), _short(new)
    start_a, start_b = max(ops[0][1] - 4, 0), max(ops[0][3] - 4, 0)
    end_a, end_b = min(ops[-1][2] + 4, len(a)), min(ops[-1][4] + 4, len(b))
    def part(words, start, end, total):
        return ("\u2026" if start else "") + " ".join(words[start:end]) + ("\u2026" if end < total else "")
    return _short(part(a, start_a, end_a, len(a)), 160), _short(part(b, start_b, end_b, len(b)), 160)


def _compare_tables(section: str, old: TableText, new: TableText) -> list[Change]:
    name = f'table "{_short(new.label, 50)}"'
    if len(old.rows) != len(new.rows) or any(len(x) != len(y) for x, y in zip(old.rows, new.rows)):
        return [Change(section, "changed", "table", f"{name}: {len(old.rows)} rows \u2192 {len(new.rows)} rows")]
    changes = []
    for r, (row_old, row_new) in enumerate(zip(old.rows, new.rows)):
        # The column's name: the first row above with as many cells (a title row spans them all).
        header = next((row for row in new.rows[:r] if len(row) == len(row_new)), ())
        for c, (a, b) in enumerate(zip(row_old, row_new)):
            if a != b:
                column = header[c] if c < len(header) and header[c] else f"column {c + 1}"
                where = f'row "{_short(row_new[0], 40)}", {column}' if c else f"row {r + 1}"
                changes.append(Change(section, "changed", "cell", f"{name}, {where}: {_short(a, 60)} \u2192 {_short(b, 60)}"))
    return changes


def _compare_items(section: str, old: list, new: list) -> list[Change]:
    def key(item):
        return ("table", item.label) if isinstance(item, TableText) else ("p", item)

    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=[key(i) for i in old], b=[key(i) for i in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                if isinstance(a, TableText):
                    changes.extend(_compare_tables(section, a, b))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        for a, b in zip(olds[:paired], news[:paired]):
            if isinstance(a, TableText) and isinstance(b, TableText):
                changes.extend(_compare_tables(section, a, b))
            elif isinstance(a, str) and isinstance(b, str):
                before, after = _focus(a, b)
                changes.append(Change(section, "changed", "paragraph", f'"{before}" \u2192 "{after}"{_figures(a, b)}'))
            else:
                changes.append(Change(section, "removed", _what(a), _describe(a)))
                changes.append(Change(section, "added", _what(b), _describe(b)))
        for a in olds[paired:]:
            changes.append(Change(section, "removed", _what(a), _describe(a)))
        for b in news[paired:]:
            changes.append(Change(section, "added", _what(b), _describe(b)))
    return changes


def _what(item) -> str:
    return "table" if isinstance(item, TableText) else "paragraph"


def _describe(item) -> str:
    if isinstance(item, TableText):
        return f'"{_short(item.label, 60)}" ({len(item.rows)} rows)'
    return f'"{_short(item)}"'


def compare(old: dict[str, list], new: dict[str, list]) -> list[Change]:
    changes: list[Change] = []
    for section in list(dict.fromkeys([*old, *new])):
        if section not in new:
            changes.append(Change(section, "removed", "section", section))
        elif section not in old:
            changes.append(Change(section, "added", "section", section))
        else:
            changes.extend(_compare_items(section, old[section], new[section]))
    return changes


def load_outline(path: str | Path) -> dict[str, list]:
    """A .docx file, or a report folder built to DOCX in memory."""
    import docx

    from .errors import ReportError

    path = Path(path)
    if path.is_dir():
        from .api import render_documents
        from .loading import load_report

        data = render_documents(load_report(path), ["docx"])["docx"]
        return outline(docx.Document(io.BytesIO(data)))
    if path.suffix.lower() != ".docx" or not path.is_file():
        raise ReportError.single(str(path), "", "expected a .docx file or a report folder")
    try:
        return outline(docx.Document(str(path)))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise ReportError.single(str(path), "", f"cannot be read as a Word document ({type(exc).__name__})") from None


def report(changes: list[Change]) -> str:
    if not changes:
        return "No differences."
    lines = [f"{len(changes)} change{'s' if len(changes) != 1 else ''}:"]
    section = None
    for change in changes:
        if change.section != section:
            section = change.section
            lines.append(f"\n## {section}")
        lines.append(str(change))
    return "\n".join(lines)
