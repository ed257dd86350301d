"""Benchmark of the whole build on this machine; prints a table and writes JSON.

    python benchmarks/bench.py [--json benchmarks/results.json] [--quick]

Measures: the `assessment build` command on the Medway fixture in a new process, with an
empty chart cache and with it filled; the same two broken down by stage in a script; a warm
in-process build; the bare reportlab
single-pass layout of the same text and tables (the floor); LibreOffice's DOCX → PDF
conversion (the peer, when installed); a batch of folders with 1 and 2 jobs; a synthetic
500-page report. Timings are medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = ROOT / "fixtures" / "medway-2022"

STAGES_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
import attrs
from assessment import api
from assessment.loading import load_report
from assessment.render.docx import render_docx
from assessment.render.pdf import render_pdf
from assessment.theme import covered_codepoints
from assessment.transforms import prepare, replace_unsupported
t1 = time.perf_counter()
report = load_report(sys.argv[1]); t2 = time.perf_counter()
theme = api.theme_for(report)
cleaned, _ = replace_unsupported(report, covered_codepoints(theme))
prepared = prepare(cleaned); t3 = time.perf_counter()
from assessment.charts import ChartRenderer
renderer = ChartRenderer(theme, cache_dir=Path(sys.argv[2]))
pictures = renderer.render_all(c for c in prepared.charts() if c.available); t4 = time.perf_counter()
from assessment.render.base import RenderInput
source = RenderInput(prepared, theme, pictures)
pdf, pages = render_pdf(source); t5 = time.perf_counter()
docx = render_docx(attrs.evolve(source, pages=pages)); t6 = time.perf_counter()
from assessment.chartsvg import draw_svgs
from assessment.render.html import render_html
drawings = draw_svgs((c for c in prepared.charts() if c.available), theme, Path(sys.argv[2]))
html = render_html(attrs.evolve(source, drawings=drawings)); t6b = time.perf_counter()
out = Path(sys.argv[3]); out.mkdir(parents=True, exist_ok=True)
api.write_atomic(out / "r.pdf", pdf); api.write_atomic(out / "r.docx", docx); api.write_atomic(out / "r.html", html)
t7 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "transforms": t3 - t2, "charts": t4 - t3,
                  "pdf": t5 - t4, "docx": t6 - t5, "html": t6b - t6, "write": t7 - t6b, "total_in_process": t7 - t0,
                  "chart_misses": renderer.misses}))
"""


def run_process(cache: Path, out: Path) -> dict:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", STAGES_SCRIPT, str(MEDWAY), str(cache), str(out)],
                            capture_output=True, text=True, check=True)
    stages = json.loads(result.stdout)
    stages["wall"] = time.perf_counter() - started  # interpreter start-up included
    return stages


def run_command(cache: Path, out: Path) -> float:
    """Wall time of ``assessment build`` in a new process, as an analyst runs it."""
    env = {**os.environ, "ASSESSMENT_CACHE": str(cache)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assessment", "build", str(MEDWAY), "--out", str(out)],
                   capture_output=True, check=True, env=env)
    return time.perf_counter() - started


