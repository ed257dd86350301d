"""Installed distributions' versions, for the chart cache's key and the documents' properties,
without importing ``importlib.metadata`` in every new process."""

from __future__ import annotations

import os
import re


def installed_version(distribution: str) -> str | None:
    """An installed distribution's version, as ``importlib.metadata.version`` reports it: the
    ``Version:`` line of the first ``*.dist-info/METADATA`` or ``*.egg-info/PKG-INFO`` of that
    name on ``sys.path``. Read here because importing ``importlib.metadata`` (and the email
    parser under it) costs a new process about 0.03 s, for one line of one file; anything this
    cannot read is left to ``importlib.metadata``."""
    import sys

    wanted = re.sub(r"[-_.]+", "_", distribution).lower()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, _, suffix = name.lower().rpartition(".")
            if suffix not in ("dist-info", "egg-info"):
                continue
            if re.sub(r"[-_.]+", "_", stem.partition("-")[0]) != wanted:
                continue
            inside = "METADATA" if suffix == "dist-info" else "PKG-INFO"
            try:
                with open(os.path.join(entry or ".", name, inside), encoding="utf-8") as f:
                    for line in f:
                        if line.startswith("Version:"):
                            return line[len("Version:"):].strip()
                        if not line.strip():
                            break
            except OSError:
                pass
            return _version_from_metadata(distribution)
    return _version_from_metadata(distribution)


def _version_from_metadata(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except (PackageNotFoundError, KeyError):
        # KeyError: a METADATA without a Version line, once some library (dask's imports do
        # it) has put importlib_metadata's stricter message class in place.
        return None
