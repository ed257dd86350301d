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


def probe(cache, folder, **env):
    result = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, timeout=120,
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
        import marshal

        cache_file.write_bytes(marshal.dumps({"key": ("not code", 1)}))

    ways = [group_writable_file, group_writable_folder, symbolic_link, not_ours, wrong_shape]
    if os.geteuid() == 0:
        def another_owner():
            os.chown(cache_file, 65534, 65534)
        ways.append(another_owner)
    return ways


@pytest.mark.parametrize("way", range(6))
def test_a_cache_file_this_user_alone_did_not_write_is_not_read(tmp_path, small_folder, way):
    cache = tmp_path / "cache"
    probe(cache, small_folder)
    ways = untrusted_ways(code_file(cache))
    if way >= len(ways):
        pytest.skip("changing a file's owner needs root")
    ways[way]()
    run = probe(cache, small_folder)
    assert run["at_import"][0] == 0 and run["at_import"][1] > 50  # compiled as if there were no cache
    assert run["equal"] and run["hashes"]


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