def median_stages(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def warm_in_process(cache: Path, out: Path, repeat: int) -> dict:
    from assessment import api
    from assessment.loading import load_report

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = load_report(MEDWAY)
        documents = api.render_documents(report, cache_dir=cache)
        for fmt, data in documents.items():
            api.write_atomic(out / f"warm.{fmt}", data)
        times.append(time.perf_counter() - started)
    return {"wall": statistics.median(times)}


def bare_reportlab_floor(repeat: int, cache: Path) -> float:
    """The same words, tables and pictures, in the same font and sizes, set by reportlab's
    SimpleDocTemplate in one pass: none of our work (styles, contents, key facts, callouts)."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table

    from assessment import api, model
    from assessment.charts import ChartRenderer
    from assessment.loading import load_report
    from assessment.render.pdf import register_fonts
    from assessment.theme import MM

    report = load_report(MEDWAY)
    theme = api.theme_for(report)
    fonts = register_fonts(theme)
    renderer = ChartRenderer(theme, cache_dir=cache)
    body = ParagraphStyle("b", fontName=fonts["regular"], fontSize=theme.sizes.body, leading=theme.sizes.leading, spaceAfter=7)
    small = ParagraphStyle("s", parent=body, fontSize=theme.sizes.table, leading=theme.sizes.table_leading)
    heading = ParagraphStyle("h", parent=body, fontName=fonts["bold"], fontSize=theme.sizes.heading1, leading=26)
    pictures = {c.id: renderer.render(c) for c, _ in ((n, p) for n, p in model.walk(report.blocks)) if isinstance(c, model.Chart) and c.available}

    def cell_text(blocks):
        return escape(" ".join(b.plain for b in blocks if isinstance(b, model.Paragraph)))

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        story = []
        for node, parents in model.walk(report.blocks):
            if any(isinstance(p, (model.Table, model.KeyFacts)) for p in parents):
                continue
            if isinstance(node, model.Section):
                story.append(Paragraph(escape(node.title), heading))
            elif isinstance(node, model.Paragraph):
                story.append(Paragraph(escape(node.plain), body))
            elif isinstance(node, model.BulletList):
                story.extend(Paragraph("\u2022 " + escape(i.paragraph.plain), body) for i in node.items)
            elif isinstance(node, model.Table):
                rows = [[Paragraph(cell_text(c.blocks), small) for c in row] for row in node.header_rows[-1:] + node.rows]
                story.append(Table(rows, repeatRows=1))
            elif isinstance(node, model.KeyFacts):
                rows = []
                for fact in node.rows:
                    content = [Paragraph(cell_text([b]), small) for b in fact.blocks if isinstance(b, model.Paragraph)]
                    content += [Image(io.BytesIO(pictures[b.id].png), b.width, b.height) for b in fact.blocks
                                if isinstance(b, model.Chart) and b.available]
                    rows.append([Paragraph(escape(fact.label), small), content])
                story.append(Table(rows, colWidths=[125, 355]))
            elif isinstance(node, model.Chart) and node.available:
                story.append(Image(io.BytesIO(pictures[node.id].png), node.width, node.height))
        SimpleDocTemplate(io.BytesIO(), leftMargin=20 * MM, rightMargin=20 * MM).build(story)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def libreoffice_peer(docx: Path, out: Path) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    times = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/lo-profile",
                        "--convert-to", "pdf", "--outdir", str(out), str(docx)], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return min(times[1:] or times)  # the first run also creates the LibreOffice profile


def batch(n: int, scratch: Path) -> dict:
    """Neighbouring areas' folders: each differs in its population and in two charted values,
    so every area draws two of its six charts afresh (each run starts with an empty cache)."""
    from assessment.batch import BuildOptions, build_all

    folders = []
    for i in range(n):
        folder = scratch / "areas" / f"area-{i:03d}"
        shutil.copytree(MEDWAY, folder)
        _replace(folder / "report.yaml", "population: 279800", f"population: {279800 + i * 100}")
        _replace(folder / "data" / "asb-seasonality-2021-22.csv", "Apr-21,650", f"Apr-21,{650 + i}")
        _replace(folder / "data" / "benchmark-rate-total.csv", "Medway,106,117,", f"Medway,106,{117 + i % 20},")
        folders.append(folder)
    results = {"folders": n}
    for run in ("empty_cache", "cache_filled"):  # a first build of the year, then a rebuild after edits
        for jobs in (1, 2):
            options = BuildOptions(str(scratch / f"batch-{jobs}"), cache_dir=str(scratch / f"batch-cache-{jobs}"))
            started = time.perf_counter()
            outcomes = build_all(folders, options, jobs=jobs, progress=False)
            seconds = time.perf_counter() - started
            failed = [o for o in outcomes if not o.ok]
            results.setdefault(run, {})[f"jobs_{jobs}"] = {
                "seconds": seconds, "failed": len(failed), "peak_rss_mb_per_worker": max(o.peak_rss_mb for o in outcomes)}
        results[run]["speedup"] = results[run]["jobs_1"]["seconds"] / results[run]["jobs_2"]["seconds"]
    return results


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new))


def five_hundred_pages(out: Path) -> dict:
    from assessment import compose as c
    from assessment.api import render_documents

    import pypdf, io

    words = ("Partners continue to work together to keep the area safe, sharing information and "
             "reviewing complex cases from a multi-agency perspective. ")
    sections = []
    for s in range(170):
        rows = [{"ward": f"Ward {s}-{r}", "incidents": 100 + r * 7, "rate": round(3.1 + r / 10, 1)} for r in range(30)]
        sections.append(c.section(
            f"Area {s + 1}", *(f"{words * 6}" for _ in range(5)),
            c.table(rows, headers={"ward": "Ward", "incidents": "Incidents", "rate": "Rate per 1,000"}),
            c.callout(f"Area {s + 1}", ["Keep going.", "Review next year."])))
    report = c.report("Synthetic 500 pages", "Benchmark CSP", *sections)
    started = time.perf_counter()
    documents = render_documents(report, cache_dir=False)
    seconds = time.perf_counter() - started
    pages = len(pypdf.PdfReader(io.BytesIO(documents["pdf"])).pages)
    return {"seconds": seconds, "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, batch of 10")
    args = parser.parse_args()
    repeat = 2 if args.quick else 3
    results: dict = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                     f"Python {platform.python_version()}"}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        cold = []
        for i in range(repeat):
            cold.append(run_process(scratch / f"empty-cache-{i}", scratch / "out"))
        warm_cache = scratch / "empty-cache-0"
        cold_warm_cache = [run_process(warm_cache, scratch / "out") for _ in range(repeat)]
        results["cold_process_empty_cache"] = median_stages(cold)
        results["cold_process_warm_cache"] = median_stages(cold_warm_cache)
        results["command_empty_cache"] = statistics.median(
            run_command(scratch / f"command-cache-{i}", scratch / "command") for i in range(repeat + 2))
        results["command_warm_cache"] = statistics.median(
            run_command(scratch / "command-cache-0", scratch / "command") for _ in range(repeat + 2))
        results["warm_in_process"] = warm_in_process(warm_cache, scratch, repeat + 2)
        results["bare_reportlab_floor"] = bare_reportlab_floor(repeat, warm_cache)
        results["ratio_warm_to_floor"] = results["warm_in_process"]["wall"] / results["bare_reportlab_floor"]
        results["ratio_cold_to_floor"] = results["command_empty_cache"] / results["bare_reportlab_floor"]
        results["libreoffice_docx_to_pdf"] = libreoffice_peer(scratch / "out" / "r.docx", scratch)
        results["batch"] = batch(10 if args.quick else 50, scratch)
        results["five_hundred_pages"] = five_hundred_pages(scratch)
        try:
            from benchmarks.police import police_benchmark  # noqa: F401
        except ImportError:
            police_benchmark = None
        if police_benchmark is not None:
            results["police_uk"] = police_benchmark(scratch, rows=200_000 if args.quick else 1_000_000)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nJSON written to {args.json}")


def table(r: dict) -> str:
    c, w = r["cold_process_empty_cache"], r["cold_process_warm_cache"]
    lines = [f"Benchmark, {r['date']}, {r['machine']}", "",
             f"{'stage (s)':<22}{'cold, empty cache':>20}{'cold, warm cache':>20}"]
    for stage in ("import", "load", "transforms", "charts", "pdf", "docx", "html", "write"):
        lines.append(f"{stage:<22}{c[stage]:>20.3f}{w[stage]:>20.3f}")
    lines.append(f"{'whole process (wall)':<22}{c['wall']:>20.3f}{w['wall']:>20.3f}")
    lines += ["(charts: specs built and handed to vl-convert; the drawing overlaps the pdf stage)", "",
              f"`assessment build`, new process, empty chart cache   {r['command_empty_cache']:.3f} s  (target 1.5)",
              f"`assessment build`, new process, chart cache filled  {r['command_warm_cache']:.3f} s",
              f"warm build in process (both formats)   {r['warm_in_process']['wall']:.3f} s  (target 0.8)",
              f"bare reportlab single pass (floor)     {r['bare_reportlab_floor']:.3f} s",
              f"ratio warm / floor                     {r['ratio_warm_to_floor']:.2f}x  (target 3)",
              f"ratio cold process / floor             {r['ratio_cold_to_floor']:.2f}x"]
    peer = r["libreoffice_docx_to_pdf"]
    lines.append(f"LibreOffice DOCX → PDF (peer)          {peer:.3f} s" if peer else "LibreOffice DOCX → PDF (peer)          not installed")
    b = r["batch"]
    for run, label in (("empty_cache", "drawing charts"), ("cache_filled", "charts cached")):
        lines.append(f"batch of {b['folders']} folders, {label}: 1 job {b[run]['jobs_1']['seconds']:.1f} s, "
                     f"2 jobs {b[run]['jobs_2']['seconds']:.1f} s, speed-up {b[run]['speedup']:.2f}x (target 1.7), "
                     f"peak {b[run]['jobs_2']['peak_rss_mb_per_worker']:.0f} MB per worker")
    lines.append(f"500-page report: {r['five_hundred_pages']['pages']} pages in {r['five_hundred_pages']['seconds']:.1f} s")
    if "police_uk" in r:
        p = r["police_uk"]
        lines.append(f"police.uk: {p['rows']:,} rows in {p['seconds']:.1f} s, peak {p['peak_mb']:.0f} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
