"""Style files (``styles/*.toml``) → a frozen Theme shared by both writers and the charts."""

from __future__ import annotations

import functools
import importlib.util
import re
import tomllib
from pathlib import Path

import attrs
import cattrs

from .errors import Problem, ReportError, structure_problems

MM = 72 / 25.4  # points per millimetre
PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def _colour(_instance, attribute, value):
    values = value if isinstance(value, list) else [value]
    for item in values:
        if not isinstance(item, str) or not _HEX.fullmatch(item):
            raise ValueError(f"{attribute.name}: expected a colour like '#00558C', found {item!r}")


@attrs.frozen
class Page:
    size: str = attrs.field(validator=attrs.validators.in_(PAGE_SIZES))
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    footer_offset_mm: float
    new_page_level: int = 1

    @property
    def width(self) -> float:
        return PAGE_SIZES[self.size][0]

    @property
    def height(self) -> float:
        return PAGE_SIZES[self.size][1]

    @property
    def frame_width(self) -> float:
        return self.width - (self.margin_left_mm + self.margin_right_mm) * MM


@attrs.frozen
class Fonts:
    family: str
    docx_family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str


@attrs.frozen
class Sizes:
    body: float
    leading: float
    small: float
    table: float
    table_leading: float
    caption: float
    footer: float
    heading1: float
    heading2: float
    heading3: float
    cover_organisation: float
    cover_title: float
    cover_emblem: float
    contents: float
    space_after_paragraph: float
    space_before_heading: float
    space_after_heading: float
    cell_padding: float
    callout_padding: float
    bullet_indent: float
    column_gap: float = 17.0  # between side-by-side columns (6 mm); optional in a style file

    def heading(self, level: int) -> float:
        return (self.heading1, self.heading2, self.heading3)[min(level, 3) - 1]


_c = attrs.field(validator=_colour)


@attrs.frozen
class Colours:
    text: str = _c
    heading: str = _c
    link: str = _c
    brand: str = _c
    accent: str = _c
    table_header_fill: str = _c
    table_header_text: str = _c
    table_title_fill: str = _c
    table_border: str = _c
    table_emphasis_fill: str = _c
    key_label_fill: str = _c
    key_label_text: str = _c
    callout_fill: str = _c
    callout_border: str = _c
    callout_heading: str = _c
    unavailable_fill: str = _c
    unavailable_border: str = _c
    unavailable_text: str = _c
    placeholder_fill: str = _c
    cover_fill: str = _c
    cover_text: str = _c
    footer_text: str = _c
    chart_palette: list[str] = _c
    chart_grid: str = _c


@attrs.frozen
class Theme:
    name: str
    page: Page
    fonts: Fonts
    sizes: Sizes
    colours: Colours
    folder: Path = Path(".")  # font paths are relative to the style file

    def font_path(self, which: str) -> Path:
        """Beside the style file first; else the fonts shipped with the built-in styles."""
        name = getattr(self.fonts, which)
        local = self.folder / name
        return local if local.is_file() else builtin_styles_folder() / name


@functools.lru_cache(maxsize=8)
def _codepoints(font_file: str) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(font_file).charToGlyph)


def covered_codepoints(theme: "Theme") -> frozenset[int]:
    """Characters every face of the theme's font can draw."""
    faces = [_codepoints(str(theme.font_path(w).resolve())) for w in ("regular", "bold", "italic", "bold_italic")]
    return frozenset.intersection(*faces)


MIN_BODY_SIZE = 12.0  # points; the smallest text a council's published report should use for body text
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text
# (foreground, background) pairs the writers draw text in; "#FFFFFF" is the page.
TEXT_PAIRS = (
    ("text", None), ("heading", None), ("link", None), ("footer_text", None),
    ("table_header_text", "table_header_fill"), ("table_header_text", "table_title_fill"),
    ("text", "table_emphasis_fill"), ("key_label_text", "key_label_fill"), ("text", "key_label_fill"),
    ("callout_heading", "callout_fill"), ("text", "callout_fill"), ("unavailable_text", "unavailable_fill"),
    ("cover_text", "cover_fill"), ("text", "placeholder_fill"),
)


def _luminance(hex_value: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_value[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def accessibility_problems(theme: "Theme", display: str) -> list[Problem]:
    problems = []
    if theme.sizes.body < MIN_BODY_SIZE:
        problems.append(Problem(display, "sizes.body", f"{theme.sizes.body:g} pt is below the {MIN_BODY_SIZE:g} pt minimum for body text"))
    for fore, back in TEXT_PAIRS:
        fg = getattr(theme.colours, fore)
        bg = getattr(theme.colours, back) if back else "#FFFFFF"
        ratio = contrast(fg, bg)
        if ratio < MIN_CONTRAST:
            problems.append(Problem(display, f"colours.{fore} on {'colours.' + back if back else 'the white page'}",
                                    f"contrast {fg} on {bg} is {ratio:.2f}:1; expected at least {MIN_CONTRAST}:1 (WCAG AA)"))
    return problems


def builtin_styles_folder() -> Path:
    spec = importlib.util.find_spec("assessment.styles")
    return Path(list(spec.submodule_search_locations)[0])


def style_path(name: str, report_folder: Path | None = None) -> Path:
    """A style is a built-in name ('medway', 'plain') or a .toml path in the report folder."""
    if name.endswith(".toml"):
        base = report_folder or Path(".")
        return base / name
    return builtin_styles_folder() / f"{name}.toml"


def load_theme(path: Path) -> Theme:
    display = str(path)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in builtin_styles_folder().glob("*.toml")))
        raise ReportError.single(display, "", f"style file does not exist (built-in styles: {known})")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReportError.single(display, "", f"is not valid TOML: {exc}") from None
    converter = cattrs.Converter(forbid_extra_keys=True)
    try:
        theme = converter.structure({**raw, "folder": str(path.parent)}, Theme)
    except Exception as exc:
        raise ReportError(structure_problems(exc, display)) from None
    theme = attrs.evolve(theme, folder=path.parent)
    missing = [Problem(display, f"fonts.{which}", f"font file '{getattr(theme.fonts, which)}' does not exist")
               for which in ("regular", "bold", "italic", "bold_italic") if not theme.font_path(which).is_file()]
    problems = missing + accessibility_problems(theme, display)
    if problems:
        raise ReportError(problems)
    return theme
