"""Figures in narrative text: ``{{ … }}`` filled in by Jinja2, sandboxed and bounded.

A report folder may come from anyone, so a template can read the report's values and datasets
and call the figures functions, and nothing more: the sandbox is immutable (``reverse()`` on a
dataset is refused, so one text cannot change the figures of the next), macros, includes and
imports are not part of the language here, and work is bounded — a time budget per text
for all the texts of a report (checked as template code runs), caps on ranges, repetition and powers, and on the
size of the text produced. Whatever ``{{ … }}`` prints is text, never Markdown: a ward named
``*North*`` stays as written.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import ChainableUndefined, StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import codecache, figures
from .errors import NarrativeError, Problem
from .model import MISSING

PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "\u27e6", "\u27e7"

SECONDS_PER_REPORT = 5.0  # every text of the Medway report fills in within 0.05 s
MAX_OUTPUT_CHARS = 1_000_000  # a whole report's narrative is about 100,000
MAX_RANGE = 10_000
MAX_SEQUENCE = 100_000  # the longest string or list an operator may make
MAX_POWER_BITS = 10_000

_TEMPLATE_NAME = "<template>"
# What narrative needs of Jinja: output, conditions, loops, set, filters and calls.
_ALLOWED_STATEMENTS = (nodes.Output, nodes.If, nodes.For, nodes.Assign, nodes.ExprStmt, nodes.Continue, nodes.Break)
_ALLOWED_FILTERS = {
    "abs", "capitalize", "default", "d", "first", "last", "float", "int", "join", "length", "count",
    "list", "lower", "upper", "max", "min", "round", "sum", "sort", "title", "trim", "map", "select",
    "reject", "selectattr", "rejectattr", "unique", "reverse", "string", "wordcount", "attr", "items",
    "dictsort", "groupby", "truncate",
}
_ALLOWED_TESTS = {
    "defined", "undefined", "none", "number", "string", "integer", "float", "even", "odd",
    "divisibleby", "eq", "ne", "lt", "le", "gt", "ge", "in", "true", "false", "boolean", "sequence",
    "mapping", "iterable", "lower", "upper", "sameas", "==", "!=", "<", "<=", ">", ">=",
}
# String methods that make long strings from short ones.
_REFUSED_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map", "replace",
                    "translate", "encode", "join"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


class _DraftUndefined(ChainableUndefined):
    """In drafts a missing figure prints as a visible marker instead of failing the build."""

    def __str__(self) -> str:  # noqa: D401
        return f"{PLACEHOLDER_OPEN}{MISSING}{self._undefined_name}{PLACEHOLDER_CLOSE}"

    __html__ = __str__


class _TooMuchWork(Exception):
    pass


def _bounded_range(*args):
    if any(isinstance(a, bool) or not isinstance(a, int) for a in args):
        raise TypeError("range() takes whole numbers")
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _TooMuchWork(f"range() of {len(numbers):,} numbers; at most {MAX_RANGE:,}")
    return numbers


def _bounded_join(value, d: str = "", attribute=None) -> str:
    """Jinja's join, refused before it builds more text than a report can hold."""
    items = list(value)
    if attribute is not None:
        items = [item[attribute] if isinstance(item, dict) else getattr(item, str(attribute)) for item in items]
    texts = [str(item) for item in items]
    if len(texts) > MAX_SEQUENCE or sum(map(len, texts)) + len(d) * len(texts) > MAX_OUTPUT_CHARS:
        raise _TooMuchWork(f"joining makes more than {MAX_OUTPUT_CHARS:,} characters of text")
    return str(d).join(texts)


