"""A gallery of every chart kind against awkward data (negative, mixed sign, all zero, one row,
40 categories, long labels, millions, percentages, missing values), each drawn to SVG by
vl-convert as a build draws it, and measured: every text box (placed from the SVG, sized from
the embedded Liberation Sans) lies inside the picture and meets no other text and no bar, and
no gridline runs through a value label without a halo hiding it.

Set GALLERY=/tmp/gallery to also write each chart as a PNG to look at."""

from __future__ import annotations

import functools
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

from assessment import charts, compose
from assessment.charts import problems, spec, text_width
from assessment.errors import ReportError
from assessment.model import Chart
from assessment.theme import load_theme
from conftest import MEDWAY

KINDS = ["column", "bar", "line", "pie", "donut", "grouped-bar", "stacked-bar"]
MONTHS = [f"{m}-{y}" for y in ("21", "22") for m in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()]
LONG = ["Violence Against the Person", "Crimes Against Society", "Theft and Handling Stolen Goods",
        "Criminal Damage and Arson", "Burglary in a Dwelling", "Sexual Offences", "Vehicle Crime",
        "Robbery of Personal Property"]


def shape(name: str) -> tuple[list[tuple[str, object]], str]:
    """(category, value) pairs and the number format for each data shape."""
    return {
        "negative": ([("A", -217), ("B", -1450), ("C", -8366), ("D", -40)], "number"),
        "mixed-sign": ([("Basildon", 15), ("Corby", -7), ("Medway", 10), ("Gosport", -23), ("Wigan", 27)], "percent"),
        "all-zero": ([("2019-20", 0), ("2020-21", 0), ("2021-22", 0)], "number"),
        "one-row": ([("2021-22", 8366)], "number"),
        "forty": ([(f"Ward {i}", (i * 37) % 101) for i in range(1, 41)], "number"),
        "long-labels": (list(zip(LONG, [48, 14, 14, 11, 5, 4, 3, 1])), "percent"),
        "millions": ([("2019-20", 4_512_330), ("2020-21", 5_870_002), ("2021-22", 8_366_114)], "number"),
        "percentages": (list(zip(MONTHS[:12], [9.7, 41, 12.5, 3, 0.5, 18, 22, 7, 5, 11, 2, 30])), "decimal1"),
        "missing": ([("Apr-21", 650), ("May-21", None), ("Jun-21", 650), ("Jul-21", 380)], "number"),
        "months": (list(zip(MONTHS, [650, 600, 650, 700, 620, 610, 550, 450, 400, 350, 300, 380] * 2)), "number"),
        # Bar ends just under a gridline: each label stands on it.
        "near-gridlines": ([("2019-20", 1950), ("2020-21", 3980), ("2021-22", 5990), ("2022-23", 7950)], "number"),
    }[name]


SHAPES = ["negative", "mixed-sign", "all-zero", "one-row", "forty", "long-labels", "millions", "percentages", "missing",
          "months"]


