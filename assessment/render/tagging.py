"""Tagged PDF for the reportlab writer.

Open-source reportlab writes no structure tree, so the writer does it in two steps:
while drawing, every piece of content is wrapped in a marked-content sequence carrying an MCID
(page furniture, table rules and backgrounds become artifacts); afterwards pikepdf builds the
structure tree (Document, H1-H3, P, L/LI/LBody, Table/TR/TH/TD, Figure with Alt, Caption),
the parent tree, MarkInfo, link descriptions and the PDF/UA identification in XMP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import struct
from pathlib import Path

import attrs

from . import platypus as _cheap_platypus_import  # noqa: F401 - before reportlab.platypus: see its docstring
from reportlab.platypus import Flowable

from ..theme import Labels, fill_label

BITS_PER_COMPONENT = 8  # a chart's PNG, as RGB: eight bits a sample
OPAQUE = (1 << BITS_PER_COMPONENT) - 1  # an alpha sample that hides what lies behind it


@attrs.define(eq=False)
class StructNode:
    role: str
    children: list = attrs.Factory(list)
    marks: list = attrs.Factory(list)  # (page number, MCID), in drawing order
    alt: str | None = None
    scope: str | None = None  # Column or Row, for TH
    colspan: int = 1  # for TH and TD: the columns the cell spans
    boxes: list = attrs.Factory(list)  # (page, x0, y0, x1, y1) of each drawn part


class Tagger:
    """Struct nodes in reading order, and the marked-content operators that point at them.

    reportlab has no call for marked content, so BDC/EMC are written with ``addLiteral``.
    """

    def __init__(self):
        self.root = StructNode("Document")
        self._stack = [self.root]
        self._next_mcid: dict[int, int] = {}
        self.suppressed = 0  # > 0 while drawing repeated table headers (artifacts)
        self._drawing: list[StructNode] = []  # the nodes whose content is being drawn, innermost last
        # For each link annotation, in the order reportlab adds them to pages: (page, the node
        # being drawn when it was made), so finish puts it in that node's Link element.
        self.links: list[tuple[int, StructNode | None]] = []

    def node(self, role: str, **fields) -> StructNode:
        child = StructNode(role, **fields)
        self._stack[-1].children.append(child)
        return child

    @contextlib.contextmanager
    def group(self, role: str, **fields):
        """A struct node whose children are the nodes made inside the ``with`` block."""
        node = self.node(role, **fields)
        self._stack.append(node)
        try:
            yield node
        finally:
            self._stack.pop()

    def tag(self, flowable, role: str, **fields) -> "Tagged":
        return Tagged(flowable, self.node(role, **fields), self)

    def begin(self, canvas, node: StructNode) -> None:
        page = canvas.getPageNumber()
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        node.marks.append((page, mcid))
        canvas.addLiteral(f"/{node.role} <</MCID {mcid}>> BDC")
        self._drawing.append(node)

    @staticmethod
    def begin_artifact(canvas, kind: str = "Layout") -> None:
        canvas.addLiteral(f"/Artifact <</Type /{kind}>> BDC")

    @contextlib.contextmanager
    def artifact(self, canvas, kind: str):
        """Page furniture drawn inside the block is marked as an artifact, never read aloud."""
        self.begin_artifact(canvas, kind)
        try:
            yield
        finally:
            self.end(canvas)

    @staticmethod
    def end(canvas) -> None:
        canvas.addLiteral("EMC")

    def end_node(self, canvas) -> None:
        self._drawing.pop()
        self.end(canvas)

    def link_made(self, canvas) -> None:
        """Called by the canvas as it adds a link annotation to the current page."""
        self.links.append((canvas.getPageNumber(), self._drawing[-1] if self._drawing else None))

    def table_callback(self, repeat_rows: int):
        return _TableMarks(self, repeat_rows)


def untagged(flowable):
    """The flowable a Tagged wrapper draws (or the flowable itself)."""
    return flowable.inner if isinstance(flowable, Tagged) else flowable


class Tagged(Flowable):
    """A flowable drawn inside a marked-content sequence of its struct node; its split
    parts keep the node, so a paragraph across two pages is one P with two MCIDs."""

    def __init__(self, inner, node: StructNode, tagger: Tagger):
        super().__init__()
        self.inner, self.node, self.tagger = inner, node, tagger

    def __getattr__(self, name):
        if name in ("inner", "node", "tagger"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width, available_height):
        self.width, self.height = self.inner.wrapOn(self.canv, available_width, available_height) \
            if getattr(self, "canv", None) is not None else self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def wrapOn(self, canvas, available_width, available_height):
        self.canv = canvas
        try:
            return self.wrap(available_width, available_height)
        finally:
            del self.canv

    def split(self, available_width, available_height):
        return [Tagged(part, self.node, self.tagger) for part in self.inner.split(available_width, available_height)]

    def splitOn(self, canvas, available_width, available_height):
        return [Tagged(part, self.node, self.tagger) for part in self.inner.splitOn(canvas, available_width, available_height)]

    def drawOn(self, canvas, x, y, _sW=0):
        if self.tagger.suppressed:
            return self.inner.drawOn(canvas, x, y, _sW)
        self.tagger.begin(canvas, self.node)
        if self.node.role == "Figure":
            width = getattr(self.inner, "drawWidth", self.width)
            # Page coordinates: a chart in a table cell is drawn in the table's translated space.
            self.node.boxes.append((canvas.getPageNumber(), *canvas.absolutePosition(x, y),
                                    *canvas.absolutePosition(x + width, y + self.height)))
        self.inner.drawOn(canvas, x, y, _sW)
        self.tagger.end_node(canvas)

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        # reportlab clears keepWithNext on the flowables it has grouped by writing to their
        # __dict__; honour that here, or a heading before a page-long table is regrouped forever.
        if "keepWithNext" in self.__dict__:
            return self.__dict__["keepWithNext"]
        return self.inner.getKeepWithNext()

    def identity(self, maxLen=None):
        return f"Tagged({self.node.role}, {self.inner.identity(maxLen)})"


class _TableMarks:
    """reportlab's table render callback: rules and fills are artifacts, and so are the header
    rows a table repeats on each page after the first."""

    def __init__(self, tagger: Tagger, repeat_rows: int):
        self.tagger, self.repeat_rows = tagger, repeat_rows
        self.parts_drawn = 0
        self._row_is_artifact = False

    def __call__(self, table, event, *args):
        canvas = table.canv
        if event == "startTable":
            self.parts_drawn += 1
        elif event in ("startBG", "startLines"):
            self.tagger.begin_artifact(canvas)
        elif event in ("endBG", "endLines"):
            self.tagger.end(canvas)
        elif event == "startRow":
            self._row_is_artifact = self.parts_drawn > 1 and args[0] < self.repeat_rows
            if self._row_is_artifact:
                self.tagger.suppressed += 1
                self.tagger.begin_artifact(canvas, "Pagination")
        elif event == "endRow" and self._row_is_artifact:
            self.tagger.end(canvas)
            self.tagger.suppressed -= 1
            self._row_is_artifact = False


def finish(pdf: bytes, tagger: Tagger, *, title: str, language: str, date: dt.date,
           pictures: dict[str, bytes] | None = None, labels: Labels | None = None,
           image_cache: Path | None = None) -> bytes:
    """Add the structure tree, parent tree, MarkInfo, link descriptions and XMP to a PDF, and
    put each chart's PNG into the form reportlab drew in its place (``pictures``). Link
    descriptions are the style's ``labels`` (English by default). ``image_cache``: a folder that
    keeps each picture ready for the PDF (the chart cache); None: each is encoded afresh."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    document = pikepdf.open(io.BytesIO(pdf))
    pages = document.pages
    # pikepdf's pages[i] walks the page list on every call (a cost that grew with the square of
    # the document: 0.85 s at 16x the Medway body); the page objects are read once.
    page_objects = [page.obj for page in pages]
    page_numbers = {obj.objgen: number for number, obj in enumerate(page_objects, 1)}
    _fill_picture_forms(document, pictures or {}, image_cache)
    parent_tree: dict[int, dict[int, object]] = {}
    tree_root = document.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    elements: dict[int, object] = {}  # id(node) → its struct element

    def build(node: StructNode, parent) -> object | None:
        element = document.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
        elements[id(node)] = element
        kids = []
        for child in node.children:
            built = build(child, element)
            if built is not None:
                kids.append(built)
        one_page = len({page for page, _ in node.marks}) == 1
        for page, mcid in node.marks:
            # Plain MCIDs where the element sits on one page (its /Pg says which), MCRs otherwise.
            kids.append(mcid if one_page else Dictionary(Type=Name.MCR, Pg=page_objects[page - 1], MCID=mcid))
            parent_tree.setdefault(page - 1, {})[mcid] = element
        if not kids and node.role not in ("TD", "TH"):
            return None  # nothing was drawn for it (an empty list, a chart on no page)
        element.K = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else Array(kids)
        if node.marks:
            element.Pg = page_objects[node.marks[0][0] - 1]
        if node.alt is not None:
            element.Alt = String(node.alt)
        if node.scope or node.colspan > 1:
            # A spanning cell must say so, or the table reads as irregular (a title row of one cell
            # over four columns announces a one-column table and cell navigation drifts).
            element.A = Dictionary(O=Name.Table)
            if node.scope:
                element.A.Scope = Name("/" + node.scope)
            if node.colspan > 1:
                element.A.ColSpan = node.colspan
        if node.role == "Figure" and node.boxes:
            _, x0, y0, x1, y1 = node.boxes[0]
            element.A = Dictionary(O=Name.Layout, Placement=Name.Block, BBox=Array([x0, y0, x1, y1]))
        return element

    top = build(tagger.root, tree_root)
    tree_root.K = Array([top] if top is not None else [])
    numbers = []
    for index, page in enumerate(pages):
        page.obj.StructParents = index
        marks = parent_tree.get(index, {})
        numbers += [index, Array([marks[m] for m in range(len(marks))])]
    next_key = len(pages)
    links = iter(tagger.links)
    for index, page in enumerate(pages):
        if "/Annots" not in page.obj:
            continue
        page.obj.Tabs = Name.S
        for annotation in page.obj.Annots:
            if annotation.get("/Subtype") != Name.Link:
                continue
            if not str(annotation.get("/Contents", "")).strip():
                annotation.Contents = String(_describe_link(annotation, page_numbers, labels or Labels()))
            # PDF/UA: each link annotation sits in a Link element, under the element it is drawn in.
            made_on, drawn_in = next(links)
            assert made_on == index + 1, "link annotations out of step with the canvas's record"
            owner = (elements.get(id(drawn_in)) if drawn_in is not None else None) or top or tree_root
            reference = Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page.obj)
            if drawn_in is not None and drawn_in.role == "Link":
                link = owner  # the link's words are tagged as a Link already: it takes the annotation too
                added = reference
            else:
                link = added = document.make_indirect(Dictionary(
                    Type=Name.StructElem, S=Name.Link, P=owner, Pg=page.obj, K=Array([reference])))
            kids = owner.get("/K")
            owner.K = Array((list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]) + [added])
            annotation.StructParent = next_key
            numbers += [next_key, link]
            next_key += 1
    tree_root.ParentTree = document.make_indirect(Dictionary(Nums=Array(numbers)))
    tree_root.ParentTreeNextKey = next_key
    document.Root.StructTreeRoot = tree_root
    document.Root.MarkInfo = Dictionary(Marked=True)
    document.Root.Lang = String(language)
    stamp = dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.timezone.utc).isoformat()
    # reportlab's invariant mode dates every file 2000-01-01; the report's own date is as stable
    # and is what a reader expects, and Info and XMP must agree for PDF/UA.
    pdf_date = String(date.strftime("D:%Y%m%d000000+00'00'"))
    document.docinfo.CreationDate = pdf_date
    document.docinfo.ModDate = pdf_date
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = {language}
        meta["pdfuaid:part"] = "1"
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
    out = io.BytesIO()
    document.save(out, deterministic_id=True)
    return out.getvalue()


