"""Writing a file so that a failed or interrupted build never leaves half of it behind."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

# ".<target name>.<pid>-<random>.tmp": the pid tells a later build whether the writer is gone.
_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{12}\.tmp$")


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target and rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
    # Created the way open() creates a file, 0666 less the umask (applied by the kernel, so no
    # thread has to read the umask by setting it), not private as mkstemp makes it: a report
    # is read by colleagues. O_EXCL: two writers never share a temporary.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
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
