"""examples/welsh: a Welsh report and its English edition, built from one folder by one build-all.

The Welsh documents carry the style's Welsh labels and no English one, Welsh figures phrases,
captions and alternative text, and say they are Welsh (PDF /Lang and XMP, DOCX w:lang and core
properties); the English edition, from the same data, says the same numbers in English."""

import io
import re
import shutil
import zipfile

import attrs
import docx
import pdfplumber
import pikepdf
import pytest
from pdfplumber.structure import PDFStructTree

from assessment import ReportError, compose as c
from assessment.api import build, render_documents
from assessment.batch import BuildOptions, build_all
from assessment.editions import editions
from assessment.loading import load_report
from assessment.theme import Labels, load_theme
from assessment.transforms import prepare
from conftest import ROOT
from doctext import docx_text, pdf_text, squash

FOLDER = ROOT / "examples" / "welsh"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Words of the Welsh labels, and Welsh figures phrases, each of which a reader meets.
WELSH = ["Cynnwys", "Eitem", "Tudalen", "Ffigur 1: Troseddau a gofnodwyd bob mis", "Atodiad 1 – Geirfa", "Term", "Ystyr",
         "Dim data ar gael", "9,351 o droseddau", "gostyngiad o 3.4%", "333 yn llai o droseddau nag yn 2022-23",
         "78 i bob 1,000", "y 3ydd", "4,015 o ddigwyddiadau", "Ynglŷn â", "grŵp"]
# English words a Welsh document must not hold: every literal of the default (English) labels
# that the Welsh ones do not share, and the English figures phrases.
WELSH_LABELS_ALSO = {"Term"}
ENGLISH = sorted({part.strip(" .,:;()–—") for field in attrs.fields(Labels) if field.name != "language"
                  for part in re.split(r"\{[a-z_]+\}", getattr(Labels(), field.name))
                  if len(part.strip(" .,:;()–—")) >= 4} - WELSH_LABELS_ALSO) + [
    "increase", "decrease", "fewer", "per 1,000", "crimes", "incidents", "3rd"]


@pytest.fixture(scope="module")
def welsh_build(tmp_path_factory, chart_cache):
    """One build-all of the folder, as a partnership would run it: both editions."""
    out = tmp_path_factory.mktemp("welsh")
    outcomes = build_all([FOLDER], BuildOptions(str(out), cache_dir=str(chart_cache)), progress=False)
    assert [o.error for o in outcomes] == [None]
    return {path.split("/")[-1]: path for path in outcomes[0].paths}


def _bytes(welsh_build, name):
    with open(welsh_build[name], "rb") as handle:
        return handle.read()


def test_build_all_writes_both_editions_under_their_own_names(welsh_build):
    from assessment.batch import Outcome
    from assessment.cli import batch_summary
    assert batch_summary([Outcome(str(FOLDER), tuple(welsh_build.values())), Outcome("broken", error="x")]) == \
        "1 built, 1 failed: 2 editions, 4 documents"
    assert sorted(welsh_build) == ["asesiad-strategol-2024.docx", "asesiad-strategol-2024.pdf",
                                   "strategic-assessment-2024.docx", "strategic-assessment-2024.pdf"]
    assert {path.rsplit("/", 2)[-2] for path in welsh_build.values()} == {"welsh"}  # the folder's own sub-folder


def test_the_welsh_pdf_reads_welsh_labels_and_no_english_one(welsh_build):
    text = pdf_text(_bytes(welsh_build, "asesiad-strategol-2024.pdf"))
    for words in WELSH:
        assert squash(words) in text, words
    left = [words for words in ENGLISH if squash(words) in text]
    assert not left, f"English in the Welsh PDF: {left}"
    assert "\u25a1" not in text  # every Welsh letter drawn, none replaced


def test_the_welsh_docx_reads_welsh_labels_and_no_english_one(welsh_build):
    data = _bytes(welsh_build, "asesiad-strategol-2024.docx")
    text = docx_text(data)
    for words in WELSH:
        assert squash(words) in text, words
    left = [words for words in ENGLISH if squash(words) in text]
    assert not left, f"English in the Welsh DOCX: {left}"
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.keywords == "Partneriaeth Diogelwch Cymunedol; Asesiad Strategol"


def test_the_welsh_pdf_says_it_is_welsh_and_tags_welsh_headings(welsh_build):
    path = welsh_build["asesiad-strategol-2024.pdf"]
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "cy"
        assert pdf.open_metadata()["dc:language"] == {"cy"}
    headings = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for element in PDFStructTree(pdf, page).find_all(lambda e: e.type == "H1"):
                ids = set(element.mcids or ())
                headings.append("".join(ch["text"] for ch in page.chars if ch.get("mcid") in ids))
    assert headings == ["Cynnwys", "Cyflwyniad", "Troseddau a Gofnodwyd", "Ymddygiad Gwrthgymdeithasol", "Atodiad 1 – Geirfa"]


