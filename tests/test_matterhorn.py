"""The Matterhorn checks (tests/matterhorn.py): clean on everything we write, and each one
fails the PDF it is written to catch, made by mutating a small real PDF of ours with pikepdf."""

import io
import warnings
from collections import Counter

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from pikepdf import Array, Dictionary, Name, String

import matterhorn
from assessment import compose as c
from assessment.api import build, load_report, render_documents
from conftest import MEDWAY, ROOT
from test_properties import reports


def small_report():
    """Every kind of tagged content in a few pages: contents links, H1-H3, a nested list, a table
    with a spanning title, key facts (row headers), a chart with alt text and a caption."""
    return c.report(
        "Checks", "Example CSP",
        c.section("First", "Words with a [link](https://example.org/a).",
                  "- one\n- two\n  - two and a half\n- three",
                  c.table([{"area": "North", "crimes": 10}, {"area": "South", "crimes": 12}], title="Crimes by area",
                          caption="Table 1: crimes"),
                  c.section("Second", "More words.", c.section("Third", "Deepest words.", level=3), level=2)),
        c.section("Facts", c.key_facts({"Crimes": "22 in all", "Areas": "North and South"}),
                  c.chart("column", "Crimes by area", [{"area": "North", "crimes": 10}, {"area": "South", "crimes": 12}],
                          "area", "crimes")),
        status="draft",
    )


@pytest.fixture(scope="module")
def small_pdf(chart_cache):
    return render_documents(small_report(), ["pdf"], cache_dir=chart_cache)["pdf"]


