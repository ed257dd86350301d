"""report.yaml as written: no YAML 1.1 coercions, no repeated keys, bounded expansion."""

import pytest
import yaml

from assessment import yamlfile


@pytest.mark.parametrize("written, value", [
    ("NO", "NO"), ("yes", "yes"), ("off", "off"), ("011", "011"), ("0x1F", "0x1F"), ("1_000", "1_000"),
    ("12:30", "12:30"), ("2022-12-01", "2022-12-01"), (".inf", ".inf"), (".nan", ".nan"),
    ("true", True), ("False", False), ("279800", 279800), ("-7", -7), ("0", 0), ("~", None), ("null", None),
])
def test_plain_scalars_resolve_only_as_written(written, value):
    loaded = yamlfile.load(f"a: {written}\n")["a"]
    assert loaded == value and type(loaded) is type(value)


@pytest.mark.parametrize("written", ["1.50", "50.30", "0.5", "-2.0", "1e3", "+3.10"])
def test_decimal_numbers_keep_the_digits_as_written(written):
    loaded = yamlfile.load(f"a: {written}\n")["a"]
    assert isinstance(loaded, float) and loaded == float(written)
    assert str(loaded) == written.lstrip("+")


def test_quoted_values_stay_text():
    assert yamlfile.load('a: "false"\nb: "011"\nc: \'1.50\'\n') == {"a": "false", "b": "011", "c": "1.50"}


@pytest.mark.parametrize("text, phrase, line", [
    ("a: 1\nb: 2\na: 3\n", "key 'a' appears twice (first on line 1)", 3),
    ("a: 1e400\n", "too large a number", 1),
    ("a: " + "[" * 60 + "]" * 60 + "\n", "nested more than 40 levels deep", 1),
    ("a: !!python/object/apply:os.system [ls]\n", "could not determine a constructor", 1),
    ("a: !!timestamp 2022-01-01\n", "could not determine a constructor", 1),
])
def test_refused_structures_name_their_line(text, phrase, line):
    with pytest.raises(yaml.YAMLError) as caught:
        yamlfile.load(text)
    assert phrase in str(caught.value)
    assert caught.value.problem_mark.line + 1 == line


def test_aliases_that_expand_exponentially_are_refused_quickly():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    with pytest.raises(yamlfile.LimitError, match="expand to more than 100,000 values"):
        yamlfile.load(laughs)


def test_merge_keys_and_small_aliases_still_work():
    loaded = yamlfile.load("base: &base {width: 1, align: left}\ncol: {<<: *base, width: 2}\nagain: *base\n")
    assert loaded["col"] == {"width": 2, "align": "left"} and loaded["again"] == {"width": 1, "align": "left"}


def test_a_large_file_is_refused():
    with pytest.raises(yamlfile.LimitError, match="larger than 1000 kB"):
        yamlfile.load("a: '" + "x" * 1_000_001 + "'\n")
