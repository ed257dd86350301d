"""This process's memory, as /proc tells it (Linux); elsewhere what ``resource`` can say."""

from __future__ import annotations

import resource
from pathlib import Path


def resident_mb() -> float:
    """Resident size now; 0 where /proc is missing, so no ceiling ever applies there."""
    return _status_mb("VmRSS") or 0.0


def peak_rss_mb() -> float:
    """Peak resident size. /proc's VmHWM starts afresh at exec, unlike ru_maxrss, which keeps
    the high-water mark of the parent a worker was forked from."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
