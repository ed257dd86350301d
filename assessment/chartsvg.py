"""Charts as SVG, for the HTML edition: the Vega-Lite spec ``charts`` draws as PNG for the PDF
and the DOCX, kept here as vector markup a web page can hold inline (sharp at any zoom, a few
kilobytes a chart).

Cached on disk beside the PNGs, under the same key (``ChartRenderer.key``: the chart's drawing
fields, the theme's looks, vl-convert's version and charts.py's code), so a rebuild reads the
markup back instead of starting vl-convert.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

from . import charts
from .errors import ReportError
from .files import write_atomic
from .model import Chart
from .theme import Theme


def draw_svgs(chart_nodes: Iterable[Chart], theme: Theme, cache_dir: Path | None) -> dict[str, str]:
    """Chart id → SVG markup as vl-convert writes it, for every chart given (available ones)."""
    keyed = charts.ChartRenderer(theme, cache_dir=cache_dir)
    drawings: dict[str, str] = {}
    missing: list[tuple[Chart, Path | None]] = []
    for chart in chart_nodes:
        cached = cache_dir / f"{keyed.key(chart)}.svg" if cache_dir is not None else None
        if cached is not None and cached.is_file():
            drawings[chart.id] = cached.read_text(encoding="utf-8")
        else:
            missing.append((chart, cached))
    if missing:
        charts._start_converter(theme.font_path("regular").parent)  # fonts registered, engine configured once
        # vl-convert releases the GIL: its workers draw while this thread builds the next spec.
        with ThreadPoolExecutor(max_workers=charts.CONVERTERS, thread_name_prefix="svg") as pool:
            drawn = [(chart, pool.submit(_draw, chart, charts.spec(chart, theme), cached)) for chart, cached in missing]
            for chart, future in drawn:
                drawings[chart.id] = future.result()
    return drawings


def _draw(chart: Chart, vl_spec: dict, cached: Path | None) -> str:
    import vl_convert

    try:
        svg = vl_convert.vegalite_to_svg(vl_spec)
    except Exception as exc:  # vl-convert raises plain ValueErrors carrying Vega's JavaScript error
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ReportError.single(f"chart {chart.id}", repr(chart.title), f"vl-convert could not draw it ({reason})") from None
    if cached is not None:
        try:
            write_atomic(cached, svg.encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs time
    return svg
