"""A folder's editions: report.yaml and the other report files it lists under ``editions``
(another language's edition, say), each a whole report reading the same data."""

from __future__ import annotations

from pathlib import Path

import attrs

from .datasets.sources import ReportFolder
from .errors import Problem, ReportError
from .spec import REPORT_FILE, read_yaml


def editions(folder: str | Path) -> list[str | None]:
    """The report files a build of ``folder`` reads: None for report.yaml, then each file its
    ``editions`` lists, every one a file inside the folder (``ReportFolder.resolve``)."""
    folder = Path(folder)
    raw = read_yaml(folder)
    listed = raw.get("editions")
    if not isinstance(listed, list):
        return [None]  # a wrong kind is reported when report.yaml is structured
    files = ReportFolder(folder)
    found: list[str] = []
    seen = {(folder / REPORT_FILE).resolve()}
    for index, name in enumerate(listed):
        where = f"editions[{index}]"
        if not isinstance(name, str):
            continue  # reported when report.yaml is structured
        if not name.endswith((".yaml", ".yml")):
            files.problems.append(Problem(REPORT_FILE, where, f"'{name}'; expected a report file ending .yaml, such as report.cy.yaml"))
            continue
        path = files.resolve(name, where)
        if path is None:
            continue
        if path.resolve() in seen:
            files.problems.append(Problem(REPORT_FILE, where, f"'{name}' is report.yaml or an edition listed before it; "
                                                              "expected each other report file once"))
            continue
        seen.add(path.resolve())
        found.append(name)
    if files.problems:
        raise ReportError(files.problems)
    return [None, *found]


def in_edition(problems: list[Problem], edition: str) -> list[Problem]:
    """The builders name report.yaml in what they find; read from an edition, the file is the edition."""
    return [attrs.evolve(p, file=edition + p.file[len(REPORT_FILE):])
            if p.file == REPORT_FILE or p.file.startswith(REPORT_FILE + " ") else p for p in problems]
