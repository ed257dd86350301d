from decimal import Decimal

import pytest

from assessment import figures as f
from assessment import phrasing


@pytest.mark.parametrize("value, decimals, expected", [
    (32541, 0, "32,541"), (0.5, 0, "1"), (1.5, 0, "2"), (2.5, 0, "3"), (9.65, 1, "9.7"),
    (-2.5, 0, "-3"), (0, 0, "0"), (1234567.891, 2, "1,234,567.89"),
])
def test_number_rounds_half_up(value, decimals, expected):
    assert f.number(value, decimals) == expected


def test_published_medway_figures():
    assert f.rate(32541, 279800) == "116"
    assert f.rate(5641, 279800) == "20"
    assert f.change(29652, 32541, 1) == "9.7% increase"
    assert f.change(9574, 5641) == "41% decrease"
    assert f.difference(9574, 5641) == "3,933 fewer"
    assert f.change(176, 247) == "40% increase"
    assert f.change(7, 15) == "114% increase"
    assert f.ordinal(11) == "11th" and f.ordinal(9) == "9th"
    assert f.change_size(29652, 32541, 1) == "9.7%"


@pytest.mark.parametrize("n, expected", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                         (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"),
                                         (111, "111th")])
def test_ordinal(n, expected):
    assert f.ordinal(n) == expected


def test_change_at_exactly_half_rounds_up():
    assert f.change(200, 201) == "1% increase"   # 0.5% → 1%
    assert f.change(1000, 1005, 0) == "1% increase"
    assert f.signed_percent_change(100, 93) == "-7%"


def test_no_change_and_tiny_change():
    assert f.change(100, 100) == "no change"
    assert f.change(100000, 100001) == "no change"
    assert f.difference(5, 5) == "no difference"
    assert f.signed_percent_change(100000, 99999) == "0%"


@pytest.mark.parametrize("call", [
    lambda: f.change(0, 5), lambda: f.rate(10, 0), lambda: f.share(1, 0),
    lambda: f.change(None, 5), lambda: f.rate(None, 100), lambda: f.number(None),
    lambda: f.number("12"), lambda: f.ordinal(None), lambda: f.change(True, 3),
])
def test_missing_and_zero_denominators_raise(call):
    with pytest.raises(f.FigureError):
        call()


def test_share_and_percent():
    assert f.share(46, 100) == "46%"
    assert f.share(1, 3, 1) == "33.3%"
    assert f.percent(48) == "48%"
    assert f.round_half_up(Decimal("0.125"), 2) == Decimal("0.13")


