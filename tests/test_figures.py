from decimal import Decimal

import pytest

from assessment import figures as f


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
