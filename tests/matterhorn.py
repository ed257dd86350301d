"""Machine checks of PDF/UA-1 as the Matterhorn Protocol 1.1 lists them, for the PDFs we write.

A plain helper for tests: ``check(pdf_bytes)`` returns a ``Finding`` for each failure, named by
its Matterhorn checkpoint. Each ``_cp_*`` function implements one checkpoint (or a family that
shares one test, e.g. 02-001/003/004) and yields ``(checkpoint, message)`` pairs. The checks
read the file the way a validator does: the structure tree from the catalogue, the parent
tree, and every content stream parsed with pikepdf (forms followed where they are drawn), so a
tagging mistake anywhere in the file is found, not only where our writer is known to put tags.

Checkpoints left out are the ones whose object never occurs in what we write and that would
need a font parser (31-009 glyphs present in the program, 31-012 widths, 31-030 .notdef) or
are about objects we never make (CMaps other than Identity, Type 3 fonts, 3D, media, XFA):
see ``NOT_CHECKED``.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

STANDARD_TYPES = frozenset("""
Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
Figure Formula Form""".split())

PAINTING = frozenset(["Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do",
                      "INLINE IMAGE"])
TEXT_SHOWING = frozenset(["Tj", "TJ", "'", '"'])
LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
LIST_NUMBERING = frozenset(["None", "Disc", "Circle", "Square", "Decimal", "UpperRoman", "LowerRoman",
                            "UpperAlpha", "LowerAlpha"])
WARNINGS = frozenset(["14.8.4.4.2"])
# 26-001 (encryption denying assistive technology): qpdf, and so pikepdf, sets that permission
# bit whatever it is asked, so no test could make a PDF that fails it; we never encrypt.
NOT_CHECKED = ("17-003", "25-001", "26-001", "28-006", "28-014", "28-015", "31-005", "31-006", "31-007",
               "31-009", "31-010", "31-011", "31-012", "31-013..26", "31-030")


@dataclass(frozen=True)
class Finding:
    checkpoint: str
    message: str
    warning: bool = False  # not a PDF/UA-1 failure, but what a reader meets (see WARNINGS)

    def __str__(self):
        return f"{self.checkpoint}{' (warning)' if self.warning else ''}: {self.message}"


# --- reading the file -------------------------------------------------------------------------


@dataclass(eq=False)
class Element:
    obj: Dictionary
    role: str  # as written (/S without the slash)
    standard: str | None  # after the role map; None when it never reaches a standard type
    parent: "Element | None"
    page: object | None  # the page its plain MCIDs are on (its /Pg, or an ancestor's)
    kids: list = field(default_factory=list)  # Element, ("mcid", page objgen, n) or ("objr", obj)

    def attribute(self, owner: str, key: str):
        """An attribute of the given owner (/O), from /A (a dictionary or an array of them)."""
        attributes = self.obj.get("/A")
        for entry in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(entry, Dictionary) and entry.get("/O") == Name("/" + owner) and key in entry:
                return entry[key]
        return None

    def elements(self):
        return [kid for kid in self.kids if isinstance(kid, Element)]

    def mcids(self):
        return [kid for kid in self.kids if isinstance(kid, tuple) and kid[0] == "mcid"]


@dataclass
class Shown:
    """What a page's content streams draw, read with the marked-content stack at each operator."""

    unmarked: int = 0  # painting operators neither in an artifact nor in tagged content
    artifact_in_tagged: int = 0
    tagged_in_artifact: int = 0
    mcids: Counter = field(default_factory=Counter)
    text_mcids: set = field(default_factory=set)  # MCIDs that show text
    codes: dict = field(default_factory=lambda: defaultdict(set))  # font objgen → character codes shown
    fonts: dict = field(default_factory=dict)  # font objgen → font dictionary, for fonts that show text
    selected: dict = field(default_factory=dict)  # every font a Tf selects
    forms_with_mcids: Counter = field(default_factory=Counter)  # form objgen → times drawn
    reference_xobjects: int = 0


