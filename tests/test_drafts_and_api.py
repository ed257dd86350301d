"""Drafts, identical rebuilds, the diff between drafts, the scripting API and the examples."""

import io
import sys

import docx
import pdfplumber
import pypdf
import attrs
import pytest

from assessment import compose as c
from assessment.api import build, render, render_documents
from assessment.diff import compare, load_outline, report as diff_report
from conftest import MEDWAY, ROOT


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory, chart_cache):
    return build(MEDWAY, tmp_path_factory.mktemp("draft"), draft=True, cache_dir=chart_cache)


def test_every_draft_page_is_marked_and_official_pages_are_not(draft_build, medway_build):
    import doctext

    # PDFium's runs of text with their sizes: the same check as reading every page with
    # pdfplumber, in a tenth of the time.
    pdf = next(p for p in draft_build if p.suffix == ".pdf")
    pages = doctext.page_runs(pdf.read_bytes())
    assert len(pages) == len(pypdf.PdfReader(pdf).pages)
    for number, runs in enumerate(pages, 1):
        watermark = "".join(text for text, size in runs if size > 100)  # drawn at 45°
        assert watermark == "DRAFT", number
        # Drawn last, over the charts, table fills and boxes, not hidden beneath them.
        assert runs[-1][1] > 100 and all(size <= 100 for _, size in runs[:-len([r for r in runs if r[1] > 100])]), number
        assert "Draft 1.0 \u2014 2022-12-01 \u2014 not for publication" in [text.strip() for text, _ in runs], number
    official = doctext.page_runs(medway_build["pdf"].read_bytes())
    assert len(official) == len(pages)
    assert not any("DRAFT" in text or "not for publication" in text for runs in official for text, _ in runs)


def test_draft_docx_has_watermark_shape_in_headers(draft_build, medway_docx):
    document = docx.Document(str(next(p for p in draft_build if p.suffix == ".docx")))
    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        textpaths = header._element.xpath(".//*[local-name()='textpath']")
        assert [t.get("string") for t in textpaths] == ["DRAFT"]
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    assert "not for publication" in footer
    official = medway_docx.sections[0]
    assert not official.header._element.xpath(".//*[local-name()='textpath']")
    # A draft's pages still move: Word is asked to refresh its contents; an official build's is not.
    assert "w:updateFields" in document.settings.element.xml
    assert "w:updateFields" not in medway_docx.settings.element.xml


def test_changing_one_csv_value_changes_the_bytes(medway_copy, tmp_path, chart_cache, medway_build):
    csv = medway_copy / "data" / "benchmark-css-total.csv"
    csv.write_text(csv.read_text().replace("Medway,19,20.4,7", "Medway,19,20.5,7"))
    changed = build(medway_copy, tmp_path, cache_dir=chart_cache)
    for path in changed:
        assert path.read_bytes() != medway_build[path.suffix.lstrip(".")].read_bytes()


def test_diff_reports_exactly_one_paragraph_and_one_figure(medway_copy, tmp_path, chart_cache, medway_build):
    csv = medway_copy / "data" / "benchmark-css-total.csv"
    csv.write_text(csv.read_text().replace("Medway,19,20.4,7", "Medway,19,20.5,7"))
    side_by_side = medway_copy / "data" / "benchmark-css-violence.csv"  # the right-hand column
    side_by_side.write_text(side_by_side.read_text().replace("Wigan,4.4,6,36", "Wigan,4.4,6.1,36"))
    md = medway_copy / "text" / "priority-safeguarding.md"
    md.write_text(md.read_text().replace("brothel checks during August 2022", "brothel checks during September 2022"))
    new = build(medway_copy, tmp_path, cache_dir=chart_cache)
    changes = compare(load_outline(medway_build["docx"]), load_outline(next(p for p in new if p.suffix == ".docx")))
    assert [str(c) for c in changes] == [
        "~ cell: table \"Crime Severity Score: Total Recorded Crime\", row \"Medway\", Apr '21 to Mar '22: 20.4 \u2192 20.5",
        "~ cell: table \"Crime Severity Score: Violence Against the Person\", row \"Wigan\", Apr '21 to Mar '22: 6 \u2192 6.1",
        "~ paragraph: \"\u2026and brothel checks during August 2022 as part of\u2026\" \u2192 "
        "\"\u2026and brothel checks during September 2022 as part of\u2026\"",
    ]
    assert changes[2].section.endswith("Cuckooing")
    assert diff_report(changes).startswith("3 changes:")


