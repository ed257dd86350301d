"""The folder kept between builds: drawn charts and compiled code live under it."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$ASSESSMENT_CACHE/assessment``, else under ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    base = os.environ.get("ASSESSMENT_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "assessment"
