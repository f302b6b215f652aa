"""The worker processes: jobs on a roomy stack, started early, ended when nothing renders."""

from __future__ import annotations

import multiprocessing
import pickle
import sys
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
