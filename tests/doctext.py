"""The words a report should show, and the words a rendered PDF and DOCX do show.

Both writers are checked against the same expectation: the text of every block of the prepared
report (after ``replace_unsupported``, so a character the font lacks is expected as □), in
reading order. Comparison is on whitespace-free strings because line breaking,
justification and Word's runs move whitespace around; the order is what makes a short string
like "a" mean something, since it must be found after everything drawn before it.
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from typing import Iterable, Iterator

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx.oxml.ns import qn
from lxml import etree

from assessment import model
from assessment.api import theme_for
from assessment.theme import covered_codepoints
from assessment.transforms import glossary_table, data_sources_list, prepare, replace_unsupported

BREAK = "\x00"  # a hyphen the PDF writer added at a line break (the text itself cannot hold NUL: □)

_covered: dict[str, frozenset[int]] = {}


def _spelt_out(ch: str) -> str:
    # PDFium reads ligatures and presentation forms (U+FB00-U+FDFF, U+FE70-U+FEFF) as the
    # letters they stand for (ﬁ as fi), so both sides are compared that way.
    return unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" else ch


def squash(text: str) -> str:
    """Whitespace removed, zero-width space included (PDFium drops one where a line breaks).
    Soft hyphens too: they are line-break opportunities reportlab does not draw unless it
    breaks there."""
    return "".join(_spelt_out(ch) for ch in text if not ch.isspace() and ch not in "\u00ad\u200b")


def prepared(report: model.Report):
    """The report as the writers receive it."""
    theme = theme_for(report)
    if report.style not in _covered:
        _covered[report.style] = covered_codepoints(theme)
    cleaned, _ = replace_unsupported(report, _covered[report.style])
    return prepare(cleaned)


def _inline(spans) -> str:
    # Both writers show a placeholder as its text in brackets.
    return "".join(f"[{s.text}]" if isinstance(s, model.Placeholder) else s.text for s in spans)


def _blocks(blocks, ready) -> Iterator[str]:
    for node in blocks:
        yield from _block(node, ready)


def _block(node, ready) -> Iterator[str]:
    if isinstance(node, model.Paragraph):
        yield _inline(node.spans)
    elif isinstance(node, model.BulletList):
        for item in node.items:
            yield _inline(item.paragraph.spans)
            if item.children:
                yield from _block(item.children, ready)
    elif isinstance(node, model.Section):
        yield node.title
        yield from _blocks(node.blocks, ready)
    elif isinstance(node, model.Table):
        for row in node.header_rows + node.rows:
            for cell in row:
                yield from _blocks(cell.blocks, ready)
        if node.caption:
            yield node.caption
    elif isinstance(node, model.Chart):
        if not node.available:
            yield "Data not available"
            yield node.title
            if node.unavailable_reason:
                yield node.unavailable_reason
        yield ready.caption(node)
    elif isinstance(node, model.KeyFacts):
        for fact in node.rows:
            yield fact.label
            yield from _blocks(fact.blocks, ready)
    elif isinstance(node, model.Callout):
        yield node.title
        yield node.heading
        yield from _blocks(node.blocks, ready)
    elif isinstance(node, model.SideBySide):
        for column in node.columns:
            yield from _blocks(column, ready)
    elif isinstance(node, model.Signature):
        yield node.name
        yield node.role
    elif isinstance(node, model.Contents):
        yield "Contents"
    elif isinstance(node, model.Glossary):
        yield from _block(glossary_table(node), ready)
    elif isinstance(node, model.DataSources):
        yield from _block(data_sources_list(node), ready)
    else:
        raise TypeError(f"no expected text for {type(node).__name__}: teach tests/doctext.py about it")


def expected(report: model.Report) -> list[str]:
    """Every block's text, whitespace-free, in the order both writers draw it."""
    ready = prepared(report)
    cover = ready.report.cover
    texts = [cover.organisation, cover.title, *_blocks(ready.report.blocks, ready)]
    return [s for s in map(squash, texts) if s]


def _reading_order(data: bytes) -> list[tuple[int, int]]:
    """(page index, MCID) of every marked-content sequence, in structure-tree order."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        order: list[tuple[int, int]] = []

        def visit(element, page):
            page = element.get("/Pg", page)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, int):
                    order.append((pages[page.objgen], kid))
                elif kid.get("/Type") == "/MCR":
                    order.append((pages[kid.get("/Pg", page).objgen], int(kid.MCID)))
                elif kid.get("/Type") != "/OBJR":  # link annotations carry no text
                    visit(kid, page)

        visit(pdf.Root.StructTreeRoot, None)
        return order


def _mark(obj) -> tuple[int | None, bool]:
    """The MCID of a page object's marked-content sequence, and whether it is an artifact."""
    mcid, artifact = None, False
    for index in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, index)
        size = ctypes.c_ulong()
        pdfium_c.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(size))
        name = ctypes.create_string_buffer(size.value)
        pdfium_c.FPDFPageObjMark_GetName(mark, ctypes.cast(name, ctypes.POINTER(ctypes.c_ushort)), size.value, ctypes.byref(size))
        artifact = artifact or name.raw[:size.value].decode("utf-16-le").rstrip("\x00") == "Artifact"
        value = ctypes.c_int()
        if pdfium_c.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(value)):
            mcid = value.value
    return mcid, artifact


