"""Writing outputs: whole files or none, with the mode any saved file would get."""

import os
import subprocess
import sys
import threading

import pytest

from assessment.files import write_atomic


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"last year's report")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"half a report")
    assert target.read_bytes() == b"last year's report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    # In a child process: the umask is process-wide and pytest's own must not change.
    code = "import sys; from pathlib import Path; from assessment.files import write_atomic; write_atomic(Path(sys.argv[1]), b'x')"
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.docx")], check=True,
                   preexec_fn=lambda: os.umask(umask))
    assert (tmp_path / "out.docx").stat().st_mode & 0o777 == mode


def test_threads_writing_at_once_each_get_their_whole_file(tmp_path):
    payloads = {f"area-{i}.pdf": bytes([i]) * 50_000 for i in range(16)}
    threads = [threading.Thread(target=write_atomic, args=(tmp_path / name, data)) for name, data in payloads.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == payloads


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    from assessment.files import remove_leftovers

    dead, alive = _dead_pid(), os.getpid()
    left = tmp_path / f".medway.pdf.{dead}-0123456789ab.tmp"
    running = tmp_path / f".medway.docx.{alive}-0123456789ab.tmp"
    theirs = tmp_path / ".notes.tmp"  # not ours: never touched
    for path in (left, running, theirs):
        path.write_bytes(b"half")
    assert remove_leftovers(tmp_path) == [left]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, theirs.name])


def test_a_build_sweeps_its_output_folder(tmp_path, chart_cache):
    from assessment.api import build
    from conftest import MEDWAY

    left = tmp_path / f".medway-csp-strategic-assessment-2022.pdf.{_dead_pid()}-0123456789ab.tmp"
    left.write_bytes(b"half")
    build(MEDWAY, tmp_path, ["docx"], cache_dir=chart_cache)
    assert not left.exists()
