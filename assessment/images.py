"""Pictures a report brings (the cover's logo): untrusted files, checked before a decoder sees
more than their header, and handed to both writers as one PNG.

A PNG must be a PNG, of bounded bytes and pixels (its header is read first, so a small file
claiming a vast picture is refused before it is decompressed). An SVG is parsed by a parser
that loads no DTD, expands no entity and opens no connection; one that refers to anything
outside itself (another file, an address, embedded data, a stylesheet import) is refused; it
is then rasterised by vl-convert (already the charts' renderer), never placed as vector
markup, at a size fixed here rather than the size it claims.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from pathlib import Path

from .datasets.sources import ReportFolder
from .errors import Problem, ReportError
from .model import Logo
from .spec import REPORT_FILE, LogoSpec

MAX_PNG_BYTES = 5_000_000  # a crisp logo is tens of kilobytes
MAX_SVG_BYTES = 1_000_000
MAX_SIDE_PIXELS = 5_000  # a 50 mm logo at 600 dpi is under 1,200
MAX_PIXELS = 12_000_000
MAX_ASPECT = 12.0  # wider (or taller) than this is a banner, not a logo
SVG_RASTER_HEIGHT = 600  # pixels: 300 dpi at 50 mm, above any cover's logo height
OPAQUE = 255  # an 8-bit alpha sample that hides what lies behind it
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]*)\s*")
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def folder_logo(folder: ReportFolder, spec: LogoSpec | None) -> Logo | None:
    """report.yaml's logo, its problems added to the folder's."""
    if spec is None:
        return None
    if not spec.alt.strip():
        # A picture without words is a blank to a screen reader (PDF/UA, WCAG 1.1.1).
        folder.problems.append(Problem(REPORT_FILE, "logo.alt", "is empty; expected the words a screen reader says "
                                                                "for the logo, such as 'Exampleton Council logo'"))
    path = folder.resolve(spec.file, "logo.file")
    if path is None:
        return None
    try:
        return read_logo(path, display=spec.file, alt=" ".join(spec.alt.split()))
    except ReportError as exc:
        folder.problems.extend(exc.problems)
        return None


def read_logo(path: Path, *, display: str, alt: str) -> Logo:
    """The logo at ``path`` (already confined to its folder), or a ReportError naming ``display``."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ReportError.single(display, "", f"is a '{suffix or 'file without an extension'}' file; expected a .png or .svg logo")
    limit = MAX_PNG_BYTES if suffix == ".png" else MAX_SVG_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ReportError.single(display, "", f"is {size:,} bytes; a logo may be at most {limit:,} bytes")
    data = path.read_bytes()[: limit + 1]  # a file that grew since it was measured is cut, not read whole
    png = _svg_to_png(data, display) if suffix == ".svg" else data
    checked, width, height = checked_png(png, display)
    return Logo(checked, alt, width, height)


def checked_png(data: bytes, display: str) -> tuple[bytes, int, int]:
    """``data`` if it is a PNG within the limits, re-encoded (its metadata dropped, its colours
    RGB, with an alpha channel only when something in it is transparent), and its size."""
    from PIL import Image

    if not data.startswith(PNG_SIGNATURE):
        raise ReportError.single(display, "", "is not a PNG image (it does not begin as a PNG file does); "
                                              "expected a PNG or an SVG file")
    try:  # the first chunk's length, then its type and the picture's size
        _, kind, width, height = struct.unpack(">I4sII", data[8:24])
    except struct.error:
        kind, width, height = b"", 0, 0
    if kind != b"IHDR" or not width or not height:
        raise ReportError.single(display, "", "is not a readable PNG image (its header is missing or damaged)")
    _check_size(width, height, display)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as picture:
                picture.load()
                transparent = picture.has_transparency_data
                picture = picture.convert("RGBA" if transparent else "RGB")
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ReportError.single(display, "", "is not a readable PNG image (damaged, cut short or of a kind "
                                              "that cannot be read); save it again as PNG") from None
    if transparent and picture.getchannel("A").getextrema()[0] == OPAQUE:
        picture = picture.convert("RGB")  # an alpha channel that hides nothing
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue(), picture.width, picture.height