def mutated(pdf_bytes: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        change(pdf)
        out = io.BytesIO()
        with warnings.catch_warnings():
            # The widget mutations break the form on purpose; pikepdf's warning says so too.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            pdf.save(out)
        return out.getvalue()


def checkpoints(pdf_bytes: bytes) -> set[str]:
    return {finding.checkpoint for finding in matterhorn.check(pdf_bytes)}


# --- clean on what we write ---------------------------------------------------------------------


BODY_LINK_WARNING = "a Link element in a P holds only its annotation; its words are read outside it"
CAPTION_LINK_WARNING = "a Link element in a Caption holds only its annotation; its words are read outside it"


def known_link_warning(finding) -> bool:
    """The one known warning (README, Accessibility): a link inside a paragraph or caption."""
    return finding.warning and finding.message in (BODY_LINK_WARNING, CAPTION_LINK_WARNING)


def test_small_report_is_clean(small_pdf):
    assert matterhorn.check(small_pdf, warnings=False) == []
    # The one warning: the link in running text, whose words reportlab draws with the rest of
    # the paragraph, in the paragraph's marked content (the contents' links hold their words).
    assert [(f.checkpoint, f.message) for f in matterhorn.check(small_pdf)] == [("14.8.4.4.2", BODY_LINK_WARNING)]


def test_medway_official_and_draft_are_clean(medway_build, chart_cache):
    # Only the known warning, once for each web address in a paragraph or caption (written bare
    # in the text, each is a link): three in key facts, one among the data sources, two in
    # table captions.
    findings = [(f.checkpoint, f.message) for f in matterhorn.check(medway_build["pdf"].read_bytes())]
    assert sorted(findings) == [("14.8.4.4.2", CAPTION_LINK_WARNING)] * 2 + [("14.8.4.4.2", BODY_LINK_WARNING)] * 4
    draft = render_documents(load_report(MEDWAY, draft=True), ["pdf"], draft=True, cache_dir=chart_cache)["pdf"]
    assert [(f.checkpoint, f.message) for f in matterhorn.check(draft)] == findings


def test_every_example_is_clean(tmp_path, chart_cache):
    # The example scripts and another_council are checked where their tests build them
    # (test_drafts_and_api); daventry and welsh in their own tests.
    for folder in ("from-police-data",):
        build(ROOT / "examples" / folder, tmp_path / folder, formats=["pdf"], cache_dir=chart_cache)
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    assert len(pdfs) == 1
    found = {pdf.relative_to(tmp_path).as_posix(): [str(f) for f in matterhorn.check(pdf.read_bytes())
                                                    if not known_link_warning(f)]
             for pdf in pdfs}
    assert found == {name: [] for name in found}


def test_libreoffice_engine_findings_are_the_known_ones(libreoffice_build):
    found = matterhorn.check(libreoffice_build.read_bytes())
    assert Counter(f.checkpoint for f in found) == LIBREOFFICE_FINDINGS, [str(f) for f in found]
    assert [f.message for f in found if f.checkpoint == "28-009"] == ["page 2: Tabs is S, not /S"]


# What LibreOffice's export of our DOCX still fails (README, Accessibility): twelve tables with
# no header cells (one-cell boxes, the side-by-side grid, key-facts tables whose header column
# Word cannot mark), the contents page's /Tabs written as a string (S) where a name is due, and
# the line above the footer on every page after the cover (a footer paragraph's border, which
# LibreOffice paints outside any artifact, though it marks the footer's words as one).
LIBREOFFICE_FINDINGS = {"15-005": 12, "28-009": 1, "01-005": 35}


# --- each check fails the PDF it is for ---------------------------------------------------------


def struct_elements(pdf, role=None):
    found = []

    def walk(node):
        kids = node.get("/K")
        for kid in kids if isinstance(kids, Array) else [kids]:
            if isinstance(kid, Dictionary) and "/S" in kid:
                if role is None or kid.S == Name("/" + role):
                    found.append(kid)
                walk(kid)
    walk(pdf.Root.StructTreeRoot)
    return found


def first(pdf, role):
    return struct_elements(pdf, role)[0]


def append_content(pdf, page_index: int, code: bytes):
    page = pdf.pages[page_index]
    page.contents_add(pdf.make_stream(code), prepend=False)


def kids_of(element):
    kids = element.K
    return list(kids) if isinstance(kids, Array) else [kids]


def move_nested_list_out_of_its_body(pdf):
    nested = next(lst for lst in struct_elements(pdf, "L") if lst.P.S == "/LBody")
    body = nested.P
    item = body.P
    body.K = Array([kid for kid in kids_of(body) if not (isinstance(kid, Dictionary) and kid.objgen == nested.objgen)])
    item.K = Array(kids_of(item) + [nested])
    nested.P = item


def drop_colspan(pdf):
    cell = next(th for th in struct_elements(pdf, "TH") if "/ColSpan" in th.get("/A", {}))
    del cell.A["/ColSpan"]


def link_words_outside_the_link(pdf):
    link = next(e for e in struct_elements(pdf, "Link") if any(isinstance(k, int) for k in kids_of(e)))
    words = [k for k in kids_of(link) if isinstance(k, int)]
    link.K = Array([k for k in kids_of(link) if not isinstance(k, int)])
    paragraph = link.P
    paragraph.K = Array(words + [link])
    paragraph.Pg = link.Pg
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    page_key = int(link.Pg.StructParents)
    for i in range(0, len(nums), 2):
        if int(nums[i]) == page_key:
            for mcid in words:
                nums[i + 1][mcid] = paragraph


def break_parent_tree(pdf):
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    nums[3][0] = first(pdf, "Document")  # page 2's MCID 0 now names an element that does not hold it


def unembed_font(pdf):
    for font in pdf.pages[2].Resources.Font.values():
        if "/FontDescriptor" in font:
            del font.FontDescriptor["/FontFile2"]


def select_unembedded_helvetica(pdf):
    page = pdf.pages[2]
    page.Resources.Font.FHelv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                                             BaseFont=Name.Helvetica))
    append_content(pdf, 2, b"/Artifact BMC BT /FHelv 12 Tf ET EMC")


def strip_to_unicode(pdf):
    for font in pdf.pages[2].Resources.Font.values():
        font.ToUnicode = pdf.make_stream(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap endcmap end end")


def zero_in_to_unicode(pdf, value=b"0000"):
    import re
    for font in pdf.pages[2].Resources.Font.values():
        data = re.sub(rb"(<[0-9A-Fa-f]{2}>\s*)<[0-9A-Fa-f]{4}>", rb"\g<1><" + value + b">", font.ToUnicode.read_bytes())
        font.ToUnicode = pdf.make_stream(data)


def type0_font(pdf, cmap_info=None):
    """Turn a simple font into a Type0 one without CIDToGIDMap (and, given cmap_info, with an
    embedded CMap whose CIDSystemInfo differs from the font's)."""
    font = next(f for f in pdf.pages[2].Resources.Font.values() if "/FontDescriptor" in f)
    descendant = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=font.BaseFont, FontDescriptor=font.FontDescriptor,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0)))
    encoding = Name("/Identity-H")
    if cmap_info is not None:
        encoding = pdf.make_stream(b"", CIDSystemInfo=Dictionary(cmap_info), Type=Name.CMap, CMapName=Name.Custom)
    for key in list(font.keys()):
        del font[key]
    font.Type, font.Subtype, font.BaseFont = Name.Font, Name.Type0, descendant.BaseFont
    font.DescendantFonts, font.Encoding = Array([descendant]), encoding