def _fill_picture_forms(document, pictures: dict[str, bytes], image_cache: Path | None = None) -> None:
    """Each chart was drawn as an empty unit-square form; it becomes the chart's image (an
    image XObject also fills the unit square), encoded as reportlab would: RGB, Flate."""
    from pikepdf import Name

    wanted = {"/FormXob." + name: png for name, png in pictures.items()}
    done = set()
    for page in document.pages:
        xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
        for key in list(xobjects.keys()):
            if key not in wanted or xobjects[key].objgen in done:
                continue
            stream = xobjects[key]
            done.add(stream.objgen)
            ready = pdf_ready(wanted[key], image_cache)
            for name in list(stream.keys()):
                if name != "/Length":
                    del stream[name]
            stream.write(ready.rgb, filter=Name.FlateDecode)
            stream.Type, stream.Subtype = Name.XObject, Name.Image
            stream.Width, stream.Height = ready.width, ready.height
            stream.ColorSpace, stream.BitsPerComponent = Name.DeviceRGB, BITS_PER_COMPONENT
            if ready.alpha is not None:
                # A logo's transparent ground shows the cover through it (charts are opaque).
                stream.SMask = document.make_stream(ready.alpha, Type=Name.XObject, Subtype=Name.Image,
                                                    Width=ready.width, Height=ready.height, ColorSpace=Name.DeviceGray,
                                                    BitsPerComponent=BITS_PER_COMPONENT, Filter=Name.FlateDecode)


