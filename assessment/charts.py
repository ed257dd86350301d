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
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

import attrs

from .errors import ReportError
from .files import remove_leftovers, write_atomic
from .model import Chart
from .theme import Theme

SCALE = 200 / 72  # PNG pixels per point: 200 dpi on the page, print quality
# vl-convert 2 releases the GIL and runs each conversion on one of its own V8 workers, so two
# workers keep both cores busy: one draws while the other (or our thread) builds the next spec.
CONVERTERS = 2


def default_cache_dir() -> Path:
    base = os.environ.get("ASSESSMENT_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "assessment" / "charts"


def _font_stack(theme: Theme) -> str:
    # vl-convert drops all chart text when a font is not found; a fallback list avoids that.
    return f"{theme.fonts.family}, {theme.fonts.docx_family}, sans-serif"


def spec(chart: Chart, theme: Theme) -> dict:
    """The Vega-Lite spec for a chart with data, as a plain dict (what the cache is keyed on)."""
    import altair as alt

    if not chart.available:
        raise ValueError(f"chart '{chart.title}' has no data to draw")
    rows = [dict(r) for r in chart.rows]
    order = [r[chart.x] for r in rows]
    palette = list(theme.colours.chart_palette)
    fmt = chart.number_format
    base = alt.Chart(alt.Data(values=rows))
    # Category labels turn only when they would collide side by side (about 7pt per character
    # at 11pt, against the ~80% of the width left to the plot once the axis is drawn).
    crowded = max(len(str(v)) for v in order) * 7 * len(order) > chart.width * 0.8
    category = alt.Axis(labelLimit=220, labelAngle=-35 if crowded else 0)
    if chart.kind == "bar" and chart.sort == "descending":
        # An explicit order rather than "-x": the bar and label layers would each derive their
        # own sort from it, and Vega-Lite drops both when unioning the two (with a warning).
        sort = [r[chart.x] for r in sorted(rows, key=lambda r: _number_or_lowest(r[chart.y]), reverse=True)]
    else:
        sort = order
    if chart.kind == "line":
        drawn = base.mark_line(point=alt.OverlayMarkDef(size=40, filled=True), color=palette[0], strokeWidth=2.5).encode(
            x=alt.X(f"{chart.x}:N", sort=order, title=chart.x_title, axis=category),
            y=alt.Y(f"{chart.y}:Q", title=chart.y_title, axis=alt.Axis(format=fmt)),
        )
    elif chart.kind in ("column", "grouped-bar", "stacked-bar"):
        encoding = dict(
            x=alt.X(f"{chart.x}:N", sort=order, title=chart.x_title, axis=category),
            y=alt.Y(f"{chart.y}:Q", title=chart.y_title, axis=alt.Axis(format=fmt)),
        )
        if chart.series:
            encoding["color"] = alt.Color(f"{chart.series}:N", scale=alt.Scale(range=palette), title=None)
            if chart.kind == "grouped-bar":
                encoding["xOffset"] = alt.XOffset(f"{chart.series}:N")
        bars = base.mark_bar(color=palette[0]).encode(**encoding)
        top = max((r[chart.y] for r in rows if isinstance(r[chart.y], (int, float))), default=0)
        encoding["y"] = alt.Y(f"{chart.y}:Q", title=chart.y_title, axis=alt.Axis(format=fmt),
                              scale=alt.Scale(domain=[0, top * 1.15 or 1], nice=False))
        labels = base.mark_text(dy=-6, fontSize=11, color=theme.colours.text).encode(
            x=encoding["x"], y=encoding["y"], text=alt.Text(f"{chart.y}:Q", format=fmt))
        drawn = bars if chart.series else bars + labels
    elif chart.kind == "bar":
        y = alt.Y(f"{chart.x}:N", sort=sort, title=None, axis=alt.Axis(labelLimit=260))
        # Head-room past the longest bar so its value label is not cut off.
        top = max((r[chart.y] for r in rows if isinstance(r[chart.y], (int, float))), default=0)
        x = alt.X(f"{chart.y}:Q", title=chart.y_title, axis=alt.Axis(format=fmt),
                  scale=alt.Scale(domain=[0, top * 1.15 or 1], nice=False))
        bars = base.mark_bar(color=palette[0]).encode(x=x, y=y)
        labels = base.mark_text(align="left", dx=3, fontSize=11, color=theme.colours.text).encode(
            x=x, y=y, text=alt.Text(f"{chart.y}:Q", format=fmt))
        drawn = bars + labels
    elif chart.kind in ("pie", "donut"):
        inner = 0.45 * min(chart.width, chart.height) / 2 if chart.kind == "donut" else 0
        drawn = base.mark_arc(innerRadius=inner, stroke="#FFFFFF").encode(
            theta=alt.Theta(f"{chart.y}:Q"),
            color=alt.Color(f"{chart.x}:N", sort=order, scale=alt.Scale(range=palette), title=None),
            order=alt.Order("order:Q"),
        ).transform_window(order="row_number()")
    else:
        raise ValueError(f"unknown chart kind '{chart.kind}'")
    font = _font_stack(theme)
    styled = drawn.properties(
        width=chart.width, height=chart.height,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        background="#FFFFFF",
    ).configure(font=font).configure_axis(
        labelFont=font, titleFont=font, labelFontSize=11, titleFontSize=11,
        labelColor=theme.colours.text, titleColor=theme.colours.text, gridColor=theme.colours.chart_grid,
    ).configure_view(stroke=None).configure_legend(labelFont=font, labelFontSize=11)
    return styled.to_dict(validate=True)


def _number_or_lowest(value) -> float:
    return value if isinstance(value, (int, float)) else float("-inf")


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
        looks = {"fonts": attrs.asdict(self.theme.fonts), "colours": attrs.asdict(self.theme.colours)}
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
                pictures[chart.id] = Picture(cached.read_bytes(), chart.width, chart.height)
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
                pictures[chart.id] = Picture(drawing, chart.width, chart.height)
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
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vl-convert-python")
    except PackageNotFoundError:
        return "unknown"