# ----- grammatical phrases in English (issue 18 item 2)

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.figures import WrittenNumber

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def first_word_said(n: int) -> str:
    """The first word of a whole number as said in British English ('one hundred and …',
    'eleven thousand …'): an oracle written from the words, not from the digits rule."""
    groups = []
    while True:
        n, group = divmod(n, 1000)
        groups.append(group)
        if n == 0:
            break
    lead = groups[-1]
    if lead >= 100:
        return ONES[lead // 100]
    return ONES[lead] if lead < 20 else TENS[lead // 10]


def expected_article(n: int) -> str:
    return "an" if first_word_said(n)[0] in "aeiou" and first_word_said(n) != "one" else "a"


@pytest.mark.parametrize("phrase, expected", [
    ("40% increase", "a 40% increase"), ("8% increase", "an 8% increase"), ("11% rise", "an 11% rise"),
    ("18% fall", "an 18% fall"), ("80% increase", "an 80% increase"), ("1% increase", "a 1% increase"),
    ("100% increase", "a 100% increase"), ("110% increase", "a 110% increase"),
    ("180% increase", "a 180% increase"), ("800 incidents", "an 800 incidents"),
    ("8,000", "an 8,000"), ("11,000", "an 11,000"), ("18,500", "an 18,500"), ("118,000", "a 118,000"),
    ("1,800", "a 1,800"), ("8.5% increase", "an 8.5% increase"), ("0.8% increase", "a 0.8% increase"),
    ("-8% change", "a -8% change"), ("+8% change", "a +8% change"), ("114% increase", "a 114% increase"),
    ("11th", "an 11th"), ("8th", "an 8th"), ("1st", "a 1st"), ("£8 fine", "an £8 fine"),
    ("8,000,000", "an 8,000,000"), ("no change", "no change"), ("the same number of incidents",
                                                                 "the same number of incidents"),
])
def test_article_goes_by_how_the_number_is_said(phrase, expected):
    assert f.article(phrase) == expected


def test_medway_sentences_read_right():
    assert f.article(f.change(176, 247)) == "a 40% increase"      # was "showing an 40% increase"
    assert f.article(f.change(7, 15)) == "a 114% increase"        # was "This is an 114% increase"
    assert f.article(f.change(100, 108)) == "an 8% increase"
    assert f.difference(9574, 5641, "incident") == "3,933 fewer incidents"


@pytest.mark.parametrize("previous, current, expected", [
    (5, 6, "1 more incident"), (6, 5, "1 fewer incident"), (9574, 5641, "3,933 fewer incidents"),
    (5, 5, "the same number of incidents"), (0, 2, "2 more incidents"), (-3, -1, "2 more incidents"),
])
def test_difference_with_a_noun_is_singular_for_one_only(previous, current, expected):
    assert f.difference(previous, current, "incident") == expected


def test_difference_than_and_the_same():
    assert f.difference(9574, 5641, "incident", than="in 2020-21") == "3,933 fewer incidents than in 2020-21"
    assert f.difference(6, 6, "incident", than="in 2020-21") == "the same number of incidents as in 2020-21"
    assert f.difference(6, 6, than="in 2020-21") == "the same as in 2020-21"
    assert f.difference(1, 2, "person") == "1 more person" and f.difference(1, 3, "person") == "2 more people"
    assert f.difference(1, 3, "burglary") == "2 more burglaries"
    assert f.difference(1, 3, "offence") == "2 more offences"
    assert f.difference(1, 3, "sheep", "sheep") == "2 more sheep"
    assert f.difference(10, 10.4) == "no difference"            # 0.4 prints as 0: no difference
    assert f.difference(10, 10.4, decimals=1) == "0.4 more"
    assert f.difference(10, 11, "tonne", decimals=1) == "1.0 more tonnes"


def test_count_one_versus_many():
    assert f.count(1, "incident") == "1 incident" and f.count(2, "incident") == "2 incidents"
    assert f.count(0, "incident") == "no incidents" and f.count(32541, "recorded crime") == "32,541 recorded crimes"
    assert f.per(1000) == "per 1,000"


def test_large_negative_and_written_values():
    assert f.number(10 ** 12) == "1,000,000,000,000"
    assert f.number(Decimal("1E+30")) == "1,000,000,000,000,000,000,000,000,000,000"
    assert f.number(-0.4) == "0" and f.percent(-0.04, 1) == "0.0%"
    assert f.number(WrittenNumber("50.30"), 2) == "50.30"
    assert f.change(WrittenNumber("50.30"), WrittenNumber("55.33"), 1) == "10.0% increase"
    assert f.change(-10, -5) == "50% increase"                    # a rise is an increase, from below zero too
    assert f.change(10 ** 12, 2 * 10 ** 12) == "100% increase"
    assert f.rate(10 ** 12, 10 ** 6, per=1) == "1,000,000"
    with pytest.raises(f.FigureError):
        f.number(10 ** 500)
    with pytest.raises(f.FigureError):
        f.rate(5, -100)
    with pytest.raises(f.FigureError):
        f.ordinal(1.5)
    with pytest.raises(f.FigureError):
        f.number(float("nan"))


def test_figure_error_keeps_its_source():
    class Cell(float):
        source = ("data/x.csv", "line 3, column 2")
    with pytest.raises(f.FigureError) as caught:
        f.ordinal(Cell(2.5))
    assert caught.value.source == ("data/x.csv", "line 3, column 2")


# Property tests: wide ranges, every function.

WHOLE = st.integers(min_value=-10 ** 15, max_value=10 ** 15)
COUNT = st.integers(min_value=0, max_value=10 ** 13)
FLOAT = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)
DECIMAL = st.decimals(min_value=-10 ** 12, max_value=10 ** 12, allow_nan=False, allow_infinity=False, places=4)
WRITTEN = st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=3, allow_nan=False,
                      allow_infinity=False).map(lambda d: WrittenNumber(str(d)))
