"""Chart node → altair spec (styled from the theme) → PNG bytes from vl-convert, cached on disk.

A chart is drawn once per build and the same bytes go to both writers. The cache key is a hash
of the full Vega-Lite spec (data, encodings and theme) plus the scale and vl-convert's
version, so an edit to any of them draws afresh and nothing stale is ever reused.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

import attrs

from .model import Chart
from .theme import Theme

SCALE = 200 / 72  # PNG pixels per point: 200 dpi on the page, print quality


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
    sort = "-x" if chart.kind == "bar" and chart.sort == "descending" else order
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


@attrs.frozen
class Picture:
    png: bytes
    width: float  # points on the page
    height: float


@attrs.define
class ChartRenderer:
    """Draws charts for one theme; counts cache hits so a re-build can be shown to skip work."""

    theme: Theme
    cache_dir: Path | None = attrs.field(factory=default_cache_dir)
    hits: int = 0
    misses: int = 0
    _fonts_registered: bool = False

    def key(self, chart: Chart) -> str:
        """Everything that decides the picture: the chart's drawing fields, the theme's looks,
        the scale, vl-convert's version and this module's own code (so an edit here redraws).
        Computed without altair, so a warm build never imports it."""
        drawn = attrs.asdict(chart, filter=lambda a, _: a.name not in ("id", "caption", "alt"))
        looks = {"fonts": attrs.asdict(self.theme.fonts), "colours": attrs.asdict(self.theme.colours)}
        material = json.dumps({"chart": drawn, "theme": looks, "scale": SCALE, "vl": _vl_version(),
                               "code": _code_version()}, sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()

    def render(self, chart: Chart) -> Picture:
        key = self.key(chart)
        cached = self.cache_dir / f"{key}.png" if self.cache_dir else None
        if cached is not None and cached.is_file():
            self.hits += 1
            return Picture(cached.read_bytes(), chart.width, chart.height)
        self.misses += 1
        png = self._convert(spec(chart, self.theme))
        if cached is not None:
            _write_atomic(cached, png)
        return Picture(png, chart.width, chart.height)

    def _convert(self, vl_spec: dict) -> bytes:
        import vl_convert

        if not self._fonts_registered:
            vl_convert.register_font_directory(str(self.theme.font_path("regular").parent))
            self._fonts_registered = True
        return vl_convert.vegalite_to_png(vl_spec, scale=SCALE)


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


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
