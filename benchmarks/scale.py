"""Growth with the document: the Medway body built 1×, 4× and 16× in one process.

    python benchmarks/scale.py [--runs 5] [--times 1 4 16] [--profile 16] [--json benchmarks/scale.json]

The body is the real one (its charts, tables and links), repeated:
``attrs.evolve(report, blocks=report.blocks[:1] + report.blocks[1:] * n)``, then
``render_documents(big, cache_dir=...)`` for PDF and DOCX with the chart cache filled (the
charts repeat, so they are drawn once, before timing). Pages are counted with pypdf; the cost
is reported per page. Goal: the per-page cost at 16× within 10 % of 4×.

Sizes are alternated within a round (shuffled order); medians of ``--runs`` rounds.
``--profile N`` adds one cProfile run of the N× build, sorted by own time (tottime).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import random
import statistics
import tempfile
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"


def enlarged(report, n: int):
    return attrs.evolve(report, blocks=report.blocks[:1] + report.blocks[1:] * n)


def pages(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _name(key) -> str:
    path, line, function = key
    return f"{Path(path).name}:{line}({function})"


def profile(report, cache: Path) -> dict[str, dict]:
    """One cProfile run: function → calls, own time, cumulative time, its costliest caller, and
    the own time spent for each caller (a callee shared by many, like python-docx's ``xpath``,
    grows with the document through one caller only)."""
    from assessment.api import render_documents

    profiler = cProfile.Profile()
    profiler.enable()
    render_documents(report, cache_dir=cache)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = {}
    for key, (cc, nc, tt, ct, callers) in stats.stats.items():
        caller = max(callers.items(), key=lambda kv: kv[1][2], default=None)  # by own time spent for it
        rows[_name(key)] = {"calls": nc, "tottime": tt, "cumtime": ct,
                            "caller": _name(caller[0]) if caller else None,
                            "edges": {_name(c): (v[1], v[2], v[3]) for c, v in callers.items()}}
    return rows


def superlinear(small: dict, big: dict, factor: float, limit: int = 15) -> list[dict]:
    """Caller → function pairs whose time grows faster than the document: the big build's time
    minus ``factor`` × the small one's, largest first (own time, and cumulative time)."""
    out = []
    for name, b in big.items():
        for caller, (calls, tt, ct) in b["edges"].items():
            s_calls, s_tt, s_ct = small.get(name, {"edges": {}})["edges"].get(caller, (0, 0.0, 0.0))
            excess = tt - factor * s_tt
            if excess > 0.02:
                out.append({"function": name, "caller": caller, "excess_seconds": round(excess, 3),
                            "tottime_small": round(s_tt, 3), "tottime_big": round(tt, 3),
                            "cumtime_small": round(s_ct, 3), "cumtime_big": round(ct, 3),
                            "calls_small": s_calls, "calls_big": calls})
    out.sort(key=lambda r: r["excess_seconds"], reverse=True)
    return out[:limit]


