"""Chart node → altair spec (styled from the theme) → PNG bytes from vl-convert, cached on disk.

A chart is drawn once per build and the same bytes go to both writers. The cache key is a hash
of the full Vega-Lite spec (data, encodings and theme) plus the scale and vl-convert's
version, so an edit to any of them draws afresh and nothing stale is ever reused.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

import attrs

from .cachedir import cache_root
from .errors import ReportError
from .files import remove_leftovers, write_atomic
from .layout import chart_width
from .model import Chart
from .theme import Theme
from .versions import installed_version

BACKGROUND = "#FFFFFF"  # a chart's, which the page's white continues
HALO = 4  # points of stroke round a value label's glyphs: wider than the gaps between digits
SCALE = 200 / 72  # PNG pixels per point: 200 dpi on the page, print quality
# vl-convert 2 releases the GIL and runs each conversion on one of its own V8 workers, so two
# workers keep both cores busy: one draws while the other (or our thread) builds the next spec.
CONVERTERS = 2


def default_cache_dir() -> Path:
    return cache_root() / "charts"


def _font_stack(theme: Theme) -> str:
    # vl-convert drops all chart text when a font is not found; a fallback list avoids that.
    return f"{theme.fonts.family}, {theme.fonts.docx_family}, sans-serif"


# Named number formats, as tables name theirs: the d3 format and what follows each number.
NAMED_FORMATS = {"number": (",.0f", ""), "decimal1": (",.1f", ""), "percent": (",.0f", "%")}
# d3-format's grammar: [[fill]align][sign][symbol][0][width][,][.precision][~][type]
_D3_FORMAT = re.compile(r"(?:.?[<>=^])?[-+( ]?[$#]?0?\d*,?(?:\.\d+)?~?[%bcdeEfgGnoprsxX]?")
FORMATS_ALLOWED = "number, decimal1, percent, or a d3 format such as ',.0f', ',.2f' or '.0%'"


def number_format(name: str) -> tuple[str, str] | None:
    """A chart's number format as (d3 format, suffix); None if it is neither named nor d3."""
    if name in NAMED_FORMATS:
        return NAMED_FORMATS[name]
    return (name, "") if isinstance(name, str) and name and _D3_FORMAT.fullmatch(name) else None


def problems(chart: Chart) -> list[tuple[str, str]]:
    """What makes a chart undrawable or misleading, as (field, what was found and expected),
    so that loading and ``compose`` report it rather than vl-convert drawing a blank or a lie."""
    found = []
    if number_format(chart.number_format) is None:
        found.append(("number_format", f"{chart.number_format!r} is not a number format; expected {FORMATS_ALLOWED}"))
    for name in ("x", "y", "series"):
        field = getattr(chart, name)
        if field and any(mark in field for mark in ".[]\\"):
            # Vega-Lite reads "a.b" as field b inside a, which no row has: a blank chart.
            found.append((name, f"column {field!r} has a dot, bracket or backslash in its name; expected a column name "
                                "without them (rename the column)"))
    if chart.series and chart.kind in ("column", "pie", "donut"):
        found.append(("series", f"{chart.series!r} splits a {chart.kind} chart, which draws one series; expected "
                                "kind grouped-bar or stacked-bar (or line) for several series"))
    if chart.y_title and chart.kind in ("pie", "donut"):
        found.append(("y_title", f"{chart.y_title!r}, but a {chart.kind} chart has no value axis; expected none "
                                 "(x_title names its legend)"))
    if chart.emphasised and (chart.kind not in ("column", "bar") or chart.series):
        found.append(("emphasis", f"emphasises categories of a {chart.kind} chart; expected a column or bar chart of "
                                  "one series"))
    if chart.rows and chart.kind in ("pie", "donut"):
        negative = [(r.get(chart.x), r.get(chart.y)) for r in chart.rows if _is_number(r.get(chart.y)) and r[chart.y] < 0]
        if negative:
            category, value = negative[0]
            found.append(("y", f"column {chart.y!r} has a negative value ({value:g} for {category!r}); a {chart.kind} "
                               "chart shows shares of a whole, so every value must be zero or more (use a bar chart)"))
    return found


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@functools.lru_cache(maxsize=8)
def _metrics(font_path: str):
    from reportlab.pdfbase.ttfonts import TTFont

    return TTFont(f"chart-metrics-{hashlib.sha256(font_path.encode()).hexdigest()[:8]}", font_path)


