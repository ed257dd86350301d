"""The hostile corpus (issue 13, item 7): hostile inputs kept as data, one test per case.

Every case in ``tests/hostile/cases.yaml`` starts from a fresh copy of the small report folder
``tests/hostile/base``, applies its ``mutation`` (a list of simple file operations), runs it
(``run``) and checks the outcome (``expect``). The case file's header documents the format.

A case the code does not yet handle keeps its correct expectation and carries
``xfail: <reason>``; the mark is strict, so a fix that makes it pass fails the run until the
mark is removed.

Layout of each case's temporary folder (the ``{…}`` placeholders of the case file):

    {root}/report    the copy of the base folder ({folder})
    {root}/out       the output folder ({out}); not created unless a mutation does
    {root}/outside   files outside the report folder ({outside}); secret.txt's first line is
                     the secret that no message may ever show
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

import assessment
from assessment.errors import ReportError

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
HOSTILE = HERE / "hostile"
BASE = HOSTILE / "base"
SECRET = "TOP-SECRET-4471"
CLASSES = ("confinement", "data-is-data", "bounded-work", "values-as-written", "report-error", "batches")
ALWAYS_ABSENT = ("Traceback", "internal error", SECRET)
SUBPROCESS_TIMEOUT = 30.0  # a guard; a case's max_seconds is the real limit
LOADED_MACHINE = 3.0
RSS_GUARD_MB = 1200  # a child past this is killed at once, whatever the case expects


def _load_cases() -> list[dict]:
    document = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
    return document["cases"]


CASES = _load_cases()


def _params():
    for case in CASES:
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
        if case.get("needs_non_root") and hasattr(os, "geteuid") and os.geteuid() == 0:
            marks.append(pytest.mark.skip(reason="root ignores file permissions"))
        yield pytest.param(case, id=case["id"], marks=marks)


# --- the corpus itself ----------------------------------------------------------------------


def test_corpus_is_well_formed():
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids repeat"
    assert len(CASES) >= 150
    for case in CASES:
        assert case["class"] in CLASSES, case["id"]
        assert set(case) <= {"id", "class", "mutation", "run", "expect", "xfail", "needs_non_root", "note"}, case["id"]
    for name in CLASSES:
        assert sum(case["class"] == name for case in CASES) >= 5, name
    for case in CASES:
        assert set(case.get("expect", {})) <= EXPECT_KEYS, (case["id"], set(case["expect"]) - EXPECT_KEYS)
        assert set(case.get("run", {})) <= {"how", "args", "formats", "draft", "timeout", "scenario", "params",
                                             "template_seconds"}, case["id"]


EXPECT_KEYS = {"status", "file", "where", "phrase", "absent", "argparse", "literal", "not_literal", "document",
               "not_in_bytes", "links_absent", "exists", "gone", "unchanged", "max_seconds", "max_rss_mb",
               "says", "not_says"}


# --- placeholders and mutations -------------------------------------------------------------


class Context:
    def __init__(self, root: Path, cache: Path):
        self.root = root
        self.folder = root / "report"
        self.out = root / "out"
        self.outside = root / "outside"
        self.cache = cache

    def fill(self, value):
        """``{root}``, ``{folder}``, ``{out}``, ``{outside}``, ``{python}``, ``{builtin}``,
        ``{dead_pid}`` (a process that has ended) and ``{live_pid}`` (one that runs: this test's
        parent) in every string (plain replacement: Jinja's braces in content are left alone)."""
        if isinstance(value, str):
            for key, path in (("{root}", self.root), ("{folder}", self.folder), ("{out}", self.out),
                              ("{outside}", self.outside), ("{python}", sys.executable),
                              ("{builtin}", assessment.theme.builtin_styles_folder()),
                              ("{dead_pid}", _dead_pid() if "{dead_pid}" in value else ""),
                              ("{live_pid}", os.getppid())):
                value = value.replace(key, str(path))
            return value
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    def path(self, relative: str) -> Path:
        """A mutation's path: relative to the report folder ('..' reaches {root})."""
        return self.folder / self.fill(relative)


_DEAD: list[int] = []


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped), made once per worker."""
    if not _DEAD:
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        _DEAD.append(child.pid)
    return _DEAD[0]


def _content(spec: dict) -> bytes:
    """The bytes a ``write``/``append`` describes: text (UTF-8), ``latin1`` (each character one
    byte), ``base64``; ``header`` + body × ``repeat`` + ``footer`` for large files."""
    if "base64" in spec:
        body = base64.b64decode(spec["base64"])
    elif "latin1" in spec:
        body = spec["latin1"].encode("latin-1")
    else:
        body = spec.get("text", "").encode(spec.get("encoding", "utf-8"))
    repeat = spec.get("repeat", 1)
    enc = spec.get("encoding", "utf-8")
    return spec.get("header", "").encode(enc) + body * repeat + spec.get("footer", "").encode(enc)


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
}
_SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _write_raw_xlsx(path: Path, spec: dict) -> None:
    """A workbook written part by part, so a case can make one of any size or shape quickly:
    ``sheet`` (the XML inside <worksheet>, ``sheet_repeat`` times its ``sheet_body``) and
    ``strings`` (the shared strings' XML, ``strings_repeat`` times its ``strings_body``)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in _XLSX_PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((_SHEET_OPEN + spec.get("sheet_head", "")).encode())
            chunk = spec.get("sheet_body", "").encode()
            for _ in range(spec.get("sheet_repeat", 1)):
                sheet.write(chunk)
            sheet.write((spec.get("sheet_tail", "") + "</worksheet>").encode())
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                           + spec.get("strings_head", "")).encode())
            chunk = spec.get("strings_body", "").encode()
            block = chunk * max(1, 1_000_000 // max(1, len(chunk)))  # write in ~1 MB pieces
            count = spec.get("strings_repeat", 1 if chunk else 0)
            whole, rest = divmod(count, block.count(chunk) or 1) if chunk else (0, 0)
            for _ in range(whole):
                strings.write(block)
            strings.write(chunk * rest)
            strings.write((spec.get("strings_tail", "") + "</sst>").encode())


def _write_xlsx(path: Path, spec: dict) -> None:
    """``sheets: {name: [[cell, …], …]}`` through openpyxl; ``tables: {name: {sheet, ref}}``."""
    import openpyxl
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in spec["sheets"].items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([float(v[6:]) if isinstance(v, str) and v.startswith("float:") else v for v in row])
    for name, table in (spec.get("tables") or {}).items():
        book[table["sheet"]].add_table(Table(displayName=name, ref=table["ref"]))
    book.save(path)


def mutate(ctx: Context, operations: list[dict]) -> None:
    for operation in operations or ():
        (op, arg), = operation.items()
        arg = ctx.fill(arg)
        if op == "replace":
            path = ctx.path(arg["path"])
            text = path.read_text(encoding="utf-8")
            assert arg["old"] in text, f"replace: {arg['old']!r} is not in {arg['path']} (did the base change?)"
            path.write_text(text.replace(arg["old"], arg["new"], arg.get("count", -1)), encoding="utf-8")
        elif op in ("write", "append"):
            path = ctx.path(arg["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab" if op == "append" else "wb") as handle:
                handle.write(_content(arg))
        elif op == "delete":
            path = ctx.path(arg)
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        elif op == "symlink":
            path = ctx.path(arg["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir():
                shutil.rmtree(path)
            os.symlink(arg["target"], path)
        elif op == "mkdir":
            ctx.path(arg).mkdir(parents=True, exist_ok=True)
        elif op == "chmod":
            ctx.path(arg["path"]).chmod(int(str(arg["mode"]), 8))
        elif op == "copy":
            source, target = ctx.path(arg["from"]), ctx.path(arg["to"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
        elif op == "truncate":  # keep the first ``size`` bytes of a file (a cut-off download)
            path = ctx.path(arg["path"])
            path.write_bytes(path.read_bytes()[: arg["size"]])
        elif op == "fifo":
            os.mkfifo(ctx.path(arg))
        elif op == "xlsx":
            path = ctx.path(arg["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_raw_xlsx(path, arg) if arg.get("raw") else _write_xlsx(path, arg)
        elif op == "many":  # ``count`` files from one pattern, {n} the number
            for n in range(arg["count"]):
                path = ctx.path(arg["path"].replace("{n}", str(n)))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(_content(arg))
        # Shortcuts for what many cases do.
        elif op == "narrative":  # text/evil.md holding ARG (text, or a write's content), read by a markdown block
            content = {"text": arg} if isinstance(arg, str) else arg
            mutate(ctx, [{"write": {"path": "text/evil.md", **content}},
                         {"add_block": "- markdown: text/evil.md"}])
        elif op == "add_block":  # a block at the end of the Notes section
            mutate(ctx, [{"replace": {"path": "report.yaml", "old": "# +body", "new": arg + "\n      # +body"}}])
        elif op == "add_dataset":
            mutate(ctx, [{"replace": {"path": "report.yaml", "old": "# +datasets", "new": arg + "\n  # +datasets"}}])
        elif op == "yaml":  # replace in report.yaml: [old, new]
            mutate(ctx, [{"replace": {"path": "report.yaml", "old": arg[0], "new": arg[1]}}])
        elif op == "csv":  # replace in a data file: [file, old, new]
            mutate(ctx, [{"replace": {"path": f"data/{arg[0]}", "old": arg[1], "new": arg[2]}}])
        elif op == "style":  # style.toml, a copy of the built-in plain style, edited: [[old, new], …]
            shutil.copy(assessment.theme.builtin_styles_folder() / "plain.toml", ctx.folder / "style.toml")
            mutate(ctx, [{"yaml": ["style: plain", "style: style.toml"]}]
                   + [{"replace": {"path": "style.toml", "old": old, "new": new}} for old, new in arg])
        elif op == "police":  # a police.uk file: rows of [crime id, month, lsoa code, lsoa name, crime type]
            lines = [",".join(POLICE_COLUMNS)]
            for crime_id, month, lsoa, name, kind in arg["rows"]:
                lines.append(",".join(_csv_cell(v) for v in (crime_id, month, "Kent Police", "Kent Police", "0.5", "51.3",
                                                            "On or near High Street", lsoa, name, kind, "", "")))
            mutate(ctx, [{"write": {"path": arg["path"], "text": "\n".join(lines) + "\n"}}])
        else:
            raise AssertionError(f"unknown mutation {op!r}")


POLICE_COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")


def _csv_cell(value) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


# --- running a case -------------------------------------------------------------------------


class Outcome:
    def __init__(self, status: int, lines: list[str], seconds: float, rss_mb: float | None = None, killed=None,
                 value=None):
        self.status, self.lines, self.seconds, self.rss_mb, self.killed = status, lines, seconds, rss_mb, killed
        self.value = value  # what an in-process call returned (the Report of a load)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _error_lines(exc: ReportError) -> list[str]:
    return [f"error: {problem}" for problem in exc.problems]


def _in_process(call) -> Outcome:
    started = time.monotonic()
    try:
        value = call()
    except ReportError as exc:
        return Outcome(2, _error_lines(exc), time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - the point: anything but a ReportError is a bug
        return Outcome(1, [f"Traceback: not a ReportError: {type(exc).__name__}: {str(exc)[:300]}"],
                       time.monotonic() - started)
    return Outcome(0, [], time.monotonic() - started, value=value)


def _cli(ctx: Context, args: list[str], monkeypatch) -> Outcome:
    from assessment.cli import main

    monkeypatch.setenv("ASSESSMENT_CACHE", str(ctx.cache))
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
        except Exception as exc:  # noqa: BLE001
            print(f"Traceback: escaped main(): {type(exc).__name__}: {exc}", file=sys.stderr)
            status = 1
    return Outcome(status, (err.getvalue() + out.getvalue()).splitlines(), time.monotonic() - started)


def _vm_mb(pid: int, key: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _subprocess(ctx: Context, args: list[str], timeout: float) -> Outcome:
    """Run ``python ARGS`` in a new session and measure its peak memory as VmHWM, the high-water
    mark of its own address space, read while it runs. Not ru_maxrss: Linux carries the parent's
    resident size across fork and exec into the child's ru_maxrss, so a child of a pytest worker
    that has grown to 480 MB would report 480 MB whatever it did. A child past the timeout or
    RSS_GUARD_MB is killed (its own process group, by id)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASSESSMENT_CACHE": str(ctx.cache)}
    with open(ctx.root / "child.out", "w+b") as out, open(ctx.root / "child.err", "w+b") as err:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, *args], stdout=out, stderr=err, env=env, cwd=ctx.root,
                                start_new_session=True)
        killed = None
        peak = 0.0
        while True:
            peak = max(peak, _vm_mb(proc.pid, "VmHWM"))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.monotonic() - started
            if killed is None and (elapsed > timeout or _vm_mb(proc.pid) > RSS_GUARD_MB):
                killed = "timeout" if elapsed > timeout else f"memory past {RSS_GUARD_MB} MB"
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.01)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        lines = (err.read().decode("utf-8", "replace") + out.read().decode("utf-8", "replace")).splitlines()
    if killed:
        lines.append(f"killed: {killed} after {seconds:.1f} s")
    return Outcome(proc.returncode, lines, seconds, peak, killed)


def run_case(ctx: Context, run: dict, monkeypatch) -> Outcome:
    how = run.get("how", "load")
    if how == "load":
        return _in_process(lambda: assessment.load_report(ctx.folder, draft=run.get("draft")))
    if how == "build":
        formats = run.get("formats", ["pdf", "docx"])
        return _in_process(lambda: assessment.build(ctx.folder, ctx.out, formats, draft=run.get("draft"),
                                                    cache_dir=ctx.cache))
    if how == "cli":
        return _cli(ctx, ctx.fill(run.get("args", ["build", "{folder}", "--out", "{out}"])), monkeypatch)
    if how == "subprocess":
        args = ctx.fill(run.get("args", ["-m", "assessment", "build", "{folder}", "--out", "{out}"]))
        return _subprocess(ctx, args, run.get("timeout", SUBPROCESS_TIMEOUT))
    if how == "api":
        scenario = SCENARIOS[run["scenario"]]
        return _in_process(lambda: scenario(ctx, **ctx.fill(run.get("params", {}))))
    raise AssertionError(f"unknown run {how!r}")


# --- API scenarios: calls a case file cannot spell, named and given parameters there --------


def _tiny_report(**options):
    from assessment import compose as c

    return c.report("T", "O", c.section("S", "Some text."), contents=False, **options)


def _render(report, ctx, formats=("pdf", "docx")):
    return assessment.render_documents(report, list(formats), cache_dir=ctx.cache)


def _scenario_compose(ctx, call: str, args=(), kwargs=None, render: bool = True, wrap: str = "section"):
    """``compose.<call>(*args, **kwargs)``; the result is put in a report and rendered."""
    from assessment import compose as c

    made = getattr(c, call)(*args, **(kwargs or {}))
    if render:
        report = made if call == "report" else c.report("T", "O", c.section("S", made) if wrap == "section" else made,
                                                        contents=False)
        _render(report, ctx)


def _scenario_render_documents(ctx, report="tiny", formats=("pdf", "docx"), **kwargs):
    value = {"tiny": _tiny_report(), "none": None, "dict": {"title": "T"}, "text": "report.yaml",
             "folder": str(ctx.folder)}[report]
    assessment.render_documents(value, formats, **({"cache_dir": ctx.cache} | kwargs))


def _scenario_render(ctx, path: str, **kwargs):
    assessment.render(_tiny_report(), path, cache_dir=ctx.cache, **kwargs)


def _scenario_build(ctx, **kwargs):
    options = {"cache_dir": ctx.cache} | kwargs
    if options.get("cache_dir") == "text":
        options["cache_dir"] = str(ctx.cache)
    assessment.build(options.pop("folder", ctx.folder), options.pop("out_dir", ctx.out), **options)


def _scenario_model(ctx, make: str):
    """Reports built from model nodes directly, as a script might."""
    from assessment import model as m

    from assessment import compose as c

    def report(*blocks):
        return c.report("T", "O", *blocks, contents=False)

    section = lambda *blocks: m.Section("S", tuple(blocks), level=1)  # noqa: E731
    made = {
        "table-no-columns": lambda: report(section(m.Table((), (), ()))),
        "table-zero-width": lambda: report(section(m.Table((m.Column(0.0),), ((m.Cell.of("h"),),), ((m.Cell.of("1"),),)))),
        "table-nan-width": lambda: report(section(m.Table((m.Column(float("nan")),), ((m.Cell.of("h"),),), ((m.Cell.of("1"),),)))),
        "table-ragged-row": lambda: report(section(m.Table((m.Column(), m.Column()), ((m.Cell.of("a"), m.Cell.of("b")),),
                                                           ((m.Cell.of("1"),),)))),
        "table-colspan-zero": lambda: report(section(m.Table((m.Column(),), ((m.Cell.of("a", colspan=0),),), ()))),
        "paragraph-spans-text": lambda: report(section(m.Paragraph("plain text, not spans"))),
        "section-title-int": lambda: report(m.Section(2024, (), level=1)),
        "section-level-zero": lambda: report(m.Section("S", (), level=0)),
        "blocks-list": lambda: attrs_evolve(report(), blocks=[m.Paragraph.of("x")]),
        "report-date-text": lambda: attrs_evolve(report(), date="2024-01-01"),
        "deep-sections": lambda: report(_nested_sections(40)),
        "deep-callouts": lambda: report(section(_nested_callouts(40))),
        "many-blocks": lambda: report(section(*(m.Paragraph.of("x") for _ in range(60_000)))),
        "giant-paragraph": lambda: report(section(m.Paragraph.of("word " * 200_000))),
        "giant-heading": lambda: report(m.Section("word " * 200_000, (m.Paragraph.of("x"),), level=1)),
        "long-heading": lambda: report(m.Section("word " * 5_000, (m.Paragraph.of("x"),), level=1)),
        "huge-table": lambda: report(section(c.table([{"n": i} for i in range(20_000)]))),
        "wide-table": lambda: report(section(c.table([{f"c{i}": i for i in range(100)}]))),
        "chart-infinite": lambda: report(section(c.chart("column", "C", [{"x": "a", "y": float("inf")}], "x", "y"))),
        "chart-huge": lambda: report(section(c.chart("column", "C", [{"x": "a", "y": 1}], "x", "y", width=1e9))),
        "chart-no-y": lambda: report(section(c.chart("column", "C", [{"x": "a"}], "x", "y"))),
        "chart-many-rows": lambda: report(section(c.chart("bar", "C", [{"x": str(i), "y": i} for i in range(5_000)], "x", "y"))),
        "chart-kind": lambda: report(section(c.chart("radar", "C", [{"x": "a", "y": 1}], "x", "y"))),
        "deep-list": lambda: report(section(_nested_list(40))),
    }[make]()
    _render(made, ctx)


def attrs_evolve(node, **changes):
    import attrs

    return attrs.evolve(node, **changes)


def _nested_sections(depth):
    from assessment import model as m

    node = m.Section("Deepest", (m.Paragraph.of("x"),), level=depth)
    for level in range(depth - 1, 0, -1):
        node = m.Section(f"Level {level}", (node,), level=level)
    return node


def _nested_callouts(depth):
    from assessment import model as m

    node = m.Paragraph.of("x")
    for _ in range(depth):
        node = m.Callout("Box", "Heading", (node,))
    return node


def _nested_list(depth):
    from assessment import model as m

    node = None
    for _ in range(depth):
        node = m.BulletList((m.ListItem(m.Paragraph.of("x"), node),))
    return node


def _scenario_theme(ctx, theme):
    assessment.render_documents(_tiny_report(), ["pdf"], theme=theme, cache_dir=ctx.cache)


SCENARIOS = {
    "compose": _scenario_compose,
    "render_documents": _scenario_render_documents,
    "render": _scenario_render,
    "build": _scenario_build,
    "model": _scenario_model,
    "theme": _scenario_theme,
}


# --- what the documents say -----------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return _squash(" ".join(page.extract_text() or "" for page in pdf.pages))


def docx_text(path: Path) -> str:
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    return _squash(" ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))))


def link_targets(pdf: Path, docx: Path) -> list[str]:
    """Where the links of both documents lead: PDF URI actions and DOCX relationships."""
    import pikepdf

    targets = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and "/URI" in action:
                    targets.append(str(action.URI))
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if name.endswith(".rels"):
                targets += re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', package.read(name).decode())
    return targets


def model_text(report) -> str:
    """The words of a loaded report, before any writer: headings, paragraphs, list items,
    table cells, chart titles and the cover (for ``says``: cheap checks of what a build would print)."""
    from assessment import model as m

    words = [report.cover.title, report.cover.organisation]

    def items(node):
        for item in node.items:
            words.append(item.paragraph.plain)
            if item.children:
                items(item.children)

    for node, _ in m.walk(report.blocks):
        if isinstance(node, m.Section):
            words.append(str(node.title))
        elif isinstance(node, m.Paragraph):
            words.append(node.plain)
        elif isinstance(node, m.BulletList):
            items(node)
        elif isinstance(node, m.Chart):
            words.append(node.title)
    return _squash(" | ".join(words))


def _files(root: Path) -> dict[Path, int]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            found[path] = path.stat().st_mtime_ns
    return found


# --- the test -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(_params()))
def test_hostile(case, tmp_path, chart_cache, monkeypatch):
    ctx = Context(tmp_path, chart_cache)
    shutil.copytree(BASE, ctx.folder, symlinks=True)
    ctx.outside.mkdir()
    (ctx.outside / "secret.txt").write_text(f"{SECRET}: the password is swordfish\nsecond line\n", encoding="utf-8")
    mutate(ctx, case.get("mutation"))
    expect = ctx.fill(case.get("expect", {}))
    unchanged = {p: (ctx.root / p).read_bytes() for p in expect.get("unchanged", ())}
    before = _files(tmp_path)

    # In process, a runaway template stops after one second rather than the report's five: what
    # is checked is that it stops, with its file and line (subprocess cases keep the real budget).
    # A case that must meet another limit first (the text's length) keeps the real budget, or a
    # loaded machine would meet the clock first and give the other error.
    monkeypatch.setattr("assessment.templates.FiguresEnvironment.seconds_left",
                        float(case.get("run", {}).get("template_seconds", 1.0)))
    outcome = run_case(ctx, case.get("run", {}), monkeypatch)
    said = outcome.text

    assert outcome.killed is None, said
    status = expect.get("status", 2)
    assert outcome.status == status, f"exit status {outcome.status}, expected {status}:\n{said}"
    for text in (*ALWAYS_ABSENT, *expect.get("absent", ())):
        assert text not in said, f"{text!r} must not appear:\n{said}"
    if status == 2:
        errors = [line for line in outcome.lines if line.startswith("error: ")]
        if "phrase" in expect or "file" in expect or "where" in expect:
            assert errors or expect.get("argparse"), f"no error lines:\n{said}"
            phrases = expect.get("phrase", [])
            phrases = [phrases] if isinstance(phrases, str) else phrases
            pool = outcome.lines if expect.get("argparse") else errors
            prefix = f"error: {expect['file']}" if "file" in expect else "error: "

            def fits(line: str) -> bool:
                return ((line.startswith(prefix + ": ") or line == prefix or "file" not in expect)
                        and expect.get("where", "") in line and all(p in line for p in phrases))

            assert any(fits(line) for line in pool), (
                f"no line names file {expect.get('file')!r}, where {expect.get('where')!r} and {phrases}:\n{said}")
    if "max_seconds" in expect:
        # max_seconds is what a user waits on an idle machine; the guard allows a loaded CI
        # worker three times that (about ten times each case's measured time), which still
        # catches a hang or a cost that grows with the input.
        assert outcome.seconds <= LOADED_MACHINE * expect["max_seconds"], f"took {outcome.seconds:.1f} s"
    if "max_rss_mb" in expect:
        assert outcome.rss_mb is not None, "max_rss_mb needs run: subprocess"
        assert outcome.rss_mb <= expect["max_rss_mb"], f"peak {outcome.rss_mb:.0f} MB"

    # Every file a run writes lands inside the output folder.
    strays = [p for p in _files(tmp_path) if p not in before and not p.is_relative_to(ctx.out)
              and p.name not in ("child.out", "child.err")]
    assert not strays, f"written outside the output folder: {strays}"
    for path, data in unchanged.items():
        assert (ctx.root / path).read_bytes() == data, f"{path} was changed"
    for path in expect.get("exists", ()):
        assert (ctx.root / path).exists(), f"{path} is missing; {sorted(map(str, ctx.out.rglob('*')))}"
    for pattern in expect.get("gone", ()):
        left = sorted(ctx.root.glob(pattern))
        assert not left, f"still there: {left}"

    if "says" in expect or "not_says" in expect:
        assert outcome.value is not None, "says needs run: load"
        text = model_text(outcome.value)
        for wanted in expect.get("says", ()):
            assert _squash(wanted) in text, f"{wanted!r} not in the report:\n{text[:3000]}"
        for unwanted in expect.get("not_says", ()):
            assert _squash(unwanted) not in text, f"{unwanted!r} in the report:\n{text[:3000]}"

    literal, not_literal = expect.get("literal", ()), expect.get("not_literal", ())
    if literal or not_literal or expect.get("not_in_bytes") or expect.get("links_absent"):
        stem = expect.get("document", "base")
        texts = {"pdf": pdf_text(ctx.out / f"{stem}.pdf"), "docx": docx_text(ctx.out / f"{stem}.docx")}
        for fmt, text in texts.items():
            for wanted in literal:
                assert _squash(wanted) in text, f"{wanted!r} not in the {fmt}:\n{text[:3000]}"
            for unwanted in not_literal:
                assert _squash(unwanted) not in text, f"{unwanted!r} in the {fmt}"
        for unwanted in expect.get("not_in_bytes", ()):
            assert unwanted.encode() not in (ctx.out / f"{stem}.pdf").read_bytes()
            with zipfile.ZipFile(ctx.out / f"{stem}.docx") as package:
                assert all(unwanted.encode() not in package.read(n) for n in package.namelist()), unwanted
        targets = link_targets(ctx.out / f"{stem}.pdf", ctx.out / f"{stem}.docx")
        for unwanted in expect.get("links_absent", ()):
            assert not [t for t in targets if unwanted in t], f"a link leads to {unwanted!r}: {targets}"
