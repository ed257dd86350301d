"""Start-up shortcuts give what the slower, general route gives."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from assessment import versions


def _metadata_version(name):
    try:
        return importlib.metadata.version(name)
    except (importlib.metadata.PackageNotFoundError, KeyError):  # KeyError: no Version line (see charts)
        return None


@pytest.mark.parametrize("name", ["assessment", "vl-convert-python", "vl_convert_python", "python-docx",
                                  "PyYAML", "markdown-it-py", "linkify_it_py", "no-such-package-here"])
def test_installed_version_is_importlib_metadatas(name):
    assert versions.installed_version(name) == _metadata_version(name)


def test_installed_version_reads_dist_info_and_egg_info_as_importlib_metadata_does(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "Some_Tool-1.2.3.dist-info").mkdir(parents=True)
    (first / "Some_Tool-1.2.3.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: some-tool\nVersion: 1.2.3\n\nVersion: 9.9 in the description\n")
    (second / "some.tool-7.0.dist-info").mkdir(parents=True)
    (second / "some.tool-7.0.dist-info" / "METADATA").write_text("Name: some.tool\nVersion: 7.0\n")
    (second / "old_thing.egg-info").mkdir()
    (second / "old_thing.egg-info" / "PKG-INFO").write_text("Name: old-thing\nVersion: 0.4.dev1\n")
    (second / "no_version-1.0.dist-info").mkdir()
    (second / "no_version-1.0.dist-info" / "METADATA").write_text("Name: no-version\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    importlib.invalidate_caches()
    for name, expected in [("some-tool", "1.2.3"), ("SOME.TOOL", "1.2.3"), ("old-thing", "0.4.dev1"),
                           ("no-version", None), ("absent", None)]:
        assert versions.installed_version(name) == expected
        assert versions.installed_version(name) == _metadata_version(name)


# -- links.Finder: linkify-it's answers with fewer patterns compiled --------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from linkify_it import LinkifyIt  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from assessment import links, narrative  # noqa: E402
from conftest import ROOT  # noqa: E402

_PIECES = ["www.", "ons", ".gov", ".uk", ".com", "police", "http://", "https://", "mailto:", "ftp://", "//",
           "@", "a@b.org", "localhost", "LocalHost", "LOCALHOſT", ":", ":8080", "/", "/path?q=1#x", ".", "..",
           "192.168.0.1", " ", "\n", "(", ")", "[", "]", "*", "_", "<", ">", "-", ",", "'", "\u00a0", "\u3002",
           "ｗｗｗ．", "é", "Ж", "x", "3", "xn--p1ai", ".рф", "rhif", "Caerdydd",
           # a full stop before a space, or before a letter or digit (a domain's or an IP's)
           ". ", "e.g.", "WWW.", "wWw.", "1.2.3", "12.5%", ".\u212a", ".\u017f", ".org", "a. b", ".co.uk"]
_TEXT = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(_PIECES), max_size=24).map("".join),
                  st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=16).map("".join))


def _found(matches):
    return [(m.schema, m.index, m.last_index, m.raw, m.text, m.url) for m in matches or ()]


def _real_texts():
    files = [p for folder in (ROOT / "fixtures", ROOT / "examples") for p in folder.rglob("*")
             if p.suffix in (".md", ".yaml", ".yml") and p.is_file()]
    assert len(files) > 10
    texts = []
    for path in files:
        whole = path.read_text(encoding="utf-8")
        texts.append(whole)
        texts.extend(whole.splitlines())
    return texts


def _agrees(text, stock):
    finder = links.FINDER
    if stock.pretest(text):
        assert finder.pretest(text)  # linkify-it's quick check never says more than ours
    assert finder.test(text) == stock.test(text)
    assert _found(finder.match(text)) == _found(stock.match(text))
    start = finder.match_at_start(text)
    assert _found([start] if start else []) == _found([m for m in [stock.match_at_start(text)] if m])


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_finder_answers_as_linkify_it_on_random_text(text):
    _agrees(text, LinkifyIt())


def test_finder_answers_as_linkify_it_on_every_real_text():
    stock = LinkifyIt()
    texts = _real_texts()
    found = [t for t in texts if stock.match(t)]
    assert any("www.ons.gov.uk" in t for t in found)  # the check sees real addresses
    for text in texts:
        _agrees(text, stock)


def test_finder_skips_text_without_an_address_character():
    assert not links.FINDER.pretest("Crime fell by 12 per cent in 2022 compared with 2021")
    assert links.FINDER.match("no address here") is None
    assert _found(links.FINDER.match("see www.ons.gov.uk.")) == [("", 4, 18, "www.ons.gov.uk", "www.ons.gov.uk",
                                                                  "http://www.ons.gov.uk")]


_STOCK_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["table", "linkify"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_TEXT, st.sampled_from(["\n\n", "- ", "**", "[a](https://x.org)", "<https://y.org>",
                                                  "`www.code.com`", "| a | b |\n|---|---|\n| c | d |\n"])),
                max_size=12).map("".join))
def test_markdown_with_the_finder_parses_as_with_linkify_it(markdown):
    assert narrative._markdown.render(markdown) == _STOCK_MARKDOWN.render(markdown)


def test_real_markdown_with_the_finder_parses_as_with_linkify_it():
    for text in _real_texts():
        assert narrative._markdown.render(text) == _STOCK_MARKDOWN.render(text)


# -- structuring: each attrs class's structuring function made once a process -----------------

import attrs  # noqa: E402

from assessment.structuring import strict_converter  # noqa: E402


@attrs.define
class _Inner:
    name: str
    count: int = 0


@attrs.define
class _Outer:
    inner: _Inner
    lookup: dict[str, _Inner] = attrs.Factory(dict)


def test_a_dict_type_does_not_make_cattrs_write_a_class_again(monkeypatch):
    import cattrs.converters

    made = []
    original = cattrs.converters.make_dict_structure_fn
    monkeypatch.setattr(cattrs.converters, "make_dict_structure_fn",
                        lambda cl, *args, **kwargs: made.append(cl) or original(cl, *args, **kwargs))
    converter = strict_converter()
    assert converter.structure({"name": "a"}, _Inner) == _Inner("a")
    # _Outer's dict field registers a dict hook, which empties cattrs' dispatch cache.
    outer = converter.structure({"inner": {"name": "b", "count": 2}, "lookup": {"k": {"name": "c"}}}, _Outer)
    assert outer == _Outer(_Inner("b", 2), {"k": _Inner("c")})
    assert converter.structure({"name": "d"}, _Inner) == _Inner("d")
    assert made.count(_Inner) == 1 and made.count(_Outer) == 1