class Document:
    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root
        self.pages = list(pdf.pages)
        self.page_index = {page.obj.objgen: i for i, page in enumerate(self.pages)}
        tree = self.root.get("/StructTreeRoot")
        self.tree = tree
        self.role_map = dict(tree.get("/RoleMap", {})) if tree is not None else {}
        self.elements: list[Element] = []
        self.cycles = 0
        if tree is not None:
            self._walk(tree, None, None, set())
        self.parent_tree = self._number_tree(tree.get("/ParentTree")) if tree is not None else {}
        self.shown = [self._read_page(page) for page in self.pages]

    # structure
    def resolve(self, role: str) -> str | None:
        seen = set()
        while role not in STANDARD_TYPES:
            if role in seen:
                return None
            seen.add(role)
            mapped = self.role_map.get("/" + role)
            if mapped is None:
                return None
            role = str(mapped)[1:]
        return role

    def _walk(self, node, parent: Element | None, page, seen: set) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, Array) else ([] if kids is None else [kids]):
            if isinstance(kid, int):
                if parent is not None:
                    parent.kids.append(("mcid", page.objgen if page is not None else None, int(kid)))
                continue
            if not isinstance(kid, Dictionary):
                continue
            kind = kid.get("/Type")
            if kind == Name.MCR:
                kid_page = kid.get("/Pg", page)
                parent.kids.append(("mcid", kid_page.objgen if kid_page is not None else None, int(kid.MCID)))
            elif kind == Name.OBJR:
                parent.kids.append(("objr", kid.get("/Obj")))
            elif "/S" in kid:
                if kid.objgen in seen and kid.objgen != (0, 0):
                    self.cycles += 1
                    continue
                seen.add(kid.objgen)
                role = str(kid.S)[1:]
                element = Element(kid, role, self.resolve(role), parent, kid.get("/Pg", page))
                self.elements.append(element)
                if parent is not None:
                    parent.kids.append(element)
                self._walk(kid, element, element.page, seen)

    @staticmethod
    def _number_tree(node) -> dict:
        found = {}
        if node is None:
            return found
        nums = node.get("/Nums", [])
        for i in range(0, len(nums) - 1, 2):
            found[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            found.update(Document._number_tree(kid))
        return found

    def element_of(self, obj) -> Element | None:
        for element in self.elements:
            if element.obj.objgen == obj.objgen:
                return element
        return None

    # content
    def _read_page(self, page) -> Shown:
        shown = Shown()
        self._read_stream(page.obj, page.obj.get("/Resources", Dictionary()), [], shown, set())
        return shown

    def _read_stream(self, stream, resources, stack: list, shown: Shown, forms_open: set) -> None:
        """stack: one entry per open marked-content sequence, "artifact", "mcid" or "other"."""
        fonts = resources.get("/Font", Dictionary())
        xobjects = resources.get("/XObject", Dictionary())
        properties = resources.get("/Properties", Dictionary())
        font = None
        render_modes = [0]
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:]
                props = operands[1] if op == "BDC" else None
                if isinstance(props, Name):
                    props = properties.get(props)
                mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
                kind = "artifact" if tag == "Artifact" else "mcid" if mcid is not None else "other"
                open_kinds = [open_kind for open_kind, _ in stack]
                if kind == "artifact" and "mcid" in open_kinds:
                    shown.artifact_in_tagged += 1
                if kind == "mcid":
                    if "artifact" in open_kinds:
                        shown.tagged_in_artifact += 1
                    shown.mcids[int(mcid)] += 1
                stack.append((kind, int(mcid) if mcid is not None else None))
                continue
            if op == "EMC":
                if stack:
                    stack.pop()
                continue
            if op == "q":
                render_modes.append(render_modes[-1])
            elif op == "Q" and len(render_modes) > 1:
                render_modes.pop()
            elif op == "Tr":
                render_modes[-1] = int(operands[0])
            elif op == "Tf":
                font = fonts.get(operands[0])
                if font is not None:
                    shown.selected[font.objgen] = font
            kinds = [kind for kind, _ in stack]
            if op == "Do":
                xobject = xobjects.get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == Name.Form:
                    if "/Ref" in xobject:
                        shown.reference_xobjects += 1
                    if xobject.objgen in forms_open:
                        continue
                    before = sum(shown.mcids.values())
                    self._read_stream(xobject, xobject.get("/Resources", resources), list(stack), shown,
                                      forms_open | {xobject.objgen})
                    if sum(shown.mcids.values()) > before:
                        shown.forms_with_mcids[xobject.objgen] += 1
                    continue
            if op in PAINTING and "artifact" not in kinds and "mcid" not in kinds:
                shown.unmarked += 1
            if op in TEXT_SHOWING and font is not None and render_modes[-1] != 3:
                if "artifact" not in kinds:
                    shown.text_mcids.update(m for kind, m in stack if kind == "mcid")
                shown.fonts[font.objgen] = font
                shown.codes[font.objgen].update(_codes(font, _strings(op, operands)))


