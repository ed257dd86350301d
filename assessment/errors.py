"""Errors a user can act on: each names the file, the line or field, and what was expected."""

from __future__ import annotations

import attrs


@attrs.frozen
class Problem:
    file: str
    where: str  # "line 12", "body[3].table.columns[1]" or ""
    message: str

    def __str__(self) -> str:
        where = f": {self.where}" if self.where else ""
        return f"{self.file}{where}: {self.message}"


class ReportError(Exception):
    """One or more problems with a report folder, a style or a build; never a traceback."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, where: str, message: str) -> "ReportError":
        return cls(Problem(file, where, message))


class NarrativeError(Exception):
    """A problem in narrative text (its template or its Markdown), raised where it is found."""

    def __init__(self, problem: Problem, *, follow_on: bool = False):
        self.problem = problem
        self.follow_on = follow_on  # a consequence of a problem already reported
        super().__init__(str(problem))


class KindError(ValueError):
    """Raised by structure hooks with a message meant for the user as it stands."""


def expected_shape(cls: type) -> str:
    """An attrs class as the mapping a file writes for it: '{data, term?, definition?}'."""
    import attrs

    keys = [f.name + ("" if f.default is attrs.NOTHING else "?") for f in attrs.fields(cls)]
    return "{" + ", ".join(keys) + "} (? marks an optional key)"


def _format(exc: BaseException, type_) -> str:
    import difflib
    import typing

    import attrs
    import cattrs

    if isinstance(exc, KindError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        allowed = [f.name for f in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        parts = []
        for key in sorted(map(str, exc.extra_fields)):
            guess = difflib.get_close_matches(key, allowed, n=1)
            parts.append(f"'{key}'" + (f" (did you mean '{guess[0]}'?)" if guess else ""))
        return f"unknown key{'s' if len(parts) > 1 else ''} {', '.join(parts)}; allowed: {', '.join(allowed)}"
    if typing.get_origin(type_) is typing.Literal:
        found = str(exc.args[0]).split(" not in literal")[0] if exc.args else ""
        allowed = ", ".join(repr(a) for a in typing.get_args(type_))
        return f"expected one of {allowed}" + (f", found {found!r}" if found else "")
    if isinstance(exc, ValueError) and type_ is None and exc.args:
        return str(exc.args[0])  # an attrs validator's own words
    if type_ is not None and attrs.has(type_):
        return f"expected a mapping {expected_shape(type_)}"
    if typing.get_origin(type_) in (list, tuple):
        return "expected a list (- item lines)"
    if typing.get_origin(type_) is dict:
        return "expected a mapping (key: value lines)"
    name = getattr(type_, "__name__", None) or str(type_).replace("typing.", "")
    found = f" ({exc.args[0]})" if isinstance(exc, (ValueError, TypeError)) and exc.args else ""
    return f"expected {name}{found}"


def structure_problems(exc: BaseException, file: str) -> list[Problem]:
    """cattrs' gathered errors → one Problem per field, with a dotted path to it."""
    import re

    from cattrs.v import transform_error

    problems = []
    for message in transform_error(exc, path="$", format_exception=_format):
        text, _, path = message.rpartition(" @ ")
        path = re.sub(r"\['([^']+)'\]", r".\1", path.removeprefix("$")).lstrip(".")
        problems.append(Problem(file, path, text))
    return problems