def _runs(data: bytes):
    """(page index, MCID, artifact, baseline, text, font size) of every run of text, in drawing order."""
    document = pdfium.PdfDocument(data)
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()

            def objects(get, count, inherited):
                for index in range(count):
                    obj = get(index)
                    mcid, artifact = _mark(obj)
                    # Marks on a form XObject (the contents page's page numbers) hold for what it draws.
                    mcid, artifact = (inherited[0] if mcid is None else mcid), inherited[1] or artifact
                    kind = pdfium_c.FPDFPageObj_GetType(obj)
                    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                        yield from objects(lambda i, form=obj: pdfium_c.FPDFFormObj_GetObject(form, i),
                                           pdfium_c.FPDFFormObj_CountObjects(obj), (mcid, artifact))
                    elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                        size = pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
                        text = ctypes.create_string_buffer(size)
                        pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, ctypes.cast(text, ctypes.POINTER(ctypes.c_ushort)), size)
                        matrix = pdfium_c.FS_MATRIX()
                        pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                        font_size = ctypes.c_float()
                        pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(font_size))
                        yield (number, mcid, artifact, matrix.f, text.raw[:size].decode("utf-16-le").rstrip("\x00"),
                               font_size.value)

            yield from objects(lambda i: pdfium_c.FPDFPage_GetObject(page.raw, i), pdfium_c.FPDFPage_CountObjects(page.raw),
                               (None, False))
    finally:
        document.close()


def page_runs(data: bytes) -> list[list[tuple[str, float]]]:
    """Each page's runs of text, artifacts included, as (text, font size)."""
    pages: list[list[tuple[str, float]]] = []
    for page, _, _, _, text, size in _runs(data):
        pages.extend([] for _ in range(page + 1 - len(pages)))
        pages[page].append((text, size))
    return pages


def _plumber_runs(data: bytes) -> list:
    """What ``_runs`` gives, one character a run, read by pdfplumber (slower, no reordering)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(number, ch.get("mcid"), ch.get("tag") == "Artifact", -ch["top"], ch["text"], ch["size"])
                for number, page in enumerate(pdf.pages) for ch in page.chars]


def pdf_text(data: bytes) -> str:
    """The PDF's text as its structure tree reads it, whitespace-free.

    Structure order rather than position or drawing order: a table row split across a page
    draws the first part of every cell, then the rest of every cell, and pdfplumber's line
    grouping interleaves neighbouring cells; the tree gives each paragraph's parts in order.
    Artifacts (page footers, the watermark, a repeated header row) are not in the tree. Text
    that is neither tagged nor an artifact is an error of its own, raised here. PDFium reads
    the text and its marks, ten times faster than pdfplumber.
    """
    runs = list(_runs(data))
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for run in runs for ch in run[4]):
        # PDFium puts right-to-left text in visual order; reportlab drew it in logical order,
        # which pdfplumber reads as drawn.
        runs = _plumber_runs(data)
    marks: dict[tuple[int, int], list] = {}
    untagged = []
    for page, mcid, artifact, baseline, text, _ in runs:
        if mcid is not None and not artifact:
            marks.setdefault((page, mcid), []).append((page, baseline, text))
        elif not artifact and not text.isspace():
            untagged.append(text)
    if untagged:
        raise AssertionError(f"text drawn outside the structure tree and not an artifact: {untagged!r}")
    runs = [run for mark in _reading_order(data) for run in marks.pop(mark, ())]
    assert not marks, f"marked content the structure tree does not reach: {sorted(marks)}"
    out = []
    for (page, baseline, text), following in zip(runs, runs[1:] + [(None, None, "")]):
        # reportlab draws a soft hyphen as "-" where it breaks a line there (and not at all
        # elsewhere); mark those so ``missing`` can tell them from the text's own hyphens.
        # PDFium reports a hyphen that ends a line as U+0002 itself.
        # (A line's run may end in the space reportlab leaves after the hyphen: "00- ".)
        text = text.replace("\x02", BREAK).rstrip()
        if text.endswith("-") and (following[0] != page or abs(following[1] - baseline) > 1):
            text = text[:-1] + BREAK
        out.append(text)
    return squash("".join(out))


_TEXT = qn("w:t")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")


def docx_text(data: bytes) -> str:
    """The DOCX body's text in document order (paragraphs, table cells, hyperlinks), whitespace-free."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    # Word's non-breaking hyphen is an element of its own, read (and copied) as a hyphen.
    return squash("".join("-" if node.tag == _NO_BREAK_HYPHEN else node.text or ""
                          for node in root.iter(_TEXT, _NO_BREAK_HYPHEN)))


def _pattern(text: str) -> re.Pattern:
    # A line-end hyphen may stand between any two characters, or be the text's own hyphen.
    # Lazily: a text ending in its own hyphen at a line end ("P-" drawn as "P" + break) must not
    # also take the next text's leading hyphen ("-]#…"), which a greedy break would swallow.
    chars = (f"[-{BREAK}]" if ch == "-" else re.escape(ch) for ch in text)
    return re.compile(f"{BREAK}??".join(chars))


def missing(texts: Iterable[str], document: str) -> list[str]:
    """The expected strings not found in order: each must appear after the previous one."""
    lost, position = [], 0
    for text in texts:
        found = document.find(text, position) if BREAK not in document else -1
        if found >= 0:
            position = found + len(text)
            continue
        match = _pattern(text).search(document, position)
        if match is None:
            lost.append(text)
        else:
            position = match.end()
    return lost


def image_sizes(data: bytes) -> list[list[tuple[int, int]]]:
    """Each page's pictures as drawn, (width, height) in points, pictures inside forms included:
    what pdfplumber's ``page.images`` gives, a hundred times faster."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages = []
    for page in pdfium.PdfDocument(data):
        sizes = []
        for picture in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
            left, bottom, right, top = picture.get_bounds()
            sizes.append((round(right - left), round(top - bottom)))
        pages.append(sizes)
    return pages
