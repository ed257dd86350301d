"""police.uk street-level files and Excel workbooks as data sources (synthetic files only)."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from assessment.datasets import police
from assessment.errors import ReportError
from assessment.loading import load_report
from conftest import ROOT

HEADER = list(police.COLUMNS)


def write_month(folder: Path, month: str, rows: list[tuple]) -> Path:
    """rows: (crime id or '', lsoa code, crime type[, month override])"""
    path = folder / month / f"{month}-testshire-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            crime_id, lsoa, crime_type, *override = row
            writer.writerow([crime_id, override[0] if override else month, "Testshire Police", "Testshire Police",
                             "0.5", "51.3", "On or near Test Street", lsoa, f"Name of {lsoa}", crime_type, "", ""])
    return path


@pytest.fixture
def police_folder(tmp_path):
    folder = tmp_path / "police"
    V, S, A = "Violence and sexual offences", "Shoplifting", "Anti-social behaviour"
    write_month(folder, "2021-03", [("c1", "E01000001", V), ("c2", "E01000002", S)])  # 2020-21
    write_month(folder, "2021-04", [("c3", "E01000001", V), ("c4", "E01000001", V), ("c5", "E01000003", S),
                                    ("", "E01000001", A), ("", "E01000002", A)])
    write_month(folder, "2021-07", [("", "E01000001", A), ("", "E01000001", A), ("", "E01000003", A)])
    write_month(folder, "2022-03", [("c6", "E01000002", "Burglary"), ("", "E01000004", A)])  # still 2021-22
    write_month(folder, "2022-04", [("c7", "E01000001", V)] * 4)  # 2022-23
    return folder


def test_financial_year_boundaries():
    assert police.financial_year("2021-03") == "2020-21"
    assert police.financial_year("2021-04") == "2021-22"
    assert police.financial_year("2022-03") == "2021-22"
    assert police.financial_year("1999-12") == "1999-00"
    assert police.month_label("2022-02") == "Feb-22"


def test_counts_by_year_month_type_and_asb_split(police_folder):
    summary = police.read_folder(police_folder, display="police")
    assert summary.rows == 16 and summary.problems == []
    assert police.by_year(summary) == [
        {"year": "2020-21", "crimes": 2, "asb": 0},
        {"year": "2021-22", "crimes": 4, "asb": 6},
        {"year": "2022-23", "crimes": 4, "asb": 0},
    ]
    months = police.by_month(summary, "2021-22")
    assert [m["month"] for m in months] == ["Apr-21", "May-21", "Jun-21", "Jul-21", "Aug-21", "Sep-21", "Oct-21",
                                            "Nov-21", "Dec-21", "Jan-22", "Feb-22", "Mar-22"]
    assert months[0] == {"month": "Apr-21", "crimes": 3, "asb": 2}
    assert months[3] == {"month": "Jul-21", "crimes": 0, "asb": 3}
    assert months[-1] == {"month": "Mar-22", "crimes": 1, "asb": 1}
    assert police.by_category(summary, "2021-22", "crime", {"Shoplifting": "Theft and Handling"}) == [
        {"category": "Violence and sexual offences", "count": 2, "percent": 50},
        {"category": "Burglary", "count": 1, "percent": 25},
        {"category": "Theft and Handling", "count": 1, "percent": 25},
    ]


def test_top_areas_by_lsoa_and_by_ward(police_folder):
    summary = police.read_folder(police_folder, display="police")
    assert police.top_areas(summary, "2021-22", "asb", 2, None) == [
        {"rank": 1, "area": "Name of E01000001", "count": 3, "share": 50},
        {"rank": 2, "area": "Name of E01000002", "count": 1, "share": 17},
    ]
    wards = {"E01000001": "North", "E01000002": "South", "E01000003": "South", "E01000004": "South"}
    assert police.top_areas(summary, "2021-22", "asb", 5, wards) == [
        {"rank": 1, "area": "North", "count": 3, "share": 50},
        {"rank": 2, "area": "South", "count": 3, "share": 50},
    ]


def test_bad_rows_are_named_by_file_and_line(police_folder):
    write_month(police_folder, "2021-05", [("c8", "E01000001", "Shoplifting"), ("c9", "E01000001", "Jaywalking"),
                                           ("c10", "E01000001", "Shoplifting", "2021/05")])
    summary = police.read_folder(police_folder, display="police")
    assert [str(p) for p in summary.problems] == [
        "police/2021-05/2021-05-testshire-street.csv: line 3: unknown Crime type 'Jaywalking'",
        "police/2021-05/2021-05-testshire-street.csv: line 4: Month '2021/05' is not in the form 2021-04",
    ]
    assert summary.rows == 17


def test_report_folder_names_a_police_source(police_folder, tmp_path):
    folder = tmp_path / "report"
    (folder / "data").mkdir(parents=True)
    shutil.move(str(police_folder), folder / "data" / "police")
    (folder / "report.yaml").write_text("""