def test_the_welsh_pdf_describes_its_links_and_charts_in_welsh(welsh_build):
    with pikepdf.open(welsh_build["asesiad-strategol-2024.pdf"]) as pdf:
        links = [str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])]
        alts = []

        def walk(node):
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.S == "/Figure":
                        alts.append(str(kid.Alt))
                    walk(kid)
        walk(pdf.Root.StructTreeRoot)
    assert "Dolen i https://www.llyw.cymru/" in links
    assert "Mynd i dudalen 3" in links
    assert not [link for link in links if "Go to" in link or "Link to" in link]
    assert "Siart llinell yn dangos Troseddau a gofnodwyd bob blwyddyn (Troseddau), 2019-20 i 2023-24: " \
           "uchaf 9,684 (2022-23), isaf 8,875 (2020-21)." in alts
    assert "Siart far yn dangos Troseddau yn ôl math, 2023-24 (Cyfran (%)): Troseddau treisgar 37%; " \
           "Difrod troseddol 14%; Siopladrad 12%; Anhrefn cyhoeddus 10%; Bwrgleriaeth 7%; Troseddau eraill 21%." in alts
    # An unavailable chart is drawn as its panel's tagged words, not a figure; its alt text
    # (what an API caller of ``prepare`` reads) is Welsh too.
    prepared = prepare(load_report(FOLDER), load_theme(FOLDER / "style.toml").labels)
    assert "Troseddau a gofnodwyd bob mis: dim data ar gael." in prepared.alt_texts.values()


def test_the_welsh_docx_says_it_is_welsh_in_every_language_mark(welsh_build):
    data = _bytes(welsh_build, "asesiad-strategol-2024.docx")
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.language == "cy"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        marks = [m for part in ("word/styles.xml", "word/document.xml")
                 for m in re.findall(r'<w:lang [^>]*w:val="([^"]*)"', package.read(part).decode())]
        settings = package.read("word/settings.xml").decode()
        body = package.read("word/document.xml").decode()
    assert marks and set(marks) == {"cy"}
    assert 'w:themeFontLang w:val="cy"' in settings
    # The charts' descriptions, which a screen reader reads in Word, are the Welsh alt text.
    assert 'descr="Siart llinell yn dangos Troseddau a gofnodwyd bob blwyddyn' in body


def test_the_english_edition_says_the_same_numbers_in_english(welsh_build):
    pdf = welsh_build["strategic-assessment-2024.pdf"]
    text = pdf_text(_bytes(welsh_build, "strategic-assessment-2024.pdf"))
    for words in ("Contents", "Figure 1: Recorded crime by month", "Appendix 1 – Glossary", "Data not available",
                  "9,351 crimes", "a 3.4% decrease", "333 fewer crimes than in 2022-23", "the 3rd"):
        assert squash(words) in text, words
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "en-GB"
    assert docx.Document(welsh_build["strategic-assessment-2024.docx"]).core_properties.language == "en-GB"


