"""The untrusted-input rules hold on the libyaml loader too, not only through the fallback.

``yamlfile.load`` reads with ``FastLoader`` and re-reads a refused file with ``StrictLoader`` for
its line; if FastLoader accepted what StrictLoader refuses, ``load`` would never notice. So each
rule is checked here on each loader directly.
"""

from pathlib import Path

import pytest
import yaml

from assessment import yamlfile
from conftest import ROOT

if yamlfile.FastLoader is None:
    pytest.skip("this PyYAML has no libyaml", allow_module_level=True)

LOADERS = [yamlfile.FastLoader, yamlfile.StrictLoader]


def read(text, loader):
    return yaml.load(text, Loader=loader)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("written, value", [
    ("NO", "NO"), ("yes", "yes"), ("off", "off"), ("011", "011"), ("0x1F", "0x1F"), ("1_000", "1_000"),
    ("12:30", "12:30"), ("2022-12-01", "2022-12-01"), (".inf", ".inf"), (".nan", ".nan"),
    ("true", True), ("False", False), ("279800", 279800), ("-7", -7), ("0", 0), ("~", None), ("null", None),
    ("1.50", 1.5), ('"false"', "false"), ("'011'", "011"),
])
def test_strings_stay_strings(loader, written, value):
    loaded = read(f"a: {written}\n", loader)["a"]
    assert loaded == value
    assert isinstance(loaded, float) if isinstance(value, float) else type(loaded) is type(value)
    if isinstance(value, float):
        assert str(loaded) == written  # the digits as written


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("text, phrase", [
    ("a: 1\nb: 2\na: 3\n", "key 'a' appears twice (first on line 1)"),
    ("list:\n  - {x: 1, x: 2}\n", "key 'x' appears twice"),
    ("a: 1e400\n", "too large a number"),
    ("a: " + "1" * 40 + "\n", "too large"),
    ("a: " + "[" * 60 + "]" * 60 + "\n", "nested more than 40 levels deep"),
    ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "nested more than 40 levels deep"),
    ("a: !!python/object/apply:os.system [ls]\n", "could not determine a constructor"),
    ("a: !!timestamp 2022-01-01\n", "could not determine a constructor"),
    ("a: !!binary aGVsbG8=\n", "could not determine a constructor"),
    ("? [1, 2]\n: x\n", "a key must be plain text"),
])
def test_refused_on_each_loader(loader, text, phrase):
    with pytest.raises(yaml.YAMLError) as caught:
        read(text, loader)
    assert phrase in str(caught.value)


@pytest.mark.parametrize("loader", LOADERS)
def test_a_nesting_far_past_the_limit_is_refused_without_recursing_into_it(loader):
    with pytest.raises(yamlfile.LimitError, match="nested more than 40"):
        read("a: " + "[" * 200_000 + "]" * 200_000 + "\n", loader)


@pytest.mark.parametrize("loader", LOADERS)
def test_aliases_that_expand_exponentially_are_refused(loader):
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    with pytest.raises(yamlfile.LimitError, match="expand to more than 100,000 values"):
        read(laughs, loader)


@pytest.mark.parametrize("loader", LOADERS)
def test_merge_keys_and_small_aliases(loader):
    loaded = read("base: &base {width: 1, align: left}\ncol: {<<: *base, width: 2}\nagain: *base\n", loader)
    assert loaded["col"] == {"width": 2, "align": "left"} and loaded["again"] == {"width": 1, "align": "left"}


def test_every_shipped_yaml_file_reads_the_same_on_both():
    files = [p for p in sorted(ROOT.glob("[!.]*/**/*.yaml")) if ".venv" not in p.parts and "node_modules" not in p.parts]
    assert any(p.name == "report.yaml" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            expected = read(text, yamlfile.StrictLoader)
        except yaml.YAMLError:
            with pytest.raises(yaml.YAMLError):
                read(text, yamlfile.FastLoader)
            continue
        fast = read(text, yamlfile.FastLoader)
        assert fast == expected, path
        assert repr(fast) == repr(expected), path  # the same types: a written number stays one


def test_load_uses_the_fast_loader_and_reports_a_refusal_with_its_line(monkeypatch):
    used = []
    real = yaml.load
    monkeypatch.setattr(yaml, "load", lambda text, Loader: used.append(Loader) or real(text, Loader=Loader))
    assert yamlfile.load("a: 1\n") == {"a": 1}
    assert used == [yamlfile.FastLoader]
    used.clear()
    with pytest.raises(yaml.YAMLError) as caught:
        yamlfile.load("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert used == [yamlfile.FastLoader, yamlfile.StrictLoader]
    assert caught.value.problem_mark.line + 1 == 4
