"""Compiled code of the methods attrs writes for our classes, of the functions cattrs writes to
read our formats and of the narrative texts Jinja2 compiles, and compiled regular expressions,
kept between processes, as Python keeps a module's bytecode.

attrs writes and compiles ``__init__``, ``__repr__``, ``__eq__`` … for each of our ~95 classes
when they are defined, and cattrs a structuring function for each class a folder's files are read
into: about 130 and 35 calls of ``compile`` a process, 0.06 s of a 0.7-0.9 s PDF build, all the
same every time. The code objects are kept in one file per Python bytecode version under the
cache folder (``<cache>/assessment/code/``), keyed by everything ``compile`` is given. A text's
Jinja2 code is kept by ``templates.fill`` (``get``/``put``), keyed by the text and everything
about the environment that decides the code, once the text has passed the language check.

Regular expressions likewise: the libraries a build uses (YAML, Jinja2, Markdown, linkify-it,
reportlab, pikepdf) and our own modules compile about 200 patterns a process, some of them over
most of Unicode, 0.06-0.08 s of a PDF build. ``re`` turns a pattern into a list of numbers for its
matching engine; that list, with the pattern's groups and flags, is kept for each pattern, and
the next process hands it to the engine as ``re`` itself does (CPython checks such a list before
using it). The pattern made is equal to the one ``re`` makes (Pattern objects compare their
code). The file is written again only when a process met several patterns it lacked.

Code read from a file is code run, so the file is trusted as Python trusts ``__pycache__`` and no
further: it must be a regular file owned by this user and writable by no one else, in a folder
of the same kind; anything else (another owner, a group-writable folder, a symbolic link, a file
that is not what this module writes) is ignored and compiling happens as before. Windows, whose
permissions this check cannot read, compiles as before; so does ``ASSESSMENT_CODE_CACHE=off``.
Of what attrs and cattrs write, only the code for ``assessment``'s own classes is kept: each call
is answered with the code ``compile`` would give, compiled with its caller's ``__future__`` flags.
"""

from __future__ import annotations

import __future__
import atexit
import builtins
import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import types
from pathlib import Path

from .cachedir import cache_root

MAX_FILE_BYTES = 16_000_000  # far above what our classes need (about 1 MB): a bigger file is not ours
MAX_ENTRIES = 2_000  # of code, and of patterns: a build needs about 170 and 160; past this, start afresh
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag
_OURS = ("<attrs generated ", "<cattrs generated ")
_PACKAGE = f" {__name__.split('.')[0]}."
_REAL_COMPILE = builtins.compile
# Some libraries build a pattern from a set, in a new order in each process (reportlab's list of
# unsafe names): never found again, such a pattern would have the file rewritten on every build.
PATTERN_MISSES_WORTH_A_WRITE = 5
try:  # re's internals: where they differ from CPython 3.11-3.13's, patterns are compiled as ever
    import _sre
    from re import _compiler as _re_compiler
    from re import _parser as _re_parser

    _REAL_PATTERN_COMPILE = _re_compiler.compile
    _PATTERN_VERSION = f"sre{_sre.MAGIC}-{_sre.CODESIZE}"
except (ImportError, AttributeError):  # pragma: no cover - other Pythons
    _re_compiler = None
    _PATTERN_VERSION = ""


