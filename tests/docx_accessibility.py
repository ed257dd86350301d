"""A checker of a DOCX against what Word's Accessibility Checker and the GOV.UK guidance on
accessible documents ask, for the rules that can be read from the file: each a function that
returns its findings, proven by a small DOCX that fails it (tests/test_docx_accessibility.py).

The rules:
- ``title``: the document has a title (core property) and the report's title is a paragraph in
  Word's Title style, not only large text;
- ``contents-links``: each contents entry is a link to a bookmark that exists (as Word's own
  contents entries are), so a reader can go to the section;
- ``fake-headings``: text set large and bold as a heading (at least ``heading_from`` points, all
  bold, a paragraph of its own) is a heading to assistive technology: a Heading, Title or
  Subtitle, or an outline level;
- ``draft-says-so``: a document with a watermark says what it says in the text of its first
  page (a watermark is not read out);
- ``small-text``: no text below 12 points, unless at a size the style deliberately sets;
- ``bare-addresses``: a web address in the text is a link;
- ``alt-text``: every picture has a description;
- ``language``: the document says its language.
"""

from __future__ import annotations

import io
import re
import zipfile

import attrs
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "v": "urn:schemas-microsoft-com:vml", "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/"}
MIN_SIZE = 12.0
ADDRESS = re.compile(r"(?:https?://|www\.)[^\s)]+", re.IGNORECASE)


@attrs.frozen
class Finding:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text(element) -> str:
    return "".join(element.xpath(".//w:t/text()", namespaces=NS))


class _Document:
    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            self.body = etree.fromstring(package.read("word/document.xml")).find(_w("body"))
            self.styles = etree.fromstring(package.read("word/styles.xml"))
            self.core = etree.fromstring(package.read("docProps/core.xml")) if "docProps/core.xml" in names else None
            self.headers = [etree.fromstring(package.read(n)) for n in sorted(names) if re.fullmatch(r"word/header\d*\.xml", n)]
        self.style_by_id = {s.get(_w("styleId")): s for s in self.styles.iter(_w("style"))}

    def style_name(self, style_id: str | None) -> str:
        style = self.style_by_id.get(style_id or "Normal")
        name = style.find(_w("name")) if style is not None else None
        return (name.get(_w("val")) if name is not None else style_id or "").lower()

    def paragraph_style(self, paragraph) -> str | None:
        found = paragraph.find("w:pPr/w:pStyle", NS)
        return found.get(_w("val")) if found is not None else None

    def style_chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id not in seen and style_id in self.style_by_id:
            seen.add(style_id)
            yield self.style_by_id[style_id]
            based = self.style_by_id[style_id].find(_w("basedOn"))
            style_id = based.get(_w("val")) if based is not None else None

    def outline_level(self, paragraph) -> int | None:
        own = paragraph.find("w:pPr/w:outlineLvl", NS)
        if own is not None:
            return int(own.get(_w("val")))
        for style in self.style_chain(self.paragraph_style(paragraph) or "Normal"):
            found = style.find("w:pPr/w:outlineLvl", NS)
            if found is not None:
                return int(found.get(_w("val")))
        return None

    def run_size(self, run, paragraph) -> float | None:
        """A run's size in points: its own, else its paragraph style's (through basedOn), else the defaults'."""
        own = run.find("w:rPr/w:sz", NS)
        if own is not None:
            return int(own.get(_w("val"))) / 2
        for style in self.style_chain(self.paragraph_style(paragraph) or "Normal"):
            found = style.find("w:rPr/w:sz", NS)
            if found is not None:
                return int(found.get(_w("val"))) / 2
        default = self.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
        return int(default.get(_w("val"))) / 2 if default is not None else None

    def run_bold(self, run, paragraph) -> bool:
        own = run.find("w:rPr/w:b", NS)
        if own is not None:
            return own.get(_w("val"), "1") not in ("0", "false")
        for style in self.style_chain(self.paragraph_style(paragraph) or "Normal"):
            found = style.find("w:rPr/w:b", NS)
            if found is not None:
                return found.get(_w("val"), "1") not in ("0", "false")
        return False


def check(data: bytes, *, allowed_sizes=(), heading_from: float = 14.0) -> list[Finding]:
    doc = _Document(data)
    found: list[Finding] = []
    paragraphs = list(doc.body.iter(_w("p")))

    # title
    title = doc.core.find("dc:title", NS) if doc.core is not None else None
    if title is None or not (title.text or "").strip():
        found.append(Finding("title", "the document has no title property"))
    if not any(doc.style_name(doc.paragraph_style(p)) == "title" and _text(p).strip() for p in paragraphs):
        found.append(Finding("title", "no paragraph in the Title style: the report's title is only large text"))

    # contents-links
    bookmarks = {b.get(_w("name")) for b in doc.body.iter(_w("bookmarkStart"))}
    for paragraph in paragraphs:
        if re.fullmatch(r"toc \d", doc.style_name(doc.paragraph_style(paragraph))) and _text(paragraph).strip():
            anchors = [link.get(_w("anchor")) for link in paragraph.iter(_w("hyperlink"))]
            if not anchors or any(a not in bookmarks for a in anchors):
                found.append(Finding("contents-links", f"contents entry {_text(paragraph)!r} is not a link to a heading"))

    # fake-headings
    for paragraph in paragraphs:
        runs = [r for r in paragraph.findall("w:r", NS) if _text(r).strip()]
        if not runs:
            continue
        sizes = [doc.run_size(r, paragraph) or 0 for r in runs]
        if min(sizes) >= heading_from and all(doc.run_bold(r, paragraph) for r in runs):
            style = doc.style_name(doc.paragraph_style(paragraph))
            if not (style.startswith("heading") or style in ("title", "subtitle", "toc heading")
                    or doc.outline_level(paragraph) is not None):
                found.append(Finding("fake-headings", f"{_text(paragraph)[:60]!r} looks like a heading but is not one"))

    # draft-says-so
    marks = [m for header in doc.headers for m in header.xpath(".//v:textpath/@string", namespaces=NS)]
    if marks:
        first_page = []
        for element in doc.body:
            if element.tag == _w("p") and (element.find("w:pPr/w:pageBreakBefore", NS) is not None
                                          or element.find(".//w:br[@w:type='page']", NS) is not None):
                break
            first_page.append(_text(element))
        if not any(mark.lower() in " ".join(first_page).lower() for mark in marks):
            found.append(Finding("draft-says-so", f"the watermark says {marks[0]!r}; the first page's text does not"))

    # small-text
    allowed = {float(size) for size in allowed_sizes}
    small = set()
    for paragraph in paragraphs:
        for run in paragraph.iter(_w("r")):
            size = doc.run_size(run, paragraph)
            if _text(run).strip() and size is not None and size < MIN_SIZE and size not in allowed:
                small.add(size)
    for size in sorted(small):
        found.append(Finding("small-text", f"text at {size:g} pt, below {MIN_SIZE:g} pt, at a size the style does not set"))

    # bare-addresses
    for paragraph in paragraphs:
        outside = "".join(_text(r) for r in paragraph.findall("w:r", NS))  # runs not inside a w:hyperlink
        for address in ADDRESS.findall(outside):
            found.append(Finding("bare-addresses", f"{address!r} is written out but is not a link"))

    # alt-text
    for picture in doc.body.iter(f"{{{NS['wp']}}}docPr"):
        if not (picture.get("descr") or "").strip():
            found.append(Finding("alt-text", f"picture {picture.get('name')!r} has no description"))

    # language
    if doc.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS) is None:
        found.append(Finding("language", "the document does not say its language"))
    return found