def gallery_chart(kind: str, name: str) -> Chart:
    pairs, fmt = shape(name)
    if kind in ("pie", "donut"):  # a share of a whole is never negative: refused, tested below
        pairs = [(c, abs(v) if isinstance(v, (int, float)) else v) for c, v in pairs]
    if kind in ("grouped-bar", "stacked-bar"):
        rows = tuple({"category": c, "value": v if i % 2 == 0 or not isinstance(v, (int, float)) else v // 2, "year": year}
                     for c, v in pairs for i, year in enumerate(("2020-21", "2021-22")))
        series = "year"
    else:
        rows, series = tuple({"category": c, "value": v} for c, v in pairs), None
    return Chart(id=f"{kind}-{name}", kind=kind, title=f"{kind} {name}", rows=rows, x="category", y="value",
                 series=series, number_format=fmt, width=440 if name != "months" else 330,
                 height=220 if name != "months" else 105,
                 x_title=None if kind in ("pie", "donut") and name != "one-row" else "Category",
                 y_title=None if kind in ("pie", "donut") else "Value",
                 emphasised=("Medway",) if name == "mixed-sign" and kind in ("bar", "column") else ())


@pytest.fixture(scope="module")
def theme():
    theme = load_theme(MEDWAY / "style.toml")
    charts._start_converter(theme.font_path("regular").parent)  # the embedded font, as a build registers it
    return theme


# --- measuring the SVG ------------------------------------------------------------------------------

ASCENT, DESCENT = 0.905, 0.212  # Liberation Sans, of the type size
_TRANSFORM = re.compile(r"(translate|rotate)\(([^)]*)\)")


def _parts(transform: str | None):
    for name, args in _TRANSFORM.findall(transform or ""):
        numbers = [float(n) for n in re.split(r"[ ,]+", args.strip()) if n]
        yield name, numbers


def measured(svg: str, theme):
    """Text boxes (corner points, text) and bar boxes (x0, y0, x1, y1) in the picture's space."""
    root = ET.fromstring(svg)
    texts, bars = [], []

    def walk(node, dx, dy, in_bar):
        x, y, angle = dx, dy, 0.0
        for name, numbers in _parts(node.get("transform")):
            if name == "translate":
                x, y = x + numbers[0], y + (numbers[1] if len(numbers) > 1 else 0)
            else:
                angle = numbers[0]
        tag = node.tag.split("}")[-1]
        kind = node.get("class") or ""
        in_bar = in_bar or ("mark-rect" in kind and "role-mark" in kind)
        halo = node.get("stroke") not in (None, "none")  # under a label, in the same place: not text of its own
        if tag == "text" and (node.text or "").strip() and node.get("opacity", "1") != "0" and not halo:
            size = float(node.get("font-size", "11px").rstrip("px"))
            words = node.text
            width = text_width(theme, words, size) if node.get("font-weight") != "bold" else \
                _bold_width(theme, words, size)
            anchor = {"start": 0, "middle": 0.5, "end": 1}[node.get("text-anchor", "start")]
            left = -anchor * width
            corners = [(left, -ASCENT * size), (left + width, -ASCENT * size), (left + width, DESCENT * size),
                       (left, DESCENT * size)]
            turn = math.radians(angle)
            texts.append(([(x + cx * math.cos(turn) - cy * math.sin(turn), y + cx * math.sin(turn) + cy * math.cos(turn))
                           for cx, cy in corners], words))
        if tag == "path" and in_bar and node.get("d"):
            points = _path_points(node.get("d"))
            if points:
                xs, ys = [x + p[0] for p in points], [y + p[1] for p in points]
                bars.append(((min(xs), min(ys), max(xs), max(ys)), node.get("fill")))
        for child in node:
            walk(child, x, y, in_bar)

    walk(root, 0.0, 0.0, False)
    return float(root.get("width")), float(root.get("height")), texts, bars


@functools.lru_cache(maxsize=2)
def _bold_font(path: str):
    from reportlab.pdfbase.ttfonts import TTFont

    return TTFont("gallery-bold", path)


def _bold_width(theme, words, size):
    return _bold_font(str(theme.font_path("bold"))).stringWidth(words, size)


def _path_points(d: str):
    """The corners of a rectangle path as Vega writes one (M x,y h w v h h -w Z)."""
    x = y = 0.0
    points = []
    for command, args in re.findall(r"([MmHhVvLlZz])([^MmHhVvLlZz]*)", d):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", args)]
        if command == "M":
            x, y = numbers[:2]
        elif command == "h":
            x += numbers[0]
        elif command == "v":
            y += numbers[0]
        elif command in "Zz":
            continue
        else:
            return []  # not a rectangle (an arc): not a bar
        points.append((x, y))
    return points


def _separated(a, b, slack=0.5) -> bool:
    """True when two convex quadrilaterals do not overlap (by more than ``slack`` points)."""
    for polygon in (a, b):
        for i in range(len(polygon)):
            (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % len(polygon)]
            nx, ny = y1 - y2, x2 - x1
            length = math.hypot(nx, ny) or 1
            pa = [(px * nx + py * ny) / length for px, py in a]
            pb = [(px * nx + py * ny) / length for px, py in b]
            if max(pa) <= min(pb) + slack or max(pb) <= min(pa) + slack:
                return True
    return False


def _box(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def draw(chart: Chart, theme) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec(chart, theme))
    if os.environ.get("GALLERY"):
        folder = Path(os.environ["GALLERY"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{chart.id}.png").write_bytes(vl_convert.svg_to_png(svg, scale=1.5))
    return svg


# --- the gallery ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_gallery_text_stays_inside_and_clear_of_text_and_bars(kind, theme):
    failures = []
    for name in SHAPES:
        chart = gallery_chart(kind, name)
        width, height, texts, bars = measured(draw(chart, theme), theme)
        assert texts, chart.id
        for corners, words in texts:
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            if min(xs) < -0.5 or max(xs) > width + 0.5 or min(ys) < -0.5 or max(ys) > height + 0.5:
                failures.append(f"{chart.id}: {words!r} outside the picture")
        for i, (a, first) in enumerate(texts):
            for b, second in texts[i + 1:]:
                if not _separated(a, b):
                    failures.append(f"{chart.id}: {first!r} overlaps {second!r}")
            for box, _ in bars:
                if box[2] - box[0] > 0.5 and box[3] - box[1] > 0.5 and not _separated(a, _box(*box)):
                    failures.append(f"{chart.id}: {first!r} drawn over a bar")
    assert failures == []


def gridlines_and_value_labels(svg: str, theme):
    """The gridlines (segments), the value labels on the marks (boxes, words, their place in
    the drawing order) and the halos: copies of a label drawn with a stroke, which paint over
    whatever lies under the label's box."""
    root = ET.fromstring(svg)
    lines, labels, halos = [], [], []
    order = 0

    def walk(node, dx, dy, group):
        nonlocal order
        x, y = dx, dy
        for name, numbers in _parts(node.get("transform")):
            if name == "translate":
                x, y = x + numbers[0], y + (numbers[1] if len(numbers) > 1 else 0)
        tag = node.tag.split("}")[-1]
        group = node.get("class") or group if tag == "g" else group
        order += 1
        if tag == "line" and "role-axis-grid" in group:
            lines.append(((x + float(node.get("x1", 0)), y + float(node.get("y1", 0))),
                          (x + float(node.get("x2", 0)), y + float(node.get("y2", 0)))))
        if tag == "text" and "role-mark" in group and (node.text or "").strip():
            size = float(node.get("font-size", "11px").rstrip("px"))
            width = text_width(theme, node.text, size)
            left = x - {"start": 0, "middle": 0.5, "end": 1}[node.get("text-anchor", "start")] * width
            box = (left, y - ASCENT * size, left + width, y + DESCENT * size)
            if node.get("stroke") and node.get("stroke") != "none":
                halos.append((box, node.text, order, node.get("stroke").upper(), float(node.get("stroke-width", "1"))))
            else:
                labels.append((box, node.text, order))
        for child in node:
            walk(child, x, y, group)

    walk(root, 0.0, 0.0, "")
    background = next((r.get("fill") for r in root if r.tag.split("}")[-1] == "rect"), "#FFFFFF").upper()
    return lines, labels, halos, background


def _crosses(line, box) -> bool:
    (x1, y1), (x2, y2) = line
    x0, y0, x3, y3 = box
    if x1 == x2:  # a vertical gridline (a bar chart's)
        return x0 < x1 < x3 and min(y1, y2) < y3 and max(y1, y2) > y0
    return y0 < y1 < y3 and min(x1, x2) < x3 and max(x1, x2) > x0


@pytest.mark.parametrize("kind", ["column", "bar"])
def test_no_gridline_shows_through_a_value_label(kind, theme):
    """A gridline through a value label strikes out its digits: every label a gridline crosses
    has a halo under it, a copy of its words stroked in the chart's background colour, drawn
    after the gridlines and before the label."""
    struck, crossed = [], 0
    for name in SHAPES + ["near-gridlines"]:
        chart = gallery_chart(kind, name)
        lines, labels, halos, background = gridlines_and_value_labels(draw(chart, theme), theme)
        for box, words, order in labels:
            across = [line for line in lines if _crosses(line, box)]
            crossed += bool(across)
            masked = any(h[1] == words and h[3] == background and h[4] >= 2 and order > h[2] and
                         all(abs(a - b) < 0.5 for a, b in zip(h[0], box)) for h in halos)
            if across and not masked:
                struck.append(f"{chart.id}: {words!r}")
    assert crossed  # the shapes put gridlines through labels, or this test proves nothing
    assert struck == []


@pytest.mark.parametrize("kind", ["pie", "donut"])
@pytest.mark.parametrize("count", [8, 40])
def test_the_legend_has_an_entry_for_every_category(kind, count, theme):
    """The legend is the only key to a pie's slices: Vega drops entries past its symbol limit
    (30 by default), so forty wards once showed twenty-six and '…15 entries'."""
    chart = attrs.evolve(gallery_chart(kind, "forty"), x_title="Ward",
                         rows=tuple({"category": f"Ward {i}", "value": (i * 37) % 101 + 1} for i in range(1, count + 1)))
    svg = draw(chart, theme)
    legend = "".join(re.findall(r'class="mark-text role-legend-label".*?</g>', svg, re.S))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", legend)
    assert sorted(labels) == sorted(f"Ward {i}" for i in range(1, count + 1))  # each once, whole
    width, height, texts, _ = measured(svg, theme)
    assert all(0 <= p[0] <= width + 0.5 and 0 <= p[1] <= height + 0.5 for corners, _ in texts for p in corners)


def _value_axis(chart: Chart, theme) -> tuple[list[float], list[float]]:
    layers = spec(chart, theme).get("layer")
    encoding = layers[0]["encoding"]
    channel = encoding["x"] if chart.kind == "bar" else encoding["y"]
    return channel["scale"]["domain"], channel["axis"]["values"]


@pytest.mark.parametrize("kind", ["column", "bar", "line", "grouped-bar", "stacked-bar"])
@pytest.mark.parametrize("name", ["negative", "mixed-sign", "all-zero", "one-row", "millions", "percentages", "months"])
def test_at_least_three_ticks_and_the_domain_covers_the_data(kind, name, theme):
    chart = gallery_chart(kind, name)
    domain, ticks = _value_axis(chart, theme)
    assert len(ticks) >= 3 and ticks[0] == domain[0] and ticks[-1] == domain[-1]
    values = [r["value"] for r in chart.rows if isinstance(r["value"], (int, float))]
    if kind == "stacked-bar":
        totals = {}
        for r in chart.rows:
            totals[r["category"]] = totals.get(r["category"], 0) + r["value"]
        values += list(totals.values())
    assert domain[0] <= min(values + [0]) and max(values + [0]) <= domain[-1]  # no peak above the last gridline
    assert 0 in ticks  # the axis at zero


def test_negative_bars_grow_left_from_zero_with_labels_beyond_their_ends(theme):
    chart = gallery_chart("bar", "negative")
    width, height, texts, bars = measured(draw(chart, theme), theme)
    labels = {words: corners for corners, words in texts}
    # The last tick is zero, its label flush with the axis's end, where every bar ends.
    zero_x = max(p[0] for p in labels["0"])
    drawn = [box for box, _ in bars]
    assert len(drawn) == 4 and all(abs(box[2] - zero_x) < 1 for box in drawn)
    # "-8,366" (d3 writes a minus sign) stands left of the longest bar, inside the picture.
    longest = min(drawn, key=lambda box: box[0])
    label = next(corners for words, corners in labels.items() if words.replace("\u2212", "-") == "-8,366")
    assert max(p[0] for p in label) <= longest[0] and min(p[0] for p in label) >= 0


def test_value_labels_in_the_number_format(theme):
    _, _, texts, _ = measured(draw(gallery_chart("column", "mixed-sign"), theme), theme)
    words = [w.replace("\u2212", "-") for _, w in texts]
    assert {"15%", "-7%", "10%", "-23%", "27%"} <= set(words)  # values labels and axis ticks alike
    _, _, texts, _ = measured(draw(gallery_chart("bar", "millions"), theme), theme)
    assert "8,366,114" in [w for _, w in texts]


def test_month_axis_is_level_and_thinned_not_crowded(theme):
    chart = gallery_chart("line", "months")
    vl = spec(chart, theme)
    axis = vl["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelAngle"] == 0 and 2 <= len(axis["values"]) < len(MONTHS)
    _, _, texts, _ = measured(draw(chart, theme), theme)
    assert [w for _, w in texts if w in MONTHS] == axis["values"]


def test_emphasised_category_is_drawn_in_the_second_colour_with_a_bold_label(theme):
    for kind in ("bar", "column"):
        chart = gallery_chart(kind, "mixed-sign")
        svg = draw(chart, theme)
        _, _, _, bars = measured(svg, theme)
        fills = [fill.upper() for _, fill in bars]
        assert fills.count(theme.colours.chart_palette[1].upper()) == 1
        assert fills.count(theme.colours.chart_palette[0].upper()) == 4
        assert re.search(r'font-weight="bold"[^>]*>Medway<', svg)
        assert not re.search(r'font-weight="bold"[^>]*>Corby<', svg)


@pytest.mark.parametrize("kind", KINDS)
def test_axis_titles_are_honoured_for_every_kind(kind, theme):
    chart = attrs.evolve(gallery_chart(kind, "one-row"), x_title="Financial year",
                         y_title=None if kind in ("pie", "donut") else "Crimes recorded")
    _, _, texts, _ = measured(draw(chart, theme), theme)
    words = [w for _, w in texts]
    assert "Financial year" in words  # the legend's title for a pie or donut
    if kind not in ("pie", "donut"):
        assert "Crimes recorded" in words


# --- refused: a clear error, never a blank or a wrong chart ---------------------------------------


def test_pie_and_donut_refuse_negatives_in_compose(theme):
    for kind in ("pie", "donut"):
        with pytest.raises(ReportError) as caught:
            compose.chart(kind, "Change by area", [{"area": "A", "change": 5}, {"area": "B", "change": -3}], "area", "change")
        message = str(caught.value)
        assert "compose.chart" in message and "change" in message and "-3" in message and "negative" in message


@pytest.mark.parametrize("options, field, words", [
    ({"number_format": ",.0x%z"}, "number_format", "not a number format"),
    ({"number_format": ""}, "number_format", "not a number format"),
    ({"kind": "column", "series": "year"}, "series", "grouped-bar or stacked-bar"),
    ({"y": "rate.total"}, "y", "has a dot"),
    ({"kind": "line", "emphasis": ("A",)}, "emphasis", "column or bar chart"),
])
def test_undrawable_charts_are_named_errors(options, field, words):
    rows = [{"area": "A", "rate.total": 5, "value": 5, "year": "2021"}]
    options = {"kind": "bar", "y": "value", **options}
    kind, y = options.pop("kind"), options.pop("y")
    with pytest.raises(ReportError) as caught:
        compose.chart(kind, "Rates", rows, "area", y, **options)
    assert f"compose.chart: {field}:" in str(caught.value) and words in str(caught.value)


def test_a_folder_refuses_a_negative_pie_naming_file_and_field(tmp_path):
    import shutil

    from assessment.loading import load_report

    folder = tmp_path / "report"
    shutil.copytree(MEDWAY, folder)
    yaml_path = folder / "report.yaml"
    text = yaml_path.read_text()
    bad = ("      - chart:\n          kind: pie\n          title: Change by area\n          data: benchmark_rate_total\n"
           "          x: area\n          y: published_change_percent\n")
    yaml_path.write_text(text.replace("      - markdown: text/benchmarking-total.md\n",
                                      bad + "      - markdown: text/benchmarking-total.md\n"))
    with pytest.raises(ReportError) as caught:
        load_report(folder)
    lines = str(caught.value).splitlines()
    assert len(lines) == 1 and lines[0].startswith("report.yaml: body[") and ".chart.y:" in lines[0]
    assert "negative value (-7 for 'Corby')" in lines[0] and "pie" in lines[0]
