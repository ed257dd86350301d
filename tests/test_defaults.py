"""No council's wording or look by default: the plain style, callouts without a heading,
glossaries and data sources that bring their own heading and every column."""

import datetime
import textwrap

import pytest

from assessment import compose as c
from assessment import model, spec
from assessment.errors import ReportError
from assessment.loading import load_report
from assessment.theme import builtin_styles


def test_the_defaults_name_no_council():
    assert model.Report.__attrs_attrs__.style.default == "plain"
    assert spec.ReportSpec.__attrs_attrs__.style.default == "plain"
    assert c.report("T", "O", date=datetime.date(2024, 1, 1)).style == "plain"
    assert builtin_styles() == ["plain"]  # Medway's style lives with the Medway fixture
    assert c.callout("Aims", ["One"]).heading == ""


def _folder(tmp_path, body: str, sources: str = "source\nONS\n"):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.csv").write_text("term,definition\nASB,Anti-social behaviour\n")
    (tmp_path / "data" / "sources.csv").write_text(sources)
    (tmp_path / "report.yaml").write_text(textwrap.dedent("""\
        title: T
        organisation: O
        date: 2024-01-01
        datasets: {glossary: data/glossary.csv, sources: data/sources.csv}
        body:
        """) + textwrap.indent(textwrap.dedent(body), "  "))
    return tmp_path


def test_a_glossary_and_sources_in_the_body_bring_their_own_headings(tmp_path):
    report = load_report(_folder(tmp_path, """\
        - glossary: {data: glossary, heading: Glossary of Terms}
        - data_sources: {data: sources, heading: Where the data comes from}
        """))
    glossary, sources = report.blocks
    assert (glossary.title, glossary.level, type(glossary.blocks[0])) == ("Glossary of Terms", 1, model.Glossary)
    assert (sources.title, type(sources.blocks[0])) == ("Where the data comes from", model.DataSources)


def test_without_a_heading_the_body_refuses_them(tmp_path):
    with pytest.raises(ReportError, match="a glossary block cannot stand in a report body"):
        load_report(_folder(tmp_path, "- glossary: {data: glossary}\n"))


def test_data_sources_show_every_column(tmp_path):
    report = load_report(_folder(tmp_path, """\
        - section: Background
          content:
            - data_sources: {data: sources}
        """, sources="source,publisher,date\nRecorded crime,Kent Police,2022-10\n"))
    [table] = report.blocks[0].blocks
    assert isinstance(table, model.Table)
    assert [cell.blocks[0].plain for cell in table.header_rows[0]] == ["source", "publisher", "date"]
    assert [cell.blocks[0].plain for cell in table.rows[0]] == ["Recorded crime", "Kent Police", "2022-10"]


def test_a_callout_has_no_heading_unless_given(tmp_path):
    report = load_report(_folder(tmp_path, """\
        - section: S
          content:
            - callout: {title: Aims, content: [{text: "- One"}]}
            - callout: {title: Aims, heading: Key points, content: [{text: "- Two"}]}
        """))
    first, second = report.blocks[0].blocks
    assert (first.heading, second.heading) == ("", "Key points")
