"""`publish check`: run the validators on each edition and compare what the editions carry."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from publish.check.model import ERROR, Issue, Report, Run
from publish.check.parity import parity
from publish.check.thumbnails import thumbnails
from publish.editions import EDITIONS, Check, edition_of, resolve, stem_of

__all__ = ["Report", "check", "check_files", "checks_of", "editions_of", "recheck"]


def editions_of(files: list[Path]) -> dict[str, dict[str, Path]]:
    """Output files grouped by book stem, then by edition, as the editions name them."""
    books: dict[str, dict[str, Path]] = {}
    for file in sorted(files):
        edition = edition_of(file)
        if edition is None:
            continue
        kinds = books.setdefault(stem_of(file, edition), {})
        if edition.name not in kinds or edition.suffix_of(file) == edition.suffix:
            kinds[edition.name] = file  # its own file rather than a companion
    return {stem: dict(sorted(kinds.items())) for stem, kinds in books.items()}


def check(path: Path, size: float = 18.0) -> list[Report]:
    """Check a build folder or one output (a file, or a web edition's folder); finding no
    edition there is an error."""
    alone = not path.is_dir() or edition_of(path) is not None
    return check_files([path] if alone else sorted(path.iterdir()), size, path)


def check_files(files: list[Path], size: float = 18.0, where: Path | None = None) -> list[Report]:
    """One report per book among `files`."""
    books = editions_of(files)
    if not books:
        place = where or Path(".")
        names = ", *".join(dict.fromkeys(e.suffix for e in EDITIONS.values()))
        run = Run("publish", place.name)
        run.issues.append(Issue(place.name, "publish", ERROR, "C003",
                                f"no edition found here (files named *{names})"))
        return [Report(place, [], [run])]
    ready = batched(books) if len(books) > 1 else {}
    return [_check_book(editions, size, ready) for editions in books.values()]


Done = dict[tuple[str, Path], Run]  # (the check's `run` target, the file) -> its run


def batched(books: dict[str, dict[str, Path]]) -> Done:
    """The runs of the checks that take many files in one start, over every book's files at
    once: a Java or Python start per tool instead of one per book (EPUBCheck alone spends
    5 s of CPU starting); the tools run side by side."""
    wanted: dict[Check, list[Path]] = {}
    for editions in books.values():
        for name, file in editions.items():
            for check in EDITIONS[name].checks:
                if check.batch:
                    wanted.setdefault(check, []).append(file)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        done = dict(zip(wanted, pool.map(_batch, wanted.items()), strict=True))
    return {(check.run, file): run for check, files in wanted.items()
            for file, run in zip(files, done[check], strict=True)}


def _batch(job: tuple[Check, list[Path]]) -> list[Run]:
    """One tool's batch over its files, as a thread of the pool runs it."""
    check, files = job
    assert check.batch is not None  # only checks with a batch are gathered
    runs: list[Run] = resolve(check.batch)(files)
    return runs


def _check_book(editions: dict[str, Path], size: float, ready: Done) -> Report:
    """Run every check each edition asks for, in parallel (or take its run from the batch
    that already ran it), then compare the editions."""
    jobs = [job for name, file in editions.items() for job in checks_of(name, file, size, ready)]
    compared = {name: file for name, file in editions.items() if EDITIONS[name].semantics}
    if len(compared) > 1:
        jobs.append(partial(parity, compared))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runs = list(pool.map(_timed, jobs))
    shown = [file for name, file in editions.items() if EDITIONS[name].previews]
    folder = next(iter(editions.values())).parent
    return Report(folder, list(editions.values()), runs, {f.name: thumbnails(f) for f in shown})


def checks_of(edition: str, file: Path, size: float,
              ready: Done | None = None) -> list[Callable[[], Run]]:
    """The checks an edition's registry entry names, ready to run on its file; a check that
    a batch already ran gives that run back."""
    done = ready or {}
    return [partial(_given, done[check.run, file]) if (check.run, file) in done
            else partial(resolve(check.run), file, size) if check.sized
            else partial(resolve(check.run), file) for check in EDITIONS[edition].checks]


def _given(run: Run) -> Run:
    """A run a batch already made, handed back where a check job is expected."""
    return run


def recheck(file: Path, edition: str, size: float) -> Report:
    """One edition's own checks again, as after it was rebuilt to carry its report."""
    return Report(file.parent, [file], [_timed(job) for job in checks_of(edition, file, size)])


def _timed(job: Callable[[], Run]) -> Run:
    """Run one job, timing it when the tool did not time itself."""
    started = time.perf_counter()
    run = job()
    run.seconds = run.seconds or time.perf_counter() - started
    return run
