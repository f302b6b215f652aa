"""A full disk, on a small real tmpfs: the editions change together or not at all, the cache
only saves work, and the user reads one line naming the folder, never a traceback."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS

from publish.cache import CACHE_DIR
from publish.cli import main

Mount = Callable[[Path, str], Path]
pytestmark = pytest.mark.mounts


@pytest.fixture
def tmpfs() -> Iterator[Mount]:
    """Mount small tmpfs file systems (`mount` needs root: CI has it, so only elsewhere is
    a refused mount a skip), unmounted afterwards."""
    mounted: list[Path] = []

    def mount(where: Path, size: str) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(where)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", str(where)], check=True)


@dataclass(frozen=True)
class Done:
    """What a build under test returned and wrote to stderr."""

    returncode: int
    stderr: str


def _build(capsys: pytest.CaptureFixture[str], source: Path, outdir: Path, *more: str) -> Done:
    """`publish build` under test, in this process (an exception would fail the test)."""
    capsys.readouterr()
    status = main(["build", str(source), "-o", str(outdir), "-q", *more])
    return Done(status, capsys.readouterr().err)


def _built(source: Path, outdir: Path, *more: str) -> None:
    """The build before the one under test."""
    assert main(["build", str(source), "-o", str(outdir), "-q", *more]) == 0


def _fill(folder: Path, leave: int) -> None:
    """Take all of a file system's space but `leave` bytes."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with (folder / "filler").open("wb") as filler:
        filler.write(b"\0" * max(0, free - leave))


# what the builds below write: print, EPUB and large print
EVERY_EDITION = {"article.pdf", "article.epub", "article-large-print.pdf"}


def _article(tmp_path: Path) -> Path:
    source = tmp_path / "article.md"
    source.write_text((MANUSCRIPTS / "harbour-article.md").read_text("utf-8"), "utf-8")
    return source


# the editions these tests measure the disk for (the web edition's fonts alone take 1 MB)
PDF_AND_EPUB = ("--edition", "print", "--edition", "epub", "--edition", "large-print")


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()
            and p.name != "filler"}


# 24 KiB: the EPUB would fit but not print (60 KiB); 72 KiB: print would, not all three
@pytest.mark.parametrize("leave", [24 * 1024, 72 * 1024])
def test_a_full_output_folder_replaces_no_edition_and_says_so_in_one_line(
    tmpfs: Mount, tmp_path: Path, leave: int, capsys: pytest.CaptureFixture[str],
) -> None:
    source = _article(tmp_path)
    out = tmpfs(tmp_path / "out", "1m")
    _built(source, out, *PDF_AND_EPUB)
    before = _outputs(out)
    assert set(before) == EVERY_EDITION
    source.write_text(source.read_text("utf-8") + "\nOne more sentence, at the end.\n")
    _fill(out, leave)
    done = _build(capsys, source, out, *PDF_AND_EPUB)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert errors == [f"publish: error: cannot write the editions to {out}: "
                      f"{os.strerror(errno.ENOSPC)}; no edition there was replaced"]
    assert _outputs(out) == before
    assert not list(out.glob(".*.part"))


def test_a_full_cache_folder_costs_time_not_the_build(tmpfs: Mount, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      ) -> None:
    source = _article(tmp_path)
    out = tmp_path / "out"
    cache = tmpfs(out / CACHE_DIR, "64k")
    _fill(cache, 0)
    for _ in range(2):  # the second build finds no cache, and builds again
        done = _build(capsys, source, out, *PDF_AND_EPUB)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    assert {p.name for p in out.iterdir() if p.is_file()} == EVERY_EDITION
    assert all(p.stat().st_size > 0 for p in out.iterdir() if p.is_file())
    assert [p.name for p in cache.iterdir() if p.is_file()] == ["filler"]


def test_a_web_edition_that_cannot_be_unpacked_replaces_neither_zip_nor_folder(
    tmpfs: Mount, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    source = _article(tmp_path)
    out = tmpfs(tmp_path / "out", "8m")
    _built(source, out, "--edition", "web")
    site = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and CACHE_DIR not in p.parts}
    source.write_text(source.read_text("utf-8") + "\nOne more sentence, at the end.\n")
    _fill(out, 1024 * 1024)  # room for the new zip, not for the folder beside it as well
    done = _build(capsys, source, out, "--edition", "web")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no edition there was replaced" in done.stderr
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
             if p.is_file() and CACHE_DIR not in p.parts and p.name != "filler"}
    assert after == site
    assert not list(out.glob(".*.part"))