def _strings(op: str, operands) -> list[bytes]:
    if op == "TJ":
        return [bytes(item) for item in operands[0] if isinstance(item, pikepdf.String)]
    return [bytes(operands[-1])]


def _codes(font, strings: list[bytes]) -> list[int]:
    two_byte = font.get("/Subtype") == Name.Type0
    codes = []
    for data in strings:
        if two_byte:
            codes += [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        else:
            codes += list(data)
    return codes


def _to_unicode(font) -> dict[int, str] | None:
    stream = font.get("/ToUnicode")
    if not isinstance(stream, Stream):
        return None
    text = stream.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}

    def utf16(hex_text: str) -> str:
        return bytes.fromhex(hex_text).decode("utf-16-be", errors="surrogatepass")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for offset, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    mapping[lo + offset] = utf16(dst)
            else:
                start = int(rest[1:-1] or "0", 16)
                width = max(len(rest) - 2, 4)
                for offset in range(hi - lo + 1):
                    mapping[lo + offset] = utf16(format(start + offset, f"0{width}X"))
    return mapping


# --- the checkpoints ----------------------------------------------------------------------------

CHECKPOINTS = []


def checkpoint(function):
    CHECKPOINTS.append(function)
    return function


@checkpoint
def _cp_01_005_content_tagged_or_artifact(doc: Document):
    """01-005: content neither marked as artifact nor tagged, which includes tagged content whose
    MCID leads to no struct element through the parent tree (or to one that does not claim it),
    and struct elements that claim marked content the page does not have."""
    if doc.root.get("/MarkInfo", {}).get("/Marked") is not True:
        yield "01-005", "the catalogue's MarkInfo does not say Marked true"
    if doc.tree is None:
        yield "01-005", "no structure tree"
        return
    claimed = defaultdict(list)  # (page objgen, mcid) → elements
    for element in doc.elements:
        for _, page, mcid in element.mcids():
            claimed[(page, mcid)].append(element)
    for number, (page, shown) in enumerate(zip(doc.pages, doc.shown), 1):
        if shown.unmarked:
            yield "01-005", f"page {number}: {shown.unmarked} painting operators outside any artifact or tagged content"
        for mcid, count in shown.mcids.items():
            if count > 1:
                yield "01-005", f"page {number}: MCID {mcid} marks {count} sequences"
        entry = doc.parent_tree.get(int(page.obj.get("/StructParents", -1)))
        for mcid in sorted(shown.mcids):
            owner = entry[mcid] if isinstance(entry, Array) and mcid < len(entry) else None
            if not isinstance(owner, Dictionary) or "/S" not in owner:
                yield "01-005", f"page {number}: MCID {mcid} has no struct element in the parent tree"
            elif owner.objgen not in {e.obj.objgen for e in claimed.get((page.obj.objgen, mcid), [])}:
                yield "01-005", f"page {number}: the parent tree gives MCID {mcid} to a {owner.S} that does not hold it"
        for (claimed_page, mcid), owners in claimed.items():
            if claimed_page == page.obj.objgen and mcid not in shown.mcids:
                yield "01-005", f"page {number}: a {owners[0].role} holds MCID {mcid}, which the page does not mark"
    if any(page is None for page, _ in claimed):
        yield "01-005", "a struct element holds an MCID without saying which page it is on"


