"""The Medway report built many times on a ``dask.distributed`` LocalCluster, through the
README's ``client.map(build_one, ...)``; the per-folder time, and 300 partnerships extrapolated.

    pip install 'dask[distributed]'
    python benchmarks/dask_cluster.py [--folders 12] [--workers 2] [--json benchmarks/dask_cluster.json]

Each folder is a copy of fixtures/medway-2022 (a real partnership's size), both formats. Two
batches, each on a new cluster (its worker processes start and import inside the timing, as a
real batch's would): charts cached (one cache, filled before timing), and empty caches (a new
empty cache for each folder, so every folder draws all its charts, as 300 partnerships with
their own figures would; the workers' vl-convert stays up between folders, as it would).

Per folder = the batch's wall time (cluster start to the last outcome) ÷ folders, so the
cluster's start-up is shared as it would be over 300. 300 partnerships = that × 300: an
**extrapolation**, not a measurement.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"
PARTNERSHIPS = 300


def batch(folders: list[str], out: Path, caches: list[Path], workers: int) -> dict:
    from dask.distributed import Client, LocalCluster

    from assessment.batch import BuildOptions, build_one

    started = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        if len(set(caches)) == 1:  # the README's line
            outcomes = client.gather(client.map(build_one, folders, options=BuildOptions(str(out), cache_dir=str(caches[0]))))
        else:
            outcomes = client.gather(client.map(build_one, folders, [BuildOptions(str(out), cache_dir=str(c)) for c in caches]))
        wall = time.perf_counter() - started
    finally:
        client.close()
        cluster.close()
    failed = [o.error for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"{len(failed)} builds failed: {failed[0]}")
    return {"wall": wall, "per_folder": wall / len(folders),
            "build_seconds": [o.seconds for o in outcomes],
            "build_median": statistics.median(o.seconds for o in outcomes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=12)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "dask_cluster.json"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folders = []
        for i in range(args.folders):
            folder = tmp / "in" / f"medway-{i:03d}"
            shutil.copytree(MEDWAY, folder)
            folders.append(str(folder))
        cached = tmp / "cache-filled"
        from assessment.api import build

        build(MEDWAY, tmp / "warm", cache_dir=cached)  # fills the chart cache, untimed

        results = {"cached": batch(folders, tmp / "out-cached", [cached] * len(folders), args.workers),
                   "empty_cache": batch(folders, tmp / "out-empty",
                                        [tmp / f"cache-empty-{i}" for i in range(len(folders))], args.workers)}

    report = {"date": datetime.date.today().isoformat(), "machine": platform.machine(), "cores": os.cpu_count(),
              "python": platform.python_version(), "folders": args.folders, "workers": args.workers,
              "partnerships": PARTNERSHIPS, **results}
    for name, r in results.items():
        r["extrapolated_300_minutes"] = r["per_folder"] * PARTNERSHIPS / 60
    Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    print(f"{args.folders} copies of the Medway folder, {args.workers} worker processes × 1 thread, {os.cpu_count()} cores")
    print("                 batch wall (s)   per folder (s)   one build in a worker (median s)   300, EXTRAPOLATED (min)")
    for name, r in results.items():
        print(f"{name:<16} {r['wall']:>14.2f}   {r['per_folder']:>14.2f}   {r['build_median']:>32.2f}   "
              f"{r['extrapolated_300_minutes']:>23.1f}")


if __name__ == "__main__":
    sys.exit(main())
