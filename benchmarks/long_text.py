"""Long text and long tables are laid out in linear time: reports of 1×, 4× and 16× the same text, timed.

    python benchmarks/long_text.py [--json benchmarks/long_text.json]

Three shapes: many ordinary paragraphs (1,500 characters, the Medway report's longest);
paragraphs at the limit a folder may use (limits.MAX_PARAGRAPH_CHARS, about four pages each) --
reportlab splits a paragraph across pages in time that grows with the square of its length, so
the limit is what keeps this shape linear; and one table of many rows split across pages.
Both formats are rendered in process (charts play no part); the cost per paragraph or row
should stay flat as the report grows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment import compose as c  # noqa: E402
from assessment import limits  # noqa: E402
from assessment.api import render_documents  # noqa: E402

WORDS = "Partners worked together to reduce anti-social behaviour across the wards of the borough. "


def report(paragraphs: int, length: int):
    text = (WORDS * (length // len(WORDS) + 1))[:length].rsplit(" ", 1)[0] + "."
    sections = [c.section(f"Section {s + 1}", *[c.paragraph(text) for _ in range(10)]) for s in range(paragraphs // 10)]
    return c.report("Long text", "Benchmark CSP", *sections, contents=False)


def table_report(rows: int, _length: int):
    data = [{"ward": f"Ward {i}", "incidents": i} for i in range(rows)]
    return c.report("Long table", "Benchmark CSP", c.section("All wards", c.table(data)), contents=False)


def timed(paragraphs: int, length: int, repeat: int, build=report) -> float:
    built = build(paragraphs, length)
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        render_documents(built, cache_dir=False)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "long_text.json")
    args = parser.parse_args()
    timed(10, 1500, 1)  # fonts and imports, once
    results = {}
    shapes = (("ordinary paragraphs", 1500, 40, report), ("paragraphs at the limit", limits.MAX_PARAGRAPH_CHARS, 10, report),
              ("long tables", 0, 100, table_report))
    for name, length, base, build in shapes:
        rows = {}
        for scale in (1, 4, 16):
            count = base * scale
            seconds = timed(count, length, 3 if scale < 16 else 1, build)
            unit = "rows" if build is table_report else "paragraphs"
            rows[f"{scale}x"] = {unit: count, "characters": count * length, "seconds": round(seconds, 3),
                                 "ms_each": round(seconds / count * 1000, 2)}
            print(f"{name:24} {scale:>2}x {count:5} {unit:10} {seconds:7.2f} s  "
                  f"{seconds / count * 1000:7.2f} ms each", flush=True)
        rows["per_item_16x_over_1x"] = round(rows["16x"]["ms_each"] / rows["1x"]["ms_each"], 2)
        results[name] = rows
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