def _check_size(width: float, height: float, display: str) -> None:
    if width > MAX_SIDE_PIXELS or height > MAX_SIDE_PIXELS or width * height > MAX_PIXELS:
        raise ReportError.single(display, "", f"is {width:,.0f} × {height:,.0f} pixels; a logo may be at most "
                                              f"{MAX_SIDE_PIXELS:,} pixels a side and {MAX_PIXELS:,} in all")
    if max(width / height, height / width) > MAX_ASPECT:
        raise ReportError.single(display, "", f"is {width:,.0f} × {height:,.0f}; a logo may be at most "
                                              f"{MAX_ASPECT:g} times as wide as it is tall, or as tall as it is wide")


def _svg_to_png(data: bytes, display: str) -> bytes:
    from lxml import etree

    if _DOCTYPE.search(data):
        raise _doctype(display)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReportError.single(display, "", f"is not well-formed SVG ({exc.msg}); expected an SVG file") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        raise _doctype(display)  # one the byte search missed (the file in UTF-16, say)
    if root.tag != f"{SVG_NAMESPACE}svg":
        raise ReportError.single(display, "", f"has a root element <{etree.QName(root).localname}>; expected <svg> "
                                              "in the SVG namespace")
    for element in root.iter():
        if not isinstance(element.tag, str):  # an entity reference left unexpanded
            raise ReportError.single(display, "", "uses an entity; expected plain SVG without entities")
        name = etree.QName(element).localname
        if name == "script":
            raise ReportError.single(display, "", "holds a script; expected a picture only")
        texts = [(etree.QName(key).localname, value) for key, value in element.attrib.items()]
        if name == "style":
            texts.append(("style", element.text or ""))
        for key, value in texts:
            if key == "href" and not value.strip().startswith("#"):
                raise ReportError.single(display, "", f"refers to {value.strip()[:60]!r} outside itself; a logo must be "
                                                      "one self-contained SVG (links only to its own parts, '#id')")
            for target in _URL.findall(value):
                if not target.startswith("#"):
                    raise ReportError.single(display, "", f"refers to url({target[:60]}) outside itself; a logo must "
                                                          "be one self-contained SVG (url(#id) only)")
            if "@import" in value.lower():
                raise ReportError.single(display, "", "imports a stylesheet; a logo must be one self-contained SVG")
    width, height = _svg_size(root, display)
    if max(width / height, height / width) > MAX_ASPECT:
        _check_size(width, height, display)  # says so
    import vl_convert

    markup = etree.tostring(root, encoding="unicode")  # what was checked, not the file's bytes
    # Drawn at a size of our choosing, whatever size the file claims.
    scale = min(SVG_RASTER_HEIGHT / height, MAX_SIDE_PIXELS / width)
    try:
        return vl_convert.svg_to_png(markup, scale=scale)
    except Exception as exc:  # noqa: BLE001 - the renderer's errors are all "cannot draw this"
        raise ReportError.single(display, "", f"could not be drawn ({str(exc)[:120]}); expected a plain SVG logo") from None


def _doctype(display: str) -> ReportError:
    return ReportError.single(display, "", "declares a DOCTYPE (entities, a DTD); expected plain SVG without one "
                                           "(save it again as plain SVG)")


def _svg_size(root, display: str) -> tuple[float, float]:
    """Its width and height in CSS pixels, from its attributes or its viewBox."""
    def length(name: str) -> float | None:
        match = _LENGTH.fullmatch(root.get(name) or "")
        if not match or match.group(2) not in _UNITS:
            return None
        return float(match.group(1)) * _UNITS[match.group(2)]

    width, height = length("width"), length("height")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        box_width, box_height = (float(box[2]), float(box[3])) if len(box) == 4 else (None, None)
    except ValueError:
        box_width = box_height = None
    if width and height:
        return width, height
    if box_width and box_height and box_width > 0 and box_height > 0:
        if width:
            return width, width * box_height / box_width
        if height:
            return height * box_width / box_height, height
        return box_width, box_height
    raise ReportError.single(display, "", "has no size; expected width and height attributes or a viewBox")
