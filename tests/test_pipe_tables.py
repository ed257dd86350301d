"""Markdown pipe tables in the narrative become real tables in both formats."""

import io

import docx
import pikepdf
import pytest

from assessment import compose as c
from assessment import narrative
from assessment.api import render_documents
from assessment.errors import NarrativeError

TABLE = """Recorded crime by type.

| Crime type | 2021-22 | 2022-23 |
|:-----------|--------:|--------:|
| **Burglary** | 1,204 | 1,150 |
| Vehicle crime | 2,310 |
"""


def test_a_pipe_table_is_a_table_node():
    paragraph, table = narrative.parse(TABLE, file="t.md", level=1)
    assert paragraph.plain == "Recorded crime by type."
    assert [column.align for column in table.columns] == ["left", "right", "right"]
    assert [cell.blocks[0].plain for cell in table.header_rows[0]] == ["Crime type", "2021-22", "2022-23"]
    assert all(span.bold for cell in table.header_rows[0] for span in cell.blocks[0].spans)
    assert [[cell.blocks[0].plain if cell.blocks else "" for cell in row] for row in table.rows] == \
        [["Burglary", "1,204", "1,150"], ["Vehicle crime", "2,310", ""]]
    assert table.rows[0][0].blocks[0].spans[0].bold


def test_a_table_inside_a_list_item_is_one_clear_error():
    with pytest.raises(NarrativeError, match="line 3: a table inside a list item"):
        narrative.parse("- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n", file="t.md", level=1)


def _struct_roles(pdf: pikepdf.Pdf) -> list[str]:
    roles = []

    def visit(element):
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Dictionary):
            kids = [kids]
        for kid in kids if isinstance(kids, pikepdf.Array) or isinstance(kids, list) else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                roles.append(str(kid.S))
                visit(kid)

    visit(pdf.Root.StructTreeRoot)
    return roles


def test_both_formats_draw_it_as_a_table_with_a_header_row():
    report = c.report("Pipes", "Example CSP", c.section("Crime", TABLE), contents=False, date=__import__("datetime").date(2024, 1, 1))
    documents = render_documents(report, cache_dir=False)
    with pikepdf.open(io.BytesIO(documents["pdf"])) as pdf:
        roles = _struct_roles(pdf)
    assert roles.count("/Table") == 1 and roles.count("/TH") == 3 and roles.count("/TR") == 3
    word = docx.Document(io.BytesIO(documents["docx"]))
    [table] = [t for t in word.tables if t.rows[0].cells[0].text == "Crime type"]
    assert [cell.text for cell in table.rows[0].cells] == ["Crime type", "2021-22", "2022-23"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # repeats on every page
    assert [cell.text for cell in table.rows[1].cells] == ["Burglary", "1,204", "1,150"]
