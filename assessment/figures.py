"""Figures derived from counts, and how they are written: one place for every rounding rule.

Rounding is half-up, as figures are published (9.65% → 9.7%), never banker's rounding.
Missing inputs (None) and zero denominators raise ``FigureError`` rather than print nonsense.
The words around a figure ("9.7% increase", "cynnydd o 9.7%") are those of the report's
language: ``for_language(tag)`` gives the functions a template sees; the module-level functions
phrase in English. The words themselves live in ``phrasing.py``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from numbers import Real

from . import phrasing


class WrittenNumber(float):
    """A decimal number read from a file that prints as it was written ('50.30', not '50.3'):
    the digits a source publishes are the ones a report shows."""

    def __new__(cls, text: str):
        value = super().__new__(cls, text)
        value.written = text.strip().lstrip("+")
        return value

    def __str__(self) -> str:
        return self.written

    def __reduce__(self):
        return WrittenNumber, (self.written,)


def written_decimals(value) -> int:
    """How many decimal places ``value`` was written with (57.5 → 1, 50.30 → 2, 12 → 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return 0
    number = Decimal(str(value))
    return max(0, -number.as_tuple().exponent) if number.is_finite() else 0


class FigureError(ValueError):
    """A figure cannot be computed from the values given. ``source`` is (file, where) of the
    data cell the bad value came from, when it came from one."""

    def __init__(self, message: str, source: tuple[str, str] | None = None, *, follow_on: bool = False):
        super().__init__(message)
        self.source = source
        self.follow_on = follow_on  # caused by a problem reported elsewhere


MAX_DIGITS = 400  # a figure with more digits than this before the point is not a count or rate


def _decimal(value, what: str) -> Decimal:
    source = getattr(value, "source", None)  # a dataset cell that knows where it was read
    if value is None or getattr(value, "empty", False):
        raise FigureError(f"{what} is missing", source)
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        raise FigureError(f"{what} must be a number, got {str(value)!r}", source)
    try:
        number = Decimal(str(value))
    except (ValueError, InvalidOperation):  # an int too long for str(), a float subclass's odd str()
        raise FigureError(f"{what} must be a number of at most {MAX_DIGITS} digits", source) from None
    if not number.is_finite():
        raise FigureError(f"{what} must be a finite number, got {value!r}", source)
    if number and number.adjusted() >= MAX_DIGITS:
        raise FigureError(f"{what} has more than {MAX_DIGITS} digits", source)
    return number


def round_half_up(value, decimals: int = 0) -> Decimal:
    number = _decimal(value, "value")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 100:
        raise FigureError(f"decimals must be a whole number from 0 to 100, got {decimals!r}")
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext() as context:  # enough digits for 10^12 and beyond, not just 28
        context.prec = max(28, number.adjusted() + decimals + 3)
        rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0"


def number(value, decimals: int = 0) -> str:
    """32541 → '32,541'; 13.6 with decimals=1 → '13.6'; -0.4 → '0' (no minus zero)."""
    rounded = round_half_up(value, decimals)
    return f"{rounded:,.{decimals}f}"


def percent(value, decimals: int = 0) -> str:
    """A value already in percent: 48 → '48%'."""
    return number(value, decimals) + "%"


def percent_change(previous, current) -> Decimal:
    """Exact percentage change from previous to current (not rounded). From a negative value the
    change is measured against its size, so a rise is always positive: -10 → -5 is +50%."""
    before = _decimal(previous, "previous value")
    after = _decimal(current, "current value")
    if before == 0:
        raise FigureError("percentage change from zero is undefined")
    with localcontext() as context:
        context.prec = 50
        return (after - before) / abs(before) * 100


def change_size(previous, current, decimals: int = 0) -> str:
    """The size of a change without its direction, for prose that says it: '9.7%'."""
    return percent(round_half_up(abs(percent_change(previous, current)), decimals), decimals)


def signed_percent_change(previous, current, decimals: int = 0) -> str:
    """For change columns in tables: '15%', '-7%', '0%'."""
    return percent(round_half_up(percent_change(previous, current), decimals), decimals)


def rate(count, population, per: int = 1000, decimals: int = 0) -> str:
    """32541 crimes in 279800 people → '116' (per 1,000)."""
    people = _decimal(population, "population")
    if people == 0:
        raise FigureError("rate over a population of zero is undefined")
    if people < 0:
        raise FigureError(f"a population cannot be negative, got {number(people)}")
    multiplier = _decimal(per, "per")
    with localcontext() as context:
        context.prec = 50
        value = _decimal(count, "count") / people * multiplier
    return number(value, decimals)


def share(part, total, decimals: int = 0) -> str:
    """Part of a total as a percentage: share(46, 100) → '46%'."""
    whole = _decimal(total, "total")
    if whole == 0:
        raise FigureError("share of a total of zero is undefined")
    with localcontext() as context:
        context.prec = 50
        value = _decimal(part, "part") / whole * 100
    return percent(value, decimals)


def _rank(value) -> int:
    rank = _decimal(value, "rank")
    if rank != rank.to_integral_value() or rank < 1:
        raise FigureError(f"a rank must be a whole number from 1, got {value}", getattr(value, "source", None))
    return int(rank)


def _noun(noun, what: str = "noun") -> str | None:
    if noun is None:
        return None
    if not isinstance(noun, str) or not noun.strip():
        raise FigureError(f"the {what} must be a word, got {str(noun)!r}")
    return noun.strip()


def _than(than) -> str | None:
    """What a difference is compared with: text ('in 2021-22') or a bare year (2021)."""
    if isinstance(than, int) and not isinstance(than, bool):
        return str(than)
    return _noun(than, "than")


class Figures:
    """The figures functions phrasing in one language (``for_language``)."""

    def __init__(self, words: phrasing.English):
        self.words = words
        self.language = words.language

    def _noun_forms(self, noun, plural) -> tuple[str | None, str | None]:
        noun, plural = _noun(noun), _noun(plural, "plural")
        if noun is not None and plural is None and self.words.needs_plural:
            raise FigureError(f"a Welsh noun needs its plural too, as in ('{noun}', '…')")
        return noun, plural

    def change(self, previous, current, decimals: int = 0, *, increase: str | None = None,
               decrease: str | None = None) -> str:
        """29652 → 32541 with decimals=1 → '9.7% increase'; 9574 → 5641 → '41% decrease';
        equal (to the decimals shown) → 'no change'. Welsh: 'cynnydd o 9.7%', 'gostyngiad o 41%',
        'dim newid'. ``increase``/``decrease`` choose other words ('rise', 'fall')."""
        exact = percent_change(previous, current)
        rounded = round_half_up(abs(exact), decimals)
        if rounded == 0:
            return self.words.no_change
        return self.words.change(percent(rounded, decimals), exact > 0, _noun(increase, "increase"),
                                 _noun(decrease, "decrease"))

    def difference(self, previous, current, noun: str | None = None, plural: str | None = None, *,
                   more: str | None = None, fewer: str | None = None, than: str | None = None,
                   feminine: bool = False, decimals: int = 0) -> str:
        """9574 → 5641 → '3,933 fewer'; with a noun, '3,933 fewer incidents', '1 more incident',
        'the same number of incidents'; ``than='in 2021-22'`` adds 'than in 2021-22' (or 'as in
        2021-22' when there is no difference). Welsh (the plural is needed): '3,933 yn llai o
        ddigwyddiadau', 'un digwyddiad yn fwy', 'yr un nifer o ddigwyddiadau'; ``feminine`` for
        'un drosedd'."""
        delta = _decimal(current, "current value") - _decimal(previous, "previous value")
        rounded = round_half_up(abs(delta), decimals)
        written = None if rounded == 0 else number(rounded, decimals)
        noun, plural = self._noun_forms(noun, plural)
        return self.words.difference(written, delta > 0, noun, plural,
                                     _noun(more, "more"), _noun(fewer, "fewer"), _than(than),
                                     bool(feminine))

    def count(self, value, noun: str, plural: str | None = None, *, feminine: bool = False,
              decimals: int = 0) -> str:
        """A number with its noun: '1 incident', '3,933 incidents', 'no incidents'. Welsh: 'un
        digwyddiad', '3,933 o ddigwyddiadau', 'dim digwyddiadau'."""
        if noun is None:
            raise FigureError("count() needs the noun counted")
        noun, plural = self._noun_forms(noun, plural)
        return self.words.count(number(value, decimals), noun, plural, bool(feminine))

    def per(self, value=1000) -> str:
        """'per 1,000' (Welsh 'i bob 1,000'), for the unit of a rate."""
        return self.words.per(number(value))

    def ordinal(self, value, *, feminine: bool = False) -> str:
        """1 → '1st', 11 → '11th', 22 → '22nd'. Welsh: '1af', '2il', '3ydd' ('3edd' feminine),
        '11eg', '21ain'."""
        return self.words.ordinal(_rank(value), bool(feminine))

    def article(self, phrase) -> str:
        """'a' or 'an' before a figure phrase, as the figure is said: '40% increase' → 'a 40%
        increase', '8% increase' → 'an 8% increase', 'no change' → 'no change'. Welsh: unchanged."""
        return self.words.article(phrase)

    def soft_mutation(self, phrase) -> str:
        """Welsh soft mutation of the first word: 'cynnydd o 9%' → 'gynnydd o 9%'."""
        return phrasing.soft_mutation(phrase)

    @property
    def filters(self) -> dict:
        return {"number": number, "percent": percent, "rate": rate, "ordinal": self.ordinal,
                "article": self.article, "soft_mutation": self.soft_mutation}

    @property
    def functions(self) -> dict:
        return {"change": self.change, "change_size": change_size, "signed_change": signed_percent_change,
                "difference": self.difference, "count": self.count, "per": self.per, "rate": rate,
                "share": share, "number": number, "percent": percent, "ordinal": self.ordinal,
                "article": self.article}


ENGLISH = Figures(phrasing.ENGLISH)
WELSH = Figures(phrasing.WELSH)


def for_language(tag: str | None) -> Figures:
    """The figures functions in the language of ``tag``: Welsh for 'cy'/'cy-GB', else English."""
    return WELSH if phrasing.for_language(tag) is phrasing.WELSH else ENGLISH


# The module-level functions phrase in English, as they always have.
change = ENGLISH.change
difference = ENGLISH.difference
count = ENGLISH.count
per = ENGLISH.per
ordinal = ENGLISH.ordinal
article = ENGLISH.article

FILTERS = ENGLISH.filters
FUNCTIONS = ENGLISH.functions