def add_annotation(subtype, **fields):
    def change(pdf):
        page = pdf.pages[2]
        annotation = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype),
                                                  Rect=Array([0, 0, 10, 10]), **fields))
        page.obj.Annots = Array(list(page.obj.get("/Annots", [])) + [annotation])
        page.obj.Tabs = Name.S
    return change


def printer_mark_in_the_tree(pdf):
    page = pdf.pages[2]
    annotation = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.PrinterMark, Rect=Array([0, 0, 10, 10]),
                                              StructParent=900))
    page.obj.Annots = Array(list(page.obj.get("/Annots", [])) + [annotation])
    page.obj.Tabs = Name.S
    document = first(pdf, "Document")
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Annot, P=document,
                                           K=Array([Dictionary(Type=Name.OBJR, Obj=annotation)])))
    document.K = Array(kids_of(document) + [element])
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    nums.extend([900, element])


def set_role(role, new, index=0):
    def change(pdf):
        struct_elements(pdf, role)[index].S = Name("/" + new)
    return change


def set_metadata(key, value):
    def change(pdf):
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            if value is None:
                del meta[key]
            else:
                meta[key] = value
    return change


def xobjects(page):
    if "/XObject" not in page.Resources:
        page.Resources.XObject = Dictionary()
    return page.Resources.XObject


def form_with_mcids_drawn_twice(pdf):
    page = pdf.pages[2]
    form = pdf.make_stream(b"/P <</MCID 40>> BDC EMC", Type=Name.XObject, Subtype=Name.Form,
                           BBox=Array([0, 0, 1, 1]))
    xobjects(page).Twice = form
    append_content(pdf, 2, b"/Artifact BMC q /Twice Do Q q /Twice Do Q EMC")


def reference_xobject(pdf):
    page = pdf.pages[2]
    form = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 1, 1]),
                           Ref=Dictionary(F=String("other.pdf"), Page=0))
    xobjects(page).Elsewhere = form
    append_content(pdf, 2, b"/Artifact BMC /Elsewhere Do EMC")


def two_notes(same_id: bool):
    def change(pdf):
        for index, paragraph in enumerate(struct_elements(pdf, "P")[1:3]):
            paragraph.S = Name.Note
            if same_id:
                paragraph.ID = String("n1")
    return change


def optional_content(pdf):
    group = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Layer")))
    pdf.Root.OCProperties = Dictionary(OCGs=Array([group]), D=Dictionary(Order=Array([group])),
                                       Configs=Array([Dictionary(Name=String("Other"), AS=Array())]))


def embedded_file_without_uf(pdf):
    spec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("data.csv"),
                                        EF=Dictionary(F=pdf.make_stream(b"a,b\n"))))
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("data.csv"), spec])))


def two_plain_headings(pdf):
    section = first(pdf, "Document")
    for heading in struct_elements(pdf, "H1")[1:3]:
        heading.S = Name.H
        heading.P = section


