"""Style files (``styles/*.toml``) → a frozen Theme shared by both writers and the charts."""

from __future__ import annotations

import functools
import importlib.util
import itertools
import os
import re
import tomllib
from pathlib import Path
from typing import Literal

import attrs
import cattrs

from .errors import KindError, Problem, ReportError, structure_problems
from .structuring import strict_converter

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
    # An exact page size in points, for a size not named in PAGE_SIZES (a council Word
    # template's page, say); 0: the named size's.
    width_pt: float = 0.0
    height_pt: float = 0.0

    @property
    def width(self) -> float:
        return self.width_pt or PAGE_SIZES[self.size][0]

    @property
    def height(self) -> float:
        return self.height_pt or PAGE_SIZES[self.size][1]

    @property
    def frame_width(self) -> float:
        return self.width - (self.margin_left_mm + self.margin_right_mm) * MM

    @property
    def frame_height(self) -> float:
        return self.height - (self.margin_top_mm + self.margin_bottom_mm) * MM


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
    # Optional in a style file (the defaults are the sizes the writers used before they were
    # style keys, so older style files lay out as they did).
    cell_padding_top: float = 3.5  # above a table cell's content (cell_padding is its sides)
    cell_padding_bottom: float = 2.5
    contents_padding: float = 4.0  # above and below each contents entry
    space_after_table_paragraph: float = 3.0  # between paragraphs inside a table cell
    space_small: float = 2.0  # caption above, signature name below, a list item's least, bullet to text
    cover_band: float = 10.0  # the accent band across the cover, its height
    watermark: float = 110.0  # the draft watermark's type size
    cover_subtitle: float = 16.0  # the cover's subtitle or period line
    chart_text: float = 11.0  # a chart's axis labels and titles, value labels and legend

    def heading(self, level: int) -> float:
        return (self.heading1, self.heading2, self.heading3)[min(level, 3) - 1]


@attrs.frozen
class Proportions:
    """``[layout]``: shares, ratios and line widths; every key optional (defaults below)."""

    heading_line_height: float = 1.2  # leading as a multiple of the type size: headings, cover
    caption_line_height: float = 1.3  # captions and the small print of an unavailable chart
    callout_title_line_height: float = 1.25
    key_label_share: float = 0.26  # of a key-facts table's width, for its labels
    contents_page_share: float = 0.16  # of the contents table's width, for the page numbers
    glossary_term_share: float = 1 / 4.2  # of the glossary's width, for the terms
    keep_table_rows: int = 25  # a table of at most this many rows moves whole to the next page
    table_rule: float = 0.5  # points: table grids and the contents' lines
    unavailable_rule: float = 0.75  # the box of a chart whose data is not available
    callout_rule: float = 1.5
    footer_rule: float = 0.75  # the line above the footer; 0 for none
    footer_rule_gap: float = 3.0  # points between the footer's words and the line above them
    watermark_angle: float = 45.0  # degrees, anticlockwise
    watermark_opacity: float = 0.35
    sub_row_indent_mm: float = 4.0  # a table's sub-row label, in from its row's, for each level
    # Of a chart's width, the most a category label may take (longer ones end in "…"): a bar
    # chart's labels beside the bars, a legend's entries, a column chart's turned labels.
    chart_label_share: float = 0.4


@attrs.frozen
class CoverGeometry:
    """``[cover]``: where the cover's parts sit; every key optional (defaults below)."""

    text_top: float = 0.22  # the organisation's line starts this far down the page (share of its height)
    band_bottom: float = 0.30  # the accent band's foot sits this far up the page (share of its height)
    inset_mm: float = 30.0  # the cover's words from the page's left and right edges
    emblem_drop: float = 2.2  # the emblem's baseline under the band, in emblem type sizes
    space_after: float = 0.6  # after each line of the cover, in its type sizes
    logo_height_mm: float = 20.0  # the logo's height (less when it would be wider than the words)
    logo_position: Literal["above", "below"] = "above"  # the organisation's and title's lines


@attrs.frozen
class WordSettings:
    """``[word]``: the Word edition only; every key optional."""

    # A council's Word template (.dotx or .docx) beside the style file: the DOCX takes its
    # Normal, Title, Heading 1-3, Caption, contents and list styles, its theme and its page
    # setup; the PDF follows this style file. Nothing else of the template is carried over.
    template: str = ""


