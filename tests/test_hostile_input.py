"""Malformed and hostile input: one clear line per problem, never a traceback, nothing lost."""

import io
import os
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from assessment.cli import main
import doctext
from conftest import MEDWAY


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def yaml(folder, old, new):
    edit(folder / "report.yaml", old, new)


CASES = {
    "no report.yaml": (lambda f: (f / "report.yaml").unlink(), "report.yaml: does not exist; a report folder needs a report.yaml"),
    "malformed YAML": (lambda f: yaml(f, "title: Strategic Assessment 2022", "title: [Strategic"), "report.yaml: line 6, column 13: is not valid YAML"),
    "YAML is a list": (lambda f: (f / "report.yaml").write_text("- a\n- b\n"), "report.yaml: expected a mapping of report settings, found list"),
    "unknown top-level key": (lambda f: yaml(f, "language: en-GB", "langauge: en-GB"), "report.yaml: unknown key 'langauge' (did you mean 'language'?); allowed: title, organisation, body"),
    "unknown block kind": (lambda f: yaml(f, "  - contents: {}", "  - contentz: {}"), "report.yaml: body[0]: expected exactly one block kind"),
    "two kinds in one block": (lambda f: yaml(f, "      - markdown: text/csp.md", "      - markdown: text/csp.md\n        text: hello"), "report.yaml: body[1].content[0]: expected exactly one block kind"),
    "misspelt markdown file": (lambda f: yaml(f, "markdown: text/csp.md", "markdown: text/cps.md"), "report.yaml: body[1].content[0].markdown: file 'text/cps.md' does not exist"),
    "missing dataset file": (lambda f: (f / "data" / "asb-types.csv").unlink(), "report.yaml: datasets.asb_types: file 'data/asb-types.csv' does not exist"),
    "unknown dataset": (lambda f: yaml(f, "data: benchmark_css_violence", "data: benchmark_css_violense"), "unknown dataset 'benchmark_css_violense'"),
    "population is text": (lambda f: yaml(f, "population: 279800", "population: 'about 280k'"), "population must be a number, got 'about 280k'"),
    "invalid date": (lambda f: yaml(f, "date: 2022-12-01", "date: 2022-13-01"), "report.yaml: date: expected a date like 2022-12-01, found '2022-13-01'"),
    "unknown status": (lambda f: yaml(f, "status: official", "status: final"), "report.yaml: status: expected"),
    "unknown chart kind": (lambda f: yaml(f, "kind: line\n          title: ASB Reports Seasonality 2021-22", "kind: radar\n          title: ASB Reports Seasonality 2021-22"), "report.yaml: body[6].content[2].chart.kind: expected"),
    "wrong type for width": (lambda f: yaml(f, "width: 2.3}", "width: wide}"), "columns[0].width: expected a number, found 'wide'"),
    "non-numeric chart value": (lambda f: edit(f / "data" / "asb-trend.csv", "Apr 19 - Mar 20,6000", "Apr 19 - Mar 20,6k"), "data/asb-trend.csv: line 4, column 'incidents': found '6k', expected a number"),
    "empty chart value": (lambda f: edit(f / "data" / "asb-types.csv", "Other ASB,4", "Other ASB,"), "data/asb-types.csv: line 8, column 'percent': found None, expected a number"),
    "duplicated CSV column": (lambda f: edit(f / "data" / "crime-types.csv", "crime_type,percent", "crime_type,crime_type"), "data/crime-types.csv: line 1: column 'crime_type' appears twice"),
    "missing CSV column": (lambda f: edit(f / "data" / "crime-annual.csv", "year,crimes", "year,crime"), "text/crime-picture.md: line 3: data/crime-annual.csv has no column 'crimes' (columns: year, crime)"),
    "ragged CSV row": (lambda f: edit(f / "data" / "glossary.csv", "ASB,Anti-Social Behaviour", "ASB,Anti-Social Behaviour,extra"), "data/glossary.csv: line 2: has 3 cells, expected 2 (term, definition)"),
    "CSV in cp1252": (lambda f: (f / "data" / "glossary.csv").write_bytes("term,definition\nCaf\xe9,caf\xe9\n".encode("cp1252")), "data/glossary.csv: line 2: is not UTF-8 text (saved as Windows-1252 from Excel?)"),
    "empty CSV": (lambda f: (f / "data" / "glossary.csv").write_text(""), "data/glossary.csv: line 1: is empty; expected a header row"),
    "markdown in cp1252": (lambda f: (f / "text" / "csp.md").write_bytes("Caf\xe9\n".encode("cp1252")), "text/csp.md: is not UTF-8 text"),
    "unknown style": (lambda f: yaml(f, "style: style.toml", "style: medwya"), "report.yaml: style: unknown style 'medwya'; expected a .toml file or a built-in style: plain"),
    "unknown style key": (lambda f: (shutil.copy(MEDWAY / "style.toml", f / "s.toml"), edit(f / "s.toml", "body = 12", "bodyy = 12"), yaml(f, "style: style.toml", "style: s.toml")), "s.toml: sizes: unknown key 'bodyy' (did you mean 'body'?); allowed: body, leading"),
    "missing font file": (lambda f: (shutil.copy(MEDWAY / "style.toml", f / "s.toml"), edit(f / "s.toml", "fonts/LiberationSans-Bold.ttf", "fonts/Nope.ttf"), yaml(f, "style: style.toml", "style: s.toml")), "s.toml: fonts.bold: font file 'fonts/Nope.ttf' does not exist"),
    "bad colour in style": (lambda f: (shutil.copy(MEDWAY / "style.toml", f / "s.toml"), edit(f / "s.toml", 'heading = "#00558C"', 'heading = "blue"'), yaml(f, "style: style.toml", "style: s.toml")), "s.toml: colours: heading: expected a colour like '#00558C', found 'blue'"),
    "template syntax error": (lambda f: (f / "text" / "csp.md").write_text("One\n\nTwo {{ population \n"), "text/csp.md: line 3:"),
    "undefined name": (lambda f: (f / "text" / "csp.md").write_text("One\n\n{{ populaton }}\n"), "text/csp.md: line 3: 'populaton' is undefined"),
    "sandbox escape": (lambda f: (f / "text" / "csp.md").write_text("{{ ''.__class__.__mro__ }}\n"), "text/csp.md: line 1: expression refused by the sandbox"),
    "heading too shallow": (lambda f: (f / "text" / "csp.md").write_text("Text\n\n# Top\n"), "text/csp.md: line 3: found a level-1 heading, expected a heading deeper than level 1"),
    "path escapes folder": (lambda f: yaml(f, "markdown: text/csp.md", "markdown: ../../../etc/passwd"), "'../../../etc/passwd' must be a path inside the report folder"),
    "absolute path": (lambda f: yaml(f, "markdown: text/csp.md", "markdown: /etc/passwd"), "'/etc/passwd' must be a path inside the report folder"),
    "symlink out of folder": (lambda f: ((f / "text" / "csp.md").unlink(), os.symlink("/etc/hostname", f / "text" / "csp.md")), "'text/csp.md' leads outside the report folder"),
    "unknown column format": (lambda f: yaml(f, "format: percent, align: right}\n          emphasis", "format: percentage, align: right}\n          emphasis"), "format: expected"),
    "value clashes with dataset": (lambda f: yaml(f, "  population: 279800", "  population: 279800\n  glossary: 1"), "report.yaml: values.glossary: has the same name as a dataset; rename one"),
    "unavailable dataset used in text": (lambda f: (f / "text" / "csp.md").write_text("{{ crime_trend[0].crimes }}\n"), "text/csp.md: line 1: dataset 'crime_trend' is declared unavailable"),
    "not a folder": (lambda f: shutil.rmtree(f), "is not a folder; expected a report folder containing report.yaml"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gets_one_line_per_problem(name, medway_copy, tmp_path, capsys):
    breaks, expected = CASES[name]
    breaks(medway_copy)
    out = tmp_path / "out"
    code = main(["build", str(medway_copy), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    lines = captured.err.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), captured.err
    assert any(expected in line for line in lines), captured.err
    assert not out.exists() or not any(out.iterdir())


def test_debug_shows_the_traceback(medway_copy, tmp_path, capsys):
    (medway_copy / "text" / "csp.md").write_text("{{ nope }}\n")
    assert main(["build", str(medway_copy), "--out", str(tmp_path), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_welsh_and_typography_round_trip_and_emoji_is_reported(medway_copy, tmp_path, capsys, chart_cache, monkeypatch):
    import docx

    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))
    words = "Ŵyn a ŷd yng Nghymru – “quoted” — £5 and €6, café"
    (medway_copy / "text" / "csp.md").write_text(f"{words}\n\nParty time \U0001F600 here.\n", encoding="utf-8")
    assert main(["build", str(medway_copy), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "warning: character '\U0001F600' (U+1F600) is not in the font; shown as \u25a1" in err
    with pdfplumber.open(next(tmp_path.glob("*.pdf"))) as document:
        # The page that has the words; reading the other 36 pages' text would add seconds.
        text = next((t for t in (page.extract_text() or "" for page in document.pages) if words in t), "")
    assert words in text
    assert "Party time \u25a1 here." in text
    paragraphs = [p.text for p in docx.Document(str(next(tmp_path.glob("*.docx")))).paragraphs]
    assert words in paragraphs and "Party time \u25a1 here." in paragraphs


def test_long_words_wrap_inside_cells_and_long_boxes_split(tmp_path):
    from assessment import compose as c
    from assessment.api import render
    url = "https://example.org/" + "very-long-path-segment/" * 12
    report = c.report("T", "O", c.section("S", c.table([{"link": url, "n": 1}]),
                                          c.callout("Many aims", [f"Aim number {i} with some words" for i in range(120)])),
                      contents=False)
    pdf = render(report, tmp_path / "long.pdf", cache_dir=False)
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        assert all(ch["x1"] <= page.width - 50 for ch in page.chars)  # nothing runs off the page
        text = "\n".join(p.extract_text() for p in document.pages)
    assert "Aim number 119 with some words" in text
    assert "very-long-path-segment" in text


def _long_table_report(count: int):
    from assessment import compose as c
    rows = [{"ward": f"Ward {i}", "incidents": i} for i in range(count)]
    return c.report("Big", "O", c.section("All wards", c.table(rows, headers={"ward": "Ward", "incidents": "Incidents"})),
                    contents=False)


@pytest.fixture(scope="module")
def long_tables():
    """Tables of 150 and 600 rows through both writers: the documents, and how many times
    reportlab wrapped a paragraph (a cell) to lay them out.

    This once rendered 10,000 rows (17 s, most of it reportlab splitting the table page after
    page); 600 rows still run to 17 pages, and a second size shows how the cost grows.
    """
    from reportlab.platypus import Paragraph

    from assessment.api import render_documents

    wraps = 0
    original = Paragraph.wrap

    def counted(self, *args):
        nonlocal wraps
        wraps += 1
        return original(self, *args)

    render_documents(_long_table_report(10), cache_dir=False)  # fonts and styles loaded before counting
    out = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Paragraph, "wrap", counted)
        for count in (150, 600):
            wraps = 0
            documents = render_documents(_long_table_report(count), cache_dir=False)
            out[count] = documents, wraps
    return out


def test_long_table_repeats_its_header_on_every_page_and_loses_no_row(long_tables):
    import docx

    documents = long_tables[600][0]
    numbers = []
    with pdfplumber.open(io.BytesIO(documents["pdf"])) as document:
        pages = document.pages[1:]  # after the cover
        assert len(pages) > 15
        for number, page in enumerate(pages, 2):
            lines = page.extract_text().splitlines()
            assert lines[1 if number == 2 else 0] == "Ward Incidents", (number, lines[:2])
            assert lines.count("Ward Incidents") == 1, number
            numbers += [int(m[1]) for m in (re.fullmatch(r"Ward (\d+) ([\d,]+)", line) for line in lines) if m]
    assert numbers == list(range(600))  # every row once, in order, across 17 page breaks
    table = next(t for t in docx.Document(io.BytesIO(documents["docx"])).tables
                 if t._tbl.tr_lst[0].xpath("string(.)") == "WardIncidents")
    rows = table._tbl.tr_lst  # python-docx's table.rows is slow to index at this size
    assert len(rows) == 601
    assert [bool(tr.xpath("./w:trPr/w:tblHeader")) for tr in rows[:2]] == [True, False]
    assert [tc.xpath("string(.)") for tc in rows[-1].tc_lst] == ["Ward 599", "599"]


def test_long_tables_lay_out_in_linear_time(long_tables):
    (_, small_wraps), (_, large_wraps) = long_tables[150], long_tables[600]
    # Four times the rows: each cell is wrapped a fixed number of times however long the table
    # is (re-measuring the rows left at every page break would multiply this count; measured
    # 4x at 300 and 1,200 rows too). The seconds this costs are measured in
    # benchmarks/long_text.py ("long tables"), not here: a timed test fails on a busy machine.
    assert large_wraps <= 4.2 * small_wraps, (small_wraps, large_wraps)


def test_a_header_row_taller_than_a_page_is_read_once_not_a_traceback():
    from assessment import model
    from assessment.api import render_documents

    table = model.Table((model.Column(1), model.Column(1)), ((model.Cell.of("word " * 600), model.Cell.of("Head")),),
                        ((model.Cell.of("a"), model.Cell.of("b")),))
    report = model.Report(model.Cover("O", "T"), (model.Section("S", (table,)),), title="T")
    pdf = render_documents(report, ["pdf"], cache_dir=False)["pdf"]
    text = doctext.pdf_text(pdf)
    assert doctext.missing([doctext.squash("word " * 600), "Head", "a", "b"], doctext.squash(text)) == []


def test_a_table_column_narrower_than_its_padding_is_laid_out():
    from assessment import model
    from assessment.api import render_documents

    table = model.Table(tuple(model.Column(w) for w in (0.5, 3, 3, 3)), (),
                        (tuple(model.Cell.of(word) for word in ("1", "two", "three", "four")),))
    report = model.Report(model.Cover("O", "T"), (model.Section("S", (model.SideBySide(((table,), (), ())),)),), title="T")
    documents = render_documents(report, cache_dir=False)
    for words in ("two", "three", "four"):
        assert doctext.missing([words], doctext.pdf_text(documents["pdf"])) == []
        assert words in doctext.docx_text(documents["docx"])
