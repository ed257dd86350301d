"""Report folders: the Medway fixture's data is the single source of its figures."""

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from assessment import model
from assessment.api import build
from assessment.errors import ReportError
from assessment.loading import load_report
from assessment.render.pdf import escape
from conftest import MEDWAY


def flat(text):
    return re.sub(r"\s+", " ", text)


def pdf_text(path: Path) -> str:
    # PDFium: the words of every page, fifty times faster than pdfplumber's layout analysis.
    return flat(" ".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(path)))


def test_narrative_contains_no_derived_figures_as_literals():
    narrative = "\n".join(p.read_text() for p in (MEDWAY / "text").glob("*.md"))
    for literal in ["32,541", "32541", "9.7%", "41%", "116 per", "3,933", "3933", "20 incidents per",
                    "40%", "114%", "21,873", "1532", "1,532", "11th", "29,652", "247", "176"]:
        assert literal not in narrative, literal
    # report.yaml holds the raw counts under values:, but no figure derived from them.
    settings = (MEDWAY / "report.yaml").read_text()
    for literal in ["9.7%", "41%", "116", "3,933", "3933", "40%", "114%", "11th", "9th", "32,541", "29,652"]:
        assert literal not in settings, literal


def test_changed_csv_value_updates_every_figure(medway_copy, tmp_path, chart_cache):
    csv = medway_copy / "data" / "crime-annual.csv"
    csv.write_text(csv.read_text().replace("2021-22,32541", "2021-22,33000"))
    written = build(medway_copy, tmp_path / "out", cache_dir=chart_cache)
    text = pdf_text(next(p for p in written if p.suffix == ".pdf"))
    assert "33,000 recorded crimes" in text and "32,541" not in text
    assert "118 per 1000 people" in text  # 33000 / 279800 × 1000 = 117.9
    assert "11.3% increase (Based on final figures of 29,652" in text
    assert "crime has increased by 11.3% in the 2021-22 period" in text
    import docx
    document = docx.Document(str(next(p for p in written if p.suffix == ".docx")))
    words = flat("".join(document.element.body.xpath(".//w:t/text()")))
    assert "33,000 recorded crimes" in words and "11.3% increase" in words and "118 per 1000 people" in words