ANY_NUMBER = st.one_of(WHOLE, FLOAT, DECIMAL, WRITTEN)
NONZERO = ANY_NUMBER.filter(lambda v: Decimal(str(v)) != 0)
DECIMALS = st.integers(min_value=0, max_value=3)
NUMBER_TEXT = r"-?\d{1,3}(,\d{3})*(\.\d+)?"
FIGURE = re.compile(rf"^{NUMBER_TEXT}$")
CHANGE = re.compile(rf"^\d{{1,3}}(,\d{{3}})*(\.\d+)?% (increase|decrease)$|^no change$")
BAD = re.compile(r"nan|inf|-0(?![.,\d])|-0\.0+(?!\d)|\ban [^8e1]|\ba 8|\ba 1[18]\b|\bno difference \w", re.IGNORECASE)


@settings(max_examples=300, deadline=None)
@given(ANY_NUMBER, DECIMALS)
def test_number_is_well_formed_and_close(value, decimals):
    text = f.number(value, decimals)
    assert FIGURE.match(text) and not BAD.search(text), text
    assert abs(Decimal(text.replace(",", "")) - Decimal(str(value))) <= Decimal(1).scaleb(-decimals) / 2
    assert f.number(value, decimals) == text  # deterministic


@settings(max_examples=300, deadline=None)
@given(NONZERO, ANY_NUMBER, DECIMALS)
def test_change_is_grammatical_with_the_right_direction(previous, current, decimals):
    text = f.change(previous, current, decimals)
    assert CHANGE.match(text), text
    delta = Decimal(str(current)) - Decimal(str(previous))
    if "increase" in text:
        assert delta > 0
    elif "decrease" in text:
        assert delta < 0
    with_article = f.article(text)
    assert not BAD.search(with_article), with_article
    if text != "no change":
        whole = int(text.split("%")[0].split(".")[0].replace(",", ""))
        assert with_article.startswith(expected_article(whole) + " "), with_article
    else:
        assert with_article == "no change"
    assert f.change_size(previous, current, decimals) in (text.split(" ")[0], "0%", "0." + "0" * decimals + "%")
    assert re.match(rf"^{NUMBER_TEXT}%$", f.signed_percent_change(previous, current, decimals))


@settings(max_examples=300, deadline=None)
@given(COUNT)
def test_article_matches_the_spoken_number(n):
    written = f.number(n)
    assert f.article(written + "% increase") == f"{expected_article(n)} {written}% increase"
    assert f.article(f.ordinal(n + 1)).split(" ")[0] == expected_article(n + 1)


@settings(max_examples=300, deadline=None)
@given(ANY_NUMBER, ANY_NUMBER, st.sampled_from([None, "incident", "person", "burglary"]))
def test_difference_is_grammatical(previous, current, noun):
    text = f.difference(previous, current, noun)
    assert not BAD.search(text), text
    delta = Decimal(str(current)) - Decimal(str(previous))
    rounded = abs(delta).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    if rounded == 0:
        assert text == ("no difference" if noun is None else f"the same number of {phrasing.english_plural(noun)}")
        return
    size, word, *rest = text.split(" ", 2)
    assert FIGURE.match(size) and not size.startswith("-")
    assert word == ("more" if delta > 0 else "fewer")
    if noun:
        assert rest == [noun if size == "1" else phrasing.english_plural(noun)]


@settings(max_examples=200, deadline=None)
@given(ANY_NUMBER, NONZERO.filter(lambda v: Decimal(str(v)) > 0), DECIMALS)
def test_rate_and_share_are_well_formed(count, total, decimals):
    assert FIGURE.match(f.rate(count, total, decimals=decimals))
    share = f.share(count, total, decimals)
    assert share.endswith("%") and FIGURE.match(share[:-1]) and not BAD.search(share)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 12))
def test_ordinal_suffix(n):
    text = f.ordinal(n)
    suffix = text[len(str(n)):]
    if n % 100 in (11, 12, 13):
        assert suffix == "th"
    else:
        assert suffix == {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