@attrs.frozen
class PdfImage:
    """A PNG as the PDF holds it: its samples, RGB, Flate-compressed; its alpha the same way
    where some of it is not opaque."""

    width: int
    height: int
    rgb: bytes = attrs.field(repr=False)
    alpha: bytes | None = attrs.field(repr=False, default=None)


_READY_MAGIC = b"assessment pdf image 1\n"
_READY_HEADER = struct.Struct("<IIQQ")  # width, height, length of the RGB stream, of the alpha (0: none)


def pdf_ready(png: bytes, image_cache: Path | None = None) -> PdfImage:
    """``png`` decoded and recompressed for the PDF, kept in ``image_cache`` beside the chart
    pictures: a cached chart was decoded and recompressed on every build (0.09 s a Medway
    build). The key is the PNG's hash and the zlib and Pillow versions that encode it, so a
    cached stream is byte for byte the one this build would make."""
    if image_cache is None:
        return _encode(png)
    import hashlib
    import zlib

    from PIL import __version__ as pillow

    key = hashlib.sha256(png + f"|zlib {zlib.ZLIB_RUNTIME_VERSION}|pillow {pillow}".encode()).hexdigest()
    path = image_cache / f"{key}.pdfimage"
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    ready = _decode_ready(data)
    if ready is None:
        ready = _encode(png)
        header = _READY_HEADER.pack(ready.width, ready.height, len(ready.rgb), len(ready.alpha or b""))
        try:
            from ..files import write_atomic

            write_atomic(path, _READY_MAGIC + header + ready.rgb + (ready.alpha or b""))
        except OSError:
            pass  # a read-only cache: the image is still right, only not kept
    return ready


