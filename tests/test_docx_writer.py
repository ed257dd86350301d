"""The DOCX writer's XML stays in render/oxml.py, and the package says what made it and whose it
is, with nothing left over from python-docx's template."""

import ast
import importlib.metadata
import io
import re
import zipfile
from pathlib import PurePosixPath

import docx
import pytest
from lxml import etree

from assessment import compose as c
from assessment.api import render_documents
from assessment.render import docx as docx_writer, oxml
from conftest import ROOT

WRITER = ROOT / "assessment" / "render" / "docx.py"
OXML = ROOT / "assessment" / "render" / "oxml.py"

EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


# python-docx's internals only in oxml.py

def internals_used(source: str) -> list[str]:
    """Where ``source`` reaches past python-docx's API: ``x._name`` on anything but ``self``,
    ``x.element``, an lxml import, or python-docx's XML layer imported to build XML."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            own = isinstance(node.value, ast.Name) and node.value.id == "self"
            if (node.attr.startswith("_") and not own) or node.attr == "element":
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] == "lxml" or a.name.startswith("docx.oxml")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] == "lxml" or module.startswith("docx.oxml") \
                    or any(a.name == "etree" for a in node.names):
                found.append(f"line {node.lineno}: from {module} import …")
    return found


def test_the_check_catches_each_way_past_the_api():
    bad = [
        "cell._tc.append(x)", "paragraph._p.style = 'x'", "run._r", "table._tbl.tblPr", "row._tr",
        "inline._inline.docPr", "doc.settings.element", "doc.styles._element",
        "self.document.part._rels", "import lxml.etree", "from lxml import etree",
        "from docx.oxml import OxmlElement", "from docx.oxml.ns import qn", "import docx.oxml",
    ]
    for snippet in bad:
        assert internals_used(snippet), snippet
    assert internals_used("self._styles[name]\nself._paragraph(into, 'x')\nrun.font.bold = True") == []


def test_docx_visitors_use_only_python_docx_api():
    assert internals_used(WRITER.read_text(encoding="utf-8")) == []


def test_oxml_builds_with_oxml_element_and_one_foreign_helper():
    """lxml's own constructors only where python-docx cannot name the namespace, and in the one
    helper that makes python-docx's elements in place (tests/test_oxml_bypasses.py checks it)."""
    tree = ast.parse(OXML.read_text(encoding="utf-8"))
    uses = {}
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id == "etree":
                uses.setdefault(function.name, 0)
                uses[function.name] += 1
    assert set(uses) == {"_foreign", "_new_child"}
    assert "f'<" not in OXML.read_text() and 'f"<' not in OXML.read_text()  # no XML as text


# properties

@pytest.fixture(scope="module")
def medway_parts(medway_build):
    with zipfile.ZipFile(medway_build["docx"]) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_app_properties_name_this_program_and_the_partnership(medway_parts):
    app = etree.fromstring(medway_parts["docProps/app.xml"])
    assert app.tag == EP + "Properties"
    values = {child.tag.removeprefix(EP): child.text for child in app}
    assert values["Application"] == "assessment"
    assert values["Company"] == "Medway Community Safety Partnership"
    assert values["AppVersion"] == oxml.app_version(importlib.metadata.version("assessment"))
    assert re.fullmatch(r"\d\d\.\d{4}", values["AppVersion"])
    # The template's counts (1 page, 0 words) and parts list would be wrong; none is guessed.
    assert set(values) == {"Application", "Company", "AppVersion"}
    assert b"Microsoft" not in medway_parts["docProps/app.xml"]


def test_core_properties_come_from_the_report(medway_parts):
    core = etree.fromstring(medway_parts["docProps/core.xml"])

    def text(name):
        found = core.findall(name, CORE)
        assert len(found) == 1, name
        return found[0].text

    assert text("dc:title") == "Medway Community Safety Partnership Strategic Assessment 2022"
    assert text("dc:subject") == "Annual strategic assessment of crime, anti-social behaviour and reoffending in Medway"
    assert text("dc:creator") == "Medway Community Safety Partnership"
    assert text("cp:lastModifiedBy") == "Medway Community Safety Partnership"
    assert text("dc:language") == "en-GB"
    assert text("cp:keywords") == "Community Safety Partnership; Strategic Assessment"
    assert text("dcterms:created") == text("dcterms:modified") == "2022-12-01T00:00:00Z"
    for leftover in ("cp:lastPrinted", "cp:category", "dc:description"):
        assert core.findall(leftover, CORE) == [], leftover
    assert [child.tag for child in core if not (child.text or "").strip()] == []


