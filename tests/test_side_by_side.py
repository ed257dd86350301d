"""Side-by-side columns: the reference's paired Violence Against the Person tables."""

import io

import pdfplumber
import pytest
from docx.oxml.ns import qn

from assessment import compose as c
from assessment import model
from assessment.api import render_documents
from assessment.errors import ReportError
from assessment.loading import load_report
from conftest import MEDWAY
from test_tagged_pdf import flat, tagged_text

LEFT = "Offence rate per 1,000 population: Violence Against the Person"
RIGHT = "Crime Severity Score: Violence Against the Person"


def title_box(page, title: str) -> tuple[float, float, float] | None:
    """x0, x1 and top of the first line of a table title, if it is on the page. Titles wrap
    and two side by side interleave line by line, so the title's words are looked for in order
    among the next few words (which also tells "Crime Severity Score: Total …" from "…: Violence …")."""
    words = page.extract_words()
    wanted = title.split()
    for i in range(len(words)):
        following = iter(w["text"] for w in words[i:i + 3 * len(wanted)])
        if words[i]["text"] == wanted[0] and all(word in following for word in wanted):
            x1 = words[i]["x1"]
            for word in words[i + 1:]:  # this title's first line: on its line, no column gap before it
                if abs(word["top"] - words[i]["top"]) > 1 or not 0 <= word["x0"] - x1 < 10:
                    break
                x1 = word["x1"]
            return words[i]["x0"], x1, words[i]["top"]
    return None


def test_the_violence_tables_share_a_page_side_by_side(medway_build):
    with pdfplumber.open(medway_build["pdf"]) as pdf:
        number, page = next((n, p) for n, p in enumerate(pdf.pages) if title_box(p, RIGHT))
        left_x0, left_x1, left_top = title_box(page, LEFT)
        right_x0, _, right_top = title_box(page, RIGHT)
        assert left_top == pytest.approx(right_top, abs=1)  # same line
        assert left_x1 < right_x0 and right_x0 > page.width / 2 > left_x0
        # The style lets tables this long split (keep_table_rows = 15, as the reference does):
        # the two columns are cut at the same page foot and go on side by side overleaf, each
        # with its header again, and both end on that page.
        overleaf = pdf.pages[number + 1]
        wigan = [w for w in overleaf.extract_words() if w["text"] == "Wigan"]
        assert len(wigan) == 2 and wigan[0]["top"] == pytest.approx(wigan[1]["top"], abs=1)
        # No row lost or repeated at the cut: a row's name twice, once in each table.
        basildon = [w for w in page.extract_words() if w["text"] == "Basildon" and w["top"] > left_top]
        assert len(basildon + [w for w in overleaf.extract_words() if w["text"] == "Basildon"]) == 2
        headers = [w for w in overleaf.extract_words() if w["text"] == "Change"]
        assert len(headers) == 2 and headers[0]["top"] == pytest.approx(headers[1]["top"], abs=1)


def test_columns_read_left_then_right(medway_build):
    headers = [flat(text) for _, role, text in tagged_text(medway_build["pdf"], ("TH",))]
    assert headers.index(flat(LEFT)) < headers.index(flat(RIGHT))
    # The grid itself is not a table to a screen reader: four benchmarking tables, no more.
    assert headers.count("%Change") == 4


def test_docx_grid_holds_one_table_a_column_without_borders_or_gaps(medway_docx):
    grid = next(t for t in medway_docx.tables
                if len(t.rows) == 1 and len(t.rows[0].cells) == 2 and t.rows[0].cells[0].tables)
    left, right = grid.rows[0].cells
    assert [cell.tables[0].cell(0, 0).text for cell in (left, right)] == [LEFT, RIGHT]
    assert grid._tbl.tblPr.find(qn("w:tblBorders")) is None  # a grid, not a drawn table
    assert not grid.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    margins = grid._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [m.get(qn("w:w")) for m in margins] == ["0"] * 4
    # No blank line above either table; the caption follows the right table directly.
    assert [child.tag for child in left._tc if child.tag != qn("w:tcPr")][0] == qn("w:tbl")
    right_children = [child for child in right._tc if child.tag != qn("w:tcPr")]
    assert [child.tag for child in right_children] == [qn("w:tbl"), qn("w:p")]
    assert right.paragraphs[-1].text.startswith("(Data from the Office of National Statistics")


def test_each_listed_block_is_a_column():
    report = load_report(MEDWAY)
    grid = next(node for node, _ in model.walk(report.blocks) if isinstance(node, model.SideBySide))
    assert [[type(b).__name__ for b in column] for column in grid.columns] == [["Table"], ["Table"]]


def test_one_column_is_an_error_naming_the_field(medway_copy):
    yaml_path = medway_copy / "report.yaml"
    text = yaml_path.read_text()
    start = text.index("      - side_by_side:\n")
    second = text.index("          - table:\n", text.index("          - table:\n", start) + 1)
    end = text.index("      - markdown: text/benchmarking-violence.md")
    yaml_path.write_text(text[:second] + text[end:])
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    assert [str(p) for p in caught.value.problems] == [
        "report.yaml: body[9].content[4].side_by_side: expected two or more blocks to set side by side"]


def test_columns_taller_than_a_page_are_set_one_after_the_other():
    rows = [{"ward": f"Ward {i}", "incidents": i} for i in range(90)]
    report = c.report("Tall columns", "Test CSP", c.section(
        "Wards", c.side_by_side(c.table(rows, title="Left wards"), [c.table(rows, title="Right wards"), *c.text("After.")])),
        contents=False)
    documents = render_documents(report, cache_dir=False)
    with pdfplumber.open(io.BytesIO(documents["pdf"])) as pdf:
        text = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert text.index("Left wards") < text.index("Ward 89") < text.index("Right wards") < text.rindex("Ward 89")
    assert text.rindex("Ward 89") < text.index("After.")


def test_compose_needs_two_columns():
    with pytest.raises(ReportError, match="compose.side_by_side: columns: expected two or more columns, found 1"):
        c.side_by_side(c.paragraph("alone"))