def test_diff_cli_on_identical_builds(medway_build, capsys):
    from assessment.cli import main
    assert main(["diff", str(medway_build["docx"]), str(medway_build["docx"])]) == 0
    assert capsys.readouterr().out.strip() == "No differences."


def test_render_to_bytes_touches_no_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = c.report("Test", "Somewhere CSP", c.section("Crime", "Text with **bold**.",
                      c.table([{"area": "A", "crimes": 1200}, {"area": "B", "crimes": 950}])), contents=False)
    documents = render_documents(report, cache_dir=False)
    assert list(tmp_path.iterdir()) == []
    assert documents["pdf"].startswith(b"%PDF")
    text = pypdf.PdfReader(io.BytesIO(documents["pdf"])).pages[1].extract_text()
    assert "Text with bold." in text and "1,200" in text
    table = docx.Document(io.BytesIO(documents["docx"])).tables[1]
    assert [cell.text for cell in table.rows[1].cells] == ["A", "1,200"]


def test_dataframe_tables_and_charts():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"month": ["Apr", "May"], "incidents": [650, 600]})
    table = c.table(frame, headers={"month": "Month"})
    assert [cell.blocks[0].plain for cell in table.header_rows[0]] == ["Month", "incidents"]
    assert table.columns[1].align == "right"
    chart = c.chart("line", "By month", frame, "month", "incidents")
    assert chart.rows == ({"month": "Apr", "incidents": 650}, {"month": "May", "incidents": 600})
    assert type(chart.rows[0]["incidents"]) is int  # numpy values become plain Python


def test_plain_style_changes_layout_not_content(tmp_path, chart_cache):
    report = c.report("Test", "Somewhere CSP", c.section("Crime", "Same words."), contents=False, style="plain")
    pdf = render(report, tmp_path / "plain.pdf", cache_dir=chart_cache)
    medway = render(attrs.evolve(report, style=str(MEDWAY / "style.toml")), tmp_path / "medway.pdf", cache_dir=chart_cache)
    assert pypdf.PdfReader(pdf).pages[1].extract_text() == pypdf.PdfReader(medway).pages[1].extract_text()
    assert pdf.read_bytes() != medway.read_bytes()


@pytest.mark.parametrize("script", ["build_official.py", "draft_with_watermark.py", "from_dataframe.py"])
def test_examples_run_and_write_readable_documents(script, tmp_path, chart_cache, monkeypatch, capsys):
    # In process (runpy) rather than a new interpreter: the script is the same, the second it
    # takes to start Python and import everything again is not.
    import runpy
    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))
    monkeypatch.setattr(sys, "argv", [script, str(tmp_path)])
    runpy.run_path(str(ROOT / "examples" / script), run_name="__main__")
    result = capsys.readouterr()  # .out: what the script printed
    pdfs = sorted(tmp_path.glob("*.pdf"))
    docxs = sorted(tmp_path.glob("*.docx"))
    assert pdfs and docxs
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        assert "Contents" in reader.pages[1].extract_text()
        assert _matterhorn_errors(pdf) == [], pdf.name  # (checked here, not built again elsewhere)
    for path in docxs:
        assert any(p.style.name == "Heading 1" for p in docx.Document(str(path)).paragraphs)
    if script == "draft_with_watermark.py":
        assert "still missing: missing: population_2023" in result.out
    if script == "from_dataframe.py":
        text = pypdf.PdfReader(pdfs[0]).pages[2].extract_text()
        assert "4,741 incidents" in text and "5.4% decrease" in text


