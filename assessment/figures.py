"""Figures derived from counts, and how they are written: one place for every rounding rule.

Rounding is half-up, as figures are published (9.65% → 9.7%), never banker's rounding.
Missing inputs (None) and zero denominators raise ``FigureError`` rather than print nonsense.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from numbers import Real


class FigureError(ValueError):
    """A figure cannot be computed from the values given. ``source`` is (file, where) of the
    data cell the bad value came from, when it came from one."""

    def __init__(self, message: str, source: tuple[str, str] | None = None, *, follow_on: bool = False):
        super().__init__(message)
        self.source = source
        self.follow_on = follow_on  # caused by a problem reported elsewhere


def _decimal(value, what: str) -> Decimal:
    source = getattr(value, "source", None)  # a dataset cell that knows where it was read
    if value is None or getattr(value, "empty", False):
        raise FigureError(f"{what} is missing", source)
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        raise FigureError(f"{what} must be a number, got {str(value)!r}", source)
    number = Decimal(str(value))
    if not number.is_finite():
        raise FigureError(f"{what} must be a finite number, got {value!r}", source)
    return number


def round_half_up(value, decimals: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return _decimal(value, "value").quantize(quantum, rounding=ROUND_HALF_UP)


def number(value, decimals: int = 0) -> str:
    """32541 → '32,541'; 13.6 with decimals=1 → '13.6'."""
    rounded = round_half_up(value, decimals)
    return f"{rounded:,.{decimals}f}"


def percent(value, decimals: int = 0) -> str:
    """A value already in percent: 48 → '48%'."""
    return number(value, decimals) + "%"


def percent_change(previous, current) -> Decimal:
    """Exact percentage change from previous to current (not rounded)."""
    before = _decimal(previous, "previous value")
    after = _decimal(current, "current value")
    if before == 0:
        raise FigureError("percentage change from zero is undefined")
    return (after - before) / before * 100


def change(previous, current, decimals: int = 0) -> str:
    """29652 → 32541 with decimals=1 → '9.7% increase'; 9574 → 5641 → '41% decrease'."""
    exact = percent_change(previous, current)
    rounded = round_half_up(abs(exact), decimals)
    if rounded == 0:
        return "no change"
    direction = "increase" if exact > 0 else "decrease"
    return f"{percent(rounded, decimals)} {direction}"


def change_size(previous, current, decimals: int = 0) -> str:
    """The size of a change without its direction, for prose that says it: '9.7%'."""
    return percent(round_half_up(abs(percent_change(previous, current)), decimals), decimals)


def signed_percent_change(previous, current, decimals: int = 0) -> str:
    """For change columns in tables: '15%', '-7%', '0%'."""
    rounded = round_half_up(percent_change(previous, current), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0%"
    return percent(rounded, decimals)


def difference(previous, current, *, more: str = "more", fewer: str = "fewer") -> str:
    """9574 → 5641 → '3,933 fewer'."""
    delta = _decimal(current, "current value") - _decimal(previous, "previous value")
    if delta == 0:
        return "no difference"
    return f"{number(abs(delta))} {more if delta > 0 else fewer}"


def rate(count, population, per: int = 1000, decimals: int = 0) -> str:
    """32541 crimes in 279800 people → '116' (per 1,000)."""
    people = _decimal(population, "population")
    if people == 0:
        raise FigureError("rate over a population of zero is undefined")
    return number(_decimal(count, "count") / people * per, decimals)


def share(part, total, decimals: int = 0) -> str:
    """Part of a total as a percentage: share(46, 100) → '46%'."""
    whole = _decimal(total, "total")
    if whole == 0:
        raise FigureError("share of a total of zero is undefined")
    return percent(_decimal(part, "part") / whole * 100, decimals)


def ordinal(value) -> str:
    """1 → '1st', 11 → '11th', 22 → '22nd'."""
    whole = int(_decimal(value, "rank"))
    if 10 <= whole % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
    return f"{whole}{suffix}"


FILTERS = {
    "number": number,
    "percent": percent,
    "rate": rate,
    "ordinal": ordinal,
}

FUNCTIONS = {
    "change": change,
    "change_size": change_size,
    "signed_change": signed_percent_change,
    "difference": difference,
    "rate": rate,
    "share": share,
    "number": number,
    "percent": percent,
    "ordinal": ordinal,
}
