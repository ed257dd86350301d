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
