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


def _format(exc: BaseException, type_) -> str:
    import cattrs

    if isinstance(exc, KindError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown key{'s' if len(exc.extra_fields) > 1 else ''} {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, ValueError) and type_ is None and exc.args:
        return str(exc.args[0])  # an attrs validator's own words
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