@attrs.frozen
class Labels:
    """``[labels]``: every word the library itself puts in a document (English defaults).
    ``{name}`` marks what is filled in; nothing else in a label is interpreted."""

    # The language the labels are written in: a report in another language is refused with
    # this style, or its documents would carry words in two languages without saying so.
    language: str = "en"
    contents: str = "Contents"
    contents_item: str = "Item"  # over the contents' entries, unless the report names its own
    contents_page: str = "Page"
    data_not_available: str = "Data not available"
    figure: str = "Figure {number}: {caption}"
    appendix: str = "Appendix {number} \u2013 {title}"
    term: str = "Term"
    meaning: str = "Meaning"
    glossary_summary: str = "Acronyms used in this report and what they stand for."
    footer: str = "{organisation} \u2013 {title}"
    watermark: str = "DRAFT"
    draft_footer: str = "Draft {version} \u2014 {date} \u2014 not for publication"
    # A draft's marks where a value could not be filled in: a name the data does not give, and
    # a figure that could not be worked out ({reason} is the analyst's English explanation).
    missing_value: str = "missing: {name}"
    figure_problem: str = "{reason}"
    sub_row_marker: str = "\u2013 "  # before a table's sub-row label ("" for none: the indent alone)
    keywords: str = "Community Safety Partnership; Strategic Assessment"  # the documents' keywords property
    # What a screen reader says a PDF link does (its annotation's description).
    link_address: str = "Link to {address}"
    link_page: str = "Go to page {page}"
    link_section: str = "Go to the section named in the link"
    # The HTML edition's first link, for keyboard and screen-reader users to pass the cover
    # and the contents.
    skip_link: str = "Skip to main content"
    # The alternative text written from a chart's data when the report gives none.
    chart_line: str = "Line chart"
    chart_bar: str = "Bar chart"
    chart_column: str = "Column chart"
    chart_pie: str = "Pie chart"
    chart_donut: str = "Donut chart"
    chart_grouped_bar: str = "Grouped bar chart"
    chart_stacked_bar: str = "Stacked bar chart"
    alt_unavailable: str = "{title}: data not available."
    alt_no_values: str = "{kind} of {title}: no values."
    alt_range: str = "{kind} of {title} ({measure}), {first} to {last}: highest {highest} ({highest_at}), lowest {lowest} ({lowest_at})."
    alt_values: str = "{kind} of {title} ({measure}): {values}."
    alt_more: str = "and {count} more"
    alt_and: str = "and"  # before the last of several: "2019, 2020 and 2021"
    # The police.uk views' words: month names (twelve, January first, separated by spaces) and
    # the area of an LSOA the ward lookup does not list.
    months: str = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"
    unmatched_area: str = "Unmatched LSOA"

    def chart_kind(self, kind: str) -> str:
        return getattr(self, "chart_" + kind.replace("-", "_"))


# A BCP 47 tag as PDF /Lang, XMP and Word's w:lang take it: a language, then subtags.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def language_problem(labels: Labels, language: str) -> str | None:
    """Why a report in ``language`` cannot use labels written in ``labels.language``, if it cannot:
    the primary subtags ('cy' of 'cy-GB') must agree."""
    def primary(tag: str) -> str:
        return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]

    if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
        return f"{language!r} is not a language tag; expected one like en-GB, cy or cy-GB"
    if primary(language) == primary(labels.language):
        return None
    return (f"'{language}', but the style's labels are in '{labels.language}' ([labels] language); expected a style "
            f"whose [labels] are written in '{primary(language)}' (examples/welsh/style.toml has Welsh ones)")


_FIELD = re.compile(r"\{([a-z_]+)\}")


