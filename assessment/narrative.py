"""Narrative text: Markdown → nodes (the figures in it are filled in first, by ``templates``).

Markdown is parsed by markdown-it-py with raw HTML switched off, so anything that looks like
markup in the text stays text. Headings open sub-sections: ``##`` is a level-2 section,
``###`` level 3, whatever the file's position.
"""

from __future__ import annotations

import re

import attrs
from markdown_it import MarkdownIt

from . import limits
from .links import FINDER, allowed, bare_address_target
from .errors import NarrativeError, Problem
from .templates import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN
from .model import BulletList, Cell, Column, ListItem, Paragraph, Placeholder, Section, Table, Text

# GitHub's pipe tables too; and a web address written bare ("www.ons.gov.uk", "police.uk")
# becomes a link, as readers and accessibility checkers expect of an address on a page.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["table", "linkify"])
_markdown.linkify = FINDER  # the same addresses, fewer of linkify-it's patterns compiled (see links.Finder)
_ALIGN = {"text-align:right": "right", "text-align:center": "center"}


def _spans(inline_token) -> tuple:
    spans: list = []
    bold = italic = False
    href: str | None = None
    children = inline_token.children or []
    for index, tok in enumerate(children):
        kind = tok.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            target = str(tok.attrs.get("href", ""))
            if tok.markup == "linkify":  # an address written bare in the text
                written = children[index + 1].content if index + 1 < len(children) else ""
                target = bare_address_target(target, written)
            href = allowed(target)
        elif kind == "link_close":
            href = None
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Text(" ", bold=bold, italic=italic, href=href))
        elif kind in ("text", "code_inline", "html_inline"):
            spans.extend(_split_placeholders(tok.content, bold, italic, href))
        elif kind == "image":
            spans.append(Text(tok.content, bold=bold, italic=italic))
    return tuple(_merge(spans))


def _split_placeholders(text: str, bold: bool, italic: bool, href: str | None):
    while PLACEHOLDER_OPEN in text:
        before, _, rest = text.partition(PLACEHOLDER_OPEN)
        inside, _, text = rest.partition(PLACEHOLDER_CLOSE)
        if before:
            yield Text(before, bold=bold, italic=italic, href=href)
        yield Placeholder(inside)
    if text:
        yield Text(text, bold=bold, italic=italic, href=href)