def _decode_ready(data: bytes) -> PdfImage | None:
    """A cached entry, or None for one that is missing, truncated or not ours."""
    start = len(_READY_MAGIC) + _READY_HEADER.size
    if not data.startswith(_READY_MAGIC) or len(data) < start:
        return None
    width, height, rgb_length, alpha_length = _READY_HEADER.unpack_from(data, len(_READY_MAGIC))
    if len(data) != start + rgb_length + alpha_length:
        return None
    rgb = data[start:start + rgb_length]
    return PdfImage(width, height, rgb, data[start + rgb_length:] if alpha_length else None)


def _encode(png: bytes) -> PdfImage:
    import zlib

    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        rgb = picture.convert("RGB")
        alpha = picture.convert("RGBA").getchannel("A") if "A" in picture.getbands() or "transparency" in picture.info else None
    translucent = alpha is not None and alpha.getextrema()[0] < OPAQUE
    return PdfImage(rgb.width, rgb.height, zlib.compress(rgb.tobytes()),
                    zlib.compress(alpha.tobytes()) if translucent else None)


def _describe_link(annotation, page_numbers: dict, labels: Labels) -> str:
    """What a screen reader says the link does; ``page_numbers``: each page object's number."""
    action = annotation.get("/A")
    if action is not None and action.get("/URI") is not None:
        return fill_label(labels.link_address, address=str(action.URI))
    destination = annotation.get("/Dest") or (action.get("/D") if action is not None else None)
    if destination is not None:
        try:
            return fill_label(labels.link_page, page=page_numbers[destination[0].objgen])
        except (TypeError, IndexError, AttributeError, KeyError):
            pass
    return labels.link_section
