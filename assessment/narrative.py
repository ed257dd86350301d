"""Narrative text: figures filled in through a sandboxed template, then Markdown → nodes.

Markdown is parsed by markdown-it-py with raw HTML switched off, so anything that looks like
markup in the text stays text. Headings open sub-sections: ``##`` is a level-2 section,
``###`` level 3, whatever the file's position.
"""

from __future__ import annotations

import traceback
from typing import Any

import attrs
from jinja2 import ChainableUndefined, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markdown_it import MarkdownIt

from . import figures
from .errors import Problem
from .model import BulletList, ListItem, Paragraph, Placeholder, Section, Text

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_markdown = MarkdownIt("commonmark", {"html": False})


class NarrativeError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class _DraftUndefined(ChainableUndefined):
    """In drafts a missing figure prints as a visible marker instead of failing the build."""

    def __str__(self) -> str:  # noqa: D401
        return f"\u27e6missing: {self._undefined_name}\u27e7"

    __html__ = __str__


PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "\u27e6", "\u27e7"


def make_environment(*, draft: bool = False) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=_DraftUndefined if draft else StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    wrap = _tolerant if draft else (lambda fn: fn)
    env.filters.update({name: wrap(fn) for name, fn in figures.FILTERS.items()})
    env.globals.update({name: wrap(fn) for name, fn in figures.FUNCTIONS.items()})
    return env


def _tolerant(fn):
    """Draft builds: a figure over a missing value becomes the marker of what is missing."""
    def figure(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, _DraftUndefined):
                return str(value)
        try:
            return fn(*args, **kwargs)
        except figures.FigureError as exc:
            return f"{PLACEHOLDER_OPEN}{exc}{PLACEHOLDER_CLOSE}"
    return figure


def _template_line(exc: BaseException, name: str) -> int | None:
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == name:
            return frame.lineno
    return None


def fill(env: SandboxedEnvironment, source: str, context: dict[str, Any], *, file: str,
         first_line: int = 1) -> str:
    """Evaluate ``{{ … }}`` expressions; a failure names the file and line."""
    try:
        return env.from_string(source).render(context) if "{" in source else source
    except (TemplateError, SecurityError, figures.FigureError, TypeError, ValueError,
            ArithmeticError, LookupError) as exc:
        line = _template_line(exc, "<template>")
        where = f"line {line + first_line - 1}" if line else ""
        message = getattr(exc, "message", None) or str(exc)
        if isinstance(exc, SecurityError):
            message = f"expression refused by the sandbox: {message}"
        raise NarrativeError(Problem(file, where, message)) from None


def _spans(inline_token) -> tuple:
    spans: list = []
    bold = italic = False
    href: str | None = None
    for tok in inline_token.children or ():
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
            href = target if target.lower().startswith(_ALLOWED_SCHEMES) else None
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
    tokens = _markdown.parse(markdown)
    root = _Open(level or 0, "", [])
    stack: list[_Open] = [root]
    lists: list[list[ListItem]] = []
    items: list[dict] = []
    pending_heading: int | None = None

    def where(tok) -> str:
        return f"line {tok.map[0] + first_line}" if tok.map else ""

    for tok in tokens:
        kind = tok.type
        if kind == "heading_open":
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


def _close(stack: list[_Open]) -> None:
    done = stack.pop()
    stack[-1].blocks.append(Section(done.title, tuple(done.blocks), level=done.level))