def test_another_council_builds_from_folder_and_style_only(tmp_path, chart_cache):
    built = build(ROOT / "examples" / "another_council", tmp_path, cache_dir=chart_cache)
    pdf = next(p for p in built if p.suffix == ".pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "8,604 recorded crimes, 87 per 1,000 people" in text
    assert "6.0% increase on 8,120 in 2021-22" in text
    assert "Data not available" in text
    with pdfplumber.open(pdf) as document:
        heading = next(ch for ch in document.pages[2].chars if ch["text"] == "I")
    assert heading["non_stroking_color"] == pytest.approx((0x4B / 255, 0x2A / 255, 0x7B / 255), abs=0.01)
    assert _matterhorn_errors(pdf) == []


def _matterhorn_errors(pdf) -> list[str]:
    """The Matterhorn checker's findings, less one known warning (tests/test_matterhorn.py)."""
    import matterhorn
    from test_matterhorn import known_link_warning
    return [str(f) for f in matterhorn.check(pdf.read_bytes()) if not known_link_warning(f)]


def test_build_all_keeps_going_past_a_broken_folder(tmp_path, chart_cache, capsys, monkeypatch):
    import shutil
    from assessment.cli import main
    good, bad = tmp_path / "good", tmp_path / "bad"
    shutil.copytree(MEDWAY, good)
    shutil.copytree(MEDWAY, bad)
    (bad / "text" / "csp.md").write_text("{{ nope }}\n")
    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))  # inherited by the spawned workers
    code = main(["build-all", str(bad), str(good), "--out", str(tmp_path / "out"), "--jobs", "2", "--format", "pdf"])
    captured = capsys.readouterr()
    assert code == 2
    assert "1 built, 1 failed: 1 edition, 1 document" in captured.out
    assert f"error: {bad}: text/csp.md: line 1: 'nope' is undefined" in captured.err
    assert (tmp_path / "out" / "good" / "medway-csp-strategic-assessment-2022.pdf").is_file()


TINY_REPORT = """\
name: tiny
title: Tiny Assessment
organisation: Tiny Community Safety Partnership
date: 2023-05-01
values:
  population: 1234
body:
  - section: People
    content:
      - text: "{{ population | number }} residents and {{ visitors }} visitors."
"""


def test_build_one_runs_in_a_spawned_process_with_the_options_it_was_given(tmp_path):
    """What Dask or Ray would do: pickle the function and its options, and run them in a fresh
    interpreter that imports ``build_one`` by name."""
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from assessment.batch import BuildOptions, Outcome, build_one

    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "report.yaml").write_text(TINY_REPORT)
    # Every field away from its default, so a field lost in pickling changes the result.
    options = BuildOptions(str(tmp_path / "out"), formats=("docx",), draft=True, cache_dir=str(tmp_path / "cache"),
                           pdf_engine="reportlab")
    assert pickle.loads(pickle.dumps(options)) == options
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        outcome = pool.submit(build_one, str(folder), options).result(timeout=120)
    assert isinstance(outcome, Outcome) and outcome.ok, outcome.error
    assert outcome.paths == (str(tmp_path / "out" / "tiny" / "tiny.docx"),)  # formats: the DOCX only
    document = docx.Document(outcome.paths[0])
    # draft=True: the missing value is a placeholder and the pages carry the watermark.
    assert "1,234 residents and [missing: visitors] visitors." in [p.text for p in document.paragraphs]
    assert document.sections[0].header._element.xpath(".//*[local-name()='textpath']")
    # An official build of the same folder fails on the missing value, in the worker, as a result.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        failed = pool.submit(build_one, str(folder), attrs.evolve(options, draft=False)).result(timeout=120)
    assert failed.paths == () and failed.error.startswith("report.yaml") and "line 1: 'visitors' is undefined" in failed.error


def test_a_batch_process_past_its_memory_ceiling_releases_chart_memory(tmp_path, chart_cache, monkeypatch):
    from assessment import batch, charts, memory

    assert 50 < memory.resident_mb() < 10_000  # read from /proc: this process's real size
    calls = []
    monkeypatch.setattr(charts, "use_converters", lambda *a, **k: calls.append((a, k)) or (2, False))
    options = batch.BuildOptions(str(tmp_path / "out"), formats=("docx",), cache_dir=str(chart_cache))
    monkeypatch.setattr(memory, "resident_mb", lambda: charts.MEMORY_CEILING_MB - 1)
    assert batch._build_in_batch(str(MEDWAY), options).ok and calls == []
    monkeypatch.setattr(memory, "resident_mb", lambda: charts.MEMORY_CEILING_MB + 1)
    assert batch._build_in_batch(str(MEDWAY), options).ok
    assert calls == [((), {"release_memory": True})]