def top(rows: dict, limit: int = 25) -> list[dict]:
    ordered = sorted(rows.items(), key=lambda kv: kv[1]["tottime"], reverse=True)[:limit]
    return [{"function": name, "caller": r["caller"], "calls": r["calls"], "tottime": round(r["tottime"], 3),
             "cumtime": round(r["cumtime"], 3)} for name, r in ordered]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--times", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--profile", type=int, nargs="*", default=[4, 16],
                        help="sizes to profile once each (cProfile, tottime)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "scale.json")
    args = parser.parse_args()

    from assessment.api import load_report, render_documents

    report = load_report(MEDWAY)
    reports = {n: enlarged(report, n) for n in args.times}
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        cache = Path(tmp)
        counted = {n: pages(render_documents(reports[n], cache_dir=cache)["pdf"]) for n in args.times}  # warm-up
        print("pages:", counted, flush=True)
        rounds, cpu_rounds = [], []
        for i in range(args.runs):
            order = list(args.times)
            random.shuffle(order)
            times, cpu = {}, {}
            for n in order:
                started, started_cpu = time.perf_counter(), time.process_time()
                render_documents(reports[n], cache_dir=cache)
                times[n] = time.perf_counter() - started
                cpu[n] = time.process_time() - started_cpu
            rounds.append(times)
            cpu_rounds.append(cpu)
            print(f"round {i + 1}/{args.runs}: " + ", ".join(f"{n}× {times[n]:.2f} s (CPU {cpu[n]:.2f})" for n in args.times),
                  flush=True)
        profiles = {n: profile(reports[n], cache) for n in args.profile or []}

    sizes = {}
    for n in args.times:
        seconds = statistics.median(r[n] for r in rounds)
        cpu_seconds = statistics.median(r[n] for r in cpu_rounds)
        sizes[str(n)] = {"pages": counted[n], "seconds": round(seconds, 3),
                         "ms_per_page": round(1000 * seconds / counted[n], 2),
                         "cpu_seconds": round(cpu_seconds, 3), "cpu_ms_per_page": round(1000 * cpu_seconds / counted[n], 2)}
    print("\n× body  pages  seconds  ms/page   CPU s  CPU ms/page")
    for n, s in sizes.items():
        print(f"{n:>6} {s['pages']:6} {s['seconds']:8.3f} {s['ms_per_page']:8.2f} {s['cpu_seconds']:7.3f} {s['cpu_ms_per_page']:8.2f}")
    growth = cpu_growth = None
    if "4" in sizes and "16" in sizes:
        # wall time is what the goal names; CPU time (this process's, all threads) is less
        # swayed by other work on a shared machine
        growth = sizes["16"]["ms_per_page"] / sizes["4"]["ms_per_page"]
        cpu_growth = sizes["16"]["cpu_ms_per_page"] / sizes["4"]["cpu_ms_per_page"]
        print(f"per-page cost 16× / 4×: wall {growth:.3f}, CPU {cpu_growth:.3f} "
              f"(goal ≤ 1.10: wall {'met' if growth <= 1.10 else 'MISSED'}, CPU {'met' if cpu_growth <= 1.10 else 'MISSED'})")
    tops = {str(n): top(rows) for n, rows in profiles.items()}
    for n, rows in tops.items():
        print(f"\nprofile of the {n}× build, top own time (tottime, cumtime s, calls):")
        for r in rows[:15]:
            print(f"  {r['tottime']:7.3f} {r['cumtime']:7.3f} {r['calls']:9}  {r['function']}  ← {r['caller']}")
    growing = {}
    sizes_profiled = sorted(profiles)
    if len(sizes_profiled) >= 2:
        small, big = sizes_profiled[0], sizes_profiled[-1]
        factor = big / small
        growing = {"from": small, "to": big,
                   "functions": superlinear(profiles[small], profiles[big], factor)}
        print(f"\nown time growing faster than the document ({small}× → {big}×: excess over {factor:g}× the {small}× time, s):")
        for r in growing["functions"]:
            print(f"  {r['excess_seconds']:7.3f}  {r['tottime_small']:6.3f} → {r['tottime_big']:6.3f}"
                  f"  calls {r['calls_small']} → {r['calls_big']}  {r['function']}  ← {r['caller']}")

    from importlib.metadata import version

    result = {
        "date": datetime.date.today().isoformat(),
        "machine": {"platform": platform.platform(), "cores": os.cpu_count(),
                    "note": "shared, noisy machine: compare the ratios, not the seconds"},
        "versions": {"python": platform.python_version(),
                     **{p: version(p) for p in ("reportlab", "python-docx", "pikepdf", "vl-convert-python")}},
        "runs": args.runs, "build": "render_documents (pdf + docx) in process, chart cache filled",
        "sizes": sizes, "per_page_16_over_4": None if growth is None else round(growth, 3),
        "cpu_per_page_16_over_4": None if cpu_growth is None else round(cpu_growth, 3),
        "goal_per_page_16_over_4": 1.10,
        "rounds": [{str(n): round(t, 3) for n, t in r.items()} for r in rounds],
        "cpu_rounds": [{str(n): round(t, 3) for n, t in r.items()} for r in cpu_rounds],
        "profiles_tottime": tops, "superlinear": growing,
    }
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()
