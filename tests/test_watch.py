"""assessment watch: one warm process rebuilds the folder after each edit, and survives bad edits."""

import threading
import time

import pypdfium2 as pdfium

from assessment.watch import changed, snapshot, watch


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_rebuilds_after_each_edit_and_keeps_the_last_good_documents(medway_copy, chart_cache, monkeypatch):
    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))
    out = medway_copy / "build"  # inside the folder: its own writes must not set off builds
    pdf = out / "medway-csp-strategic-assessment-2022.pdf"
    lines, stop = [], threading.Event()
    worker = threading.Thread(target=watch, args=(medway_copy, out), daemon=True,
                              kwargs={"interval": 0.05, "report": lines.append, "should_stop": stop.is_set})
    worker.start()
    try:
        wait_for(lambda: any(line.startswith("built") for line in lines))
        time.sleep(0.3)
        assert sum(line.startswith("built") for line in lines) == 1  # writing build/ is not an edit

        csv = medway_copy / "data" / "crime-annual.csv"
        csv.write_text(csv.read_text().replace("2021-22,32541", "2021-22,33000"))
        wait_for(lambda: sum(line.startswith("built") for line in lines) == 2)
        assert "changed: data/crime-annual.csv" in lines
        document = pdfium.PdfDocument(pdf.read_bytes())  # PDFium: fifty times faster than pdfplumber here
        assert any("33,000 recorded crimes" in page.get_textpage().get_text_range() for page in document)

        good = pdf.read_bytes()
        markdown = medway_copy / "text" / "csp.md"
        markdown.write_text(markdown.read_text() + "\n{{ nope }}\n")
        wait_for(lambda: any(line.startswith("not built") for line in lines))
        assert any(line.startswith("error: text/csp.md: line") and "'nope' is undefined" in line for line in lines)
        assert pdf.read_bytes() == good
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()


def test_snapshot_leaves_out_hidden_temporary_and_output_files(tmp_path):
    (tmp_path / "report.yaml").write_text("a")
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.md").write_text("a")
    (tmp_path / "text" / ".a.md.swp").write_text("a")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "~$partners.xlsx").write_text("a")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.pdf").write_text("a")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("a")
    before = snapshot(tmp_path, tmp_path / "out")
    assert sorted(before) == ["report.yaml", "text/a.md"]
    (tmp_path / "text" / "a.md").write_text("ab")
    (tmp_path / "text" / "b.md").write_text("b")
    (tmp_path / "out" / "report.pdf").write_text("ab")
    assert changed(before, snapshot(tmp_path, tmp_path / "out")) == ["text/a.md", "text/b.md"]


def test_watch_builds_with_the_engine_it_is_given(medway_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice to be found
    monkeypatch.delenv("ASSESSMENT_SOFFICE", raising=False)
    lines = []
    watch(medway_copy, tmp_path / "out", pdf_engine="libreoffice", report=lines.append, should_stop=lambda: True)
    assert lines[0].startswith("error: --pdf-engine libreoffice: LibreOffice (soffice) is not installed")
    assert lines[1].startswith("not built (1 problem)")


def test_a_long_watch_releases_chart_memory_and_puts_the_setting_back(medway_copy, chart_cache, monkeypatch, tmp_path):
    from assessment import charts, memory

    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))
    monkeypatch.setattr(memory, "resident_mb", lambda: charts.MEMORY_CEILING_MB + 1)
    calls = []
    monkeypatch.setattr(charts, "use_converters", lambda *a, **k: calls.append((a, k)) or (2, False))
    lines = []
    watch(medway_copy, tmp_path / "out", formats=["docx"], report=lines.append, should_stop=lambda: True)
    assert lines[0].startswith("built medway-csp-strategic-assessment-2022.docx")
    assert calls == [((), {}), ((), {"release_memory": True}), ((2,), {"release_memory": False})]
