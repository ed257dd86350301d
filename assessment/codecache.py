"""Compiled code of the methods attrs writes for our classes and of the functions cattrs writes
to read our formats, kept between processes, as Python keeps a module's bytecode.

attrs writes and compiles ``__init__``, ``__repr__``, ``__eq__`` … for each of our ~95 classes
when they are defined, and cattrs a structuring function for each class a folder's files are read
into: about 130 and 35 calls of ``compile`` a process, 0.06 s of a 0.7-0.9 s PDF build, all the
same every time. The code objects are kept in one file per Python bytecode version under the
cache folder (``<cache>/assessment/code/``), keyed by everything ``compile`` is given.

Code read from a file is code run, so the file is trusted as Python trusts ``__pycache__`` and no
further: it must be a regular file owned by this user and writable by no one else, in a folder
of the same kind; anything else (another owner, a group-writable folder, a symbolic link, a file
that is not what this module writes) is ignored and compiling happens as before. Windows, whose
permissions this check cannot read, compiles as before; so does ``ASSESSMENT_CODE_CACHE=off``.
Only code that attrs and cattrs write for ``assessment``'s own classes is kept: each call is
answered with the code ``compile`` would give, compiled with its caller's ``__future__`` flags.
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
MAX_ENTRIES = 2_000  # a cache that grew past this (many versions of our classes) starts afresh
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag
_OURS = ("<attrs generated ", "<cattrs generated ")
_PACKAGE = f" {__name__.split('.')[0]}."
_REAL_COMPILE = builtins.compile


class CodeCache:
    """The code objects of one Python bytecode version, loaded from and saved to ``path``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.code: dict[str, tuple[types.CodeType, int | None]] = {}
        self.hits = self.misses = 0
        self._loaded = False

    def _load(self) -> None:
        self._loaded = True
        if self.path is None:
            return
        loaded = _read_trusted(self.path)
        if isinstance(loaded, dict) and all(
                isinstance(key, str) and isinstance(entry, tuple) and len(entry) == len(("code", "hash"))
                and isinstance(entry[0], types.CodeType) and (entry[1] is None or isinstance(entry[1], int))
                for key, entry in loaded.items()):
            self.code = loaded

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
        self.code[key] = (code, class_hash if kept != source else None)
        return code

    def save(self) -> None:
        """Write what this process compiled, if anything, for the next one (atomically)."""
        if self.path is None or not self.misses:
            return
        code = self.code if len(self.code) <= MAX_ENTRIES else {}
        try:
            folder = self.path.parent
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _trusted_folder(folder):
                return
            temporary = folder / f".{self.path.name}.{os.getpid()}.tmp"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(marshal.dumps(code))
            os.replace(temporary, self.path)
            self.misses = 0
        except OSError:
            pass  # a cache that cannot be written is only slower next time


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
    them the cache's. Other libraries, and other code attrs and cattrs write, compile as before."""
    if CACHE.path is None:
        return
    import attr._make
    import cattrs.gen

    for module in (attr._make, cattrs.gen):
        module.compile = CACHE.compile
    atexit.register(CACHE.save)