@checkpoint
def _cp_01_003_004_nesting(doc: Document):
    """01-003: an artifact inside tagged content; 01-004: tagged content inside an artifact."""
    for number, shown in enumerate(doc.shown, 1):
        if shown.artifact_in_tagged:
            yield "01-003", f"page {number}: {shown.artifact_in_tagged} artifacts inside tagged content"
        if shown.tagged_in_artifact:
            yield "01-004", f"page {number}: {shown.tagged_in_artifact} tagged sequences inside artifacts"


@checkpoint
def _cp_01_007_suspects(doc: Document):
    if doc.root.get("/MarkInfo", {}).get("/Suspects") is True:
        yield "01-007", "MarkInfo has Suspects true"


@checkpoint
def _cp_02_role_mapping(doc: Document):
    """02-001 a role that maps to no standard type, 02-003 a circular mapping, 02-004 a standard
    type remapped."""
    for key, value in doc.role_map.items():
        role = str(key)[1:]
        if role in STANDARD_TYPES:
            yield "02-004", f"standard type {role} is remapped to {value}"
        elif doc.resolve(role) is None:
            seen, current = set(), role
            while current not in seen and ("/" + current) in doc.role_map:
                seen.add(current)
                current = str(doc.role_map["/" + current])[1:]
            yield ("02-003" if current in seen else "02-001"), f"role {role} does not map to a standard type"
    for element in doc.elements:
        if element.standard is None and ("/" + element.role) not in doc.role_map:
            yield "02-001", f"non-standard role {element.role} is not in the role map"
    if doc.cycles:
        yield "02-003", f"the structure tree reaches {doc.cycles} elements twice (a cycle)"


@checkpoint
def _cp_06_metadata(doc: Document):
    """06-001 no XMP metadata, 06-002 no PDF/UA identifier in it, 06-003 no dc:title."""
    if not isinstance(doc.root.get("/Metadata"), Stream):
        yield "06-001", "the catalogue has no XMP metadata stream"
        return
    with doc.pdf.open_metadata() as meta:
        if str(meta.get("pdfuaid:part", "")) != "1":
            yield "06-002", "the XMP metadata does not identify PDF/UA-1 (pdfuaid:part)"
        if not str(meta.get("dc:title", "")).strip():
            yield "06-003", "the XMP metadata has no dc:title"


@checkpoint
def _cp_07_display_doc_title(doc: Document):
    """07-001 no DisplayDocTitle, 07-002 DisplayDocTitle false."""
    preferences = doc.root.get("/ViewerPreferences")
    if preferences is None or "/DisplayDocTitle" not in preferences:
        yield "07-001", "ViewerPreferences has no DisplayDocTitle"
    elif preferences.DisplayDocTitle is not True:
        yield "07-002", "ViewerPreferences has DisplayDocTitle false"


def _grammar(doc, checkpoint_id, parents: dict, children: dict):
    """Struct elements that appear under a parent, or hold children, the grammar does not allow."""
    for element in doc.elements:
        role = element.standard
        parent_role = element.parent.standard if element.parent else None
        if role in parents and parent_role not in parents[role]:
            yield checkpoint_id, f"{element.role} inside {parent_role or 'the tree root'}"
        if role in children:
            wrong = [kid.role for kid in element.elements() if kid.standard not in children[role]]
            if wrong:
                yield checkpoint_id, f"{element.role} holds {', '.join(wrong)}"
            if role in ("TR", "L", "TOC", "Table") and element.mcids():
                yield checkpoint_id, f"{element.role} holds content directly"