MUTATIONS = {
    "01-005 painting outside marked content": ("01-005", lambda pdf: append_content(pdf, 2, b"0 0 m 5 5 l S")),
    "01-005 parent tree names the wrong element": ("01-005", break_parent_tree),
    "01-005 MarkInfo missing": ("01-005", lambda pdf: pdf.Root.__delattr__("MarkInfo")),
    "01-003 artifact inside tagged content": (
        "01-003", lambda pdf: append_content(pdf, 2, b"/P <</MCID 90>> BDC /Artifact BMC 0 0 m 1 1 l S EMC EMC")),
    "01-004 tagged content inside an artifact": (
        "01-004", lambda pdf: append_content(pdf, 2, b"/Artifact BMC /P <</MCID 91>> BDC 0 0 m 1 1 l S EMC EMC")),
    "01-007 suspects": ("01-007", lambda pdf: setattr(pdf.Root.MarkInfo, "Suspects", True)),
    "02-001 unmapped role": ("02-001", set_role("P", "Paragraphish")),
    "02-003 circular role map": ("02-003", lambda pdf: (
        setattr(pdf.Root.StructTreeRoot, "RoleMap", Dictionary(Loop=Name.Round, Round=Name.Loop)),
        set_role("P", "Loop")(pdf))),
    "02-004 standard type remapped": ("02-004", lambda pdf: setattr(
        pdf.Root.StructTreeRoot, "RoleMap", Dictionary(P=Name.H1))),
    "06-001 no metadata": ("06-001", lambda pdf: pdf.Root.__delattr__("Metadata")),
    "06-002 no PDF/UA identifier": ("06-002", set_metadata("pdfuaid:part", None)),
    "06-003 no dc:title": ("06-003", set_metadata("dc:title", None)),
    "07-001 no DisplayDocTitle": ("07-001", lambda pdf: pdf.Root.ViewerPreferences.__delattr__("DisplayDocTitle")),
    "07-002 DisplayDocTitle false": ("07-002", lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False)),
    "09-004 TD outside a TR": ("09-004", set_role("TR", "Div", 1)),
    "09-005 nested list directly in LI": ("09-005", move_nested_list_out_of_its_body),
    "09-006 TOC holding table rows": ("09-006", set_role("Table", "TOC")),
    "09-007 RB outside Ruby": ("09-007", set_role("P", "RB")),
    "09-008 WT outside Warichu": ("09-008", set_role("P", "WT")),
    "10-001 codes without Unicode": ("10-001", strip_to_unicode),
    "31-028 code mapped to U+0000": ("31-028", zero_in_to_unicode),
    "31-029 code mapped to U+FEFF": ("31-029", lambda pdf: zero_in_to_unicode(pdf, b"FEFF")),
    "31-008 font program not embedded": ("31-008", unembed_font),
    "31-008 unembedded font selected": ("31-008", select_unembedded_helvetica),
    "31-004 CIDFontType2 without CIDToGIDMap": ("31-004", type0_font),
    "31-001 CMap registry differs": ("31-001", lambda pdf: type0_font(pdf, {"/Registry": String("Other"), "/Ordering": String("Identity"), "/Supplement": 0})),
    "31-002 CMap ordering differs": ("31-002", lambda pdf: type0_font(pdf, {"/Registry": String("Adobe"), "/Ordering": String("Japan1"), "/Supplement": 0})),
    "31-003 CMap supplement higher": ("31-003", lambda pdf: type0_font(pdf, {"/Registry": String("Adobe"), "/Ordering": String("Identity"), "/Supplement": 4})),
    "11-001 no language": ("11-001", lambda pdf: pdf.Root.__delattr__("Lang")),
    "11-001 not a language tag": ("11-001", lambda pdf: setattr(pdf.Root, "Lang", String("en GB!"))),
    "11-002 alt text language": ("11-002", lambda pdf: pdf.Root.__delattr__("Lang")),
    "11-003 outline language": ("11-003", lambda pdf: pdf.Root.__delattr__("Lang")),
    "11-004 annotation language": ("11-004", lambda pdf: pdf.Root.__delattr__("Lang")),
    "11-006 metadata language": ("11-006", lambda pdf: pdf.Root.__delattr__("Lang")),
    "13-004 figure without alt": ("13-004", lambda pdf: first(pdf, "Figure").__delattr__("Alt")),
    "17-002 formula without alt": ("17-002", lambda pdf: (first(pdf, "Figure").__delattr__("Alt"), set_role("Figure", "Formula")(pdf))),
    "14-002 first heading not H1": ("14-002", set_role("H1", "H2", 0)),
    "14-003 skipped level": ("14-003", set_role("H2", "H3", 0)),
    "14-006 two H in one node": ("14-006", two_plain_headings),
    "14-007 H and Hn": ("14-007", set_role("H1", "H", 1)),
    "15-003 TH without Scope": ("15-003", lambda pdf: first(pdf, "TH").A.__delitem__("/Scope")),
    "15-005 spanning title without ColSpan (irregular)": ("15-005", drop_colspan),
    "15-005 data cells without header cells": ("15-005", lambda pdf: [setattr(th, "S", Name.TD) for th in struct_elements(pdf, "TH")]),
    "16-002 ListNumbering not allowed": ("16-002", lambda pdf: setattr(first(pdf, "L"), "A", Dictionary(O=Name.List, ListNumbering=Name.Bullets))),
    "19-003 Note without ID": ("19-003", two_notes(False)),
    "19-004 Note IDs repeated": ("19-004", two_notes(True)),
    "20-001/002/003 optional content configurations": ("20-001", optional_content),
    "20-002 config without Name": ("20-002", lambda pdf: (optional_content(pdf), pdf.Root.OCProperties.Configs[0].__delattr__("Name"))),
    "20-003 config with AS": ("20-003", optional_content),
    "21-001 embedded file without UF": ("21-001", embedded_file_without_uf),
    "28-002 annotation outside an Annot element": ("28-002", add_annotation("Text", Contents=String("note"))),
    "28-004 annotation without Contents": ("28-004", add_annotation("Square")),
    "28-005 form field without TU": ("28-005", add_annotation("Widget", FT=Name.Tx)),
    "28-007 TrapNet": ("28-007", add_annotation("TrapNet")),
    "28-008 no Tabs": ("28-008", lambda pdf: [p.obj.__delattr__("Tabs") for p in pdf.pages if "/Tabs" in p.obj]),
    "28-009 Tabs not S": ("28-009", lambda pdf: [setattr(p.obj, "Tabs", Name.R) for p in pdf.pages if "/Tabs" in p.obj]),
    "28-010 widget outside Form": ("28-010", add_annotation("Widget", TU=String("Name"))),
    "28-011 link annotation outside Link": ("28-011", set_role("Link", "Span")),
    "28-012 link without Contents": ("28-012", lambda pdf: [a.__delattr__("Contents") for p in pdf.pages for a in p.obj.get("/Annots", [])]),
    "28-016 file attachment without F and UF": ("28-016", add_annotation("FileAttachment", Contents=String("data"), FS=Dictionary(Type=Name.Filespec))),
    "28-017 printer mark in the tree": ("28-017", printer_mark_in_the_tree),
    "14.8.4.4.2 link words outside the Link": ("14.8.4.4.2", link_words_outside_the_link),
    "30-001 reference XObject": ("30-001", reference_xobject),
    "30-002 form with MCIDs drawn twice": ("30-002", form_with_mcids_drawn_twice),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_check_fails_the_pdf_it_is_for(small_pdf, name):
    expected, change = MUTATIONS[name]
    found = checkpoints(mutated(small_pdf, change))
    assert expected in found, (name, found)


