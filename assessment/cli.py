"""Command line: ``assessment build FOLDER --out DIR [--format pdf|docx|html] [--draft] [--pdf-engine E]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from .errors import ReportError


PDF_ENGINES = ("reportlab", "libreoffice")  # as api.PDF_ENGINES; api is imported only when used
FORMATS = ("pdf", "docx", "html")  # as api.FORMATS
DEFAULT_FORMATS = ("pdf", "docx")  # as api.DEFAULT_FORMATS: the web page when asked for


def _output_options(command: argparse.ArgumentParser, out_help: str) -> None:
    """What every building command takes: where to, which formats, draft marks, PDF engine."""
    command.add_argument("--out", type=Path, default=Path("build"), help=out_help)
    command.add_argument("--format", choices=FORMATS, action="append",
                         help="write this format (repeatable): pdf, docx or html (one self-contained web page); "
                              "default pdf and docx")
    command.add_argument("--draft", action="store_true", default=None,
                         help="draft marks: watermark, draft footer, placeholders for missing figures")
    command.add_argument("--pdf-engine", choices=PDF_ENGINES, default="reportlab",
                         help="reportlab (default, built in) or libreoffice (exports the DOCX as tagged PDF/UA)")


def _debug_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assessment", description="Build a Strategic Assessment from a report folder.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build a report folder into PDF and DOCX")
    build.add_argument("folder", type=Path, help="the report folder (contains report.yaml)")
    _output_options(build, "output folder (default: build)")
    many = commands.add_parser("build-all", help="build many report folders, in parallel with --jobs")
    many.add_argument("folders", type=Path, nargs="+", help="report folders")
    many.add_argument("--jobs", type=int, default=1, help="processes to build with (default 1)")
    _output_options(many, "output folder; one sub-folder per report")
    watch = commands.add_parser("watch", help="build, then rebuild whenever a file of the folder changes")
    watch.add_argument("folder", type=Path, help="the report folder (contains report.yaml)")
    watch.add_argument("--interval", type=float, default=0.5, help="seconds between looks at the folder")
    _output_options(watch, "output folder (default: build)")
    diff = commands.add_parser("diff", help="what changed between two drafts (DOCX files or report folders)")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    commands.add_parser("schema", help="print a JSON Schema of report.yaml (for editors and checkers)")
    commands.add_parser("reference", help="print the folder format's reference (FORMAT.md)")
    for command in (build, many, watch, diff):
        _debug_option(command)
    return parser


def batch_summary(outcomes) -> str:
    """build-all's last line: folders built and failed, then what was written, since a folder
    may hold several editions (report.yaml's ``editions:``)."""
    failed = sum(not o.ok for o in outcomes)
    editions = len({str(Path(path).with_suffix("")) for o in outcomes for path in o.paths})
    documents = sum(len(o.paths) for o in outcomes)
    return (f"{len(outcomes) - failed} built, {failed} failed: "
            f"{editions} edition{'s' * (editions != 1)}, {documents} document{'s' * (documents != 1)}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            from .api import build

            built = build(args.folder, args.out, args.format or DEFAULT_FORMATS, draft=args.draft,
                          pdf_engine=args.pdf_engine)
            for warning in built.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            for path in built:
                print(path)
            if built.missing:
                print(f"still missing ({len(built.missing)}), shown highlighted in the draft:", file=sys.stderr)
                for item in built.missing:
                    print(f"  - {item}", file=sys.stderr)
        elif args.command == "build-all":
            from .batch import BuildOptions, build_all

            options = BuildOptions(str(args.out), tuple(args.format or DEFAULT_FORMATS), args.draft,
                                   pdf_engine=args.pdf_engine)
            outcomes = build_all(args.folders, options, jobs=args.jobs, progress=sys.stderr.isatty())
            failed = [o for o in outcomes if not o.ok]
            print(batch_summary(outcomes))
            for outcome in failed:
                print(f"error: {outcome.folder}: {outcome.error}", file=sys.stderr)
            return 2 if failed else 0
        elif args.command == "watch":
            from .watch import watch

            print("watching; Ctrl-C to stop", file=sys.stderr)
            try:
                watch(args.folder, args.out, args.format or DEFAULT_FORMATS, draft=args.draft,
                      pdf_engine=args.pdf_engine, interval=args.interval, report=lambda line: print(line, flush=True))
            except KeyboardInterrupt:
                print("stopped", file=sys.stderr)  # the way a watch is meant to end
        elif args.command in ("schema", "reference"):
            from . import reference

            sys.stdout.write(reference.schema_text() if args.command == "schema" else reference.format_reference())
        elif args.command == "diff":
            from .diff import compare, load_outline, report

            print(report(compare(load_outline(args.old), load_outline(args.new))))
        return 0
    except ReportError as exc:
        if args.debug:
            traceback.print_exc()
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so in one line, traceback on request
        if args.debug:
            traceback.print_exc()
        else:
            print(f"error: internal error ({type(exc).__name__}: {exc}); rerun with --debug and report it", file=sys.stderr)
        return 1


def run() -> None:
    """The console command: ``main``, then leave without tearing the interpreter down.

    Freeing every module, object and vl-convert's V8 workers at exit costs 0.15 s, a tenth of
    a cold build, and does nothing for a command whose files are already written and closed.
    """
    code = main()
    from . import codecache

    codecache.CACHE.save()  # what atexit would have done: os._exit below runs no exit handlers
    if "assessment.charts" in sys.modules:
        # A failed build can leave charts still being drawn into the cache; let them finish
        # rather than cut a write short.
        sys.modules["assessment.charts"].finish_drawing()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (``| head``) or a closed stream
            pass
    os._exit(code)


if __name__ == "__main__":
    raise SystemExit(main())
