"""The warm build server: a build handed to it writes what a build in the caller's process
writes, says what it would say and exits as it would, from the caller's folder; Ctrl-C and
a killed caller end it; a caller with other settings, or a folder others can enter, is not
served; an idle server quits."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS

ARTICLE = MANUSCRIPTS / "harbour-article.md"
BOOK = MANUSCRIPTS / "lighthouse"
THREE = ["--edition", "print", "--edition", "epub", "--edition", "large-print"]
EPOCH = "1700000000"


def publish(env: dict[str, str], *argv: str, cwd: Path | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """The command line, as a user runs it, with `env`."""
    return subprocess.run([sys.executable, "-m", "publish.cli", *argv], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def builds_served(env: dict[str, str]) -> tuple[int, int]:
    """The running server's builds so far and those running now."""
    said = publish(env, "daemon", "status").stdout
    found = re.search(r"(\d+) builds, (\d+) running, idle [\d.]+ s \(this installation\)", said)
    assert found, said
    return int(found[1]), int(found[2])


def settings(run: Path, **extra: str) -> dict[str, str]:
    """This environment with a private runtime folder and servers allowed."""
    return {**os.environ, "XDG_RUNTIME_DIR": str(run), "PUBLISH_DAEMON": "1",
            "SOURCE_DATE_EPOCH": EPOCH, **extra}


@pytest.fixture
def run_folder() -> Iterator[Path]:
    """A private runtime folder with a short path (a socket's path is at most 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="run-", dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, str]]:
    """A warm server, started as a user starts one; stopped at the end."""
    folder = Path(tempfile.mkdtemp(prefix="run-", dir="/tmp"))
    env = settings(folder)
    try:
        started = publish(env, "daemon", "start")
        assert started.returncode == 0, started.stderr
        yield env
    finally:
        publish(env, "daemon", "stop")
        shutil.rmtree(folder)


def test_a_build_in_the_server_writes_what_one_in_the_callers_process_writes(
        served: dict[str, str], tmp_path: Path) -> None:
    before, _running = builds_served(served)
    there = publish(served, "build", str(ARTICLE), "-o", str(tmp_path / "served"), *THREE)
    here = publish(served, "build", str(ARTICLE), "-o", str(tmp_path / "here"), *THREE,
                   "--no-daemon")
    assert there.returncode == here.returncode == 0, there.stderr
    assert builds_served(served)[0] == before + 1
    written = sorted(p.name for p in (tmp_path / "here").iterdir() if p.is_file())
    assert len(written) == 3
    for name in written:
        assert (tmp_path / "served" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    assert there.stderr == here.stderr  # the reader's notice and warning
    assert there.stdout.replace("served", "here").splitlines()[0].startswith("print: wrote")


def test_errors_exit_codes_and_relative_paths_are_the_callers(
        served: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "book.md").write_text("---\ntitle: T\nlanguage: en\n---\n# One\n\n"
                                      "![](missing.png)\n", encoding="utf-8")
    there = publish(served, "build", "book.md", "-o", "out", cwd=tmp_path)
    here = publish(served, "build", "book.md", "-o", "out", "--no-daemon", cwd=tmp_path)
    assert there.returncode == here.returncode == 1
    assert there.stderr == here.stderr
    assert "book.md:7" in there.stderr
    (tmp_path / "book.md").write_text("---\ntitle: T\nlanguage: en\n---\n# One\n\nText.\n",
                                      encoding="utf-8")
    built = publish(served, "build", "book.md", "-o", "out", "--edition", "epub", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "book.epub").is_file()


def test_a_folder_gone_before_the_build_starts_is_one_line(served: dict[str, str]) -> None:
    gone = "/nonexistent/publish-folder"  # the caller's folder, removed once it asked
    caller = ("import os, sys\nfrom publish.daemon import client\n"
              f"os.getcwd = lambda: {gone!r}\n"
              "sys.exit(client.hand_over(['build', 'book.md']) or 99)\n")
    said = subprocess.run([sys.executable, "-c", caller], env=served, capture_output=True,
                          text=True, timeout=60)
    assert said.returncode == 1
    assert said.stderr == (f"publish: error: the current folder {gone} cannot be entered "
                           "(No such file or directory)\n")


def _interrupted(served: dict[str, str], out: Path, ending: signal.Signals) -> int:
    """Start a build of the sample book in the server, then send the caller `ending` once
    the server's child has it; the caller's exit status."""
    before, _running = builds_served(served)
    caller = subprocess.Popen([sys.executable, "-m", "publish.cli", "build", str(BOOK), "-o",
                               str(out), "--fresh"], env=served, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while builds_served(served)[0] == before:
        assert time.monotonic() < deadline, "the server never took the build"
        time.sleep(0.1)
    time.sleep(1.0)  # into the layout
    caller.send_signal(ending)
    caller.wait(60)
    return caller.returncode


def _ends(served: dict[str, str]) -> None:
    """Wait until the server runs no build."""
    deadline = time.monotonic() + 30
    while builds_served(served)[1]:
        assert time.monotonic() < deadline, "the build went on"
        time.sleep(0.2)


def test_ctrl_c_ends_the_build_in_the_server_and_writes_nothing(
        served: dict[str, str], tmp_path: Path) -> None:
    assert _interrupted(served, tmp_path / "out", signal.SIGINT) == 130
    _ends(served)
    assert not list(tmp_path.glob("out/*.pdf"))


def test_a_killed_caller_ends_its_build(served: dict[str, str], tmp_path: Path) -> None:
    assert _interrupted(served, tmp_path / "out", signal.SIGKILL) == -signal.SIGKILL
    _ends(served)
    assert not list(tmp_path.glob("out/*.pdf"))


def test_a_caller_with_other_settings_is_not_served(served: dict[str, str],
                                                    tmp_path: Path) -> None:
    before, _running = builds_served(served)
    other = {**served, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PUBLISH_DAEMON_IDLE": "1"}
    built = publish(other, "build", str(ARTICLE), "-o", str(tmp_path / "out"), "--edition",
                    "epub")
    assert built.returncode == 0, built.stderr
    assert builds_served(served)[0] == before


def test_a_folder_others_can_enter_is_not_used(run_folder: Path, tmp_path: Path) -> None:
    env = settings(run_folder)
    (run_folder / "publish").mkdir(mode=0o700)
    (run_folder / "publish").chmod(0o777)
    started = publish(env, "daemon", "start")
    assert started.returncode == 1
    assert "not a private folder" in started.stderr
    built = publish(env, "build", str(ARTICLE), "-o", str(tmp_path / "out"), "--edition",
                    "epub")
    assert built.returncode == 0, built.stderr
    assert not list((run_folder / "publish").iterdir())


def test_an_idle_server_quits_and_takes_its_socket(run_folder: Path) -> None:
    env = settings(run_folder, PUBLISH_DAEMON_IDLE="2")
    started = publish(env, "daemon", "start")
    assert started.returncode == 0, started.stderr
    sockets = list((run_folder / "publish").glob("*.sock"))
    assert len(sockets) == 1
    deadline = time.monotonic() + 30
    while sockets[0].exists():
        assert time.monotonic() < deadline, "the idle server did not quit"
        time.sleep(0.2)
    assert publish(env, "daemon", "status").returncode == 1


def test_a_server_that_cannot_listen_is_reported(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    started = publish(settings(deep), "daemon", "start")
    assert started.returncode == 1
    assert "too long a path for a socket" in started.stderr
