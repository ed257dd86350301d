"""reportlab's platypus, imported without compiling a pattern no build uses.

Importing ``reportlab.platypus.paragraph`` compiles ``uri_pat``, a case-insensitive pattern over
most of Unicode (Django's URL validator) that reportlab consults only when it splits a long URL
across lines with ``uriWasteReduce`` or hyphenation, which no style here turns on. Python spends
about 0.05 s case-folding its ranges, in every process: 5 % of a whole PDF build. During that one
import, large case-insensitive patterns that reportlab's own modules compile are made on first
use instead; each behaves as the pattern it stands for (tests/test_platypus_import.py).

Every module of ours that uses platypus imports this one first, so whichever comes first gets
the saving.
"""

from __future__ import annotations

import re
import sys

LARGE = 200  # characters: uri_pat is 316; reportlab's other case-insensitive patterns are < 80


class PatternOnFirstUse:
    """Stands for ``re.compile(source, flags)``, compiled when an attribute is first asked for."""

    __slots__ = ("_source", "_flags", "_compiled")  # not "pattern" or "flags": those are the pattern's

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags, self._compiled = source, flags, None

    @property
    def compiled(self) -> bool:
        return self._compiled is not None

    def __getattr__(self, name):
        if self._compiled is None:
            self._compiled = _REAL_COMPILE(self._source, self._flags)
        return getattr(self._compiled, name)


_REAL_COMPILE = re.compile


def _compile_large_ones_on_first_use(pattern, flags=0):
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if (caller.startswith("reportlab.") and isinstance(pattern, str) and len(pattern) > LARGE
            and flags & re.IGNORECASE):
        return PatternOnFirstUse(pattern, flags)
    return _REAL_COMPILE(pattern, flags)


def _import_platypus():
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    re.compile = _compile_large_ones_on_first_use
    try:
        import reportlab.platypus  # noqa: F401 - the import is the point
    finally:
        re.compile = _REAL_COMPILE


_import_platypus()
