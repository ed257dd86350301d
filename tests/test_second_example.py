"""The second full example (examples/daventry-south-northants): it builds, and both documents
carry the source's headings, numbers, tables and charts."""

import re
from pathlib import Path

import docx
import pdfplumber
import pytest

from assessment.api import build

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "daventry-south-northants"

HEADINGS = ["Introduction", "All Crime", "Acquisitive Crime", "Violence and Other Offences",
            "Comparison with Similar Partnerships", "About the Data"]
DATA_TABLES = ["All crime", "Acquisitive crime, rate per 1,000 people",
               "Violence and other offences, rate per 1,000 people",
               "Position against the Most Similar Group, 2018/19"]
# Source figures, as printed in its table (crime type, 2018/19 rate, 2017/18 rate, distance).
SOURCE_ROWS = [("Burglary", "6.53", "7.37", "31.7"), ("Theft from Vehicle", "5.71", "5.33", "57.5"),
               ("Violent Crime", "19.23", "14.86", "4.9"), ("Bicycle Theft", "0.33", "0.39", "-53.7")]
CHARTS = 5


@pytest.fixture(scope="module")
def built(tmp_path_factory, chart_cache):
    out = tmp_path_factory.mktemp("daventry")
    return {p.suffix.lstrip("."): p for p in build(FOLDER, out, cache_dir=chart_cache)}


@pytest.fixture(scope="module")
def pdf_pages(built):
    with pdfplumber.open(built["pdf"]) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture(scope="module")
def document(built):
    return docx.Document(str(built["docx"]))


def test_pdf_has_every_section_and_a_sensible_length(pdf_pages):
    assert 8 <= len(pdf_pages) <= 11
    text = "\n".join(pdf_pages)
    for heading in HEADINGS:
        assert re.search(rf"^{re.escape(heading)}$", text, re.M), heading
    assert "Performance Report" in pdf_pages[0] and "Northamptonshire" in pdf_pages[0]


def test_pdf_tables_and_narrative_carry_the_source_numbers(pdf_pages):
    text = "\n".join(pdf_pages)
    for title in DATA_TABLES:
        assert title in text
    for crime_type, now, before, distance in SOURCE_ROWS:
        assert re.search(rf"{crime_type} +{before} +{now} ", text), crime_type
        assert re.search(rf"{crime_type} +(Above|Below|Inline) +{re.escape(distance)} ", text), crime_type
    # figures computed from the data in the narrative
    assert "53.18 crimes per 1,000 people" in text and "5.7% increase" in text
    assert "10th of 15" in text and "rose by 29.4%" in text
    assert len(re.findall(r"^Figure \d+:", text, re.M)) == CHARTS


def test_docx_has_the_headings_tables_and_charts(document):
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert all(h in headings for h in HEADINGS)
    titles = [t.rows[0].cells[0].text for t in document.tables]
    assert all(title in titles for title in DATA_TABLES)
    rows = {tuple(c.text for c in row.cells[:4]) for t in document.tables for row in t.rows}
    for crime_type, now, before, _ in SOURCE_ROWS:
        assert any(r[0] == crime_type and r[1] == before and r[2] == now for r in rows), crime_type
    position = next(t for t in document.tables if t.rows[0].cells[0].text == DATA_TABLES[3])
    assert len(position.rows) == 2 + 14  # title, header, the source's 14 lines
    assert len(document.inline_shapes) == CHARTS


def test_the_cover_has_the_sources_second_title_and_the_year_on_its_own_line(pdf_pages, document):
    assert pdf_pages[0].splitlines()[-3:] == ["Performance Report", "2018-19", "Comparative Crime Rates"]
    cover = document.tables[0].rows[0].cells[0]
    assert [p.text for p in cover.paragraphs][-2:] == ["Performance Report\n2018-19", "Comparative Crime Rates"]


def test_the_pdf_passes_the_matterhorn_checks(built):
    import matterhorn
    from test_matterhorn import known_link_warning
    found = [str(f) for f in matterhorn.check(built["pdf"].read_bytes())
             if not known_link_warning(f)]
    assert found == []
