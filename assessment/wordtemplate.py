"""A council's own Word template (.docx or .dotx), read as untrusted input.

Only three things are taken from it, as parsed XML: the definitions of the styles the DOCX
writer uses (Normal, Title, Heading 1-3, Caption, the contents and list styles, and the
character styles they link to), the theme (its fonts and colours, which those styles may name),
and the page setup (size, orientation, margins). Nothing else of the package is carried over:
no body text, headers or footers, macros, attached templates, custom XML or relationships of
any kind, so an external link or a macro in a template never reaches a report.

The file is checked before it is parsed: a zip of bounded unpacked size, with no macros, and
XML without a document type declaration (no entities to expand, nothing fetched).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import attrs
from lxml import etree

MAX_TEMPLATE_BYTES = 10_000_000  # a council template with its logos is well under 1 MB
MAX_UNPACKED_BYTES = 50_000_000  # its parts once unzipped; a zip bomb is far larger
MAX_PART_BYTES = 5_000_000  # styles.xml or theme1.xml; Word's own are about 40 kB
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN_PART_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
# Style names as Word writes them in styles.xml (lower case for the built-in ones).
PARAGRAPH_STYLES = ("normal", "title", "heading 1", "heading 2", "heading 3", "caption", "toc heading",
                    "toc 1", "toc 2", "list bullet", "list bullet 2", "list bullet 3")


@attrs.frozen
class WordTemplate:
    """What a report's DOCX takes from the template."""

    styles: tuple[etree._Element, ...]  # w:style elements, the named ones and the character styles they link to
    doc_defaults: etree._Element | None  # w:docDefaults: the fonts and spacing styles inherit
    theme_xml: bytes | None  # word/theme/theme1.xml, re-serialised
    page_size: etree._Element | None  # w:pgSz
    page_margins: etree._Element | None  # w:pgMar

    @property
    def style_names(self) -> frozenset[str]:
        return frozenset(_name(style) for style in self.styles)

    def page(self, page):
        """``page`` (a ``theme.Page``) with the template's size and margins where it gives them:
        the DOCX is laid out, cover included, on the template's page."""
        changes = {}
        twips_per_point, twips_per_mm = 20, 20 * 72 / 25.4
        if self.page_size is not None:
            width, height = (_twips(self.page_size, name) for name in ("w", "h"))
            if width and height:
                changes.update(width_pt=width / twips_per_point, height_pt=height / twips_per_point)
        if self.page_margins is not None:
            for side in ("top", "bottom", "left", "right", "footer"):
                value = _twips(self.page_margins, side)
                if value is not None:
                    changes["footer_offset_mm" if side == "footer" else f"margin_{side}_mm"] = abs(value) / twips_per_mm
        return attrs.evolve(page, **changes)


def _twips(element, name: str) -> int | None:
    try:
        return int(element.get(f"{{{W}}}{name}"))
    except (TypeError, ValueError):
        return None


def _name(style) -> str:
    name = style.find(f"{{{W}}}name")
    return "" if name is None else (name.get(f"{{{W}}}val") or "").lower()


def problem(path: Path) -> str | None:
    """Why ``path`` cannot be used as a Word template (never quoting its contents), or None."""
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        return f"is larger than {MAX_TEMPLATE_BYTES // 1_000_000} MB; expected a Word template (.dotx or .docx)"
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                return f"unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB; expected a Word template"
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return "holds macros (a .docm or .dotm); expected a template without macros (.dotx or .docx)"
            if "word/styles.xml" not in names or "[Content_Types].xml" not in names:
                return "is not a Word document or template (no word/styles.xml); expected a .dotx or .docx"
            types = _xml(archive, "[Content_Types].xml")
    except (zipfile.BadZipFile, OSError):
        return "is not a Word template (not a zip archive); expected a .dotx or .docx saved by Word"
    except _Refused as refused:
        return str(refused)
    main = [o.get("ContentType") for o in types if o.get("PartName") == "/word/document.xml"]
    if not main or main[0] not in MAIN_PART_TYPES:
        return "is not a Word document or template without macros; expected a .dotx or .docx"
    try:
        read(path)
    except _Refused as refused:
        return str(refused)
    return None


class _Refused(Exception):
    pass


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _xml(archive: zipfile.ZipFile, name: str):
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise _Refused(f"its part {name} is larger than {MAX_PART_BYTES // 1_000_000} MB")
    data = archive.read(name)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise _Refused(f"its part {name} is not well-formed XML") from None
    if root.getroottree().docinfo.doctype:
        raise _Refused(f"its part {name} declares a document type; Word never writes one")
    return root


def read(path: Path) -> WordTemplate:
    """The template's styles, theme and page setup (``problem`` has passed)."""
    with zipfile.ZipFile(path) as archive:
        styles = _xml(archive, "word/styles.xml")
        names = set(archive.namelist())
        theme = _xml(archive, "word/theme/theme1.xml") if "word/theme/theme1.xml" in names else None
        document = _xml(archive, "word/document.xml") if "word/document.xml" in names else None
    by_name = {_name(style): style for style in styles.iter(f"{{{W}}}style")}
    by_id = {style.get(f"{{{W}}}styleId"): style for style in styles.iter(f"{{{W}}}style")}
    chosen = [by_name[name] for name in PARAGRAPH_STYLES if name in by_name]
    linked = []
    for style in chosen:
        link = style.find(f"{{{W}}}link")
        target = by_id.get(link.get(f"{{{W}}}val")) if link is not None else None
        if target is not None and target.get(f"{{{W}}}type") == "character":
            linked.append(target)
    page_size = page_margins = None
    if document is not None:
        sections = document.findall(f".//{{{W}}}body/{{{W}}}sectPr")
        if sections:
            page_size = sections[-1].find(f"{{{W}}}pgSz")
            page_margins = sections[-1].find(f"{{{W}}}pgMar")
    return WordTemplate(
        styles=tuple(chosen + linked),
        doc_defaults=styles.find(f"{{{W}}}docDefaults"),
        theme_xml=etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True) if theme is not None else None,
        page_size=page_size, page_margins=page_margins,
    )
