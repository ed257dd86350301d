"""The document tree: ``walk``'s reading order, and every node class reaching both writers."""

import io
import typing

import attrs
import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

import doctext
from assessment import model as m
from assessment.api import render_documents
from assessment.render.docx import DocxWriter
from assessment.render.html import HtmlWriter
from assessment.render.pdf import PdfWriter

# --- walk ---------------------------------------------------------------------------------


def para(text):
    return m.Paragraph.of(text)


def test_walk_yields_every_block_in_reading_order_with_its_parents():
    in_cell, header = para("in a cell"), para("header")
    table = m.Table((m.Column(),), ((m.Cell((header,)),),), ((m.Cell((in_cell,)),),))
    fact = para("fact")
    facts = m.KeyFacts((m.KeyFact("Label", (fact, table)),))
    left, right = para("left"), para("right")
    columns = m.SideBySide(((left,), (right,)))
    boxed = para("boxed")
    callout = m.Callout("T", "H", (boxed,))
    inner = m.Section("Inner", (columns,), level=2)
    outer = m.Section("Outer", (facts, callout, inner))
    after = para("after")
    walked = list(m.walk((outer, after)))
    assert walked == [
        (outer, ()),
        (facts, (outer,)),
        (fact, (outer, facts)),
        (table, (outer, facts)),
        (header, (outer, facts, table)),  # header rows before body rows
        (in_cell, (outer, facts, table)),
        (callout, (outer,)),
        (boxed, (outer, callout)),
        (inner, (outer,)),
        (columns, (outer, inner)),
        (left, (outer, inner, columns)),  # left column, then right
        (right, (outer, inner, columns)),
        (after, ()),
    ]


def test_walk_treats_lists_and_leaves_as_single_blocks():
    bullets = m.BulletList((m.ListItem(para("one"), m.BulletList.of("nested")),))
    leaves = (bullets, m.Chart("c", "bar", "T", None), m.Signature("N", "R"), m.Contents(),
              m.Glossary((m.GlossaryEntry("A", "B"),)), m.DataSources(("S",)))
    assert list(m.walk(leaves)) == [(leaf, ()) for leaf in leaves]
    assert list(m.walk(())) == []


def test_walk_starts_from_the_parents_it_is_given():
    section = m.Section("S", ())
    assert list(m.walk((para("x"),), (section,))) == [(para("x"), (section,))]


# --- node classes and the writers ---------------------------------------------------------

BLOCKS = typing.get_args(m.Block)
INLINES = typing.get_args(m.Inline)
# Reachable classes that are parts of a block, drawn by that block's visitor, not blocks themselves.
PARTS = {m.Report, m.Cover, m.Logo, m.ListItem, m.Cell, m.Column, m.KeyFact, m.GlossaryEntry}


def reachable(tp, seen=None) -> set:
    """Every model class reachable from ``tp`` through field annotations."""
    seen = set() if seen is None else seen
    for arg in typing.get_args(tp):
        reachable(arg, seen)
    if isinstance(tp, type) and attrs.has(tp) and tp.__module__ == m.__name__ and tp not in seen:
        seen.add(tp)
        for hint in typing.get_type_hints(tp).values():
            reachable(hint, seen)
    return seen


def test_every_class_in_the_tree_is_a_block_an_inline_span_or_a_known_part():
    assert {m.Paragraph, m.Section, m.SideBySide, m.Table} <= set(BLOCKS) and set(INLINES) == {m.Text, m.Placeholder}
    unclassified = reachable(m.Report) - set(BLOCKS) - set(INLINES) - PARTS
    assert not unclassified, f"add {unclassified} to Block or Inline (with visitors), or to PARTS here"


@pytest.mark.parametrize("writer", [PdfWriter, DocxWriter, HtmlWriter])
def test_every_block_type_has_a_visitor_and_every_visitor_a_block_type(writer):
    visitors = {name.removeprefix("visit_") for name in dir(writer) if name.startswith("visit_")}
    assert visitors == {cls.__name__ for cls in BLOCKS}
    assert all(callable(getattr(writer, f"visit_{cls.__name__}")) for cls in BLOCKS)


URL = "https://example.org/span"


def span_variants():
    """One span of each inline class per way it can be shown, each with its own sentinel word."""
    spans = []
    for cls in INLINES:
        fields = {f.name: f for f in attrs.fields(cls)}
        known = {"text", "bold", "italic", "href"}
        assert set(fields) <= known, f"teach this test how {set(fields) - known} of {cls.__name__} shows"
        spans.append(cls(text=f"{cls.__name__}plainsentinel"))
        for name in sorted(set(fields) - {"text"}):
            value = URL if name == "href" else True
            spans.append(cls(text=f"{cls.__name__}{name}sentinel", **{name: value}))
    return spans


