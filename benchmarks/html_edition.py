"""What the HTML edition adds to a warm Medway build, in one process (charts cached):

    python benchmarks/html_edition.py [--repeat 9]

Prints the median wall time of ``render_documents`` for pdf+docx, for pdf+docx+html and for
html alone, and the difference the web page makes."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    from assessment.api import render_documents
    from assessment.loading import load_report

    report = load_report(ROOT / "fixtures" / "medway-2022")
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch)
        render_documents(report, ["pdf", "docx", "html"], cache_dir=cache)  # fills the cache, warms the process
        runs: dict[str, list[float]] = {}
        for _ in range(args.repeat):  # interleaved, so a busy moment of the machine hits each alike
            for formats in (("pdf", "docx"), ("pdf", "docx", "html"), ("html",)):
                started = time.perf_counter()
                render_documents(report, formats, cache_dir=cache)
                runs.setdefault("+".join(formats), []).append(time.perf_counter() - started)
        timings = {name: statistics.median(times) for name, times in runs.items()}
    for name, seconds in timings.items():
        print(f"{name:>16}: {seconds * 1000:7.1f} ms")
    print(f"{'html adds':>16}: {(timings['pdf+docx+html'] - timings['pdf+docx']) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
