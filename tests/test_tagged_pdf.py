"""The PDF is tagged: its structure tree, read back, says what a reader sees and in what order."""

import collections
import datetime as dt
import io
import re

import pdfplumber
from pdfplumber.structure import PDFStructTree
import pikepdf
import pytest

from assessment import compose as c
from assessment.api import render_documents
import doctext


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tagged_text(pdf_path_or_bytes, roles):
    """(page, role, text) for each struct element of the given roles, page by page and in
    structure order within a page, its text gathered through the marked content it points at
    (what a screen reader reads). The tree is walked with pikepdf and the marked text read by
    PDFium (doctext._runs): pdfplumber's per-page structure trees took 3.4 s for Medway's
    headings, this 0.2 s, with the same result (spaces at either end aside)."""
    data = pdf_path_or_bytes if isinstance(pdf_path_or_bytes, bytes) else open(pdf_path_or_bytes, "rb").read()
    text = collections.defaultdict(str)
    for page, mcid, _artifact, _baseline, run, _size in doctext._runs(data):
        if mcid is not None:
            text[page, mcid] += run
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_of = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

        def content(node, page, into):
            """The (page, MCID)s under ``node`` in order; ``page`` is the nearest /Pg above."""
            page = page_of.get(node.Pg.objgen, page) if "/Pg" in node else page
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
                if isinstance(kid, int):
                    into.append((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    into.append((page_of.get(kid.Pg.objgen, page) if "/Pg" in kid else page, int(kid.MCID)))
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    content(kid, page, into)
            return into

        def walk(node, page):
            page = page_of.get(node.Pg.objgen, page) if "/Pg" in node else page
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if str(kid.S)[1:] in roles:
                        marks = content(kid, page, [])
                        for number in dict.fromkeys(p for p, _ in marks):
                            found.append((number + 1, str(kid.S)[1:], "".join(text[p, m] for p, m in marks if p == number).strip()))
                    walk(kid, page)
        walk(pdf.Root.StructTreeRoot, None)
    return sorted(found, key=lambda item: item[0])  # page by page, as a reader meets them


@pytest.fixture(scope="module")
def medway_headings(medway_build):
    """(page, role, text) of the Medway PDF's H1-H3 elements, read once for the module's tests."""
    return tagged_text(medway_build["pdf"], ("H1", "H2", "H3"))


@pytest.fixture(scope="module")
def structure(medway_build):
    with pikepdf.open(medway_build["pdf"]) as pdf:
        yield pdf


def elements(pdf, role: str):
    def walk(node):
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == role:
                    yield kid
                yield from walk(kid)
    yield from walk(pdf.Root.StructTreeRoot)


def test_catalogue_declares_a_tagged_pdf_ua_document(structure):
    root = structure.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "en-GB"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(structure.docinfo.Title) == "Medway Community Safety Partnership Strategic Assessment 2022"
    assert root.StructTreeRoot.K[0].S == "/Document"
    assert str(structure.docinfo.CreationDate).startswith("D:20221201")  # the report's date, as in the XMP
    assert str(structure.docinfo.ModDate) == str(structure.docinfo.CreationDate)
    with structure.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["xmp:CreateDate"].startswith("2022-12-01")
        assert xmp["dc:title"] == "Medway Community Safety Partnership Strategic Assessment 2022"


def test_headings_are_h1_to_h3_in_reading_order_and_match_the_docx(medway_headings, medway_docx):
    tagged = [(role, flat(text)) for _, role, text in medway_headings]
    docx_headings = [("H" + p.style.name.split()[-1], flat(p.text))
                     for p in medway_docx.paragraphs if p.style.name.startswith("Heading")]
    assert tagged[0] == ("H1", "Contents")  # the DOCX holds its contents heading in a TOC Heading style
    assert tagged[1:] == docx_headings
    assert ("H2", flat("Reducing Vulnerability")) in tagged and ("H3", "Cuckooing") in tagged


def test_heading_tags_sit_on_the_pages_the_contents_page_lists(medway_headings, medway_pdf_pages):
    pages = {flat(text): page for page, role, text in medway_headings if role == "H1"}
    contents = medway_pdf_pages[1]
    for title in ("Introduction", "Benchmarking", "Glossary of Terms"):
        listed = re.search(re.escape(title) + r"\s+(\d+)", contents).group(1)
        assert pages[flat(title)] == int(listed), title


def test_every_figure_has_the_alt_text_the_docx_has(structure, medway_docx):
    alts = [str(figure.Alt) for figure in elements(structure, "/Figure")]
    descriptions = [d.get("descr") for d in medway_docx.element.body.xpath(".//wp:docPr")]
    assert len(alts) == 5 and all(len(alt) > 40 for alt in alts)  # the five charts with data
    assert sorted(alts) == sorted(descriptions)
    assert any(alt.startswith("Line chart of ASB incidents by month") and "highest 650" in alt for alt in alts)


def test_every_table_has_header_cells(structure):
    tables = list(elements(structure, "/Table"))
    assert len(tables) >= 10
    for table in tables:
        rows = [row for row in table.K if row.S == "/TR"]
        header_cells = [cell for row in rows for cell in row.K if cell.S == "/TH"]
        assert header_cells, "a table without header cells"
        assert all(cell.A.Scope in ("/Column", "/Row") for cell in header_cells)


def test_benchmark_table_header_reads_as_headers(medway_build):
    cells = tagged_text(medway_build["pdf"], ("TH",))
    texts = [flat(text) for _, _, text in cells]
    assert flat("Offence rate per 1,000 population: Total recorded crime") in texts
    assert texts.count("%Change") == 4  # one per benchmarking table, never the data rows


def test_footer_is_an_artifact_and_body_text_is_tagged(medway_build):
    with pdfplumber.open(medway_build["pdf"]) as pdf:
        page = pdf.pages[4]  # page 5: running text with the footer under it
        footer = [ch for ch in page.chars if ch["top"] > page.height - 60]
        body = [ch for ch in page.chars if ch["top"] < page.height - 100]
        assert footer and all(ch.get("mcid") is None for ch in footer)
        assert body and all(ch.get("mcid") is not None for ch in body)


def test_draft_watermark_is_an_artifact():
    report = c.report("Tagged", "Example CSP", c.section("One", "Words."), contents=False, status="draft")
    pdf = render_documents(report, ["pdf"], draft=True, cache_dir=False)["pdf"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[1].chars
    watermark = [ch for ch in chars if ch["size"] > 100]
    assert "".join(ch["text"] for ch in watermark) == "DRAFT"
    assert all(ch.get("mcid") is None for ch in watermark)
    assert any(ch.get("mcid") is not None and ch["text"] == "W" for ch in chars)


def test_header_row_repeated_on_later_pages_is_tagged_once():
    rows = [{"ward": f"Ward {i}", "incidents": i} for i in range(150)]
    report = c.report("Long", "Example CSP", c.section("Wards", c.table(rows, headers={"ward": "Ward name"})),
                      contents=False)
    pdf = render_documents(report, ["pdf"], cache_dir=False)["pdf"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) >= 4
        assert sum("Ward name" in (p.extract_text() or "") for p in document.pages) >= 3  # drawn on each page
    headers = [flat(text) for _, _, text in tagged_text(pdf, ("TH",))]
    assert headers == ["Wardname", "incidents"]
    data_cells = [text for _, _, text in tagged_text(pdf, ("TD",))]
    assert len(data_cells) == 300 and data_cells[-1] == "149"


def test_pdfua_checker_finds_nothing(medway_build):
    import pdfua

    report = pdfua.validate(str(medway_build["pdf"]))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert report.exit_code == 0


def test_every_link_annotation_is_in_a_link_element_inside_what_it_is_drawn_in(structure):
    nums = structure.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    links = []
    for number, page in enumerate(structure.pages, 1):
        assert "/Annots" not in page.obj or page.obj.Tabs == "/S"
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            element = parents[int(annotation.StructParent)]
            assert element.S == "/Link"
            assert any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                       and kid.Obj.objgen == annotation.objgen for kid in element.K)
            assert str(annotation.Contents).strip()
            links.append((number, element.P.objgen, str(element.P.S), str(element.P.P.S), str(annotation.Contents)))
    contents_links = [link for link in links if link[0] == 2]
    # One entry per contents line's paragraph; an entry that wraps has one annotation per line.
    assert len({owner for _, owner, _, _, _ in contents_links}) == 18
    assert len(contents_links) == 19
    assert all(role == "/P" and cell == "/TD" for _, _, role, cell, _ in contents_links)
    # The first entry is the foreword on page 3; the last, the appendix, is the last page.
    assert contents_links[0][4] == "Go to page 3" and contents_links[-1][4] == f"Go to page {len(structure.pages)}"
    assert structure.Root.StructTreeRoot.ParentTreeNextKey == len(structure.pages) + len(links)


def test_contents_links_hold_the_words_of_their_entries(medway_build):
    # Before, each Link held only its annotation, read as "Go to page 3"; now it holds the
    # entry's text too, so the link is announced by the section's name.
    links = [(page, flat(text)) for page, _, text in tagged_text(medway_build["pdf"], ("Link",))]
    assert len(links) == 18 and all(page == 2 for page, _ in links)
    assert links[0][1] == flat("Medway Community Safety Partnership")
    assert links[-1][1] == flat("Appendix 1 – Crime Types")
    assert (2, flat("\u2022 Reducing Reoffending")) in links  # a second-level entry, bullet and all


def test_a_spanning_header_cell_says_how_many_columns_it_spans(structure):
    titles = [cell for cell in elements(structure, "/TH") if "/ColSpan" in cell.A]
    assert [int(cell.A.ColSpan) for cell in titles] == [4, 4, 4, 4]  # the four benchmarking tables
    for cell in titles:
        row = cell.P
        assert row.S == "/TR" and len([kid for kid in row.K if kid.S in ("/TH", "/TD")]) == 1
        assert cell.A.Scope == "/Column"


def test_a_nested_list_sits_in_its_items_body(structure):
    lists = list(elements(structure, "/L"))
    assert not [lst for lst in lists if lst.P.S == "/LI"]  # before: five in the appendix
    nested = [lst for lst in lists if lst.P.S == "/LBody"]
    assert len(nested) == 5 and all(lst.P.P.S == "/LI" for lst in nested)
    for item in elements(structure, "/LI"):
        assert all(kid.S in ("/Lbl", "/LBody") for kid in item.K)


def test_a_draft_says_so_in_tagged_text_on_the_first_page():
    report = c.report("Tagged", "Example CSP", c.section("One", "Words."), contents=False, status="draft",
                      version="0.3", date=dt.date(2024, 5, 1))
    pdf = render_documents(report, ["pdf"], draft=True, cache_dir=False)["pdf"]
    first = tagged_text(pdf, ("P",))[0]
    assert first == (1, "P", "Draft 0.3 \u2014 2024-05-01 \u2014 not for publication")
    official = render_documents(report, ["pdf"], draft=False, cache_dir=False)["pdf"]
    assert all("Draft" not in text for _, _, text in tagged_text(official, ("P",)))


def test_one_bookmark_per_tagged_heading_in_the_same_order(medway_headings, structure):
    with structure.open_outline() as outline:
        def titles(items):
            for item in items:
                yield flat(item.title)
                yield from titles(item.children)
        bookmarks = list(titles(outline.root))
    headings = [flat(text) for _, _, text in medway_headings]
    assert bookmarks == headings and len(headings) == 38


def test_every_chart_sits_on_the_page_of_its_caption(medway_build):
    with pdfplumber.open(medway_build["pdf"]) as pdf:
        placed = [(page.page_number, element.type) for page in pdf.pages
                  for element in PDFStructTree(pdf, page).find_all(lambda e: e.type in ("Figure", "Caption"))]
    figures = [(number, following) for (number, role), following in zip(placed, placed[1:]) if role == "Figure"]
    assert len(figures) == 5
    assert all(following == (number, "Caption") for number, following in figures), figures


def fonts_without_program(pdf_bytes: bytes) -> list[str]:
    """Base names of the fonts a PDF names anywhere whose program it does not embed."""
    missing = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or obj.get("/Subtype") == "/Type0":
                continue  # a Type0 font's program is in its descendant, itself a /Font
            descriptor = obj.get("/FontDescriptor")
            if obj.get("/Subtype") == "/Type3":
                continue  # glyphs drawn by the font's own procedures
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(obj.get("/BaseFont")))
    return missing


def test_no_pdf_names_a_font_it_does_not_embed(medway_build):
    # Before: every page began by selecting reportlab's initial font, an unembedded Helvetica,
    # and every table cell selected it again.
    assert fonts_without_program(medway_build["pdf"].read_bytes()) == []
    report = c.report("Fonts", "Example CSP", c.section("One", "Words.", c.table([{"a": 1, "b": 2}], title="Spanning title")),
                      status="draft")
    for draft in (False, True):
        pdf = render_documents(report, ["pdf"], draft=draft, cache_dir=False)["pdf"]
        assert fonts_without_program(pdf) == []
        with pikepdf.open(io.BytesIO(pdf)) as document:
            assert b"/Helvetica" not in b"".join(page.Contents.read_bytes() for page in document.pages)


def test_a_render_changes_no_process_wide_reportlab_setting(monkeypatch):
    import types

    from reportlab import rl_config

    class Watched(types.ModuleType):
        def __setattr__(self, name, value):
            writes.append(name)
            super().__setattr__(name, value)

    writes: list[str] = []
    before = {k: v for k, v in vars(rl_config).items() if not k.startswith("__")}
    monkeypatch.setattr(rl_config, "__class__", Watched)
    report = c.report("Settings", "Example CSP", c.section("One", "Words."))
    render_documents(report, ["pdf"], cache_dir=False)
    assert writes == []  # not even set and restored: a render in another thread would see it
    assert {k: v for k, v in vars(rl_config).items() if not k.startswith("__")} == before
