"""The public entry points: load a folder, render a report, build a folder into files."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Literal

import attrs

from . import limits
from .charts import ChartRenderer, default_cache_dir
from .chartsvg import draw_svgs
from .errors import ReportError
from .structuring import misused
from .files import name_problem, output_folder, remove_leftovers, write_atomic, write_outputs
from .editions import editions
from .loading import load_report
from .spec import REPORT_FILE
from .model import Report
from .render.base import Draft, PageMap, RenderInput
from .theme import Theme, covered_codepoints, language_problem, load_theme, style_path
from .transforms import missing_items, prepare, replace_unsupported

Format = Literal["pdf", "docx", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "docx", "html")
# What a build writes unless asked for others: the printed editions. The web page is asked for.
DEFAULT_FORMATS: tuple[Format, ...] = ("pdf", "docx")
PdfEngine = Literal["reportlab", "libreoffice"]
PDF_ENGINES: tuple[PdfEngine, ...] = ("reportlab", "libreoffice")


def theme_for(report: Report) -> Theme:
    return load_theme(style_path(report.style))


def _argument(function: str, name: str, expected: str, value) -> ReportError:
    return misused(f"assessment.{function}", name, expected, value)


def _options(function: str, *, formats=None, draft=None, theme=None, cache_dir=None, pdf_engine="reportlab",
             paths: dict | None = None) -> tuple[list[str], Theme | None, Path | None | Literal[False]]:
    """The keyword arguments every entry point shares, checked once: a wrong one is a
    ReportError naming it, never a failure deep inside a writer."""
    for name, value in (paths or {}).items():
        if not isinstance(value, (str, Path)) or not str(value) or "\x00" in str(value):
            raise _argument(function, name, "a folder path (str or pathlib.Path)", value)
    if formats is None:
        wanted = list(DEFAULT_FORMATS)
    elif isinstance(formats, str) or not isinstance(formats, Iterable):
        raise _argument(function, "formats", "a list of formats such as ['pdf', 'docx']", formats)
    else:
        wanted = list(dict.fromkeys(formats))
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown or not wanted:
            found = ", ".join(map(repr, unknown)) if unknown else "none"
            raise ReportError.single(f"assessment.{function}", "formats",
                                     f"expected formats among {', '.join(FORMATS)}, found {found}")
    if draft is not None and not isinstance(draft, bool):
        raise _argument(function, "draft", "True, False or None", draft)
    if isinstance(theme, (str, Path)):
        theme = load_theme(style_path(str(theme)))  # a built-in style's name or a .toml path
    elif theme is not None and not isinstance(theme, Theme):
        raise _argument(function, "theme", "a Theme, a built-in style's name or a .toml path", theme)
    if isinstance(cache_dir, str):
        cache_dir = Path(cache_dir)
    if cache_dir is not None and cache_dir is not False and not isinstance(cache_dir, Path):
        raise _argument(function, "cache_dir", "a folder path, None (the default cache) or False (no cache)", cache_dir)
    if pdf_engine not in PDF_ENGINES:
        raise _argument(function, "pdf_engine", f"one of {', '.join(PDF_ENGINES)}", pdf_engine)
    if pdf_engine == "libreoffice" and (wanted is None or "pdf" in wanted):
        from . import libreoffice
        libreoffice.require()  # before any work: a missing LibreOffice is known in milliseconds
    return wanted, theme, cache_dir


def _cache(cache_dir: Path | None | Literal[False]) -> Path | None:
    """The folder that keeps drawn charts (and their PDF-ready copies); None: keep nothing."""
    return None if cache_dir is False else (cache_dir or default_cache_dir())


def _inputs(report: Report, *, draft: bool | None, theme: Theme | None,
            cache_dir: Path | None | Literal[False], formats: Iterable[str] = DEFAULT_FORMATS) -> RenderInput:
    found = limits.shape_problems(report)
    found = found or limits.problems(report)  # the limits read fields the shapes vouch for
    if found:
        raise ReportError(found)
    theme = theme or theme_for(report)
    wrong_language = language_problem(theme.labels, report.language)
    if wrong_language:
        raise ReportError.single("report", "language", wrong_language)
    report, warnings = replace_unsupported(report, covered_codepoints(theme))
    prepared = prepare(report, theme.labels)
    cache = _cache(cache_dir)
    drawn = [chart for chart in prepared.charts() if chart.available]
    printed = bool({"pdf", "docx"} & set(formats))
    # PNGs for the printed editions, SVG for the web page: each drawn only when its edition is asked for.
    pictures = ChartRenderer(theme, cache_dir=cache).render_all(drawn) if printed else {}
    drawings = draw_svgs(drawn, theme, cache) if "html" in formats else {}
    is_draft = report.status == "draft" if draft is None else draft
    marks = Draft(report.version, report.date) if is_draft else None
    return RenderInput(prepared, theme, pictures, marks, warnings=tuple(warnings), drawings=drawings)


class Documents(dict):
    """Format → bytes; ``warnings`` says what was changed to make the text printable."""

    warnings: list[str]


def render_documents(report: Report, formats: Iterable[Format] = DEFAULT_FORMATS, *, draft: bool | None = None,
                     theme: Theme | None = None, cache_dir: Path | None | Literal[False] = None,
                     pdf_engine: PdfEngine = "reportlab") -> dict[str, bytes]:
    """Render to bytes, touching no file but the chart cache (``cache_dir=False``: none).

    ``pdf_engine="libreoffice"`` makes the PDF by exporting the DOCX through LibreOffice (tagged
    PDF/UA, contents refreshed to LibreOffice's pages); that one works in a temporary folder.
    ``"html"`` is one self-contained web page (charts as inline SVG); it needs no PDF layout.
    """

    wanted, theme, cache_dir = _options("render_documents", formats=formats, draft=draft, theme=theme,
                                        cache_dir=cache_dir, pdf_engine=pdf_engine)
    source = _inputs(report, draft=draft, theme=theme, cache_dir=cache_dir, formats=wanted)
    out = Documents()
    out.warnings = list(source.warnings)
    if "pdf" in wanted or "docx" in wanted:
        # The PDF layout decides the page numbers the DOCX contents shows before Word refreshes
        # it. Each writer is imported only when its format is made (python-docx costs about
        # 0.1 s of a PDF-only build's start-up).
        needs_docx = "docx" in wanted or pdf_engine == "libreoffice"
        if "pdf" in wanted and pdf_engine == "reportlab":
            from .render.pdf import render_pdf

            pdf, pages = render_pdf(source, image_cache=_cache(cache_dir))
        else:
            # No reportlab PDF is kept: lay it out for the page numbers, skip tagging and saving.
            from .render.pdf import lay_out_pdf

            pdf, pages = None, lay_out_pdf(source)
        if needs_docx:
            from .render.docx import render_docx

            docx = render_docx(attrs.evolve(source, pages=pages))
        if "pdf" in wanted:
            if pdf_engine == "libreoffice":
                from .libreoffice import docx_to_pdf

                pdf = docx_to_pdf(docx)
            out["pdf"] = pdf
        if "docx" in wanted:
            out["docx"] = docx
    if "html" in wanted:
        from .render.html import render_html

        out["html"] = render_html(source)
    return out


def render(report: Report, path: str | Path, *, draft: bool | None = None, theme: Theme | None = None,
           cache_dir: Path | None | Literal[False] = None, pdf_engine: PdfEngine = "reportlab") -> Path:
    """Render one document; the writer is picked by the file's suffix (.pdf, .docx or .html)."""
    _options("render", draft=draft, theme=theme, cache_dir=cache_dir, pdf_engine=pdf_engine, paths={"path": path})
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ReportError.single(str(path), "", "expected a file name ending in .pdf, .docx or .html")
    data = render_documents(report, [fmt], draft=draft, theme=theme, cache_dir=cache_dir, pdf_engine=pdf_engine)[fmt]
    output_folder(path.parent)
    write_outputs({path: data})
    return path


@attrs.frozen
class Built:
    """The files a build wrote (iterate over it for the paths) and what a draft still lacks."""

    paths: tuple[Path, ...]
    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def __iter__(self):
        return iter(self.paths)

    def __len__(self):
        return len(self.paths)


def build(folder: str | Path, out_dir: str | Path, formats: Iterable[Format] = DEFAULT_FORMATS, *,
          draft: bool | None = None, cache_dir: Path | None | Literal[False] = None,
          pdf_engine: PdfEngine = "reportlab") -> Built:
    """Load a report folder and write ``out_dir/<name>.<format>`` for each format, for
    report.yaml and for each edition it lists (another language's, say)."""
    _options("build", formats=formats, draft=draft, cache_dir=cache_dir, pdf_engine=pdf_engine,
             paths={"folder": folder, "out_dir": out_dir})
    files = editions(folder)
    reports, problems = [], []
    for file in files:  # every edition is read before any is written: one broken, none half-built
        try:
            reports.append(load_report(folder, draft=draft, edition=file))
        except ReportError as exc:
            problems += exc.problems
    if problems:
        raise ReportError(problems)
    named: dict[str, str] = {}
    for file, report in zip(files, reports):
        other = named.setdefault(report.name.casefold(), file or REPORT_FILE)  # one name a disk may hold
        if other != (file or REPORT_FILE):
            raise ReportError.single(file, "name", f"'{report.name}' is also the name of {other}'s documents; "
                                                   f"expected a name of its own, such as {report.name}-{report.language}")
    built = [write_documents(report, out_dir, formats, draft=draft, cache_dir=cache_dir, pdf_engine=pdf_engine)
             for report in reports]
    return Built(tuple(p for b in built for p in b.paths), tuple(m for b in built for m in b.missing),
                 tuple(w for b in built for w in b.warnings))


def write_documents(report: Report, out_dir: str | Path, formats: Iterable[Format] = DEFAULT_FORMATS, *,
                    draft: bool | None = None, cache_dir: Path | None | Literal[False] = None,
                    pdf_engine: PdfEngine = "reportlab") -> Built:
    """Render ``report`` and write ``out_dir/<report.name>.<format>`` for each format."""
    problem = name_problem(report.name)
    if problem:
        raise ReportError.single("name", "", problem)
    documents = render_documents(report, formats, draft=draft, cache_dir=cache_dir, pdf_engine=pdf_engine)
    out = output_folder(Path(out_dir))
    remove_leftovers(out)  # an earlier build that was killed mid-write
    targets = {out / f"{report.name}.{fmt}": data for fmt, data in documents.items()}
    write_outputs(targets)
    written = list(targets)
    return Built(tuple(written), tuple(missing_items(report)), tuple(documents.warnings))


__all__ = ["Built", "build", "load_report", "render", "render_documents", "write_atomic", "write_documents", "PageMap"]