def test_no_template_leftovers_in_the_package(medway_parts):
    names = set(medway_parts)
    assert not [n for n in names if n.startswith("customXml/")]  # the template's empty bibliography
    assert "word/stylesWithEffects.xml" not in names  # Word 2010's copy of the template's styles
    assert not [n for n in names if "thumbnail" in n.lower()]
    assert "word/glossary/document.xml" not in names
    # Every part is declared and reached, and every declared or reached part is there.
    types = etree.fromstring(medway_parts["[Content_Types].xml"])
    overrides = {e.get("PartName").lstrip("/") for e in types if e.get("PartName")}
    assert overrides <= names
    targets = set()
    for rels_name in (n for n in names if n.endswith(".rels")):
        base = PurePosixPath(rels_name).parent.parent
        for rel in etree.fromstring(medway_parts[rels_name]):
            if rel.get("TargetMode") != "External":
                target = PurePosixPath(base, rel.get("Target"))
                targets.add(str(target).lstrip("./"))
    assert targets == names - {n for n in names if n.endswith(".rels")} - {"[Content_Types].xml"}


def test_settings_keep_nothing_of_the_template_and_speak_the_report_language(medway_parts):
    settings = etree.fromstring(medway_parts["word/settings.xml"])
    for leftover in (W + "rsids", W + "proofState", W14 + "docId"):
        assert settings.find(leftover) is None, leftover
    assert settings.find(W + "updateFields") is None  # an official build; a draft's asks (test_drafts_and_api)
    theme_lang = settings.find(W + "themeFontLang")
    assert dict(theme_lang.attrib) == {W + "val": "en-GB"}


@pytest.mark.parametrize("version, expected", [
    ("0.1.0", "00.0100"), ("1.2.3", "01.0203"), ("2.10", "02.1000"), ("0.3.0.dev4", "00.0300"),
    ("100.0.0", None), ("1.100.0", None), ("unknown", None),
])
def test_app_version_is_the_schemas_xx_yyyy(version, expected):
    assert oxml.app_version(version) == expected


def test_without_package_metadata_no_version_is_claimed(monkeypatch):
    # installed_version (assessment/versions.py) finds no metadata (tests/test_startup.py checks it against
    # importlib.metadata, a missing package included).
    monkeypatch.setattr(docx_writer, "installed_version", lambda name: None)
    report = c.report("Summary 2024", "Exampleton Community Safety Partnership",
                      c.section("Crime", "Fewer crimes."), contents=False)
    data = render_documents(report, ["docx"], cache_dir=False)["docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
    values = {child.tag.removeprefix(EP): child.text for child in app}
    assert values == {"Application": "assessment", "Company": "Exampleton Community Safety Partnership"}
    assert docx.Document(io.BytesIO(data)).core_properties.author == "Exampleton Community Safety Partnership"


def test_no_table_touches_the_next_so_word_keeps_them_apart(medway_docx):
    # Two tables with nothing between them are one table to Word and LibreOffice: the second's
    # repeated header became the first's at a page break (the Crime Severity table, page 13).
    touching = medway_docx.element.body.xpath(".//w:tbl[following-sibling::*[1][self::w:tbl]]")
    assert touching == []
    assert len(medway_docx.element.body.xpath("./w:tbl")) >= 10


def test_a_row_or_box_splits_only_when_it_is_taller_than_a_page():
    from assessment import compose as c
    from assessment.api import render_documents
    long_cell = "Partners met monthly to review the cases of the highest risk. " * 90  # about two pages
    report = c.report("T", "O", c.section(
        "S",
        c.callout("Short", ["One aim.", "Another aim."]),
        c.callout("Long", [f"Aim number {i} with some words to it" for i in range(120)]),
        c.table([{"a": "short", "b": "row"}, {"a": "long", "b": long_cell}, {"a": "short", "b": "again"}])),
        contents=False)
    document = docx.Document(io.BytesIO(render_documents(report, ["docx"], cache_dir=False)["docx"]))
    kept_whole = [[bool(tr.xpath("./w:trPr/w:cantSplit")) for tr in table._tbl.tr_lst] for table in document.tables[1:]]
    # short box kept whole; the 120-aim box free to split; in the table only the two-page row is.
    assert kept_whole == [[True], [False], [True, True, False, True]]


def test_the_footer_has_the_pdfs_line_above_it(medway_docx):
    # layout.footer().rule, realised by both writers: here a top border on the footer's paragraph.
    border = medway_docx.sections[0].footer.paragraphs[0]._p.xpath("./w:pPr/w:pBdr/w:top")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert len(border) == 1 and border[0].get(w + "val") == "single" and border[0].get(w + "sz") == "6"  # 0.75 pt