def fill_label(label: str, **values) -> str:
    """A label with its ``{name}`` marks filled in; a mark it is not given stays as written
    (never ``str.format``: a style may come from someone else)."""
    return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), label)


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
    layout: Proportions = attrs.Factory(Proportions)
    cover: CoverGeometry = attrs.Factory(CoverGeometry)
    labels: Labels = attrs.Factory(Labels)
    word: WordSettings = attrs.Factory(WordSettings)
    folder: Path = Path(".")  # font paths are relative to the style file
    # Each face's file, found once for this theme: the layout measures text about 400 times a
    # Medway build, and each search resolved two paths (0.2 s a build). A theme is made anew on
    # every load, and the load checks its fonts afresh, so an edited style folder is seen.
    _font_files: dict = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def font_path(self, which: str) -> Path:
        """Beside the style file (or below it) first; else the fonts shipped with the built-in
        styles. Never outside those two folders, whatever the name or its symlinks say."""
        found = self._font_files.get(which)
        if found is not None:
            return found
        name = getattr(self.fonts, which)
        found = _confined(self.folder, name) or _confined(builtin_styles_folder(), name)
        if found is None:
            raise ReportError.single(f"style {self.name}", f"fonts.{which}", f"font file '{name}' does not exist beside the style")
        self._font_files[which] = found
        return found

    def font_file(self, which: str) -> str:
        """``font_path`` resolved, as the font caches are keyed."""
        key = ("resolved", which)
        if key not in self._font_files:
            self._font_files[key] = str(self.font_path(which).resolve())
        return self._font_files[key]


    def word_template_path(self) -> Path | None:
        """The Word template the style names, beside the style file (or below it); None: none."""
        if not self.word.template:
            return None
        found = _confined(self.folder, self.word.template)
        if found is None:
            raise ReportError.single(f"style {self.name}", "word.template", f"template '{self.word.template}' does not exist beside the style")
        return found


MAX_FONT_BYTES = 30_000_000  # Liberation Sans is 400 kB; the largest CJK fonts are about 20 MB


def _confined(folder: Path, name: str) -> Path | None:
    """``folder/name`` when it is a file inside ``folder`` once symlinks are resolved."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    path = folder / relative
    try:
        inside = path.resolve().is_relative_to(folder.resolve()) and path.is_file()
    except (OSError, RuntimeError):
        return None
    return path if inside else None


def _template_problem(theme: "Theme", display: str) -> Problem | None:
    """Why the Word template the style names cannot be used; never quotes the file's contents."""
    from . import wordtemplate

    name = theme.word.template
    if not name:
        return None
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return Problem(display, "word.template", f"'{name}' must be a Word template (.dotx or .docx) beside the style file (or below it)")
    path = _confined(theme.folder, name)
    if path is None:
        return Problem(display, "word.template", f"template '{name}' does not exist beside the style file "
                                                 "(or it leads outside the style's folder); expected a .dotx or .docx")
    why = wordtemplate.problem(path)
    if why:
        return Problem(display, "word.template", f"'{name}' {why}")
    page = wordtemplate.read(path).page(theme.page)
    if not (MIN_PAGE_POINTS <= page.width <= MAX_PAGE_POINTS and MIN_PAGE_POINTS <= page.height <= MAX_PAGE_POINTS) \
            or page.frame_width < MIN_FRAME_POINTS or page.frame_height < MIN_FRAME_POINTS:
        return Problem(display, "word.template", f"'{name}' has a page or margins that leave no room for text; "
                                                 "expected a page a report can be laid out on")
    return None


def _font_problem(theme: "Theme", which: str, display: str) -> Problem | None:
    """Why a font named by the style cannot be used; never quotes the file's contents."""
    name = getattr(theme.fonts, which)
    where = f"fonts.{which}"
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return Problem(display, where, f"'{name}' must be a font file beside the style file (or below it)")
    path = _confined(theme.folder, name) or _confined(builtin_styles_folder(), name)
    if path is None:
        return Problem(display, where, f"font file '{name}' does not exist beside the style file "
                                       "(or it leads outside the style's folder)")
    if path.stat().st_size > MAX_FONT_BYTES:
        return Problem(display, where, f"font file '{name}' is larger than {MAX_FONT_BYTES // 1_000_000} MB")
    try:
        parsed_font(str(path.resolve()))
    except Exception:  # noqa: BLE001 - reportlab's parser fails in many ways on a file that is not a font
        return Problem(display, where, f"'{name}' is not a TrueType font (.ttf) that can be embedded")
    return None


