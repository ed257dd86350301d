"""How one value of a dataset is written in a table cell, by its column's format."""

from __future__ import annotations

import re

import attrs

from . import figures, limits
from .model import BulletList, ListItem, Paragraph

_IDENTIFIER_WORDS = {"year", "years", "yr", "fy", "period", "code", "codes", "id", "ref", "reference", "postcode",
                     "lsoa", "msoa", "uprn", "urn", "gss"}


def identifier_column(field: str) -> bool:
    """A column of years or codes, which ``auto`` prints as written (2022, not 2,022). Decided by
    the column's name alone: a rule on the values would turn counts that happen to lie between
    1900 and 2100 into 'years'. Any other column can say ``format: text``."""
    words = set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", field).lower()))
    return bool(words & _IDENTIFIER_WORDS)


def is_markdown(value, column_format: str) -> bool:
    """Text cells of ``auto`` and ``markdown`` columns are Markdown (never templates)."""
    return column_format in ("auto", "markdown") and isinstance(value, str)


def text(value, column_format: str, decimals: int | None, *, identifier: bool = False) -> str:
    """The words of a cell; raises FigureError where the format needs a number and has none."""
    if value is None:
        return ""
    if column_format == "percent":
        return figures.percent(value, decimals if decimals is not None else figures.written_decimals(value))
    if column_format == "number":
        return figures.number(value, decimals or 0)
    if column_format == "decimal1":
        return figures.number(value, 1)
    if isinstance(value, int) and not isinstance(value, bool) and column_format == "auto" and not identifier:
        return figures.number(value)
    return str(value)


def embolden(block):
    """A block with every span bold (a bold column's Markdown cells)."""
    if isinstance(block, Paragraph):
        return Paragraph(tuple(attrs.evolve(s, bold=True) if hasattr(s, "bold") else s for s in block.spans))
    if isinstance(block, BulletList):
        return BulletList(tuple(ListItem(embolden(i.paragraph), i.children) for i in block.items))
    return block


LEVELS_ALLOWED = f"expected empty or 0 for a row, or 1 to {limits.MAX_ROW_LEVEL} for a sub-row"


def row_level(value) -> int | None:
    """A level cell as a level (empty is 0), or None when it is not one."""
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limits.MAX_ROW_LEVEL:
        return value
    return None