def _as_text(value) -> str:
    """What ``{{ … }}`` prints: plain text, escaped so Markdown reads it literally."""
    if isinstance(value, _DraftUndefined):
        return str(value)
    text = "" if value is None else str(value)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class FiguresEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "%"])
    seconds_left = SECONDS_PER_REPORT  # shared by every text filled in with this environment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.expressions: dict[str, Any] = {}  # compiled once, evaluated for every row

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and \
                        len(sequence) * times > MAX_SEQUENCE:
                    raise _TooMuchWork(f"repeating a value {times:,} times makes more than {MAX_SEQUENCE:,} items")
        elif operator == "**":
            if isinstance(left, (int, float)) and isinstance(right, (int, float)) and not isinstance(left, bool):
                bits = max(1.0, math.log2(abs(left) or 1) + 1) * abs(right)
                if isinstance(left, int) and isinstance(right, int) and right > 0 and bits > MAX_POWER_BITS:
                    raise _TooMuchWork(f"a power with more than {MAX_POWER_BITS:,} binary digits")
        elif operator == "%" and isinstance(left, str):
            raise SecurityError("formatting text with % is not available; use the number or percent filters")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value):
        return None  # str.format is answered here before is_safe_attribute, which refuses it

    def is_safe_attribute(self, obj, attr, value):
        if isinstance(obj, str) and attr in _REFUSED_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)


def make_environment(*, draft: bool = False, language: str = "en-GB") -> FiguresEnvironment:
    """The sandbox for a report's texts; the figures functions phrase in ``language`` (Welsh for
    'cy'/'cy-GB', English for every other tag)."""
    phrased = figures.for_language(language)
    env = FiguresEnvironment(
        undefined=_DraftUndefined if draft else StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_as_text,
    )
    env.filters = {name: fn for name, fn in env.filters.items() if name in _ALLOWED_FILTERS}
    env.tests = {name: fn for name, fn in env.tests.items() if name in _ALLOWED_TESTS}
    env.globals = {"range": _bounded_range}  # no lipsum, cycler, joiner, namespace or dict
    env.filters["join"] = _bounded_join
    wrap = _tolerant if draft else (lambda fn: fn)
    env.filters.update({name: wrap(fn) for name, fn in phrased.filters.items()})
    env.globals.update({name: wrap(fn) for name, fn in phrased.functions.items()})
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


def _template_line(exc: BaseException) -> int | None:
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == _TEMPLATE_NAME:
            return frame.lineno
    return None


def _check_language(tree: nodes.Template) -> tuple[str, int] | None:
    """The first construct narrative may not use, and its line."""
    for node in tree.find_all(nodes.Stmt):
        if not isinstance(node, _ALLOWED_STATEMENTS):
            name = {"AssignBlock": "set … endset", "FromImport": "from … import"}.get(type(node).__name__, type(node).__name__.lower())
            return (f"'{{% {name} %}}' is not available in narrative text; expected expressions, "
                    "if, for and set"), node.lineno
    return None


class _Deadline:
    """A trace function that stops a template running past its time budget; only frames of
    template code are traced, so the figures functions it calls run at full speed."""

    def __init__(self, seconds: float):
        self.started = time.monotonic()
        self.until = self.started + seconds
        self.lines = 0

    def __call__(self, frame, event, arg):
        if frame.f_code.co_filename == _TEMPLATE_NAME:
            return self._line
        return None

    def _line(self, frame, event, arg):
        self.lines += 1
        if self.lines % 1000 == 0 and time.monotonic() > self.until:
            raise _TooMuchWork(f"the report's texts took longer than {SECONDS_PER_REPORT:g} s in all to fill in")
        return self._line