def test_template_cannot_reach_python_internals(medway_copy):
    md = medway_copy / "text" / "csp.md"
    md.write_text("Intro\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    message = str(caught.value)
    assert message.startswith("text/csp.md: line 3: expression refused by the sandbox")


def test_missing_expression_names_file_and_line(medway_copy):
    md = medway_copy / "text" / "benchmarking-total.md"
    md.write_text("First line.\n\nThe rate was {{ crime_rate_typo }}.\n")
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    assert str(caught.value) == "text/benchmarking-total.md: line 3: 'crime_rate_typo' is undefined"


def test_all_problems_are_reported_together(medway_copy):
    (medway_copy / "data" / "glossary.csv").unlink()
    yaml_path = medway_copy / "report.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("      - markdown: text/csp.md", "      - markdown: text/nope.md"))
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    messages = [str(p) for p in caught.value.problems]
    assert "report.yaml: datasets.glossary: file 'data/glossary.csv' does not exist" in messages
    assert "report.yaml: body[1].content[0].markdown: file 'text/nope.md' does not exist" in messages


def test_unknown_key_and_wrong_type_name_the_field(medway_copy):
    yaml_path = medway_copy / "report.yaml"
    text = yaml_path.read_text().replace("            - {field: priority, header: Priority, width: 1, bold: true}",
                                         "            - {feild: priority, header: Priority, width: wide}")
    yaml_path.write_text(text)
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    messages = [str(p) for p in caught.value.problems]
    assert "report.yaml: body.5.content.0.table.columns.0: unknown key 'feild' (did you mean 'field'?); allowed: field, header, " \
        "width, align, format, bold, decimals, compute, change_from" in [m.replace("[", ".").replace("]", "") for m in messages]
    assert any("columns[0].width: expected a number, found 'wide'" in m for m in messages)


def test_non_numeric_chart_value_names_csv_line(medway_copy):
    csv = medway_copy / "data" / "asb-trend.csv"
    csv.write_text(csv.read_text().replace("Apr 19 - Mar 20,6000", "Apr 19 - Mar 20,about 6k"))
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    assert "data/asb-trend.csv: line 4, column 'incidents': found 'about 6k', expected a number" in str(caught.value)


def test_cli_prints_one_line_errors_without_traceback(medway_copy, tmp_path, capsys):
    from assessment.cli import main
    (medway_copy / "report.yaml").write_text("title: [unclosed\n")
    assert main(["build", str(medway_copy), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: report.yaml: line 2, column 1: is not valid YAML")


def test_markup_in_data_is_text_in_both_formats(medway_copy, tmp_path, chart_cache):
    hostile = 'Tom & Jerry <b>bold?</b> </para> <font name="x"> <img src="/etc/passwd"/> ]]> back\\slash'
    md = medway_copy / "text" / "csp.md"
    md.write_text(hostile + "\n")
    written = build(medway_copy, tmp_path, cache_dir=chart_cache)
    assert hostile in pdf_text(next(p for p in written if p.suffix == ".pdf"))
    import docx
    document = docx.Document(str(next(p for p in written if p.suffix == ".docx")))
    assert any(p.text == hostile for p in document.paragraphs)


def test_escape_is_the_only_way_in():
    assert escape('<b>&</b>') == "&lt;b&gt;&amp;&lt;/b&gt;"


def test_links_only_http_https_mailto(medway_copy):
    md = medway_copy / "text" / "csp.md"
    md.write_text("[ok](https://www.medway.gov.uk) [bad](file:///etc/passwd) [mail](mailto:csp@medway.gov.uk)\n")
    report = load_report(medway_copy)
    section = next(b for b in report.blocks if isinstance(b, model.Section))
    spans = section.blocks[0].spans
    assert [s.href for s in spans if s.href] == ["https://www.medway.gov.uk", "mailto:csp@medway.gov.uk"]
    assert "bad" in "".join(s.text for s in spans)


def test_paths_must_stay_inside_the_folder(medway_copy):
    yaml_path = medway_copy / "report.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("markdown: text/csp.md", "markdown: ../../etc/passwd"))
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    assert "'../../etc/passwd' must be a path inside the report folder" in str(caught.value)


def test_failed_build_leaves_previous_output_untouched(medway_copy, tmp_path, chart_cache):
    out = tmp_path / "out"
    written = build(medway_copy, out, cache_dir=chart_cache)
    before = {p: p.read_bytes() for p in written}
    (medway_copy / "text" / "csp.md").write_text("{{ nope }}\n")
    with pytest.raises(ReportError):
        build(medway_copy, out, cache_dir=chart_cache)
    assert {p: p.read_bytes() for p in written} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)


def test_change_column_is_computed_when_data_has_none(medway_copy):
    csv = medway_copy / "data" / "benchmark-rate-total.csv"
    lines = csv.read_text().splitlines()
    csv.write_text("\n".join(",".join(l.split(",")[:3]) for l in lines) + "\n")  # drop the published column
    yaml_path = medway_copy / "report.yaml"
    yaml_path.write_text(yaml_path.read_text().replace(
        "{field: published_change_percent, header: \"% Change\", format: percent, align: right}",
        "{field: published_change_percent, header: \"% Change\", format: percent, align: right, change_from: [apr20_mar21, apr21_mar22]}", 1))  # the first table's columns only
    report = load_report(medway_copy)
    table = next(b for s in report.blocks if isinstance(s, model.Section) and s.title == "Benchmarking"
                 for b in s.blocks if isinstance(b, model.Table) and "Offence rate" in (b.title or "")
                 and "Total" in b.title)
    cells = {row[0].blocks[0].plain: row[3].blocks[0].plain for row in table.rows}
    assert cells["Medway"] == "10%" and cells["Corby"] == "-7%" and cells["Bolton"] == "27%"  # 99→126 = 27.3%
    # The published column, where present, is used as published: Bolton's published value is 28%.
    other = next(b for b, _ in model.walk(report.blocks)
                 if isinstance(b, model.Table) and "Violence Against the Person" in (b.title or ""))
    assert {r[0].blocks[0].plain: r[3].blocks[0].plain for r in other.rows}["Bolton"] == "32%"


def test_draft_shows_placeholders_where_official_fails(medway_copy):
    md = medway_copy / "text" / "csp.md"
    md.write_text("Crime rose by {{ change(crime_2019.crimes, crime_annual[-1].crimes) }} and {{ missing_count | number }}.\n")
    with pytest.raises(ReportError):
        load_report(medway_copy)
    report = load_report(medway_copy, draft=True)
    section = next(b for b in report.blocks if isinstance(b, model.Section))
    placeholders = [s.text for s in section.blocks[0].spans if isinstance(s, model.Placeholder)]
    assert placeholders == ["missing: crime_2019", "missing: missing_count"]


def test_csv_saved_by_excel_with_a_byte_order_mark_is_read(medway_copy):
    csv = medway_copy / "data" / "crime-annual.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes().replace(b"\n", b"\r\n"))
    report = load_report(medway_copy)
    crime = next(b for b in report.blocks if isinstance(b, model.Section) and b.title == "All Recorded Crime")
    assert crime.blocks[0].rows[0].blocks[0].plain.startswith("32,541 recorded crimes")
