"""Reading police.uk files at scale: synthetic rows, timed and measured in a fresh process."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READ = r"""
import json, resource, sys, time
from pathlib import Path
from assessment.datasets import police
started = time.perf_counter()
summary = police.read_folder(Path(sys.argv[1]), display="police")
tables = police.by_year(summary), police.by_month(summary, summary.latest_year())
seconds = time.perf_counter() - started
from assessment.memory import peak_rss_mb
print(json.dumps({"rows": summary.rows, "seconds": seconds, "peak_mb": peak_rss_mb()}))
"""


def police_benchmark(scratch: Path, rows: int = 1_000_000) -> dict:
    spec = importlib.util.spec_from_file_location("make_synthetic", ROOT / "examples" / "from-police-data" / "make_synthetic.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    folder = scratch / "police-large"
    maker.write(folder, per_month=round(rows / 24))
    result = subprocess.run([sys.executable, "-c", READ, str(folder)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)