@checkpoint
def _cp_09_004_table_structure(doc: Document):
    """ISO 32000-1 Table 337: Table > (Caption) THead/TBody/TFoot/TR > TH/TD."""
    sections = {"Table", "THead", "TBody", "TFoot"}
    yield from _grammar(doc, "09-004",
                        parents={"TR": sections, "TH": {"TR"}, "TD": {"TR"}, "THead": {"Table"},
                                 "TBody": {"Table"}, "TFoot": {"Table"}},
                        children={"Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
                                  "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}, "TR": {"TH", "TD"}})


@checkpoint
def _cp_09_005_list_structure(doc: Document):
    """ISO 32000-1 Table 336: L > (Caption) LI > Lbl/LBody; a nested list belongs in an LBody."""
    yield from _grammar(doc, "09-005", parents={"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}},
                        children={"L": {"LI", "Caption"}, "LI": {"Lbl", "LBody"}})


@checkpoint
def _cp_09_006_toc_structure(doc: Document):
    yield from _grammar(doc, "09-006", parents={"TOCI": {"TOC"}},
                        children={"TOC": {"TOC", "TOCI", "Caption"}, "TOCI": {"Lbl", "Reference", "NonStruct", "P", "TOC"}})


@checkpoint
def _cp_09_007_008_ruby_warichu(doc: Document):
    yield from _grammar(doc, "09-007", parents={"RB": {"Ruby"}, "RT": {"Ruby"}, "RP": {"Ruby"}},
                        children={"Ruby": {"RB", "RT", "RP"}})
    yield from _grammar(doc, "09-008", parents={"WT": {"Warichu"}, "WP": {"Warichu"}},
                        children={"Warichu": {"WT", "WP"}})


@checkpoint
def _cp_10_001_unicode(doc: Document):
    """10-001: a character code shown that maps to no Unicode; 31-028/31-029: it maps to 0 or
    to a byte-order mark."""
    used = {}
    codes = defaultdict(set)
    for shown in doc.shown:
        used.update(shown.fonts)
        for key, found in shown.codes.items():
            codes[key] |= found
    for key, font in used.items():
        name = str(font.get("/BaseFont", "?"))
        mapping = _to_unicode(font)
        if mapping is None:
            encoding = font.get("/Encoding")
            standard = isinstance(encoding, Name) and encoding in (Name.WinAnsiEncoding, Name.MacRomanEncoding,
                                                                    Name.StandardEncoding)
            if font.get("/Subtype") in (Name.Type1, Name.TrueType) and standard:
                continue  # simple font, standard encoding: every code has a glyph name
            yield "10-001", f"font {name} has no ToUnicode map"
            continue
        unmapped = sorted(code for code in codes[key] if code not in mapping)
        if unmapped:
            yield "10-001", f"font {name}: codes {unmapped[:8]} shown but not mapped to Unicode"
        values = [mapping[code] for code in codes[key] if code in mapping]
        if any("\x00" in value for value in values):
            yield "31-028", f"font {name}: a code maps to U+0000"
        if any(ch in value for value in values for ch in "\ufeff\ufffe"):
            yield "31-029", f"font {name}: a code maps to U+FEFF or U+FFFE"


@checkpoint
def _cp_31_fonts(doc: Document):
    """31-008 a font program not embedded; 31-001..004 CID font consistency; checked for every
    font used to show text."""
    used = {}
    for shown in doc.shown:
        used.update(shown.fonts)
    for font in used.values():
        name = str(font.get("/BaseFont", "?"))
        subtype = font.get("/Subtype")
        if subtype == Name.Type3:
            continue
        program = font
        if subtype == Name.Type0:
            program = font.DescendantFonts[0]
            encoding = font.get("/Encoding")
            if program.get("/Subtype") == Name.CIDFontType2 and not (
                    program.get("/CIDToGIDMap") == Name.Identity or isinstance(program.get("/CIDToGIDMap"), Stream)):
                yield "31-004", f"font {name}: CIDToGIDMap missing"
            if isinstance(encoding, Stream):
                ours, theirs = program.get("/CIDSystemInfo", {}), encoding.get("/CIDSystemInfo", {})
                for cp, key in (("31-001", "/Registry"), ("31-002", "/Ordering")):
                    if str(ours.get(key)) != str(theirs.get(key)):
                        yield cp, f"font {name}: {key[1:]} differs between font and CMap"
                if int(ours.get("/Supplement", 0)) < int(theirs.get("/Supplement", 0)):
                    yield "31-003", f"font {name}: Supplement lower than the CMap's"
        if not _embedded(program):
            yield "31-008", f"font {name} is used for text but its program is not embedded"
    # Stricter than PDF/UA, which asks only of fonts that draw: a font selected and never drawn
    # with is still a font a reader may look for (reportlab's initial Helvetica was one).
    selected = {}
    for shown in doc.shown:
        selected.update(shown.selected)
    for key, font in selected.items():
        if key not in used and font.get("/Subtype") != Name.Type3 and \
                not _embedded(font.DescendantFonts[0] if font.get("/Subtype") == Name.Type0 else font):
            yield "31-008", f"font {font.get('/BaseFont')} is selected (never drawn with) and not embedded"


def _embedded(font) -> bool:
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@checkpoint
def _cp_11_language(doc: Document):
    """11-001..006: the natural language of text, alternate text, outlines, annotations and
    metadata must be determinable (the catalogue's /Lang, or a /Lang on the element)."""
    document_language = str(doc.root.get("/Lang", "")).strip()
    if document_language and not LANGUAGE.match(document_language):
        yield "11-001", f"the catalogue's Lang {document_language!r} is not a language tag"
        document_language = ""

    def has_language(element):
        while element is not None:
            if str(element.obj.get("/Lang", "")).strip():
                return True
            element = element.parent
        return bool(document_language)

    text_mcids = {(page.obj.objgen, m) for page, shown in zip(doc.pages, doc.shown) for m in shown.text_mcids}
    if any(not has_language(e) for e in doc.elements for _, page, m in e.mcids() if (page, m) in text_mcids):
        yield "11-001", "the language of page text cannot be determined"
    if any(not has_language(e) for e in doc.elements if {"/Alt", "/ActualText", "/E"} & set(e.obj.keys())):
        yield "11-002", "the language of Alt, ActualText or E text cannot be determined"
    if document_language:
        return
    if "/Outlines" in doc.root and doc.root.Outlines.get("/First") is not None:
        yield "11-003", "the language of the outline cannot be determined"
    if any(str(a.get("/Contents", "")).strip() for page in doc.pages for a in page.obj.get("/Annots", [])):
        yield "11-004", "the language of annotation Contents cannot be determined"
    if isinstance(doc.root.get("/Metadata"), Stream):
        yield "11-006", "the language of the metadata cannot be determined"


@checkpoint
def _cp_13_004_17_002_alternative_text(doc: Document):
    for element in doc.elements:
        if element.standard in ("Figure", "Formula") and not any(
                str(element.obj.get(key, "")).strip() for key in ("/Alt", "/ActualText")):
            yield ("13-004" if element.standard == "Figure" else "17-002"), f"a {element.role} without Alt"


@checkpoint
def _cp_14_headings(doc: Document):
    """14-002 first numbered heading is not H1, 14-003 a level skipped going down, 14-006 a node
    with more than one H, 14-007 both H and Hn."""
    numbered = [int(e.standard[1]) for e in doc.elements if e.standard and re.fullmatch(r"H[1-6]", e.standard)]
    plain = [e for e in doc.elements if e.standard == "H"]
    if numbered and numbered[0] != 1:
        yield "14-002", f"the first heading is H{numbered[0]}"
    for before, after in zip(numbered, numbered[1:]):
        if after > before + 1:
            yield "14-003", f"H{after} follows H{before}"
    for element in doc.elements:
        if sum(kid.standard == "H" for kid in element.elements()) > 1:
            yield "14-006", f"a {element.role} holds more than one H"
    if numbered and plain:
        yield "14-007", "the document uses both H and H1-H6"


def _tables(doc):
    for element in doc.elements:
        if element.standard == "Table":
            rows = []
            for kid in element.elements():
                if kid.standard == "TR":
                    rows.append(kid)
                elif kid.standard in ("THead", "TBody", "TFoot"):
                    rows += [row for row in kid.elements() if row.standard == "TR"]
            yield element, [[cell for cell in row.elements() if cell.standard in ("TH", "TD")] for row in rows]


def _span(cell, key):
    value = cell.attribute("Table", key)
    return int(value) if value is not None else 1


@checkpoint
def _cp_15_003_scope(doc: Document):
    for _, rows in _tables(doc):
        cells = [cell for row in rows for cell in row]
        if any(cell.attribute("Table", "/Headers") is not None for cell in cells):
            continue  # headers given by IDs instead
        for cell in cells:
            if cell.standard == "TH" and cell.attribute("Table", "/Scope") not in (Name.Row, Name.Column, Name.Both):
                yield "15-003", "a TH without a Scope"


@checkpoint
def _cp_15_005_headers_determinable(doc: Document):
    """15-005: a cell's headers cannot be determined: the table is irregular once column and row
    spans are counted (so position, and with it the header, is ambiguous), or a data cell has no
    header cell in its row or column and no Headers attribute."""
    for number, (table, rows) in enumerate(_tables(doc), 1):
        grid: dict[tuple[int, int], object] = {}
        widths = []
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while (r, c) in grid:
                    c += 1
                for dr in range(_span(cell, "/RowSpan")):
                    for dc in range(_span(cell, "/ColSpan")):
                        grid[(r + dr, c + dc)] = cell
                c += _span(cell, "/ColSpan")
            widths.append(max([c] + [cc + 1 for (rr, cc) in grid if rr == r]))
        if any(r >= len(rows) for r, _ in grid):
            yield "15-005", f"table {number}: a RowSpan reaches past the last row"
        if len(set(widths)) > 1:
            yield "15-005", f"table {number} is irregular: rows {widths} columns wide, counting spans"
            continue
        for (r, c), cell in grid.items():
            if cell.standard != "TD" or cell.attribute("Table", "/Headers") is not None:
                continue
            in_row = any(grid.get((r, cc)) is not None and grid[(r, cc)].standard == "TH" for cc in range(widths[0] if widths else 0))
            in_column = any(grid.get((rr, c)) is not None and grid[(rr, c)].standard == "TH" for rr in range(len(rows)))
            if not (in_row or in_column):
                yield "15-005", f"table {number}: a data cell in row {r + 1}, column {c + 1} has no header cell"
                break


@checkpoint
def _cp_16_002_list_numbering(doc: Document):
    for element in doc.elements:
        if element.standard == "L":
            value = element.attribute("List", "/ListNumbering")
            if value is not None and str(value)[1:] not in LIST_NUMBERING:
                yield "16-002", f"ListNumbering {value}"


@checkpoint
def _cp_19_notes(doc: Document):
    """19-003 a Note without an ID, 19-004 a Note ID used twice."""
    ids = Counter(str(e.obj.get("/ID")) for e in doc.elements if e.standard == "Note" and "/ID" in e.obj)
    for element in doc.elements:
        if element.standard == "Note" and "/ID" not in element.obj:
            yield "19-003", "a Note without an ID"
    for value, count in ids.items():
        if count > 1:
            yield "19-004", f"Note ID {value} used {count} times"


@checkpoint
def _cp_20_21_26_catalogue(doc: Document):
    """20-001..003 optional content configurations, 21-001 embedded file specifications."""
    properties = doc.root.get("/OCProperties")
    if properties is not None:
        configs = [properties.get("/D")] + list(properties.get("/Configs", []))
        for index, config in enumerate(configs):
            if config is not None and not str(config.get("/Name", "")).strip():
                yield ("20-001" if index == 0 else "20-002"), "an optional content configuration without a Name"
            if config is not None and "/AS" in config:
                yield "20-003", "an optional content configuration with AS"
    for spec in _name_tree_values(doc.root.get("/Names", {}).get("/EmbeddedFiles")):
        if isinstance(spec, Dictionary) and not ("/F" in spec and "/UF" in spec):
            yield "21-001", "an embedded file specification without F and UF"


def _name_tree_values(node) -> list:
    if node is None:
        return []
    names = node.get("/Names", [])
    values = [names[i + 1] for i in range(0, len(names) - 1, 2)]
    for kid in node.get("/Kids", []):
        values += _name_tree_values(kid)
    return values


@checkpoint
def _cp_28_annotations(doc: Document):
    """28-002/004 annotations in Annot elements with a description, 28-005 widgets, 28-007
    TrapNet, 28-008/009 Tabs, 28-010 widget in Form, 28-011 link in Link, 28-012 link Contents,
    28-016 file attachments, 28-017/018 printer marks."""
    for number, page in enumerate(doc.pages, 1):
        annotations = list(page.obj.get("/Annots", []))
        if not annotations:
            continue
        tabs = page.obj.get("/Tabs")
        if tabs is None:
            yield "28-008", f"page {number} has annotations but no Tabs"
        elif tabs != Name.S:
            yield "28-009", f"page {number}: Tabs is {tabs}, not /S"
        for annotation in annotations:
            subtype = str(annotation.get("/Subtype", "/?"))[1:]
            if subtype == "Popup":
                continue  # belongs to its parent annotation
            parent = doc.parent_tree.get(int(annotation.get("/StructParent", -1)))
            element = doc.element_of(parent) if isinstance(parent, Dictionary) else None
            holds = element is not None and any(kid[0] == "objr" and kid[1] is not None and kid[1].objgen == annotation.objgen
                                                for kid in element.kids if isinstance(kid, tuple))
            role = element.standard if holds else None
            if subtype == "TrapNet":
                yield "28-007", f"page {number}: a TrapNet annotation"
            elif subtype == "PrinterMark":
                if element is not None:
                    yield "28-017", f"page {number}: a PrinterMark annotation in the structure tree"
            elif subtype == "Link":
                if role != "Link":
                    yield "28-011", f"page {number}: a link annotation not in a Link element (in {role or 'nothing'})"
                if not str(annotation.get("/Contents", "")).strip():
                    yield "28-012", f"page {number}: a link annotation without Contents"
            elif subtype == "Widget":
                if role != "Form":
                    yield "28-010", f"page {number}: a widget annotation not in a Form element"
                if not str(annotation.get("/TU", annotation.get("/Parent", {}).get("/TU", ""))).strip() and \
                        not str(element.obj.get("/Alt", "") if element else "").strip():
                    yield "28-005", f"page {number}: a form field without TU or Alt"
            else:
                if role != "Annot":
                    yield "28-002", f"page {number}: a {subtype} annotation not in an Annot element"
                if not str(annotation.get("/Contents", "")).strip() and \
                        not str(element.obj.get("/Alt", "") if element else "").strip():
                    yield "28-004", f"page {number}: a {subtype} annotation without Contents or Alt"
                if subtype == "FileAttachment" and not {"/F", "/UF"} <= set(annotation.get("/FS", {}).keys()):
                    yield "28-016", f"page {number}: a file attachment without F and UF"


@checkpoint
def _link_text_in_link(doc: Document):
    """ISO 32000-1 14.8.4.4.2, which PDF/UA 7.18.5 points to: a Link element holds the link's
    content as well as its annotation, so a screen reader reads the link by its own words.
    A Link of nothing but annotations is announced by its Contents only ("Go to page 3").
    A warning, not an error: PDF/UA-1's machine checks (28-011) ask only that the annotation be
    in a Link."""
    for element in doc.elements:
        if element.standard == "Link" and not element.mcids() and not element.elements():
            yield "14.8.4.4.2", f"a Link element in a {element.parent.role if element.parent else 'tree root'} " \
                                f"holds only its annotation; its words are read outside it"


@checkpoint
def _cp_30_xobjects(doc: Document):
    """30-001 a reference XObject, 30-002 a form XObject with MCIDs drawn more than once."""
    drawn = Counter()
    for number, shown in enumerate(doc.shown, 1):
        if shown.reference_xobjects:
            yield "30-001", f"page {number} draws a reference XObject"
        drawn.update(shown.forms_with_mcids)
    for _, count in drawn.items():
        if count > 1:
            yield "30-002", f"a form XObject holding MCIDs is drawn {count} times"


def check(pdf_bytes: bytes, *, warnings: bool = True) -> list[Finding]:
    """Every finding of every checkpoint, in checkpoint order (errors only if not ``warnings``)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        doc = Document(pdf)
        found = [Finding(cp, message, cp in WARNINGS) for function in CHECKPOINTS for cp, message in function(doc)]
    return [f for f in found if warnings or not f.warning]


def assert_clean(pdf_bytes: bytes, *, warnings: bool = False) -> None:
    """For other tests (e.g. the property test's random documents): fail listing every error
    (and warning, if asked; links in running text still give one each, see ``_link_text_in_link``)."""
    findings = check(pdf_bytes, warnings=warnings)
    assert not findings, "Matterhorn findings:\n" + "\n".join(map(str, findings))
