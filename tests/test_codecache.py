"""The compiled-code cache (assessment.codecache): a second process compiles none of the code
attrs and cattrs write for our classes, behaves the same, and trusts no file it did not write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import pytest

from assessment import codecache

PROBE = r"""
import json, os, sys
import assessment
from assessment import codecache
at_import = [codecache.CACHE.hits, codecache.CACHE.misses]
if len(sys.argv) > 2:  # what importing found: enough to tell whether the file was read
    print(json.dumps({"at_import": at_import}))
    sys.exit(0)
from assessment.loading import load_report
report = load_report(sys.argv[1])
import attr._make, cattrs.gen
import assessment.model as model
from assessment import api
pdf = api.render_documents(report, formats=["pdf"], cache_dir=False)["pdf"]
text = model.Text("crime", True)
print(json.dumps({
    "at_import": at_import, "after_load": [codecache.CACHE.hits, codecache.CACHE.misses],
    "patched": "compile" in vars(attr._make) and "compile" in vars(cattrs.gen),
    "hash_seed_is_this_processes": hash("<attrs generated hash assessment.model.Text>") in
        model.Text.__hash__.__code__.co_consts,
    "equal": text == model.Text("crime", True) and text != model.Text("crime"),
    "hashes": hash(text) == hash(model.Text("crime", True)),
    "repr": repr(text), "pdf": __import__("hashlib").sha256(pdf).hexdigest(),
}))
"""


def probe(cache, folder, *, import_only=False, **env):
    result = subprocess.run([sys.executable, "-c", PROBE, str(folder), *(["import-only"] if import_only else [])],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ASSESSMENT_CACHE": str(cache), **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def code_file(cache):
    folder = cache / "assessment" / "code"
    files = list(folder.glob("*.marshal")) if folder.is_dir() else []
    return files[0] if files else None


@pytest.fixture
def small_folder(tmp_path):
    folder = tmp_path / "folder"
    (folder / "text").mkdir(parents=True)
    (folder / "report.yaml").write_text("title: Small\norganisation: A Partnership\ndate: 2024-01-01\n"
                                        "body:\n  - markdown: text/one.md\n")
    (folder / "text" / "one.md").write_text("# One\n\nCrime fell, see www.ons.gov.uk.\n")
    return folder


def test_a_second_process_compiles_none_of_our_generated_code_and_behaves_the_same(tmp_path, small_folder):
    cache = tmp_path / "cache"
    first = probe(cache, small_folder)
    assert first["at_import"][0] == 0 and first["at_import"][1] > 50  # every class compiled, none found
    written = code_file(cache)
    assert written is not None and (written.stat().st_mode & 0o777) == 0o600
    assert (written.parent.stat().st_mode & 0o777) == 0o700
    second = probe(cache, small_folder)
    assert second["at_import"] == [first["at_import"][1], 0]
    assert second["after_load"][1] == 0 and second["after_load"][0] == first["after_load"][1]
    for run in (first, second):
        assert run["patched"] and run["hash_seed_is_this_processes"] and run["equal"] and run["hashes"]
    assert first["repr"] == second["repr"] and first["pdf"] == second["pdf"]  # the same bytes
    assert probe(tmp_path / "other", small_folder, ASSESSMENT_CODE_CACHE="off")["pdf"] == first["pdf"]


def untrusted_ways(cache_file):
    """Each turns a good cache file into one the cache must not read."""
    def group_writable_file():
        cache_file.chmod(0o620)

    def group_writable_folder():
        cache_file.parent.chmod(0o770)

    def symbolic_link():
        target = cache_file.with_name("elsewhere")
        cache_file.rename(target)
        cache_file.symlink_to(target)

    def not_ours():
        cache_file.write_bytes(b"\x00garbage" * 100)

    def wrong_shape():
        """Every kept entry where the next process looks, but holding text where code belongs:
        read without the shape check, attrs would be handed a string to run."""
        import marshal

        kept = marshal.loads(cache_file.read_bytes())
        kept["code"] = {key: ("x = 1", hashed) for key, (_, hashed) in kept["code"].items()}
        cache_file.write_bytes(marshal.dumps(kept))

    ways = [group_writable_file, group_writable_folder, symbolic_link, not_ours, wrong_shape]
    if os.geteuid() == 0:
        def another_owner():
            os.chown(cache_file, 65534, 65534)
        ways.append(another_owner)
    return ways


@pytest.mark.parametrize("way", range(6))
def test_a_cache_file_this_user_alone_did_not_write_is_not_read(tmp_path, small_folder, way):
    cache = tmp_path / "cache"
    assert probe(cache, small_folder, import_only=True)["at_import"][0] == 0
    assert probe(cache, small_folder, import_only=True)["at_import"][1] == 0  # read: all found
    ways = untrusted_ways(code_file(cache))
    if way >= len(ways):
        pytest.skip("changing a file's owner needs root")
    ways[way]()
    run = probe(cache, small_folder, import_only=True)
    assert run["at_import"][0] == 0 and run["at_import"][1] > 50  # compiled as if there were no cache


def test_switched_off_nothing_is_kept_and_nothing_patched(tmp_path, small_folder):
    cache = tmp_path / "cache"
    run = probe(cache, small_folder, ASSESSMENT_CODE_CACHE="off")
    assert not run["patched"] and run["at_import"] == [0, 0] and code_file(cache) is None


def flattened(code: types.CodeType):
    return (code.co_code, code.co_names, code.co_varnames,
            tuple(flattened(c) if isinstance(c, types.CodeType) else (type(c).__name__, c) for c in code.co_consts))


def test_kept_code_gets_this_processes_class_hash_seed(tmp_path, monkeypatch):
    """attrs writes hash() of a name into each __hash__: another number in each process."""
    filename = "<attrs generated methods assessment.model.Made>"
    script = "def __hash__(self):\n        return hash((\n                {},\n                self.a,\n            ))\n"
    path = tmp_path / "code" / "kept.marshal"
    path.parent.mkdir(mode=0o700)
    monkeypatch.setattr(codecache, "_attrs_class_hash", lambda name: 1234567)
    writer = codecache.CodeCache(path)
    writer.compile(script.format(1234567), filename, "exec")
    writer.save()
    monkeypatch.setattr(codecache, "_attrs_class_hash", lambda name: -98765432109)
    reader = codecache.CodeCache(path)
    kept = reader.compile(script.format(-98765432109), filename, "exec")
    assert reader.hits == 1 and reader.misses == 0
    assert flattened(kept) == flattened(compile(script.format(-98765432109), filename, "exec", dont_inherit=True))


def test_other_code_is_compiled_as_compile_would_with_its_callers_future_imports():
    source = "def f(x: int) -> int:\n    return x\n"
    without_future = {}
    exec(compile("code = compile_(source, '<other>', 'exec')", "<t>", "exec", dont_inherit=True),
         {"compile_": codecache.CACHE.compile, "source": source}, without_future)
    namespace = {}
    exec(without_future["code"], namespace)
    assert namespace["f"].__annotations__ == {"x": int, "return": int}
    with_future = {}
    exec(compile("from __future__ import annotations\ncode = compile_(source, '<other>', 'exec')", "<t>", "exec",
                 dont_inherit=True), {"compile_": codecache.CACHE.compile, "source": source}, with_future)
    namespace = {}
    exec(with_future["code"], namespace)
    assert namespace["f"].__annotations__ == {"x": "int", "return": "int"}


# -- regular expressions ---------------------------------------------------------------------

import re  # noqa: E402

PATTERNS = [
    (r"(?P<year>\d{4})-(?P<month>\d\d)", 0), (r"crime|anti-social\s+behaviour", re.IGNORECASE),
    ("[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", 0), (r"(?i)www\.|localhost", 0),
    (r"""
        ^(?P<sign>[+\-\u2212]?)   # a sign
        (?P<digits>\d[\d,]*)      # the digits
     """, re.VERBOSE), (rb"%PDF-\d\.\d", 0), (r"(a)?(?(1)b|c)", 0), (r"(?<=\.)[^\W_]+", re.UNICODE),
    (r"[\u2e80-\uffff]", re.IGNORECASE), (r"\bK\b", re.IGNORECASE | re.ASCII), (r"(?s:.)+?x$", re.MULTILINE),
    ("(^|(?![.:/\\-_@])(?:[$+<=>^`|｜]|[\\ \xa0\u1680])).{3,}", re.IGNORECASE),
]


@pytest.mark.parametrize("pattern, flags", PATTERNS)
def test_a_kept_pattern_is_the_pattern_re_makes(tmp_path, pattern, flags, monkeypatch):
    if codecache._re_compiler is None:
        pytest.skip("this Python's re works differently: patterns are not kept")
    monkeypatch.setattr(codecache, "PATTERN_MISSES_WORTH_A_WRITE", 1)  # write for this one pattern
    path = tmp_path / "code" / "kept.marshal"
    path.parent.mkdir(mode=0o700)
    expected = codecache._REAL_PATTERN_COMPILE(pattern, flags)
    writer = codecache.CodeCache(path)
    made = writer.compile_pattern(pattern, flags)
    assert made == expected and writer.pattern_misses == 1  # Pattern == compares flags, source and code
    writer.save()
    reader = codecache.CodeCache(path)
    kept = reader.compile_pattern(pattern, flags)
    assert reader.pattern_hits == 1 and kept == expected
    assert (kept.groups, kept.groupindex, kept.flags) == (expected.groups, expected.groupindex, expected.flags)
    sample = "2022-03 Crime and WWW.medway.gov.uk\u212a" if isinstance(pattern, str) else b"%PDF-1.7"
    assert [m.span() for m in kept.finditer(sample)] == [m.span() for m in expected.finditer(sample)]


def test_a_second_build_compiles_its_slow_patterns_from_the_file(tmp_path, small_folder):
    cache = tmp_path / "cache"
    check = r"""