title: T
organisation: O
date: 2023-01-01
datasets:
  by_year: {police_uk: data/police, view: by_year}
  hot: {police_uk: data/police, view: top_areas, kind: asb, year: 2021-22, top: 1}
body:
  - section: S
    content:
      - text: "{{ by_year[-2].asb }} ASB; {{ change(by_year[-2].crimes, by_year[-1].crimes) }}; top {{ hot[0].area }} {{ hot[0].share }}%"
""")
    report = load_report(folder)
    assert report.blocks[0].blocks[0].plain == "6 ASB; no change; top Name of E01000001 50%"
    write_month(folder / "data" / "police", "2021-06", [("c", "E01000001", "Jaywalking")])
    with pytest.raises(ReportError) as caught:
        load_report(folder)
    assert str(caught.value) == "data/police/2021-06/2021-06-testshire-street.csv: line 2: unknown Crime type 'Jaywalking'"


def test_police_example_builds_with_figures_from_the_files(tmp_path):
    example = ROOT / "examples" / "from-police-data"
    crimes, asb = {}, {}
    for path in sorted((example / "data" / "police").rglob("*.csv")):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                target = asb if not row["Crime ID"] else crimes
                year = police.financial_year(row["Month"])
                target[year] = target.get(year, 0) + 1
    result = subprocess.run([sys.executable, "-m", "assessment", "build", str(example), "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(next(tmp_path.glob("*.pdf"))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        images = sum(len(p.images) for p in pdf.pages)
    assert f"{crimes['2022-23']:,} recorded crimes in 2022-23" in text
    assert f"{asb['2022-23']:,} incidents in 2022-23" in text
    assert images == 2
    assert "Top 3 wards:" in text


def test_excel_range_and_table(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Partners"
    sheet.append(["Received from the fire service, 2022"])
    sheet.append([])
    sheet.append(["school_type", "schools", "students"])
    sheet.append(["Primary", 50, 16800])
    sheet.append(["Secondary", 13, 3970])
    sheet.add_table(Table(displayName="Sessions", ref="A3:C5"))
    book.save(tmp_path / "partners.xlsx")
    (tmp_path / "report.yaml").write_text("""
title: T
organisation: O
date: 2023-01-01
datasets:
  by_range: {excel: partners.xlsx, sheet: Partners, range: A3:C5}
  by_table: {excel: partners.xlsx, table: Sessions}
body:
  - section: S
    content:
      - text: "{{ by_range[0].students | number }} primary and {{ by_table[1].students | number }} secondary students"
      - table: {data: by_table}
""")
    report = load_report(tmp_path)
    assert report.blocks[0].blocks[0].plain == "16,800 primary and 3,970 secondary students"
    table = report.blocks[0].blocks[1]
    assert [[c.blocks[0].plain for c in row] for row in table.rows] == [["Primary", "50", "16,800"], ["Secondary", "13", "3,970"]]
    (tmp_path / "report.yaml").write_text((tmp_path / "report.yaml").read_text().replace("sheet: Partners", "sheet: Partner"))
    with pytest.raises(ReportError) as caught:
        load_report(tmp_path)
    assert "partners.xlsx: sheet: has no sheet 'Partner' (sheets: Partners)" in str(caught.value)
