"""The cattrs converter every file we read is structured with: strict about scalars.

cattrs' defaults coerce: "false" becomes True, "12" becomes 12.0, true becomes 1. A file
someone else wrote must say what it means, so scalars are taken only as written.
"""

from __future__ import annotations

import math

import attrs
import cattrs

from .errors import KindError, ReportError


def written(value) -> str:
    """A value as the user wrote it, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return str(value)


def misused(call: str, argument: str, expected: str, value) -> ReportError:
    """A misused API call, named as a folder's problems are: the call and argument, what was
    expected, and what was found (a value as written, or just its type)."""
    plain = isinstance(value, (str, bool, int, float, list, dict, type(None)))
    found = written(value) if plain else f"a {type(value).__name__}"
    return ReportError.single(call, argument, f"expected {expected}, found {found}")


def _text(value, _type):
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise KindError(f"expected text, found {written(value)} (put text in quotes)")
    return str(value)


def _boolean(value, _type):
    if not isinstance(value, bool):
        raise KindError(f"expected true or false, found {written(value)}")
    return value


def _integer(value, _type):
    if isinstance(value, bool) or not isinstance(value, int):
        raise KindError(f"expected a whole number, found {written(value)}")
    return value


def _number(value, _type):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise KindError(f"expected a number, found {written(value)}")
    return float(value)


def strict_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _text)
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(int, _integer)
    converter.register_structure_hook(float, _number)
    # cattrs writes and compiles a function for each attrs class on first use (about 1 ms each),
    # and forgets them all whenever it meets a new dict type (its dispatch cache is cleared when
    # the dict's hook is registered), so a report.yaml had five of them made twice. Kept here,
    # each is made once a process: the same function cattrs would make.
    made: dict[type, object] = {}

    def attrs_class(cl):
        if cl not in made:
            made[cl] = converter.gen_structure_attrs_fromdict(cl)
        return made[cl]

    converter.register_structure_hook_factory(attrs.has, attrs_class)
    return converter
