"""Start-up shortcuts give what the slower, general route gives."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from assessment import charts


def _metadata_version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@pytest.mark.parametrize("name", ["assessment", "vl-convert-python", "vl_convert_python", "python-docx",
                                  "PyYAML", "markdown-it-py", "linkify_it_py", "no-such-package-here"])
def test_installed_version_is_importlib_metadatas(name):
    assert charts.installed_version(name) == _metadata_version(name)


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
        assert charts.installed_version(name) == expected
        assert charts.installed_version(name) == _metadata_version(name)