# --- what a folder of editions may say --------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "welsh"
    shutil.copytree(FOLDER, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(call) -> list[str]:
    with pytest.raises(ReportError) as caught:
        call()
    return [str(p) for p in caught.value.problems]


def test_the_editions_are_report_yaml_then_those_it_lists():
    assert editions(FOLDER) == [None, "report.en.yaml"]
    assert load_report(FOLDER, edition="report.en.yaml").language == "en-GB"
    assert _problems(lambda: load_report(FOLDER, edition="report.yaml")) == [
        "assessment.load_report: edition: expected one of report.yaml's editions (report.en.yaml), found 'report.yaml'"]


def test_two_editions_may_not_write_the_same_files(folder, tmp_path):
    _edit(folder / "report.en.yaml", "name: strategic-assessment-2024", "name: Asesiad-Strategol-2024")
    assert _problems(lambda: build(folder, tmp_path / "out")) == [
        "report.en.yaml: name: 'Asesiad-Strategol-2024' is also the name of report.yaml's documents; "
        "expected a name of its own, such as Asesiad-Strategol-2024-en-GB"]
    assert not (tmp_path / "out").exists()


def test_an_editions_problems_name_its_own_file(folder, tmp_path):
    _edit(folder / "report.en.yaml", "x: type", "x: kind")
    _edit(folder / "report.en.yaml", "date: 2024-11-29", "date: 2024-11-29\neditions: [report.yaml]")
    problems = _problems(lambda: build(folder, tmp_path / "out"))
    assert "report.en.yaml: editions: is given in report.en.yaml; only report.yaml lists the folder's editions" in problems
    second = folder.parent / "second"
    shutil.copytree(FOLDER, second)
    _edit(second / "report.en.yaml", "x: type", "x: kind")
    assert _problems(lambda: build(second, tmp_path / "out")) == [
        "data/crime-types.csv: line 1: has no column 'kind' (needed by report.en.yaml body[2].content[2].chart.data); "
        "columns: math, type, crimes, percent"]


def test_a_listed_edition_must_be_a_report_file_inside_the_folder(folder, tmp_path):
    _edit(folder / "report.yaml", "editions: [report.en.yaml]", "editions: [report.en.yaml, notes.txt, report.en.yaml, ../x.yaml]")
    assert _problems(lambda: build(folder, tmp_path / "out")) == [
        "report.yaml: editions[1]: 'notes.txt'; expected a report file ending .yaml, such as report.cy.yaml",
        "report.yaml: editions[2]: 'report.en.yaml' is report.yaml or an edition listed before it; expected each other report file once",
        "report.yaml: editions[3]: '../x.yaml' must be a path inside the report folder"]


def test_a_welsh_report_with_english_labels_is_refused(folder, tmp_path):
    _edit(folder / "report.yaml", "style: style.toml", "style: plain")
    assert _problems(lambda: load_report(folder)) == [
        "report.yaml: language: 'cy', but the style's labels are in 'en' ([labels] language); expected a style whose "
        "[labels] are written in 'cy' (examples/welsh/style.toml has Welsh ones)"]
    _edit(folder / "report.yaml", "language: cy", "language: cy GB")
    assert _problems(lambda: load_report(folder)) == [
        "report.yaml: language: 'cy GB' is not a language tag; expected one like en-GB, cy or cy-GB"]


def test_a_report_in_code_takes_its_language_and_is_held_to_its_labels():
    report = c.report("Asesiad", "Partneriaeth", c.section("Adran", "Testun."), language="cy")
    assert _problems(lambda: render_documents(report, ["docx"], cache_dir=False)) == [
        "report: language: 'cy', but the style's labels are in 'en' ([labels] language); expected a style whose "
        "[labels] are written in 'cy' (examples/welsh/style.toml has Welsh ones)"]
    documents = render_documents(report, ["docx"], theme=str(FOLDER / "style.toml"), cache_dir=False)
    assert "Cynnwys" in docx_text(documents["docx"])


def test_the_police_views_write_the_styles_month_names_and_unmatched_area(tmp_path):
    from assessment.datasets import load_datasets
    from assessment.datasets.sources import ReportFolder
    from assessment.spec import PoliceSpec

    police = tmp_path / "police"
    shutil.copytree(ROOT / "examples" / "from-police-data", police)
    lookup = police / "data" / "lsoa-to-ward.csv"
    lookup.write_text("".join(lookup.read_text().splitlines(keepends=True)[:3]))  # most LSOAs unlisted
    welsh = load_theme(FOLDER / "style.toml").labels
    specs = {"months": PoliceSpec(police_uk="data/police", view="by_month"),
             "areas": PoliceSpec(police_uk="data/police", view="top_areas", kind="asb", top=50, wards="data/lsoa-to-ward.csv")}
    for labels, april, unmatched in ((None, "Apr-", "Unmatched LSOA"), (welsh, "Ebrill-", "ACEHI eraill")):
        folder = ReportFolder(police)
        read = load_datasets(folder, specs, labels)
        assert not folder.problems
        assert read["months"].rows[0]["month"].startswith(april)
        assert unmatched in {row["area"] for row in read["areas"].rows}


def test_both_editions_pass_the_matterhorn_checks(welsh_build):
    """PDF/UA's machine checks, the natural-language ones (11-001 to 11-006) among them."""
    import matterhorn
    from test_matterhorn import known_link_warning

    for name in ("asesiad-strategol-2024.pdf", "strategic-assessment-2024.pdf"):
        found = [str(f) for f in matterhorn.check(_bytes(welsh_build, name))
                 if not known_link_warning(f)]
        assert found == [], name


def test_a_welsh_drafts_marks_for_missing_values_are_welsh(folder, chart_cache):
    """A draft shows what it could not fill in, in the labels' language; the command line's
    list of what is missing stays the analyst's English."""
    _edit(folder / "text" / "cyflwyniad.md", "Enghraifft ddarluniadol",
          "{{ poblogaeth_2030 }} a {{ change(0, 5) }}. Enghraifft ddarluniadol")
    report = load_report(folder, draft=True)
    from assessment.transforms import missing_items
    assert missing_items(report) == ["missing: poblogaeth_2030", "percentage change from zero is undefined"]
    documents = render_documents(report, ["pdf", "docx"], cache_dir=chart_cache)
    for text in (pdf_text(documents["pdf"]), docx_text(documents["docx"])):
        assert squash("[dim data ar gael: poblogaeth_2030] a [dim ffigur ar gael].") in text
        assert squash("Drafft") in text and squash("cyfrinachol") in text
        left = [words for words in ENGLISH + ["undefined", "percentage"] if squash(words) in text]
        assert not left, f"English in a Welsh draft: {left}"