def fill(env: FiguresEnvironment, source: str, context: dict[str, Any], *, file: str, first_line: int = 1) -> str:
    """Evaluate ``{{ … }}`` expressions; a failure names the file and line (or, for a bad value
    from a dataset, the dataset's file, line and column)."""
    if "{" not in source:
        return source

    def problem(message: str, line: int | None) -> NarrativeError:
        where = f"line {line + first_line - 1}" if line else ""
        return NarrativeError(Problem(file, where, message))

    material = _compiled_template_material(env, source)
    code = codecache.CACHE.get(material)  # a text compiled by an earlier build, checked then
    if code is None:
        try:
            tree = env.parse(source)
        except TemplateError as exc:
            raise problem(getattr(exc, "message", None) or str(exc), _template_line(exc)) from None
        except RecursionError:
            raise problem("an expression nested too deeply (brackets inside brackets)", None) from None
        refused = _check_language(tree)
        if refused:
            raise problem(*refused)
    deadline = _Deadline(env.seconds_left)
    previous = sys.gettrace()
    sys.settrace(deadline)
    try:
        if code is None:
            code = env.compile(tree)
            codecache.CACHE.put(material, code)
        out, size = [], 0
        for chunk in env.template_class.from_code(env, code, env.make_globals(None)).generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise _TooMuchWork(f"makes more than {MAX_OUTPUT_CHARS:,} characters of text")
            out.append(chunk)
        return "".join(out)
    except figures.FigureError as exc:
        if exc.follow_on:
            raise NarrativeError(Problem(file, "", str(exc)), follow_on=True) from None
        source_cell = getattr(exc, "source", None)
        line = _template_line(exc)
        if source_cell is not None:
            used = f" (used in {file}" + (f" line {line + first_line - 1})" if line else ")")
            raise NarrativeError(Problem(source_cell[0], source_cell[1], f"{exc}{used}")) from None
        raise problem(str(exc), line) from None
    except _TooMuchWork as exc:
        raise problem(f"too much work: {exc}", _template_line(exc)) from None
    except RecursionError:
        raise problem("nested too deeply", None) from None
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        message = (getattr(exc, "message", None) or str(exc)).replace("'CellText'", "'str'").replace("'EmptyCell'", "'an empty cell'")
        if isinstance(exc, SecurityError):
            message = f"expression refused by the sandbox: {message}"
        raise problem(message, _template_line(exc)) from None
    finally:
        sys.settrace(previous)
        env.seconds_left -= time.monotonic() - deadline.started


@functools.lru_cache(maxsize=1)
def _rules_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _compiled_template_material(env: FiguresEnvironment, source: str) -> str:
    """Everything that decides the code Jinja2 compiles a text to, and whether it may: the text,
    Jinja2's version, the environment's syntax, options and the names of its filters and tests (a
    filter it does not know is refused as the text compiles), and this module's own code (the
    rules a text was checked against when its code was kept)."""
    finalize = env.finalize
    settings = (_rules_version(), jinja2.__version__, type(env).__module__, type(env).__qualname__, env.block_start_string,
                env.block_end_string, env.variable_start_string, env.variable_end_string, env.comment_start_string,
                env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
                env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized, repr(env.autoescape),
                None if finalize is None else (finalize.__qualname__, getattr(finalize, "jinja_pass_arg", None)),
                sorted(env.intercepted_binops), sorted(env.intercepted_unops), sorted(env.extensions),
                sorted(env.filters), sorted(env.tests))
    return f"jinja2 template\0{settings!r}\0{source}"


def evaluate(env: FiguresEnvironment, expression: str, scope: dict[str, Any], *, file: str, where: str):
    """One expression (a computed column, a row filter) in the same sandbox and time budget as
    the narrative; a failure names ``file`` and ``where`` (or the data cell it came from)."""
    try:
        compiled = _compiled(env, expression)
    except RecursionError:
        raise NarrativeError(Problem(file, where, f"expression {expression[:40]!r}…: nested too deeply")) from None
    except TemplateError as exc:
        raise NarrativeError(Problem(file, where, f"expression {expression!r}: {getattr(exc, 'message', None) or exc}")) from None
    deadline = _Deadline(env.seconds_left)
    previous = sys.gettrace()
    sys.settrace(deadline)
    try:
        value = compiled(**scope)
    except figures.FigureError as exc:
        if exc.source is not None:
            raise NarrativeError(Problem(exc.source[0], exc.source[1], f"{exc} (used in {file} {where})")) from None
        raise NarrativeError(Problem(file, where, f"expression {expression!r}: {exc}")) from None
    except _TooMuchWork as exc:
        raise NarrativeError(Problem(file, where, f"expression {expression!r}: too much work: {exc}")) from None
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError, LookupError, RecursionError) as exc:
        message = (getattr(exc, "message", None) or str(exc)).replace("'CellText'", "'str'")
        raise NarrativeError(Problem(file, where, f"expression {expression!r}: {message}")) from None
    finally:
        sys.settrace(previous)
        env.seconds_left -= time.monotonic() - deadline.started
    if isinstance(value, StrictUndefined):
        raise NarrativeError(Problem(file, where, f"expression {expression!r}: {value._undefined_message}"))
    return value


def _compiled(env: FiguresEnvironment, expression: str):
    if expression not in env.expressions:
        env.expressions[expression] = env.compile_expression(expression, undefined_to_none=False)
    return env.expressions[expression]
