"""Our build side by side with pandoc + Typst and pandoc + LibreOffice on the same content.

    pip install -e '.[bench]'      # pandoc (pypandoc-binary) and Typst (typst) from PyPI
    python benchmarks/peers.py [--runs 7] [--json benchmarks/peers.json]

The same content: our own Medway DOCX (built once, before timing) is converted to pandoc
Markdown with its pictures extracted (``--extract-media``), once. The peers are then timed from
that Markdown, with the pictures ready-made:

- pandoc + Typst, PDF: ``pandoc medway.md -s -t typst`` then Typst compiles the .typ to PDF.
  The PyPI ``typst`` package is a Python binding (no command), so the compile runs as
  ``python -c "import typst; typst.compile(...)"`` in a new interpreter: that route pays one
  Python start-up (about 0.02 s) that a Typst binary would not.
- pandoc, DOCX: ``pandoc medway.md -o medway.docx``.
- pandoc + LibreOffice, PDF: that DOCX exported by ``soffice --headless --convert-to pdf``
  (a profile folder of its own, created before timing; no soffice left running).

Ours, each a new interpreter (the `assessment build fixtures/medway-2022` command pip installs beside
this Python, else ``python -m assessment``; see OUR_COMMAND):

- cached: both formats, the chart cache filled by a run before timing;
- empty cache: both formats, ASSESSMENT_CACHE a fresh folder each run with no picture in it (no
  picture drawn before, no process surviving between runs); it holds the compiled-code cache
  (``assessment/code``), the counterpart of the warm .pyc files every variant reads (below);
- PDF alone: ``--format pdf``, chart cache filled (also with an empty cache, for reference).

Python's bytecode: this machine sets PYTHONDONTWRITEBYTECODE, so without help every new
interpreter would compile our ~50 modules from source (about 0.06 s a run) where an installed
copy reads its .pyc files. Each Python run here writes and reads its bytecode under a private
PYTHONPYCACHEPREFIX instead (the first, untimed runs fill it); ``--no-bytecode`` keeps the
environment as it is.

Every round runs each variant once, in a shuffled order, so the machine's noise falls on all
of them alike. Reported: medians (seconds) and ratios, both of medians and the median of the
per-round ratios (paired within a round); and the CPU time (user + system) each variant's
processes used, whose ratios the other work on a shared machine moves less.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"
# The `assessment` command as an analyst runs it (installed beside this Python by pip): unlike
# `python -m assessment`, which returns normally for profilers, it leaves without tearing the
# interpreter down once its files are written (about 0.1 s). The Typst route's Python exits
# normally, as a script compiling a file would.
_SCRIPT = Path(sysconfig.get_path("scripts")) / ("assessment.exe" if os.name == "nt" else "assessment")
OUR_COMMAND = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "assessment"]


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def versions() -> dict:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for name in ("pypandoc-binary", "typst", "reportlab", "python-docx", "vl-convert-python", "altair"):
        try:
            out[name] = version(name)
        except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
            out[name] = None
    out["pandoc"] = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    soffice = shutil.which("soffice")
    if soffice:
        out["libreoffice"] = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    return out


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes: on a machine whose cores other work
    keeps busy, wall time favours a peer that runs on several threads at once (Typst does)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=cwd)
    return time.perf_counter() - started


class Bench:
    def __init__(self, work: Path, bytecode: bool = True):
        self.work = work
        self.env = dict(os.environ)
        if bytecode:
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        self.pandoc = pandoc_path()
        self.soffice = shutil.which("soffice")
        self.cache = work / "cache"  # filled once, kept
        self.md_dir = work / "md"
        self.lo_profile = work / "lo-profile"
        self.n = 0

    def _ours(self, formats: list[str], cache: Path) -> float:
        self.n += 1
        out = self.work / f"ours-{self.n}"
        env = {**self.env, "ASSESSMENT_CACHE": str(cache)}
        cmd = [*OUR_COMMAND, "build", str(MEDWAY), "--out", str(out)]
        for fmt in formats:
            cmd += ["--format", fmt]
        seconds = run(cmd, env=env)
        shutil.rmtree(out, ignore_errors=True)
        return seconds

    def prepare(self) -> dict:
        """Our DOCX (fills the chart cache), converted once to Markdown with its pictures."""
        out = self.work / "source"
        env = {**self.env, "ASSESSMENT_CACHE": str(self.cache)}
        subprocess.run([*OUR_COMMAND, "build", str(MEDWAY), "--out", str(out)],
                       check=True, capture_output=True, env=env)
        docx = next(out.glob("*.docx"))
        self.md_dir.mkdir()
        subprocess.run([self.pandoc, str(docx), "-t", "markdown", "-o", "medway.md", "--extract-media=."],
                       check=True, cwd=self.md_dir)
        # first runs pay one-off costs (LibreOffice creates its profile): not timed
        self.ours_pdf()  # the bytecode of what --format pdf alone imports
        self.typst_pdf()
        self.pandoc_docx()
        if self.soffice:
            self.libreoffice_pdf()
        import pypdf

        pages = {"ours": len(pypdf.PdfReader(next(out.glob("*.pdf"))).pages),
                 "typst": len(pypdf.PdfReader(self.md_dir / "medway.pdf").pages)}
        if self.soffice:
            pages["libreoffice"] = len(pypdf.PdfReader(self.md_dir / "lo" / "medway.pdf").pages)
        return {"pictures": len(list((self.md_dir / "media").iterdir())),
                "markdown_bytes": (self.md_dir / "medway.md").stat().st_size, "pages": pages}

    # the variants; each returns its wall time in seconds
    def ours_cached(self) -> float:
        return self._ours([], self.cache)

    def _no_pictures(self) -> Path:
        """A cache folder without a single drawn chart. It holds the compiled-code cache
        (``assessment/code``: attrs' and cattrs' generated code, Jinja2's compiled texts and
        compiled patterns, the counterpart of the .pyc files every variant here reads), as a
        machine that has built any report before has it."""
        empty = Path(tempfile.mkdtemp(dir=self.work, prefix="empty-cache-"))
        code = self.cache / "assessment" / "code"
        if code.is_dir():
            shutil.copytree(code, empty / "assessment" / "code")
            (empty / "assessment").chmod(0o700)
        return empty

    def ours_empty(self) -> float:
        empty = self._no_pictures()
        try:
            return self._ours([], empty)
        finally:
            shutil.rmtree(empty, ignore_errors=True)

    def ours_pdf(self) -> float:
        return self._ours(["pdf"], self.cache)

    def ours_pdf_empty(self) -> float:
        empty = self._no_pictures()
        try:
            return self._ours(["pdf"], empty)
        finally:
            shutil.rmtree(empty, ignore_errors=True)

    def typst_pdf(self) -> float:
        d = self.md_dir
        return (run([self.pandoc, "medway.md", "-s", "-t", "typst", "-o", "medway.typ"], cwd=d)
                + run([sys.executable, "-c", TYPST_COMPILE, "medway.typ", "medway.pdf"], env=self.env, cwd=d))

    def pandoc_docx(self) -> float:
        return run([self.pandoc, "medway.md", "-o", "medway.docx"], cwd=self.md_dir)

    def libreoffice_pdf(self) -> float:
        # the DOCX is made here too: the route is pandoc → DOCX → LibreOffice
        return self.pandoc_docx() + run(
            [self.soffice, f"-env:UserInstallation=file://{self.lo_profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", "lo", "medway.docx"], cwd=self.md_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="leave PYTHONDONTWRITEBYTECODE as the environment sets it")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "peers.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="peers-") as tmp:
        bench = Bench(Path(tmp), bytecode=not args.no_bytecode)
        content = bench.prepare()
        variants = {"ours_cached": bench.ours_cached, "ours_empty_cache": bench.ours_empty,
                    "ours_pdf_cached": bench.ours_pdf, "ours_pdf_empty_cache": bench.ours_pdf_empty,
                    "typst_pdf": bench.typst_pdf, "pandoc_docx": bench.pandoc_docx}
        if bench.soffice:
            variants["libreoffice_pdf"] = bench.libreoffice_pdf
        rounds, cpu_rounds = [], []
        for i in range(args.runs):
            order = list(variants)
            random.shuffle(order)
            times, cpu = {}, {}
            for name in order:
                before = children_cpu()
                times[name] = variants[name]()
                cpu[name] = children_cpu() - before
            # the pandoc + Typst build of both formats, as the peers make them
            times["typst_pdf_plus_docx"] = times["typst_pdf"] + times["pandoc_docx"]
            cpu["typst_pdf_plus_docx"] = cpu["typst_pdf"] + cpu["pandoc_docx"]
            rounds.append(times)
            cpu_rounds.append(cpu)
            print(f"round {i + 1}/{args.runs}: " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()), flush=True)

    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    comparisons = {  # (ours, peer, goal): ours / peer should be at most goal
        "cached_build_vs_pandoc_typst": ("ours_cached", "typst_pdf_plus_docx", 0.8),
        "pdf_alone_vs_typst_pdf": ("ours_pdf_cached", "typst_pdf", 1.0),
        "empty_cache_build_vs_pandoc_typst": ("ours_empty_cache", "typst_pdf_plus_docx", 1.0),
        "pdf_alone_empty_cache_vs_typst_pdf": ("ours_pdf_empty_cache", "typst_pdf", None),
    }
    if "libreoffice_pdf" in med:
        comparisons["cached_build_vs_pandoc_libreoffice"] = ("ours_cached", "libreoffice_pdf", None)
    ratios = {}
    for name, (ours, peer, goal) in comparisons.items():
        of_medians = med[ours] / med[peer]
        paired = statistics.median(r[ours] / r[peer] for r in rounds)
        cpu_ratio = statistics.median(r[ours] for r in cpu_rounds) / statistics.median(r[peer] for r in cpu_rounds)
        ratios[name] = {"ours": ours, "peer": peer, "ratio_of_medians": round(of_medians, 3),
                        "median_paired_ratio": round(paired, 3), "goal": goal,
                        "met": None if goal is None else of_medians <= goal,
                        "cpu_ratio_of_medians": round(cpu_ratio, 3)}
    cpu_med = {k: statistics.median(r[k] for r in cpu_rounds) for k in cpu_rounds[0]}

    cores = os.cpu_count() or 1
    # Extrapolated, not measured: one new process per folder, as many at once as there are cores,
    # each folder costing what Medway costs here (no batch start-up saved, no contention counted).
    extrapolated = {"partnerships": 300, "cores": cores, "label": "extrapolated from one folder's measured time",
                    "minutes_charts_cached": round(med["ours_cached"] * 300 / cores / 60, 1),
                    "minutes_empty_cache": round(med["ours_empty_cache"] * 300 / cores / 60, 1)}
    print(f"\nmedians of {args.runs} alternated rounds (s):")
    for k, v in med.items():
        print(f"  {k:28} {v:6.3f}")
    print(f"\nCPU seconds (user + system of the processes run), medians:")
    for k, v in cpu_med.items():
        print(f"  {k:28} {v:6.3f}")
    print("\nratios (ours / peer; wall: ratio of medians, median of paired ratios; then CPU):")
    for name, r in ratios.items():
        verdict = "" if r["goal"] is None else f"  goal ≤ {r['goal']}: {'met' if r['met'] else 'MISSED'}"
        print(f"  {name:38} {r['ratio_of_medians']:5.2f}  {r['median_paired_ratio']:5.2f}  "
              f"cpu {r['cpu_ratio_of_medians']:5.2f}{verdict}")
    print(f"\nall 300 partnerships on {cores} cores (extrapolated): {extrapolated['minutes_charts_cached']} min with "
          f"charts cached, {extrapolated['minutes_empty_cache']} min drawing every chart")

    result = {
        "date": datetime.date.today().isoformat(),
        "machine": {"platform": platform.platform(), "machine": platform.machine(), "cores": os.cpu_count(),
                    "note": "shared, noisy machine: compare the ratios, not the seconds"},
        "versions": versions(), "our_command": " ".join(Path(c).name for c in OUR_COMMAND), "runs": args.runs, "bytecode_cached": not args.no_bytecode, "content": content,
        "median_seconds": {k: round(v, 3) for k, v in med.items()},
        "median_cpu_seconds": {k: round(v, 3) for k, v in cpu_med.items()}, "ratios": ratios,
        "all_partnerships_extrapolated": extrapolated,
        "rounds": [{k: round(v, 3) for k, v in r.items()} for r in rounds],
        "cpu_rounds": [{k: round(v, 3) for k, v in r.items()} for r in cpu_rounds],
    }
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()
