"""Many report folders at once: a spawn process pool, a progress bar, failures collected.

``build_one`` is a plain, picklable function of (folder, options), so the same work can be
handed to Dask, Ray or any executor when one machine is not enough.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterable

import attrs

from .memory import peak_rss_mb


@attrs.frozen
class BuildOptions:
    out_dir: str
    formats: tuple[str, ...] = ("pdf", "docx")
    draft: bool | None = None
    cache_dir: str | None = None
    pdf_engine: str = "reportlab"


@attrs.frozen
class Outcome:
    folder: str
    paths: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # of the process that built it

    @property
    def ok(self) -> bool:
        return self.error is None


def build_one(folder: str, options: BuildOptions, subfolder: str | None = None) -> Outcome:
    """Build one folder into ``out_dir/<subfolder or the folder's name>/``; never raises for a
    bad folder."""
    from .api import build
    from .errors import ReportError

    started = time.perf_counter()
    target = Path(options.out_dir) / (subfolder or Path(folder).resolve().name)
    try:
        built = build(folder, target, options.formats, draft=options.draft,
                      cache_dir=Path(options.cache_dir) if options.cache_dir else None, pdf_engine=options.pdf_engine)
        paths, error = tuple(str(p) for p in built), None
    except ReportError as exc:
        paths, error = (), str(exc.problems[0]) + (f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else "")
    except Exception as exc:  # one broken folder must not stop the others
        paths, error = (), f"internal error ({type(exc).__name__}: {exc})"
    return Outcome(str(folder), paths, error, time.perf_counter() - started, peak_rss_mb())


def _start_worker() -> None:
    """A batch worker draws with one converter: the other jobs have the other cores."""
    from .charts import use_converters

    use_converters(1)


def subfolders(folders: list[str]) -> list[str]:
    """One output sub-folder per report folder, never shared: folders with the same name (from
    different places) get -2, -3 … in the order given."""
    taken: set[str] = set()
    names = []
    for folder in folders:
        base = Path(folder).resolve().name or "report"
        name, n = base, 2
        while name.casefold() in taken:  # case-insensitive: Windows and macOS disks
            name, n = f"{base}-{n}", n + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _build_in_batch(folder: str, options: BuildOptions, subfolder: str | None = None) -> Outcome:
    from .charts import release_memory_past_ceiling

    outcome = build_one(folder, options, subfolder)
    release_memory_past_ceiling()
    return outcome


def build_all(folders: Iterable[str | Path], options: BuildOptions, *, jobs: int = 1,
              progress: bool = True) -> list[Outcome]:
    """Build every folder; ``jobs > 1`` uses a spawn pool (a forked pool hangs after vl-convert)."""
    folders = list(dict.fromkeys(str(Path(f)) for f in folders))  # a folder named twice is built once
    targets = dict(zip(folders, subfolders(folders)))
    bar = _progress(len(folders), progress)
    outcomes: list[Outcome] = []
    try:
        if jobs <= 1:
            from .charts import converters_restored

            with converters_restored():
                for folder in folders:
                    outcomes.append(_build_in_batch(folder, options, targets[folder]))
                    bar.update(1)
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker) as pool:
                futures = [pool.submit(_build_in_batch, folder, options, targets[folder]) for folder in folders]
                for future in as_completed(futures):
                    outcomes.append(future.result())
                    bar.update(1)
    finally:
        bar.close()
    order = {folder: i for i, folder in enumerate(folders)}
    return sorted(outcomes, key=lambda o: order[o.folder])


class _NoBar:
    def update(self, _):
        pass

    def close(self):
        pass


def _progress(total: int, show: bool):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="report", desc="Building", leave=True)
