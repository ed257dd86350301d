"""Writing a file so that a failed or interrupted build never leaves half of it behind."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path

from .errors import ReportError

# ".<target name>.<pid>-<random>.tmp": the pid tells a later build whether the writer is gone.
_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{12}\.tmp$")


def _write_temporary(path: Path, data: bytes, mode: int = 0o666) -> Path:
    """``data`` in a new temporary beside ``path``; nothing is left behind if writing fails."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
    # Created the way open() creates a file, 0666 less the umask (applied by the kernel, so no
    # thread has to read the umask by setting it), not private as mkstemp makes it: a report
    # is read by colleagues. O_EXCL: two writers never share a temporary.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomic(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write beside the target and rename over it (``mode`` less the umask; 0o600: this user's
    alone from the start, as the compiled-code cache must be)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, data, mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a platform without signals: leave it be
        return True
    return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporaries of writers that were killed before they could clean up; those of
    writers still running are left alone. Returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match and not _running(int(match.group(1))):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


_UNSAFE_NAME = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 120


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the stem of a built file, or None: outputs land in the output
    folder whatever a report names itself, on every system a council uses."""
    if (not name or len(name) > MAX_NAME or _UNSAFE_NAME.search(name) or name.startswith(".")
            or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for ch in name)
            or name != name.strip() or name.endswith(".") or name.split(".")[0].lower() in _WINDOWS_DEVICES):
        return (f"found {name!r}; expected a plain file name of at most {MAX_NAME} characters, without "
                '/ \\ : * ? " < > |, control or format characters (such as right-to-left overrides) or a leading dot')
    return None


def output_folder(folder: Path) -> Path:
    """Create the output folder, or say in one line why it cannot be."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ReportError.single(str(folder), "", "is a file; expected a folder for the built documents") from None
    except OSError as exc:
        raise ReportError.single(str(folder), "", f"cannot be created ({exc.strerror})") from None
    return folder


def write_outputs(files: dict[Path, bytes]) -> None:
    """Write several documents so that either all are replaced or none is: every temporary is
    written first, and only then is each renamed over its target."""
    for path in files:
        if path.is_dir():
            raise ReportError.single(str(path), "", "cannot be written (Is a directory); no document was replaced")
    written: list[tuple[Path, Path]] = []
    current = None
    try:
        for current, data in files.items():
            written.append((_write_temporary(current, data), current))
    except OSError as exc:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise ReportError.single(str(current), "", f"cannot be written ({exc.strerror}); no document was replaced") from None
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    for index, (temporary, path) in enumerate(written):
        try:
            os.replace(temporary, path)
        except OSError as exc:
            for left, _ in written[index:]:
                left.unlink(missing_ok=True)
            raise ReportError.single(str(path), "", f"cannot be written ({exc.strerror})") from None
