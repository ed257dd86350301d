"""Rebuild a report folder whenever one of its files changes, in one long-lived process.

While an analyst edits, every rebuild skips what a new process pays for: importing the
libraries, loading fonts and starting vl-convert's engine. The folder is polled (no file-system
events), which also works on the network drives councils keep their folders on.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable

from .errors import ReportError

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path, skip: Path | None = None) -> Snapshot:
    """Path → (modification time, size) of every file a report can read; hidden files,
    editors' temporary files (``.name.swp``, ``~$name.docx``) and ``skip`` (the output folder,
    when it is inside: its writes must not set off another build) are left out."""
    seen: Snapshot = {}
    skip = skip.resolve() if skip is not None else None
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and Path(root, f).resolve() != skip)
        for name in files:
            if name.startswith((".", "~$")) or name.endswith("~"):
                continue
            path = Path(root, name)
            try:
                status = path.stat()
            except OSError:  # removed between listing and reading: the next poll sees it
                continue
            seen[str(path.relative_to(folder))] = (status.st_mtime_ns, status.st_size)
    return seen


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def watch(folder: str | Path, out_dir: str | Path, formats: Iterable[str] = ("pdf", "docx"), *,
          draft: bool | None = None, pdf_engine: str = "reportlab", interval: float = 0.5,
          report: Callable[[str], None] = print, should_stop: Callable[[], bool] = lambda: False) -> None:
    """Build now, then again after each change, until ``should_stop()`` (or Ctrl-C).

    A failed build reports its problems and keeps watching; the previous documents stay as they
    were, since every file is written to a temporary name and renamed.
    """
    from .api import build
    from .charts import converters_restored, release_memory_past_ceiling
    from .spec import require_folder

    folder, formats = Path(folder), tuple(formats)
    require_folder(folder)  # a broken report.yaml is reported by the builds; a missing folder ends here
    last = snapshot(folder, Path(out_dir))
    edits = ["start"]
    with converters_restored():  # the memory setting a long watch turns on ends with it
        while True:
            if edits:
                _build_and_report(lambda: build(folder, out_dir, formats, draft=draft, pdf_engine=pdf_engine), report)
                release_memory_past_ceiling()
            if should_stop():
                return
            time.sleep(interval)
            current = snapshot(folder, Path(out_dir))
            edits = changed(last, current)
            if edits:
                report(f"changed: {', '.join(edits)}")
            last = current


def _build_and_report(build: Callable, report: Callable[[str], None]) -> None:
    started = time.perf_counter()
    try:
        built = build()
    except ReportError as exc:
        for problem in exc.problems:
            report(f"error: {problem}")
        report(f"not built ({len(exc.problems)} problem{'s' if len(exc.problems) > 1 else ''}); "
               "the previous documents are unchanged; watching for changes")
        return
    for warning in built.warnings:
        report(f"warning: {warning}")
    names = ", ".join(path.name for path in built)
    report(f"built {names} in {time.perf_counter() - started:.2f} s; watching for changes")