class CodeCache:
    """The code objects of one Python bytecode version, loaded from and saved to ``path``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.code: dict[str, tuple[types.CodeType, int | None]] = {}
        # (pattern, flags) -> what _sre.compile takes after the pattern: flags, code, groups, names
        self.patterns: dict[tuple, tuple] = {}
        self.hits = self.misses = 0
        self.pattern_hits = self.pattern_misses = 0
        self._loaded = False

    def _load(self) -> None:
        self._loaded = True
        if self.path is None:
            return
        loaded = _read_trusted(self.path)
        if not isinstance(loaded, dict):
            return
        code, patterns = loaded.get("code"), loaded.get("patterns")
        if isinstance(code, dict) and all(
                isinstance(key, str) and isinstance(entry, tuple) and len(entry) == len(("code", "hash"))
                and isinstance(entry[0], types.CodeType) and (entry[1] is None or isinstance(entry[1], int))
                for key, entry in code.items()):
            self.code = code
        if isinstance(patterns, dict) and loaded.get("pattern_version") == _PATTERN_VERSION and all(
                _a_pattern_key(key) and _a_pattern_entry(entry) for key, entry in patterns.items()):
            self.patterns = patterns

    def compile(self, source, filename, mode, flags=0, dont_inherit=False, optimize=-1, *, _feature_version=-1):
        if not dont_inherit:  # what compile() itself would inherit: its caller's __future__ imports
            flags |= sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
        arguments = (source, filename, mode, flags, True, optimize)
        if (not isinstance(source, str) or not isinstance(filename, str) or _feature_version != -1
                or not filename.startswith(_OURS) or _PACKAGE not in filename):
            return _REAL_COMPILE(*arguments, _feature_version=_feature_version)
        if not self._loaded:
            self._load()
        class_hash = _attrs_class_hash(filename)
        kept = source.replace(f" {class_hash},\n", " CLASS_HASH,\n", 1) if class_hash is not None else source
        key = hashlib.sha256(repr((filename, mode, flags, optimize)).encode() + b"\0" + kept.encode()).hexdigest()
        found = self.code.get(key)
        if found is not None:
            self.hits += 1
            code, hashed_as = found
            return code if hashed_as == class_hash else _with_constant(code, hashed_as, class_hash)
        self.misses += 1
        code = _REAL_COMPILE(*arguments)
        self._keep(self.code, key, (code, class_hash if kept != source else None))
        return code

    def get(self, material: str) -> types.CodeType | None:
        """Code kept under ``material`` (everything that decides it: its source and how it is
        compiled), or None: how Jinja2's compiled templates are kept (templates.fill)."""
        if self.path is None:
            return None
        if not self._loaded:
            self._load()
        found = self.code.get(_material_key(material))
        if found is None:
            return None
        self.hits += 1
        return found[0]

    def put(self, material: str, code: types.CodeType) -> None:
        if self.path is not None:
            self.misses += 1
            self._keep(self.code, _material_key(material), (code, None))

    def compile_pattern(self, pattern, flags=0):
        """``re``'s compile, from the engine code kept for the pattern when there is some."""
        if not isinstance(pattern, (str, bytes)) or flags & _re_compiler.SRE_FLAG_DEBUG:
            return _REAL_PATTERN_COMPILE(pattern, flags)
        if not self._loaded:
            self._load()
        key = (pattern, int(flags))  # re.I and the like are RegexFlag, an int marshal cannot write
        kept = self.patterns.get(key)
        if kept is not None:
            self.pattern_hits += 1
            return _sre.compile(pattern, *kept)
        parsed = _re_parser.parse(pattern, flags)
        code = [int(word) for word in _re_compiler._code(parsed, flags)]  # its opcodes are int subclasses
        names = parsed.state.groupdict
        by_number = [None] * parsed.state.groups
        for name, number in names.items():
            by_number[number] = name
        engine = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(names), tuple(by_number))
        self._keep(self.patterns, key, engine)
        self.pattern_misses += 1
        return _sre.compile(pattern, *engine)

    @staticmethod
    def _keep(kept: dict, key, entry) -> None:
        """A long-lived process (a watch, a batch worker, a service that embeds us) may compile
        patterns or texts without end: past MAX_ENTRIES its memory, and the file, start afresh."""
        if len(kept) >= MAX_ENTRIES:
            kept.clear()
        kept[key] = entry

    def save(self) -> None:
        """Write what this process compiled, if anything, for the next one (atomically)."""
        if self.path is None or not (self.misses or self.pattern_misses >= PATTERN_MISSES_WORTH_A_WRITE):
            return
        kept = {"code": self.code, "patterns": self.patterns, "pattern_version": _PATTERN_VERSION}
        try:
            folder = self.path.parent
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _trusted_folder(folder):
                return
            from .files import write_atomic  # here: its module's imports make classes this cache should see

            write_atomic(self.path, marshal.dumps(kept), mode=0o600)
            self.misses = self.pattern_misses = 0
        except (OSError, ValueError):
            pass  # a cache that cannot be written is only slower next time


