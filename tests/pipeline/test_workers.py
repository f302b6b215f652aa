"""The worker processes: jobs on a roomy stack, started early, ended when nothing renders."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS

from publish import build
from publish.cli import main
from publish.stack import roomy

ARTICLE = MANUSCRIPTS / "harbour-article.md"


def _depth(n: int) -> int:
    return 0 if n == 0 else 1 + _depth(n - 1)


def test_a_roomy_call_keeps_arguments_results_and_errors() -> None:
    deep = roomy(_depth)
    assert deep(600) == 600
    assert deep.__name__ == "_depth"
    with pytest.raises(RecursionError):
        deep(sys.getrecursionlimit() + 10)


def test_the_roomy_frame_starts_a_chunk_of_a_mebibyte() -> None:
    from publish.stack import _call

    # 8-byte slots: a frame over 512 KiB makes CPython 3.11 map a 1 MiB chunk for it
    assert _call.__code__.co_stacksize * 8 >= 512 * 1024


@pytest.mark.parametrize("job", ["render_whole", "render_laid_out",
                                 "render_following", "lay_out_pages"])
def test_worker_jobs_travel_to_the_workers_by_name(job: str) -> None:
    function = getattr(build, job)
    assert pickle.loads(pickle.dumps(function)) is function
    assert function.__wrapped__.__module__ == "publish.build"


def test_an_unchanged_rebuild_ends_the_workers_it_started(tmp_path: Path) -> None:
    argv = ["build", str(ARTICLE), "-o", str(tmp_path), "-q", "--edition", "epub"]
    assert main(argv) == 0
    stamp = (tmp_path / "harbour-article.epub").stat().st_mtime_ns
    assert main(argv) == 0
    assert (tmp_path / "harbour-article.epub").stat().st_mtime_ns == stamp
    assert multiprocessing.active_children() == []


def _children(pid: int) -> set[int]:
    """The processes `pid` started, from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_build_stopped_by_a_signal_ends_its_workers(
    stop: signal.Signals, code: int, tmp_path: Path,
) -> None:
    argv = [sys.executable, "-m", "publish.cli", "build", str(MANUSCRIPTS / "lighthouse"),
            "-o", str(tmp_path), "-q"]
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:  # both rendering
        workers = _children(process.pid)
        time.sleep(0.2)
    time.sleep(1.0)
    process.send_signal(stop)  # to the build alone, as `timeout` or a service sends it
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert workers and not [pid for pid in workers if _alive(pid)]
    assert not list(tmp_path.glob("*.pdf"))


def _font_copies(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if "fonts" in path.name
            or path.name.startswith("weasyprint-")}


def test_font_copies_of_ended_workers_do_not_pile_up(tmp_path: Path) -> None:
    # Pool workers exit without finalisers; before this, each layout left its @font-face
    # copies (5 MB a book) in the temporary folder for good.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}

    def build_article(out: str) -> None:
        subprocess.run([sys.executable, "-m", "publish.cli", "build", str(ARTICLE), "-o",
                        str(tmp_path / out), "-q", "--edition", "print"],
                       env=environment, check=True)

    build_article("first")
    left = _font_copies(temporary)
    assert not {name for name in left if name.startswith("weasyprint-")}
    build_article("second")
    assert not left & _font_copies(temporary), "the first build's copies are still there"
