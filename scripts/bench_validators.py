"""Benchmark: `publish check` over many books, each book alone against all in one batch.

Checked alone, every book starts every validator again (EPUBCheck spends about 5 s of CPU
starting and loading its schemas, Ace starts Node and Chromium); checked together, each
tool starts once or twice for all of them. Both runs check the same files in the same
process, and CPU time (this process and its children) is printed beside wall time, as
only that holds still on a shared machine. The target: the batch costs at most a third of
the CPU of checking the books one by one.

    python scripts/bench_validators.py [--built FOLDER] [--books N]

Without --built, the Word files of the shared corpus are built first (once, untimed).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from publish.check import check_files, editions_of
from publish.cli import main as publish

ROOT = Path(__file__).resolve().parent.parent
DOCX = ROOT.parent / "shared" / "corpus" / "docx"
EDITIONS = ("--edition", "print", "--edition", "epub", "--edition", "large-print")
TARGET = 1 / 3  # the batch's CPU over the books' one by one


def cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(job: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, used = time.perf_counter(), cpu()
    job()
    return time.perf_counter() - wall, cpu() - used


def build_corpus(folder: Path, books: int) -> None:
    """The first `books` Word files of the corpus, each into its own folder."""
    for source in sorted(DOCX.glob("*.docx"))[:books]:
        with contextlib.redirect_stderr(io.StringIO()):
            publish(["build", str(source), "-o", str(folder / source.stem), "-q", *EDITIONS])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--built", type=Path, help="a folder of builds (one folder a book)")
    parser.add_argument("--books", type=int, default=12, help="how many corpus files to build")
    args = parser.parse_args()
    os.environ["PATH"] = f"{Path.home() / '.cache' / 'validators' / 'bin'}:{os.environ['PATH']}"
    with tempfile.TemporaryDirectory(prefix="bench-validators-") as scratch:
        folder = args.built or Path(scratch)
        if args.built is None:
            build_corpus(folder, args.books)
        files = sorted(f for f in folder.rglob("*") if f.suffix in (".epub", ".pdf"))
        books = list(editions_of(files).values())
        alone = timed(lambda: [check_files(list(book.values())) for book in books])
        together = timed(lambda: check_files(files))
    ratio = together[1] / alone[1] if alone[1] else 0.0
    print(f"{len(books)} books, {len(files)} files")
    print(f"one by one:   {alone[0]:7.1f} s wall  {alone[1]:7.1f} s CPU")
    print(f"in one batch: {together[0]:7.1f} s wall  {together[1]:7.1f} s CPU  "
          f"(CPU ratio {ratio:.2f}, target <= {TARGET:.2f})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
