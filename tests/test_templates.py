"""Figures in narrative: an immutable, bounded sandbox whose output is text, not markup."""

import time

import pytest

from assessment import templates
from assessment.datasets import Dataset, template_value
from assessment.errors import NarrativeError

ROWS = Dataset("crime", "data/crime.csv", ("year", "crimes"), ({"year": "2020-21", "crimes": 100},
                                                              {"year": "2021-22", "crimes": "n/a"}), lines=(2, 3))


def fill(source, **context):
    env = templates.make_environment()
    return templates.fill(env, source, {"crime": template_value(ROWS), "items": [1, 2, 3], **context}, file="t.md")


@pytest.mark.parametrize("source, phrase", [
    ("{% for i in range(10**9) %}x{% endfor %}", "range() of 1,000,000,000 numbers; at most 10,000"),
    ("{{ 'a' * 10**9 }}", "makes more than 100,000 items"),
    ("{{ [1] * 10**9 }}", "makes more than 100,000 items"),
    ("{{ ((10**1000)**1000)**1000 }}", "a power with more than 10,000 binary digits"),
    ("{{ lipsum(1000) }}", "'lipsum' is undefined"),
    ("{{ cycler(1, 2) }}", "'cycler' is undefined"),
    ("{{ items.reverse() }}", "refused by the sandbox"),
    ("{{ items.append(4) }}", "refused by the sandbox"),
    ("{{ crime.reverse() }}", "has no attribute 'reverse'"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "'{% macro %}' is not available in narrative text"),
    ("{% include 'x.md' %}", "'{% include %}' is not available"),
    ("{% set x %}a{% endset %}", "'{% set … endset %}' is not available"),
    ("{{ 'a'.ljust(10**9) }}", "refused by the sandbox"),
    ("{{ '{:>999999999}'.format(1) }}", "refused by the sandbox"),
    ("{{ '%0999999999d' % 1 }}", "formatting text with % is not available"),
    ("{{ 'a' | center(10**9) }}", "No filter named 'center'"),
    ("{{ ''.__class__.__mro__ }}", "refused by the sandbox"),
])
def test_what_the_sandbox_refuses_is_one_clear_error(source, phrase):
    with pytest.raises(NarrativeError) as caught:
        fill(source)
    assert caught.value.problem.file == "t.md"
    assert phrase in caught.value.problem.message


@pytest.mark.parametrize("source", [
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% for a in 'abc' * 30000 %}{% for b in 'abc' * 30000 %}{% endfor %}{% endfor %}",
])
def test_runaway_loops_end_within_the_reports_time_budget(source, monkeypatch):
    monkeypatch.setattr(templates.FiguresEnvironment, "seconds_left", 0.5)
    started = time.monotonic()
    with pytest.raises(NarrativeError, match="took longer than"):
        fill(source)
    assert time.monotonic() - started < 5


def test_the_budget_is_shared_by_every_text_of_a_report(monkeypatch):
    monkeypatch.setattr(templates.FiguresEnvironment, "seconds_left", 0.3)
    env = templates.make_environment()
    slow = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    with pytest.raises(NarrativeError):
        templates.fill(env, slow, {}, file="a.md")
    with pytest.raises(NarrativeError, match="took longer than"):  # nothing left for the next
        templates.fill(env, slow, {}, file="b.md")


def test_output_is_bounded():
    flood = "{% for i in range(10000) %}{% for j in range(200) %}xxxxxxxxxx{% endfor %}{% endfor %}"
    with pytest.raises(NarrativeError, match="more than 1,000,000 characters"):
        fill(flood)


def test_printed_values_are_text_not_markdown():
    assert fill("{{ ward }}", ward="*North* [x](http://e.org) # 1.") == r"\*North\* \[x\]\(http://e\.org\) \# 1\."
    assert fill("**{{ 1234 | number }}**") == "**1,234**"


def test_a_bad_value_is_reported_at_its_cell():
    with pytest.raises(NarrativeError) as caught:
        fill("Up {{ change(crime[0].crimes, crime[1].crimes) }}.")
    problem = caught.value.problem
    assert (problem.file, problem.where) == ("data/crime.csv", "line 3, column 'crimes'")
    assert "must be a number, got 'n/a' (used in t.md line 1)" in problem.message


def test_a_good_template_fills_in():
    assert fill("{% for row in crime %}{{ row.year }};{% endfor %}{{ crime[0].crimes | number }}") == \
        r"2020\-21;2021\-22;100"