def test_every_checkpoint_function_is_proven_by_a_mutation():
    proven = {cp for cp, _ in MUTATIONS.values()}
    for function in matterhorn.CHECKPOINTS:
        ids = set(__import__("re").findall(r"\d\d-\d\d\d|14\.8\.4\.4\.2", function.__name__.replace("_cp_", "").replace("_", "-") + " " + (function.__doc__ or "")))
        assert ids, function.__name__
        assert ids & proven, function.__name__


def test_the_original_issue_22_findings_are_reported_before_the_fix(small_pdf):
    # The three mistakes of issue 22 put back, each reported under its own checkpoint.
    def old_tagging(pdf):
        move_nested_list_out_of_its_body(pdf)
        drop_colspan(pdf)
        link_words_outside_the_link(pdf)
    found = [f.checkpoint for f in matterhorn.check(mutated(small_pdf, old_tagging))]
    assert sorted(found) == ["09-005", "14.8.4.4.2", "14.8.4.4.2", "15-005"]  # one link was in running text already


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(report=reports)
def test_random_documents_have_no_errors(report):
    # The property test's random documents (any Unicode, nesting, spans, side-by-side columns);
    # links in their running text still give the body-link warning, so only errors count here.
    matterhorn.assert_clean(render_documents(report, ["pdf"], cache_dir=False)["pdf"])


def test_a_line_break_in_the_organisation_is_not_drawn_as_a_missing_glyph():
    # Found by the random documents: the page footer drew "\n" as .notdef, whose Unicode is U+0000.
    report = c.report("Title", "Example\nCSP", c.section("One", "Words."), contents=False)
    matterhorn.assert_clean(render_documents(report, ["pdf"], cache_dir=False)["pdf"])