def parsed_font(font_file: str):
    """reportlab's parse of a TTF (its characters, widths and metrics), shared by the font
    check, the layout's measures and the PDF's embedding, so each file is parsed once a process
    (it was four or five times a build, about 0.02 s each), and again only when its size or
    time changes (a watch sees an edited font)."""
    found = os.stat(font_file)
    return _parsed_font(font_file, found.st_size, found.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _parsed_font(font_file: str, size: int, mtime_ns: int):
    from reportlab.pdfbase.ttfonts import TTFontFace

    return TTFontFace(font_file)


def _codepoints(font_file: str) -> frozenset[int]:
    found = os.stat(font_file)
    return _codepoint_set(font_file, found.st_size, found.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _codepoint_set(font_file: str, size: int, mtime_ns: int) -> frozenset[int]:
    return frozenset(_parsed_font(font_file, size, mtime_ns).charToGlyph)


def text_box(theme: "Theme", text: str, which: str, size: float) -> tuple[float, float]:
    """The width and the cap height, in points, of one line of ``text`` set in ``size`` points
    in one face of the theme's font (``which``: regular, bold …)."""
    face = parsed_font(theme.font_file(which))
    per_point = size / 1000  # reportlab gives a face's metrics in thousandths of the type size
    # face.getCharWidth(code) is charWidths.get(code, defaultWidth): the same sum, looked up in C
    widths = sum(map(face.charWidths.get, map(ord, text), itertools.repeat(face.defaultWidth, len(text))))
    return widths * per_point, face.capHeight * per_point


def covered_codepoints(theme: "Theme") -> frozenset[int]:
    """Characters every face of the theme's font can draw."""
    faces = [_codepoints(theme.font_file(w)) for w in ("regular", "bold", "italic", "bold_italic")]
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


_CONVERTER = strict_converter()
_CONVERTER.register_structure_hook(Path, lambda value, _type: Path(value))
MIN_FRAME_POINTS = 144.0  # two inches of text column and height: less is not a page
MAX_SIZE_POINTS = 200.0  # no type size, space or padding of a report comes near it
MAX_TABLE_KEEP = 200  # rows a table may be kept whole for: more than a page holds
MAX_SUB_ROW_INDENT_MM = 20.0  # three levels of it still leave a narrow label column some words
MIN_LOGO_MM = 5.0  # smaller, a logo is a smudge


MIN_PAGE_POINTS, MAX_PAGE_POINTS = 144.0, 3370.0  # two inches; A0's long side


def layout_problems(theme: "Theme", display: str) -> list[Problem]:
    """Sizes a page can be laid out with: every size positive (spaces may be zero) and below
    MAX_SIZE_POINTS, margins that leave a text column, at least one chart colour."""
    problems = []
    for field in attrs.fields(Sizes):
        value = getattr(theme.sizes, field.name)
        smallest = 0.0 if field.name.startswith(("space_", "cell_padding")) or field.name in (
            "callout_padding", "column_gap", "contents_padding") else 1.0
        if not smallest <= value <= MAX_SIZE_POINTS:
            problems.append(Problem(display, f"sizes.{field.name}", f"{value:g} pt; expected {smallest:g} to {MAX_SIZE_POINTS:g} points"))
    page = theme.page
    for name in ("margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm", "footer_offset_mm"):
        if getattr(page, name) < 0:
            problems.append(Problem(display, f"page.{name}", f"{getattr(page, name):g} mm; expected zero or more"))
    for name in ("width_pt", "height_pt"):
        if getattr(page, name) and not MIN_PAGE_POINTS <= getattr(page, name) <= MAX_PAGE_POINTS:
            problems.append(Problem(display, f"page.{name}", f"{getattr(page, name):g} pt; expected 0 (the size's) or "
                                                             f"{MIN_PAGE_POINTS:g} to {MAX_PAGE_POINTS:g} points"))
    if page.frame_width < MIN_FRAME_POINTS:
        problems.append(Problem(display, "page.margin_left_mm", f"the left and right margins leave {page.frame_width / MM:.0f} mm "
                                                                f"of text column; expected at least {MIN_FRAME_POINTS / MM:.0f} mm"))
    if page.frame_height < MIN_FRAME_POINTS:
        problems.append(Problem(display, "page.margin_top_mm", f"the top and bottom margins leave {page.frame_height / MM:.0f} mm "
                                                               f"of page; expected at least {MIN_FRAME_POINTS / MM:.0f} mm"))
    if page.footer_offset_mm > page.margin_bottom_mm:
        problems.append(Problem(display, "page.footer_offset_mm", f"{page.footer_offset_mm:g} mm puts the footer inside the text; "
                                                                  f"expected at most margin_bottom_mm ({page.margin_bottom_mm:g})"))
    if not 0 <= page.new_page_level <= 3:
        problems.append(Problem(display, "page.new_page_level", f"{page.new_page_level}; expected 0 (never) to 3"))
    shares = theme.layout
    for name, low, high in (("heading_line_height", 0.5, 4.0), ("caption_line_height", 0.5, 4.0),
                            ("callout_title_line_height", 0.5, 4.0), ("key_label_share", 0.05, 0.95),
                            ("contents_page_share", 0.05, 0.95),
                            ("glossary_term_share", 0.05, 0.95), ("keep_table_rows", 0, MAX_TABLE_KEEP),
                            ("table_rule", 0.0, 12.0), ("unavailable_rule", 0.0, 12.0), ("callout_rule", 0.0, 12.0),
                            ("footer_rule", 0.0, 12.0), ("footer_rule_gap", 0.0, MAX_SIZE_POINTS),
                            ("watermark_angle", -90.0, 90.0), ("watermark_opacity", 0.0, 1.0),
                            ("sub_row_indent_mm", 0.0, MAX_SUB_ROW_INDENT_MM), ("chart_label_share", 0.1, 0.7)):
        value = getattr(shares, name)
        if not low <= value <= high:
            problems.append(Problem(display, f"layout.{name}", f"{value:g}; expected {low:g} to {high:g}"))
    cover = theme.cover
    for name, low, high in (("text_top", 0.0, 0.9), ("band_bottom", 0.0, 1.0), ("emblem_drop", 0.0, 20.0),
                            ("space_after", 0.0, 5.0), ("inset_mm", 0.0, page.width / MM / 3),
                            ("logo_height_mm", MIN_LOGO_MM, page.height / MM / 4)):
        value = getattr(cover, name)
        if not low <= value <= high:
            problems.append(Problem(display, f"cover.{name}", f"{value:g}; expected {low:g} to {high:g}"))
    if not theme.colours.chart_palette:
        problems.append(Problem(display, "colours.chart_palette", "is empty; expected at least one colour"))
    return problems


def builtin_styles_folder() -> Path:
    spec = importlib.util.find_spec("assessment.styles")
    return Path(list(spec.submodule_search_locations)[0])


_BUILTIN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def builtin_styles() -> list[str]:
    return sorted(p.stem for p in builtin_styles_folder().glob("*.toml"))


def style_path(name: str) -> Path:
    """A style is a built-in name ('plain') or the path of a .toml file (a report
    folder's is resolved, and kept inside the folder, by ``loading``)."""
    if name.endswith(".toml"):
        return Path(name)
    if not _BUILTIN_NAME.fullmatch(name) or name not in builtin_styles():
        raise ReportError.single("style", "", f"unknown style {name!r}; expected a .toml file or a built-in "
                                              f"style: {', '.join(builtin_styles())}")
    return builtin_styles_folder() / f"{name}.toml"


def load_theme(path: Path) -> Theme:
    display = str(path)
    if not path.is_file():
        raise ReportError.single(display, "", f"style file does not exist (built-in styles: {', '.join(builtin_styles())})")
    if path.stat().st_size > 200_000:
        raise ReportError.single(display, "", "is larger than 200 kB; expected a style file of settings")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReportError.single(display, "", f"is not valid TOML: {exc}") from None
    try:
        theme = _CONVERTER.structure({**raw, "folder": str(path.parent)}, Theme)
    except cattrs.BaseValidationError as exc:
        raise ReportError(structure_problems(exc, display)) from None
    except (KindError, TypeError, ValueError) as exc:  # the top level itself is not a table of settings
        raise ReportError.single(display, "", f"expected tables [page], [fonts], [sizes], [colours] (and optionally [layout], [cover], [labels], [word]) ({exc})") from None
    layout = layout_problems(theme, display)
    if layout:
        raise ReportError(layout)
    theme = attrs.evolve(theme, folder=path.parent)
    fonts = [_font_problem(theme, which, display) for which in ("regular", "bold", "italic", "bold_italic")]
    problems = [p for p in fonts + [_template_problem(theme, display)] if p] + accessibility_problems(theme, display)
    if len(theme.labels.months.split()) != 12:
        problems.append(Problem(display, "labels.months", f"{len(theme.labels.months.split())} names; expected twelve, "
                                                          "January first, separated by spaces"))
    if not LANGUAGE_TAG.fullmatch(theme.labels.language):
        problems.append(Problem(display, "labels.language", f"{theme.labels.language!r} is not a language tag; "
                                                            "expected one like en, cy or cy-GB"))
    if problems:
        raise ReportError(problems)
    return theme
