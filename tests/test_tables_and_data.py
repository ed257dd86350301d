"""Tables and charts as analysts have their data: computed columns, selected rows, decimals as
published, wide data for grouped charts."""

import textwrap

import pytest

from assessment import model
from assessment.errors import ReportError
from assessment.loading import load_report

CRIMES = """type,y2021,y2022,rate
All crime,10000,11500,50.30
Burglary,1200,1100,57.5
Vehicle crime,800,800,0.125
"""


def folder(tmp_path, body: str, csv: str = CRIMES):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "crimes.csv").write_text(csv)
    (tmp_path / "report.yaml").write_text(textwrap.dedent("""\
        title: T
        organisation: O
        date: 2024-01-01
        datasets:
          crimes: data/crimes.csv
        body:
          - section: S
            content:
        """) + textwrap.indent(textwrap.dedent(body), "      "))
    return tmp_path


def cells(table: model.Table) -> list[list[str]]:
    return [[c.blocks[0].plain if c.blocks else "" for c in row] for row in table.rows]


def only(report, kind):
    [node] = [n for n, _ in model.walk(report.blocks) if isinstance(n, kind)]
    return node


def test_a_computed_column_a_filter_and_published_decimals(tmp_path):
    report = load_report(folder(tmp_path, """\
        - table:
            data: crimes
            where: type != 'All crime'
            columns:
              - {field: type}
              - {field: change, compute: "signed_change(y2021, y2022, 1)", align: right}
              - {field: difference, compute: "y2022 - y2021", format: number}
              - {field: rate}
              - {field: rate, header: Rate (1 dp), format: number, decimals: 1}
              - {field: rate, header: Share, format: percent}
        """))
    assert cells(only(report, model.Table)) == [
        ["Burglary", "-8.3%", "-100", "57.5", "57.5", "57.5%"],
        ["Vehicle crime", "0.0%", "0", "0.125", "0.1", "0.125%"],
    ]


def test_a_value_keeps_the_digits_the_source_printed(tmp_path):
    report = load_report(folder(tmp_path, """\
        - table: {data: crimes, columns: [{field: rate}, {field: rate, format: percent, decimals: 0}]}
        """))
    assert cells(only(report, model.Table))[0] == ["50.30", "50%"]


def test_wide_data_draws_one_series_a_column_and_a_filter_leaves_a_row_out(tmp_path):
    report = load_report(folder(tmp_path, """\
        - chart: {kind: grouped-bar, title: Crimes, data: crimes, x: type, y: [y2021, y2022], where: "type != 'All crime'"}
        """))
    chart = only(report, model.Chart)
    assert (chart.y, chart.series) == ("value", "series")
    assert chart.rows == ({"type": "Burglary", "value": 1200, "series": "y2021"}, {"type": "Burglary", "value": 1100, "series": "y2022"},
                          {"type": "Vehicle crime", "value": 800, "series": "y2021"}, {"type": "Vehicle crime", "value": 800, "series": "y2022"})


@pytest.mark.parametrize("body, where, phrase", [
    ("- table: {data: crimes, columns: [{field: x, compute: 'nope + 1'}]}", "body[0].content[0].table.columns[0].compute",
     "'nope' is undefined"),
    ("- table: {data: crimes, where: 'type ==', columns: [{field: type}]}", "body[0].content[0].table.where",
     "expression 'type ==': unexpected"),
    ("- chart: {kind: bar, title: C, data: crimes, x: type, y: y2021, where: 'false'}", "body[0].content[0].chart.where",
     "keeps no rows of data/crimes.csv"),
    ("- chart: {kind: bar, title: C, data: crimes, x: type, y: [y2021, y2022], series: type}", "body[0].content[0].chart.y",
     "several y columns name the series themselves"),
    ("- chart: {kind: bar, title: C, data: crimes, x: type, y: 5}", "body[0].content[0].chart.y",
     "expected a column name or a list of column names, found 5"),
    ("- table: {data: crimes, columns: [{field: x, compute: 'range(10**9) | list'}]}", "body[0].content[0].table.columns[0].compute",
     "too much work"),
])
def test_bad_expressions_and_shapes_name_their_field(tmp_path, body, where, phrase):
    with pytest.raises(ReportError) as caught:
        load_report(folder(tmp_path, body))
    problem = caught.value.problems[0]
    assert (problem.file, problem.where) == ("report.yaml", where)
    assert phrase in problem.message


def test_a_bad_cell_met_by_a_computed_column_is_reported_at_the_cell(tmp_path):
    with pytest.raises(ReportError) as caught:
        load_report(folder(tmp_path, "- table: {data: crimes, columns: [{field: c, compute: 'change(y2021, y2022)'}]}",
                           csv="type,y2021,y2022\nBurglary,n/a,5\n"))
    problem = caught.value.problems[0]
    assert (problem.file, problem.where) == ("data/crimes.csv", "line 2, column 'y2021'")
    assert "must be a number, got 'n/a'" in problem.message
