"""What every writer is handed, and the dispatch rule they share.

Each writer has one ``visit_<NodeClass>`` per node type; ``dispatch`` refuses a node it has no
visitor for, so a new node class cannot be silently dropped from one format.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..charts import Picture
from ..theme import Theme
from ..transforms import Prepared, page_label

PLACEHOLDER_PAGES = "00-00"  # a contents entry whose section never landed on a page (or no layout yet)


@attrs.frozen
class PageMap:
    """Where each section starts and ends in the laid-out PDF (cover = page 1)."""

    first: dict[str, int]
    last: dict[str, int]
    pages: int

    def label(self, section_id: str) -> str:
        if section_id not in self.first:
            return PLACEHOLDER_PAGES
        return page_label(self.first[section_id], self.last.get(section_id, self.first[section_id]))


@attrs.frozen
class Draft:
    """Marks of a draft build: a watermark and a footer naming the version and date."""

    version: str
    date: dt.date  # its words are the style's label (layout.Layout.draft_footer)


@attrs.frozen
class RenderInput:
    prepared: Prepared
    theme: Theme
    pictures: dict[str, Picture]  # chart id → drawn chart (available charts only)
    draft: Draft | None = None
    pages: PageMap | None = None
    warnings: tuple[str, ...] = ()
    # chart id → the chart as SVG markup (available charts only): the HTML edition's pictures
    drawings: dict[str, str] = attrs.Factory(dict)


def column_widths(width: float, count: int, gap: float) -> tuple[float, list[float]]:
    """Side-by-side columns: each column's content width, and the widths of the grid that holds
    them (every column but the last carries the gap on its right)."""
    content = (width - gap * (count - 1)) / count
    return content, [content + gap] * (count - 1) + [content]


def dispatch(writer, node, *args, **kwargs):
    method = getattr(writer, "visit_" + type(node).__name__, None)
    if method is None:
        raise TypeError(f"{type(writer).__name__} has no visitor for {type(node).__name__}")
    return method(node, *args, **kwargs)