import sys, re
import assessment
from assessment import codecache
from assessment.loading import load_report
load_report(sys.argv[1])
kept = codecache.CACHE.patterns
assert all(codecache._sre.compile(p, *entry) == codecache._REAL_PATTERN_COMPILE(p, flags)
           for (p, flags), entry in kept.items())
print(codecache.CACHE.pattern_hits, codecache.CACHE.pattern_misses, len(kept))
"""
    runs = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", check, str(small_folder)], capture_output=True, text=True,
                                timeout=120, env={**os.environ, "ASSESSMENT_CACHE": str(cache)})
        assert result.returncode == 0, result.stderr
        runs.append([int(n) for n in result.stdout.split()])
    (first_hits, first_misses, _), (second_hits, second_misses, kept) = runs
    if codecache._re_compiler is None:
        pytest.skip("this Python's re works differently: patterns are not kept")
    assert first_hits == 0 and first_misses > 20  # YAML's, Jinja2's, Markdown's, ours …
    # All found again but a pattern made from a set (reportlab's), which differs in each process.
    assert second_hits > 20 and second_misses <= second_hits / 4 and kept >= first_misses


# -- Jinja2's compiled texts -----------------------------------------------------------------

from assessment import templates  # noqa: E402
from assessment.errors import NarrativeError  # noqa: E402


def a_new_process(tmp_path, monkeypatch):
    """The cache as the next process finds it: what the last one saved, read afresh."""
    codecache.CACHE.save()
    cache = codecache.CodeCache(tmp_path / "code" / "kept.marshal")
    monkeypatch.setattr(codecache, "CACHE", cache)
    return cache


@pytest.fixture
def kept(tmp_path, monkeypatch):
    (tmp_path / "code").mkdir(mode=0o700)
    monkeypatch.setattr(codecache, "CACHE", codecache.CodeCache(tmp_path / "code" / "kept.marshal"))
    return lambda: a_new_process(tmp_path, monkeypatch)


TEXT = "Crime {{ 'rose' if change > 0 else 'fell' }} by {{ change | abs }} per cent{% for w in wards %}, {{ w }}{% endfor %}."


def test_a_text_compiled_by_an_earlier_build_fills_in_alike(kept):
    context = {"change": -4, "wards": ["Chatham", "Gillingham"]}
    first = templates.fill(templates.make_environment(), TEXT, context, file="a.md")
    assert first == "Crime fell by 4 per cent, Chatham, Gillingham."
    cache = kept()
    assert templates.fill(templates.make_environment(), TEXT, context, file="a.md") == first
    assert cache.hits == 1 and cache.misses == 0
    # a draft's marks for a missing value come from its environment, not from the kept code
    missing = "Crime fell by {{ fall | number }} per cent."
    templates.fill(templates.make_environment(), missing, {"fall": 4}, file="a.md")
    cache = kept()
    draft = templates.fill(templates.make_environment(draft=True), missing, {}, file="a.md")
    assert cache.hits == 1 and "fall" in draft
    codecache.CACHE = codecache.CodeCache(None)  # as without a cache
    assert templates.fill(templates.make_environment(draft=True), missing, {}, file="a.md") == draft


def test_a_refused_text_is_refused_again_and_an_error_still_names_its_line(kept):
    refused = "One\n{% macro m() %}x{% endmacro %}"
    failing = "One\ntwo\n{{ 1 / 0 }}"
    for _ in range(2):
        with pytest.raises(NarrativeError, match="macro"):
            templates.fill(templates.make_environment(), refused, {}, file="b.md")
        with pytest.raises(NarrativeError, match="line 3"):
            templates.fill(templates.make_environment(), failing, {}, file="c.md")
        kept()


def test_code_is_kept_per_environment_and_per_rules(kept, monkeypatch):
    env = templates.make_environment()
    templates.fill(env, "{{ 3 | abs }}", {}, file="d.md")
    cache = kept()
    fewer = templates.make_environment()
    fewer.filters.pop("abs")
    with pytest.raises(NarrativeError, match="abs"):  # a filter the environment lacks: refused, not run
        templates.fill(fewer, "{{ 3 | abs }}", {}, file="d.md")
    assert cache.hits == 0
    monkeypatch.setattr(templates, "_rules_version", lambda: "other rules")
    templates.fill(templates.make_environment(), "{{ 3 | abs }}", {}, file="d.md")
    assert cache.hits == 0  # checked again under the new rules


def test_the_console_command_keeps_the_code_too(tmp_path, small_folder):
    """``assessment build`` leaves through os._exit, which runs no exit handlers."""
    cache = tmp_path / "cache"
    command = ("import sys; from assessment.cli import run; "
               f"sys.argv = ['assessment', 'build', {str(small_folder)!r}, '--out', {str(tmp_path / 'out')!r}, "
               "'--format', 'html']; run()")
    result = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ASSESSMENT_CACHE": str(cache)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out").is_dir() and code_file(cache) is not None


def test_a_long_lived_process_keeps_a_bounded_number(tmp_path, monkeypatch):
    if codecache._re_compiler is None:
        pytest.skip("this Python's re works differently: patterns are not kept")
    monkeypatch.setattr(codecache, "MAX_ENTRIES", 50)
    cache = codecache.CodeCache(tmp_path / "code" / "kept.marshal")
    for n in range(500):
        assert cache.compile_pattern(f"ward-{n}-[a-z]+", 0).match(f"ward-{n}-north")
        cache.put(f"text {n}", compile("x = 1", "<template>", "exec"))
    assert len(cache.patterns) <= 50 and len(cache.code) <= 50