def _merge(spans: list) -> list:
    merged: list = []
    for span in spans:
        if merged and isinstance(span, Text) and isinstance(merged[-1], Text) and (
            attrs.evolve(merged[-1], text="") == attrs.evolve(span, text="")
        ):
            merged[-1] = attrs.evolve(merged[-1], text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return merged


@attrs.define
class _Open:
    level: int
    title: str
    blocks: list


def parse(markdown: str, *, file: str, level: int | None, first_line: int = 1) -> list:
    """Markdown → blocks. ``level`` is the enclosing section's level (None: no headings allowed)."""
    _check_bounds(markdown, file, first_line)
    tokens = _markdown.parse(markdown)
    root = _Open(level or 0, "", [])
    stack: list[_Open] = [root]
    lists: list[list[ListItem]] = []
    items: list[dict] = []
    pending_heading: int | None = None
    table: _PipeTable | None = None

    def where(tok) -> str:
        return f"line {tok.map[0] + first_line}" if tok.map else ""

    for tok in tokens:
        kind = tok.type
        if table is not None:
            if kind == "table_close":
                stack[-1].blocks.append(table.build(file, first_line))
                table = None
            else:
                table.take(tok)
            continue
        if kind == "table_open":
            if items:
                raise NarrativeError(Problem(file, where(tok), "a table inside a list item; expected the table "
                                                               "after the list, separated by a blank line"))
            table = _PipeTable()
        elif kind == "heading_open":
            heading_level = int(tok.tag[1])
            if level is None or heading_level <= level:
                expected = "no headings here" if level is None else f"a heading deeper than level {level} ('{'#' * (level + 1)} …')"
                raise NarrativeError(Problem(file, where(tok), f"found a level-{heading_level} heading, expected {expected}"))
            deepest = stack[-1].level
            if heading_level > deepest + 1:
                raise NarrativeError(Problem(file, where(tok), f"a level-{heading_level} heading follows level {deepest}; "
                                                               f"expected level {deepest + 1} or less (no skipped levels)"))
            pending_heading = heading_level
        elif kind == "inline" and pending_heading is not None:
            title = "".join(s.text for s in _spans(tok))
            if len(title) > limits.MAX_HEADING_CHARS:
                raise NarrativeError(Problem(file, where(tok), f"a heading of {len(title):,} characters; at most "
                                                               f"{limits.MAX_HEADING_CHARS}"))
            while stack[-1].level >= pending_heading:
                _close(stack)
            stack.append(_Open(pending_heading, title, []))
            pending_heading = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            finished = BulletList(tuple(lists.pop()))
            if items:
                items[-1]["children"] = finished
            else:
                stack[-1].blocks.append(finished)
        elif kind == "list_item_open":
            items.append({"paragraph": None, "children": None})
        elif kind == "list_item_close":
            item = items.pop()
            lists[-1].append(ListItem(item["paragraph"] or Paragraph(()), item["children"]))
        elif kind == "inline":
            paragraph = Paragraph(_spans(tok))
            if len(paragraph.plain) > limits.MAX_PARAGRAPH_CHARS:
                raise NarrativeError(Problem(file, where(tok), f"a paragraph of {len(paragraph.plain):,} characters; at most "
                                                               f"{limits.MAX_PARAGRAPH_CHARS:,} (split it with a blank line)"))
            if items and items[-1]["paragraph"] is None:
                items[-1]["paragraph"] = paragraph
            elif items:
                # A second paragraph in one list item joins the first, as a reader sees it.
                first = items[-1]["paragraph"]
                items[-1]["paragraph"] = Paragraph(first.spans + (Text(" "),) + paragraph.spans)
            else:
                stack[-1].blocks.append(paragraph)
        elif kind in ("fence", "code_block"):
            stack[-1].blocks.append(Paragraph((Text(tok.content.rstrip("\n")),)))
        elif kind == "html_block":
            stack[-1].blocks.append(Paragraph((Text(tok.content.rstrip("\n")),)))
    while len(stack) > 1:
        _close(stack)
    return root.blocks


MAX_BRACKETS = 5_000  # markdown-it spends about 20 µs on each '[' that might open a link
_NESTING = re.compile(r"^((?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])[ \t]+)+)", re.MULTILINE)


def _check_bounds(markdown: str, file: str, first_line: int) -> None:
    """Refuse, with a line, Markdown whose parse would be slow or would silently flatten: more
    link brackets than any narrative has, or lists and quotes nested past the model's depth
    (markdown-it stops nesting at its limit and prints the rest as text)."""
    brackets = markdown.count("[")
    if brackets > MAX_BRACKETS:
        raise NarrativeError(Problem(file, "", f"{brackets:,} '[' brackets; at most {MAX_BRACKETS:,} "
                                               "(links and their text)"))
    for match in _NESTING.finditer(markdown):
        prefix = match.group(1)
        depth = len(re.findall(r"(?:>|[-*+]|\d{1,9}[.)])[ \t]", prefix)) + prefix.count("    ") + prefix.count("\t")
        if depth > limits.MAX_DEPTH:
            line = markdown.count("\n", 0, match.start()) + first_line
            raise NarrativeError(Problem(file, f"line {line}", f"lists or quotes nested {depth} deep; at most {limits.MAX_DEPTH}"))


@attrs.define
class _PipeTable:
    """A Markdown pipe table as it is read, token by token: a real table, header row first."""

    header: list = attrs.Factory(list)
    rows: list = attrs.Factory(list)
    aligns: list = attrs.Factory(list)
    row: list | None = None
    in_head: bool = False
    lines: list = attrs.Factory(list)  # each body row's line in the Markdown (from 0)

    def take(self, tok) -> None:
        kind = tok.type
        if kind == "thead_open":
            self.in_head = True
        elif kind == "thead_close":
            self.in_head = False
        elif kind == "tr_open":
            self.row = []
            if not self.in_head:
                self.lines.append(tok.map[0] if tok.map else None)
        elif kind == "tr_close":
            (self.header if self.in_head else self.rows).append(tuple(self.row))
        elif kind in ("th_open", "td_open") and self.in_head:
            self.aligns.append(_ALIGN.get(str(tok.attrs.get("style", "")), "left"))
        elif kind == "inline":
            spans = _spans(tok)
            if self.in_head:
                spans = tuple(attrs.evolve(s, bold=True) if isinstance(s, Text) else s for s in spans)
            self.row.append(Cell((Paragraph(spans),) if spans else ()))

    def build(self, file: str, first_line: int) -> Table:
        """Rows whose first cell begins with dashes and a space ("- Residential") are sub-rows,
        a level a dash, as a published table prints them; the dashes give way to the style's marker."""
        rows, levels = [], []
        for row, line in zip(self.rows, self.lines):
            level, row = _sub_row(row)
            if level > limits.MAX_ROW_LEVEL:
                where = f"line {line + first_line}" if line is not None else ""
                raise NarrativeError(Problem(file, where, f"a table row of level {level} ({'-' * level} before its words); "
                                                          f"expected at most {limits.MAX_ROW_LEVEL} dashes for a sub-row"))
            rows.append(row)
            levels.append(level)
        return Table(tuple(Column(1.0, align) for align in self.aligns), tuple(self.header), tuple(rows),
                     levels=tuple(levels) if any(levels) else ())


_SUB_ROW = re.compile(r"([-\u2013]+)\s+(?=\S)")


def _sub_row(row: tuple) -> tuple[int, tuple]:
    """(level, the row without its dashes)."""
    first = row[0].blocks[0] if row and row[0].blocks else None
    span = first.spans[0] if isinstance(first, Paragraph) and first.spans else None
    match = _SUB_ROW.match(span.text) if isinstance(span, Text) else None
    if match is None:
        return 0, row
    words = Paragraph((attrs.evolve(span, text=span.text[match.end():]),) + first.spans[1:])
    return len(match.group(1)), (Cell((words,) + row[0].blocks[1:], row[0].colspan),) + row[1:]


def _close(stack: list[_Open]) -> None:
    done = stack.pop()
    stack[-1].blocks.append(Section(done.title, tuple(done.blocks), level=done.level))