def _material_key(material: str) -> str:
    return "kept:" + hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def _a_pattern_key(key) -> bool:
    return (isinstance(key, tuple) and len(key) == len(("pattern", "flags")) and isinstance(key[0], (str, bytes))
            and isinstance(key[1], int))


def _a_pattern_entry(entry) -> bool:
    return (isinstance(entry, tuple) and len(entry) == len(("flags", "code", "groups", "names", "numbers"))
            and isinstance(entry[0], int) and isinstance(entry[1], list) and all(type(i) is int for i in entry[1])
            and isinstance(entry[2], int) and isinstance(entry[3], dict)
            and all(isinstance(k, str) and type(v) is int for k, v in entry[3].items())
            and isinstance(entry[4], tuple) and all(n is None or isinstance(n, str) for n in entry[4]))


def _attrs_class_hash(filename: str) -> int | None:
    """attrs seeds a class's ``__hash__`` with ``hash()`` of a name made from the class's, a
    number that changes with each process's string-hash seed: the one piece of its code that
    differs between processes. The cache keys the code without it and writes this process's in."""
    prefix = "<attrs generated methods "
    if not filename.startswith(prefix):
        return None
    return hash(f"<attrs generated hash {filename[len(prefix):]}")


def _with_constant(code: types.CodeType, old: int | None, new: int | None) -> types.CodeType:
    """``code`` with the integer constant ``old`` made ``new``, in it and the functions it defines."""
    if old is None or new is None:
        return code
    constants = tuple(_with_constant(c, old, new) if isinstance(c, types.CodeType)
                      else new if type(c) is int and c == old else c for c in code.co_consts)
    return code.replace(co_consts=constants)


def _trusted_folder(folder: Path) -> bool:
    try:
        found = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and _owned_and_private(found)


def _owned_and_private(found: os.stat_result) -> bool:
    return found.st_uid == os.geteuid() and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read_trusted(path: Path):
    """The file's contents unmarshalled, or None unless it and its folder are this user's alone."""
    if not _trusted_folder(path.parent):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        found = os.fstat(file.fileno())
        if not stat.S_ISREG(found.st_mode) or not _owned_and_private(found) or found.st_size > MAX_FILE_BYTES:
            return None
        try:
            return marshal.loads(file.read())
        except (EOFError, ValueError, TypeError):
            return None


def cache_file() -> Path | None:
    """Where this Python's code is kept, or None where it is not kept."""
    if os.name != "posix" or os.environ.get("ASSESSMENT_CODE_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    return cache_root() / "code" / f"{importlib.util.MAGIC_NUMBER.hex()}-{sys.implementation.cache_tag}.marshal"


CACHE = CodeCache(cache_file())


def install() -> None:
    """attrs and cattrs look ``compile`` up among their module's names before the builtins: give
    them the cache's (other libraries, and other code attrs and cattrs write, compile as before);
    and ``re``, which compiles every pattern its own in-process cache lacks through
    ``re._compiler.compile``."""
    if CACHE.path is None:
        return
    import attr._make
    import cattrs.gen

    for module in (attr._make, cattrs.gen):
        module.compile = CACHE.compile
    if _re_compiler is not None:
        _re_compiler.compile = CACHE.compile_pattern  # what re.compile, re.search … call on a miss of re's own cache
    atexit.register(CACHE.save)
