"""Progress from inside an edition's layout: the share arithmetic, what `build` tells its
listener while a long book's PDFs are laid out, and the CLI's live display on a terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from long_book import long_book

from publish.build import PAGE_MAP_SHARE, build
from publish.options import Options
from publish.progress import advance, reporting, share
from publish.readers import read


def test_a_stage_reports_its_share_of_the_edition_never_backwards() -> None:
    said: list[float] = []
    with reporting(said.append):
        with share(0.0, 0.5):
            advance(0.5)
            with share(0.5, 1.0):
                advance(0.5)
            advance(0.1)  # behind what was said: not said again
        advance(0.6)
    assert said == [0.25, 0.375, 0.5, 0.6]


def test_small_steps_are_not_sent_and_nothing_is_sent_outside_reporting() -> None:
    advance(0.5)  # no one listens: nothing happens
    said: list[float] = []
    with reporting(said.append):
        for page in range(1, 1001):
            advance(page / 1000)
    assert 90 <= len(said) <= 100 and said[-1] == 1.0


@pytest.mark.slow
def test_build_tells_its_listener_of_each_editions_progress_in_order(tmp_path: Path) -> None:
    book = read(long_book(tmp_path))
    heard: list[tuple[str, str, float]] = []
    outcomes = build(book, tmp_path / "out", ["large-print"], Options(),
                     listener=lambda *event: heard.append(event))
    assert all(o.ok for o in outcomes)
    events = [event for name, event, _done in heard if name == "large-print"]
    shares = [done for name, _event, done in heard if name == "large-print"]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert events[-1] == "done" and events.count("start") == 1
    before = shares[:events.index("start")]  # the print layout for its page map
    after = shares[events.index("start"):]
    assert len(before) >= 5 and max(before) <= PAGE_MAP_SHARE["laid out"], before
    assert len(set(after)) >= 20, after


@pytest.mark.slow
def test_the_cli_shows_the_layout_move_on_a_terminal(tmp_path: Path) -> None:
    source = long_book(tmp_path)
    shown = _on_a_terminal([sys.executable, "-m", "publish.cli", "build", str(source),
                            "-o", str(tmp_path / "out"), "--edition", "print"])
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)  # the terminal's colours
    percents = [int(p) for p in re.findall(r"print: rendering\D*?(\d+)%", plain)]
    assert percents == sorted(percents), percents
    assert len(set(percents)) >= 10, percents  # rich redraws ten times a second
    assert "print: wrote" in plain


def _on_a_terminal(command: list[str]) -> str:
    """What a command writes to a pseudo-terminal as its standard output and error."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower,
                               env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(follower)
    written = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 1)
        if not ready and process.poll() is not None:
            break
        try:
            chunk = os.read(leader, 65536) if ready else b""
        except OSError:  # the terminal closed with the command
            break
        if ready and not chunk:
            break
        written += chunk
    process.wait(60)
    os.close(leader)
    return written.decode(errors="replace")
