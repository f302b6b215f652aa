"""`publish check`: run the validators on each edition and compare what the editions carry."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from publish.check.epub import ace, epubcheck
from publish.check.largeprint import large_print
from publish.check.model import ERROR, Issue, Report, Run
from publish.check.parity import parity
from publish.check.pdf import outloud, page_validation
from publish.check.thumbnails import thumbnails

__all__ = ["Report", "check", "check_files", "editions_of"]

LARGE_PRINT_SUFFIX = "-large-print.pdf"


def editions_of(files: list[Path]) -> dict[str, dict[str, Path]]:
    """Output files grouped by book stem, then by edition kind."""
    books: dict[str, dict[str, Path]] = {}
    for file in sorted(files):
        if file.name.endswith(LARGE_PRINT_SUFFIX):
            books.setdefault(file.name[: -len(LARGE_PRINT_SUFFIX)], {})["large-print"] = file
        elif file.suffix == ".pdf":
            books.setdefault(file.stem, {})["print"] = file
        elif file.suffix == ".epub":
            books.setdefault(file.stem, {})["epub"] = file
    return {stem: dict(sorted(kinds.items())) for stem, kinds in books.items()}


def check(path: Path, size: float = 18.0) -> list[Report]:
    """Check a build folder or one output file; finding no edition there is an error."""
    return check_files(sorted(path.iterdir()) if path.is_dir() else [path], size, path)


def check_files(files: list[Path], size: float = 18.0, where: Path | None = None) -> list[Report]:
    """One report per book among `files`."""
    books = editions_of(files)
    if not books:
        place = where or Path(".")
        run = Run("publish", place.name)
        run.issues.append(Issue(place.name, "publish", ERROR, "C003",
                                "no .epub or .pdf edition found here"))
        return [Report(place, [], [run])]
    return [_check_book(editions, size) for editions in books.values()]


def _check_book(editions: dict[str, Path], size: float) -> Report:
    """Run every tool that applies to each edition, in parallel, then compare the editions."""
    jobs: list[Callable[[], Run]] = []
    for kind, file in editions.items():
        if kind == "epub":
            jobs += [lambda f=file: epubcheck(f), lambda f=file: ace(f)]
        else:
            jobs += [lambda f=file: page_validation(f), lambda f=file: outloud(f)]
        if kind == "large-print":
            jobs.append(lambda f=file: large_print(f, size))
    if len(editions) > 1:
        jobs.append(lambda: parity(editions))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runs = list(pool.map(_timed, jobs))
    pdfs = [file for kind, file in editions.items() if kind != "epub"]
    folder = next(iter(editions.values())).parent
    return Report(folder, list(editions.values()), runs, {f.name: thumbnails(f) for f in pdfs})


def _timed(job: Callable[[], Run]) -> Run:
    """Run one job, timing it when the tool did not time itself."""
    started = time.perf_counter()
    run = job()
    run.seconds = run.seconds or time.perf_counter() - started
    return run