@pytest.fixture(scope="module")
def span_documents():
    spans = span_variants()
    def paragraph():
        return m.Paragraph(tuple(s for span in spans for s in (span, m.Text(" "))))
    body = (m.Section("Spans", (
        paragraph(),
        m.BulletList((m.ListItem(paragraph()),)),
        m.Table((m.Column(),), ((m.Cell.of("Head"),),), ((m.Cell((paragraph(),)),),)),
        m.KeyFacts((m.KeyFact("Label", (paragraph(),)),)),
    )),)
    report = m.Report(m.Cover("O", "T"), body, title="T")
    return report, spans, render_documents(report, ["pdf", "docx", "html"], draft=True, cache_dir=False)


def test_every_inline_span_type_reaches_both_formats_in_every_container(span_documents):
    report, spans, documents = span_documents
    assert len(spans) == 5  # Text plain, bold, italic, link; Placeholder
    expected = doctext.expected(report)
    assert sum("sentinel" in text for text in expected) == 4  # paragraph, list item, cell, key fact
    assert doctext.missing(expected, doctext.pdf_text(documents["pdf"])) == []
    assert doctext.missing(expected, doctext.docx_text(documents["docx"])) == []


def test_span_formatting_reaches_the_pdf(span_documents):
    _, spans, documents = span_documents
    with pdfplumber.open(io.BytesIO(documents["pdf"])) as pdf:
        page = pdf.pages[1]
        text = "".join(ch["text"] for ch in page.chars)
        fonts = {}
        for span in spans:
            start = text.index(span.text)
            fonts[span.text] = {ch["fontname"].split("+")[-1] for ch in page.chars[start:start + len(span.text)]}
        links = [a["uri"] for a in page.annots if a.get("uri")]
    assert fonts["Textboldsentinel"] == {"LiberationSans-Bold"}
    assert fonts["Textitalicsentinel"] == {"LiberationSans-Italic"}
    assert fonts["Textplainsentinel"] == fonts["Texthrefsentinel"] == {"LiberationSans"}
    assert links.count(URL) == 4  # one link in each container
    assert "[Placeholderplainsentinel]" in text


def test_span_formatting_reaches_the_docx(span_documents):
    _, _, documents = span_documents
    document = docx.Document(io.BytesIO(documents["docx"]))
    body = document.element.body
    runs = {}
    for run in body.iter(qn("w:r")):
        words = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if "sentinel" in words:
            runs.setdefault(words, []).append(run)
    assert {words: len(found) for words, found in runs.items()} == {
        "Textplainsentinel": 4, "Textboldsentinel": 4, "Textitalicsentinel": 4, "Texthrefsentinel": 4,
        "[Placeholderplainsentinel]": 4}

    def has(run, tag):
        return run.find(f"{qn('w:rPr')}/{qn(tag)}") is not None

    assert all(has(r, "w:b") for r in runs["Textboldsentinel"])
    assert all(has(r, "w:i") for r in runs["Textitalicsentinel"])
    assert not any(has(r, "w:b") or has(r, "w:i") for r in runs["Textplainsentinel"])
    assert all(has(r, "w:shd") for r in runs["[Placeholderplainsentinel]"])  # shaded in the style's placeholder fill
    for run in runs["Texthrefsentinel"]:
        link = run.getparent()
        assert link.tag == qn("w:hyperlink")
        assert document.part.rels[link.get(qn("r:id"))].target_ref == URL


def test_span_formatting_reaches_the_html(span_documents):
    import lxml.html

    _, _, documents = span_documents
    page = lxml.html.fromstring(documents["html"])
    main = page.get_element_by_id("main")

    def holders(words):
        return [e for e in main.iter() if e.text == words]

    assert {words: len(holders(words)) for words in ("Textplainsentinel", "Textboldsentinel", "Textitalicsentinel",
                                                     "Texthrefsentinel", "[Placeholderplainsentinel]")} == {
        "Textplainsentinel": 0, "Textboldsentinel": 4, "Textitalicsentinel": 4, "Texthrefsentinel": 4,
        "[Placeholderplainsentinel]": 4}  # plain words are part of their paragraph's text
    assert main.text_content().count("Textplainsentinel") == 4
    assert {e.tag for e in holders("Textboldsentinel")} == {"strong"}
    assert {e.tag for e in holders("Textitalicsentinel")} == {"em"}
    assert {(e.tag, e.get("href")) for e in holders("Texthrefsentinel")} == {("a", URL)}
    assert {e.tag for e in holders("[Placeholderplainsentinel]")} == {"mark"}