def text_width(theme: Theme, text: str, size: float) -> float:
    """Points the text takes in the theme's regular font (what vl-convert draws it with)."""
    return _metrics(str(theme.font_path("regular"))).stringWidth(str(text), size)


def _nice_step(raw: float, whole: bool) -> float:
    """The smallest of 1, 2, 2.5, 5 × a power of ten at least ``raw`` (1 at least for whole numbers)."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * power
        if step >= raw and not (whole and step != int(step)):
            return step
    return 10 * power


def _ticks(low: float, high: float, intervals: int, whole: bool) -> list[float]:
    """Gridline values from at or below ``low`` (and zero) to at or above ``high`` in about
    ``intervals`` steps, so no value stands above the last gridline."""
    low, high = min(0.0, low), max(0.0, high)
    if high == low:
        high = low + intervals
    step = _nice_step((high - low) / intervals, whole)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    if last - first < 2:  # at least three ticks
        last = first + 2
    return [round(i * step, 10) for i in range(first, last + 1)]


# altair validates every object it makes against the Vega-Lite schema as it makes it (its "debug
# mode"), which took most of a spec's time; ours are checked by tests/test_chart_specs.py instead.
# The switch is altair's one global, so specs are built one at a time and it is put back after
# (an object another thread makes meanwhile goes unchecked until it is written with validate=True).
_altair_lock = threading.Lock()


def spec(chart: Chart, theme: Theme) -> dict:
    """The Vega-Lite spec for a chart with data, as a plain dict (what the cache is keyed on)."""
    from altair.utils.schemapi import debug_mode

    with _altair_lock, debug_mode(False):
        return altair_chart(chart, theme).to_dict(validate=False)


def altair_chart(chart: Chart, theme: Theme):
    """The chart as altair's object (a ``LayerChart``, or a ``Chart`` for a pie or donut)."""
    import altair as alt

    if not chart.available:
        raise ValueError(f"chart '{chart.title}' has no data to draw")
    chart = attrs.evolve(chart, width=chart_width(chart, theme))
    wrong = problems(chart)
    if wrong:
        raise ValueError(f"chart '{chart.title}': {wrong[0][0]} {wrong[0][1]}")
    size = theme.sizes.chart_text
    rows = [{k: (v if k != chart.y or _is_number(v) else None) for k, v in r.items()} for r in chart.rows]
    order = list(dict.fromkeys(str(r[chart.x]) for r in rows))
    for row in rows:
        row[chart.x] = str(row[chart.x])
    values = [r[chart.y] for r in rows if r[chart.y] is not None]
    palette = list(theme.colours.chart_palette)
    fmt, suffix = number_format(chart.number_format)
    label_expr = f"datum.label + {json.dumps(suffix)}" if suffix else None
    text_expr = f"format(datum[{json.dumps(chart.y)}], {json.dumps(fmt)}) + {json.dumps(suffix)}"
    whole = fmt.endswith(("d", ".0f", ".0%")) or fmt in (",", "")
    label_limit = theme.layout.chart_label_share * chart.width
    y_field = json.dumps(chart.y)
    valid = f"isValid(datum[{y_field}]) && isFinite(datum[{y_field}])"
    # Every channel, condition and transform is made as its altair class: one given to ``encode``
    # as a dict (alt.datum, alt.condition) or a shorthand string is turned into its class by
    # matching it against the schema, which was most of a spec's time. The data and the style are
    # given once, at the top, as the whole chart is put together (``top_level``).
    base = alt.Chart()
    emphasised = sorted(set(chart.emphasised) & set(order))
    emphasis_test = f"indexof({json.dumps(emphasised)}, datum.value) >= 0"
    bold_labels = (alt.ConditionalAxisLabelFontWeight(
        condition=alt.ConditionalPredicateValueDefFontWeightnullExprRef(test=emphasis_test, value="bold"),
        value="normal") if emphasised else alt.Undefined)
    colour = (alt.ColorValue(value=palette[0], condition=alt.ConditionalPredicateValueDefGradientstringnullExprRef(
        test=f"indexof({json.dumps(emphasised)}, datum[{json.dumps(chart.x)}]) >= 0", value=palette[1 % len(palette)]))
        if emphasised else alt.Undefined)
    widest_value = max((text_width(theme, _formatted(v, fmt) + suffix, size) for v in values), default=0)

    def value_scale(low, high, length, room_high=0.0, room_low=0.0, across=False):
        """A scale and axis whose gridlines cover the data with room for the value labels
        (``room_*``: points beyond the longest bar each way): two to five intervals, as many as
        the axis's length has room for, its labels side by side when it runs ``across``."""
        span = (max(0.0, high) - min(0.0, low)) or 1.0
        usable = max(length - room_high - room_low, length * 0.4)
        high_ext = high + span * room_high / usable if high > 0 else high
        low_ext = low - span * room_low / usable if low < 0 else low
        for intervals in range(max(2, min(5, int(length // (size * 3)))), 1, -1):
            ticks = _ticks(low_ext, high_ext, intervals, whole)
            widest_tick = max(text_width(theme, _formatted(t, fmt) + suffix, size) for t in ticks)
            if not across or (widest_tick + size) * len(ticks) <= length:
                break
        return (alt.Scale(domain=[ticks[0], ticks[-1]], nice=False, zero=True),
                dict(values=ticks, format=fmt, **({"labelExpr": label_expr} if label_expr else {})))

    def category_axis(plot_width: float, every_label: bool) -> dict:
        """Labels level when they fit; turned 45° when that lets every label fit and the
        category is wide enough; else thinned to every k-th, never crowded."""
        band = plot_width / max(1, len(order))
        widest = max(text_width(theme, c, size) for c in order)
        if widest + size <= band:
            return dict(labelAngle=0, labelLimit=label_limit)
        # Turned labels may take most of the chart's height: a year range cut short ("Apr 17 - M…")
        # says nothing, while a shorter plot still reads.
        turned_limit = min(label_limit, 0.6 * chart.height / math.sin(math.radians(45)))
        if every_label and band >= size * 1.6:
            # Turned labels reach left of the plot, past the value axis: padding keeps the first
            # inside the picture (Vega's fit does not count it).
            reach = min(turned_limit, text_width(theme, order[0], size)) * math.cos(math.radians(45))
            padding["left"] = max(padding["left"], reach - band / 2 - widest_value - 2.5 * size)
            return dict(labelAngle=-45, labelLimit=turned_limit, labelAlign="right", labelBaseline="middle")
        step = math.ceil((min(widest, label_limit) + size) / band)
        return dict(labelAngle=0, labelLimit=label_limit, values=order[::step])

    text_colour = theme.colours.text

    def value_labels(test: str, *, x, y, **placed) -> list:
        """The rows' values written at the bars' ends, each over a halo: the same words stroked
        in the background's colour, which hides a gridline where it would strike the digits."""
        labelled = alt.Chart(transform=[alt.FilterTransform(filter=test),
                                        alt.CalculateTransform(calculate=text_expr, **{"as": "value_label"})])
        text = alt.Text(field="value_label", type="nominal")
        return [labelled.mark_text(fontSize=size, stroke=BACKGROUND, strokeWidth=HALO, strokeJoin="round",
                                   color=BACKGROUND, **placed).encode(x=x, y=y, text=text),
                labelled.mark_text(fontSize=size, color=text_colour, **placed).encode(x=x, y=y, text=text)]

    padding = {"left": 5, "right": 5, "top": 5, "bottom": 5}

    def top_level() -> dict:
        """The whole chart's data, size and style, given to it as it is put together (each
        ``.properties()`` or ``.configure_*()`` would copy the chart, its data and layers, again)."""
        font = _font_stack(theme)
        return dict(
            data=alt.Data(values=rows), width=chart.width, height=chart.height, padding=padding,
            autosize=alt.AutoSizeParams(type="fit", contains="padding"), background=BACKGROUND,
            config=alt.Config(
                font=font,
                axis=alt.AxisConfig(labelFont=font, titleFont=font, labelFontSize=size, titleFontSize=size,
                                    labelOverlap=False, labelColor=text_colour, titleColor=text_colour,
                                    gridColor=theme.colours.chart_grid),
                view=alt.ViewConfig(stroke=None),
                legend=alt.LegendConfig(labelFont=font, labelFontSize=size, titleFont=font, titleFontSize=size,
                                        labelColor=text_colour, titleColor=text_colour)))
    plot_width = chart.width - 4.5 * size - widest_value  # less the value axis, its labels and its title
    plot_height = chart.height - 3 * size  # less the category labels and an axis title
    zero_rule = base.mark_rule(color=theme.colours.text, strokeWidth=0.8).encode(
        **({"x": alt.XDatum(0)} if chart.kind == "bar" else {"y": alt.YDatum(0)}))
    if chart.kind in ("line", "column", "grouped-bar", "stacked-bar"):
        if chart.kind == "stacked-bar":
            sums = {}
            for r in rows:
                if r[chart.y] is not None:
                    high, low = sums.get(r[chart.x], (0.0, 0.0))
                    sums[r[chart.x]] = (high + max(0, r[chart.y]), low + min(0, r[chart.y]))
            low, high = min((v[1] for v in sums.values()), default=0), max((v[0] for v in sums.values()), default=0)
        else:
            low, high = min(values, default=0), max(values, default=0)
        labelled = chart.kind == "column" and widest_value + 2 <= plot_width / max(1, len(order))
        room = size * 1.5 if labelled else 0.0
        categories = category_axis(plot_width, chart.kind != "line")
        if categories["labelAngle"]:  # turned labels take their reach off the plot's height
            plot_height -= min(categories["labelLimit"], max(text_width(theme, c, size) for c in order)) * 0.71
        scale, axis = value_scale(low, high, plot_height, room if high > 0 else 0, room if low < 0 else 0)
        x = alt.X(f"{chart.x}:N", sort=order, title=chart.x_title,
                  axis=alt.Axis(labelFontWeight=bold_labels, **categories))
        y = alt.Y(f"{chart.y}:Q", title=chart.y_title, scale=scale, axis=alt.Axis(**axis))
        encoding = dict(x=x, y=y)
        if chart.series:
            encoding["color"] = alt.Color(f"{chart.series}:N", scale=alt.Scale(range=palette), title=None,
                                          legend=alt.Legend(orient="bottom", labelLimit=label_limit))
            if chart.kind == "grouped-bar":
                encoding["xOffset"] = alt.XOffset(f"{chart.series}:N")
        if chart.kind == "line":
            drawn = base.mark_line(point=alt.OverlayMarkDef(size=40, filled=True), strokeWidth=2.5,
                                   **({} if chart.series else {"color": palette[0]})).encode(**encoding)
        else:
            drawn = base.mark_bar(color=palette[0]).encode(**encoding, **({"color": colour} if emphasised else {}))
        layers = [drawn, zero_rule] if low < 0 else [drawn]
        if labelled:
            # Outside each bar's end: above a positive one, below a negative one.
            for test, baseline, dy in (("datum[{f}] >= 0", "bottom", -3), ("datum[{f}] < 0", "top", 3)):
                layers += value_labels(f"{valid} && {test.format(f=y_field)}", x=x, y=y, baseline=baseline, dy=dy)
        drawn = alt.LayerChart(layer=layers, **top_level())
    elif chart.kind == "bar":
        if chart.sort == "descending":
            # An explicit order rather than "-x": the bar and label layers would each derive their
            # own sort from it, and Vega-Lite drops both when unioning the two (with a warning).
            order = [r[chart.x] for r in sorted(rows, key=lambda r: _number_or_lowest(r[chart.y]), reverse=True)]
        widest_category = min(label_limit, max(text_width(theme, c, size) for c in order))
        plot_width = chart.width - widest_category - size * 2.5
        band = (chart.height - 3 * size) / max(1, len(order))
        labelled = band >= size * 1.1
        room = widest_value + 4 if labelled else 0.0
        low, high = min(values, default=0), max(values, default=0)
        scale, axis = value_scale(low, high, plot_width, room if high > 0 else 0, room if low < 0 else 0, across=True)
        step = 1 if labelled else math.ceil(size * 1.2 / max(band, 0.1))
        y = alt.Y(f"{chart.x}:N", sort=order, title=chart.x_title,
                  axis=alt.Axis(labelLimit=label_limit, labelFontWeight=bold_labels, values=order[::step]))
        x = alt.X(f"{chart.y}:Q", title=chart.y_title, scale=scale, axis=alt.Axis(**axis))
        layers = [base.mark_bar(color=palette[0]).encode(x=x, y=y, **({"color": colour} if emphasised else {}))]
        if low < 0:
            layers.append(zero_rule)
        if labelled:
            # Beyond each bar's end, so a negative bar's label never lands on the category labels.
            for test, align, dx in (("datum[{f}] >= 0", "left", 3), ("datum[{f}] < 0", "right", -3)):
                layers += value_labels(f"{valid} && {test.format(f=y_field)}", x=x, y=y, align=align, dx=dx)
        drawn = alt.LayerChart(layer=layers, **top_level())
    elif chart.kind in ("pie", "donut"):
        inner = 0.45 * min(chart.width, chart.height) / 2 if chart.kind == "donut" else 0
        # The legend is the only key to the slices, so every category has its entry: set in
        # columns beside the pie, its rows closer and then its columns more and narrower (long
        # names end in "…"; the alt text has them whole) as entries grow, never past the foot.
        widest = max(text_width(theme, c, size) for c in order)
        entry = max(1.1 * size + 4.1, 14.6)  # a legend row's height in Vega at this symbol size (measured, 8-18 pt)
        tall = chart.height - 2 * size - (1.5 * size if chart.x_title else 0)  # less the padding and a title
        room = max(1, int(0.6 * chart.width // (min(widest, label_limit) + size * 2.5)))
        for gap in (0.35 * size, 0.0):
            columns = math.ceil(len(order) / max(1, int((tall + gap) // (entry + gap))))
            if columns <= room:
                labels = min(label_limit, max(widest + 1, label_limit / columns))
                break
        else:  # crowded: the legend may take three quarters of the width, the pie what is left
            labels = max(2 * size, min(widest + 1, 0.75 * chart.width / columns - size * 2.5))
        drawn = alt.Chart(**top_level()).transform_filter(valid).mark_arc(innerRadius=inner, stroke="#FFFFFF").encode(
            theta=alt.Theta(f"{chart.y}:Q"),
            color=alt.Color(f"{chart.x}:N", sort=order, scale=alt.Scale(range=palette), title=chart.x_title,
                            legend=alt.Legend(columns=columns, symbolLimit=len(order), rowPadding=gap,
                                              symbolSize=(0.9 * size) ** 2, labelLimit=labels)),
            order=alt.Order("order:Q"),
        ).transform_window(order="row_number()")
    else:
        raise ValueError(f"unknown chart kind '{chart.kind}'")
    return drawn


def _formatted(value: float, fmt: str) -> str:
    """Near enough d3's formatting to measure a label's width."""
    try:
        return format(value * (100 if fmt.endswith("%") else 1), fmt.replace("~", "").rstrip("%") or ",") + (
            "%" if fmt.endswith("%") else "")
    except ValueError:
        return f"{value:,.2f}"


def _number_or_lowest(value) -> float:
    return value if _is_number(value) else float("-inf")


@attrs.frozen
class Picture:
    """A drawn chart. ``source`` is the PNG, or a future of it while vl-convert still draws:
    its size on the page is known from the chart, so layout never waits for the bytes."""

    source: bytes | Future = attrs.field(repr=False)
    width: float  # points on the page
    height: float

    @property
    def png(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source.result()


@attrs.define
class ChartRenderer:
    """Draws charts for one theme; counts cache hits so a re-build can be shown to skip work."""

    theme: Theme
    cache_dir: Path | None = attrs.field(factory=default_cache_dir)
    hits: int = 0
    misses: int = 0

    def key(self, chart: Chart) -> str:
        """Everything that decides the picture: the chart's drawing fields, the theme's looks,
        the scale, vl-convert's version and this module's own code (so an edit here redraws).
        Computed without altair, so a warm build never imports it."""
        drawn = attrs.asdict(chart, filter=lambda a, _: a.name not in ("id", "caption", "alt"))
        drawn["width"] = chart_width(chart, self.theme)  # without one, the page's margins decide it
        # Every part of the style a spec reads: fonts, colours, and the sizes and shares (text
        # size, label share) too, or a style edit would be drawn from a stale picture.
        looks = {"fonts": attrs.asdict(self.theme.fonts), "colours": attrs.asdict(self.theme.colours),
                 "sizes": attrs.asdict(self.theme.sizes), "layout": attrs.asdict(self.theme.layout)}
        material = json.dumps({"chart": drawn, "theme": looks, "scale": SCALE, "vl": _vl_version(),
                               "code": _code_version()}, sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()

    def _cached(self, key: str) -> Path | None:
        return self.cache_dir / f"{key}.png" if self.cache_dir else None

    def render(self, chart: Chart) -> Picture:
        return self.render_all([chart])[chart.id]

    def render_all(self, charts: Iterable[Chart]) -> dict[str, Picture]:
        """Chart id → picture. Charts not in the cache are handed to vl-convert's workers as
        their specs are built, and come back as pictures whose bytes are still being drawn, so
        the caller lays out pages meanwhile; each picture's ``png`` waits for its own bytes."""
        pictures: dict[str, Picture] = {}
        missing: list[tuple[Chart, Path | None]] = []
        for chart in charts:
            cached = self._cached(self.key(chart))
            if cached is not None and cached.is_file():
                self.hits += 1
                pictures[chart.id] = Picture(cached.read_bytes(), chart_width(chart, self.theme), chart.height)
            else:
                missing.append((chart, cached))
        if not missing:
            return pictures
        self.misses += len(missing)
        if self.cache_dir is not None and self.cache_dir not in _swept:
            _swept.add(self.cache_dir)  # once a process: a killed build's half-written pictures
            remove_leftovers(self.cache_dir)
        _start_converter(self.theme.font_path("regular").parent)
        pool = ThreadPoolExecutor(max_workers=min(_settings["num_workers"], len(missing)), thread_name_prefix="chart")
        try:
            for chart, cached in missing:
                drawing = pool.submit(_convert, chart, spec(chart, self.theme), cached)
                _drawing.add(drawing)
                drawing.add_done_callback(_drawing.discard)
                pictures[chart.id] = Picture(drawing, chart_width(chart, self.theme), chart.height)
        finally:
            pool.shutdown(wait=False)  # the submitted drawings still finish
        return pictures


_swept: set[Path] = set()
_drawing: set[Future] = set()  # submitted and not yet finished, across every renderer


def finish_drawing() -> None:
    """Wait for every chart still being drawn (and written to the cache)."""
    for drawing in list(_drawing):
        drawing.exception()  # waits; a failure was reported to whoever asked for the picture


_converter_lock = threading.Lock()
_font_directories: set[str] = set()
_settings = {"num_workers": CONVERTERS, "gc_after_conversion": False}


def use_converters(count: int | None = None, *, release_memory: bool | None = None) -> tuple[int, bool]:
    """How this process draws (``None`` keeps a setting as it is): ``count`` vl-convert
    workers (default two, one per core) and, with ``release_memory``, a V8 garbage collection
    after every chart. That costs about 20 ms a chart and stops a long-lived process growing:
    without it the workers' heaps grow with every chart drawn (measured in a batch: 233 MB
    after one Medway build, 367 MB after fifty). Returns the previous settings."""
    if count is not None and count < 1:
        raise ValueError("at least one converter is needed")
    with _converter_lock:
        previous = (_settings["num_workers"], _settings["gc_after_conversion"])
        wanted = (previous[0] if count is None else count, previous[1] if release_memory is None else release_memory)
        _settings.update(num_workers=wanted[0], gc_after_conversion=wanted[1])
        if _font_directories and wanted != previous:  # already started: restart as asked
            import vl_convert

            vl_convert.configure(**_settings)
    return previous


@contextlib.contextmanager
def converters_restored():
    """Whatever the block changes with ``use_converters`` is put back when it ends."""
    previous = use_converters()
    try:
        yield
    finally:
        use_converters(previous[0], release_memory=previous[1])


# Past this resident size a process that builds again and again (a batch worker, a watch)
# has vl-convert collect garbage after every chart, about 20 ms a chart: a few dozen builds
# run at full speed, and hundreds stay flat instead of growing by some 3 MB a build.
MEMORY_CEILING_MB = 250


def release_memory_past_ceiling() -> None:
    """Call between builds in a long-lived process."""
    from .memory import resident_mb

    if not _settings["gc_after_conversion"] and resident_mb() > MEMORY_CEILING_MB:
        use_converters(release_memory=True)


def _start_converter(font_directory: Path) -> None:
    """Configure vl-convert once per process and teach it each theme's fonts once; both
    restart its workers, which would throw away a warm engine on every build in one process."""
    import vl_convert

    with _converter_lock:
        if not _font_directories:
            vl_convert.configure(**_settings)
        if str(font_directory) not in _font_directories:
            vl_convert.register_font_directory(str(font_directory))
            _font_directories.add(str(font_directory))


def _convert(chart: Chart, vl_spec: dict, cached: Path | None) -> bytes:
    import vl_convert

    try:
        # Through SVG rather than vegalite_to_png: the same picture in the same time, but
        # vl-convert 2.0's direct PNG path keeps about 2 MB per chart for the life of the
        # process (measured: 250 charts, 718 MB against 178 MB), which a batch or a watch
        # session would pile up.
        svg = vl_convert.vegalite_to_svg(vl_spec)
        png = vl_convert.svg_to_png(svg, scale=SCALE)
    except Exception as exc:  # vl-convert raises plain ValueErrors carrying Vega's JavaScript error
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ReportError.single(f"chart {chart.id}", repr(chart.title), f"vl-convert could not draw it ({reason})") from None
    if cached is not None:
        try:
            write_atomic(cached, png)
            write_atomic(cached.with_suffix(".svg"), svg.encode("utf-8"))  # the HTML edition's (chartsvg)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return png


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _vl_version() -> str:
    return installed_version("vl-convert-python") or "unknown"
