"""The job a worker runs: one edition of one stored manuscript, built by `publish.build`
into a scratch folder on the store's file system, then renamed into the store."""

from __future__ import annotations

import errno
import json
import logging
import mimetypes
import multiprocessing
import re
import shutil
from pathlib import Path
from typing import Any

import redis
from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init

from publish.build import OutputError
from publish.editions import EDITIONS, Edition
from publish.errors import ManuscriptError
from publish.options import Options
from publish.service import report
from publish.service.jobs import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    TASK,
    Limits,
    States,
    companion_key,
    make_app,
    option_fields,
)
from publish.service.sharing import STEP_ASIDE_TIMES, StepAside, print_pages
from publish.service.store import Store

log = logging.getLogger("publish.service")
_BUILT_FROM, _BUILT_TO = 0.2, 0.95  # of a job's progress, what the build's own stands for
mimetypes.add_type("application/epub+zip", ".epub")  # not in every system's table
mimetypes.add_type("application/x-pef+xml", ".pef")  # the Portable Embosser Format's own
mimetypes.add_type("text/plain", ".brf")  # braille ready format: ASCII braille, as text


def worker_app(broker: str, data: Path, limits: Limits | None = None) -> Celery:
    """The Celery app with the build task, for `publish worker`."""
    limits = limits or Limits.from_env()
    app = make_app(broker, limits)
    app.conf.worker_redirect_stdouts = False  # our warnings are already lines on stderr
    worker_process_init.connect(_may_have_children, weak=False)
    store, states = Store(data), States.at(broker)

    @app.task(name=TASK, bind=True)  # type: ignore[untyped-decorator]
    def build_edition(task: Task, manuscript: str, edition: str, size: float, profile: str,
                      cells: int = 40, lines: int = 25, grade: int = 2) -> None:
        """Build unless a worker already stored this job's file; record how it ended."""
        job = str(task.request.id)
        if store.has_file(job):
            states.set(job, status=DONE, progress="1", download=f"/api/v1/files/{job}")
            return
        states.set(job, status=RUNNING, progress="0.1", worker=str(task.request.hostname))
        try:
            meta = _build(store, states, job, manuscript, EDITIONS[edition],
                          Options.requested(size, profile, cells, lines, grade),
                          limits.soft_seconds / 4, task.request.retries < STEP_ASIDE_TIMES)
        except StepAside:  # the message is sent again before this one is acknowledged
            states.client.hincrby(f"publish:job:{job}", "stepped_aside", 1)
            states.set(job, status=QUEUED, progress="0")
            raise task.retry(countdown=0, max_retries=None) from None
        except ManuscriptError as error:
            _fail(states, job, error.message, store.manuscript(manuscript), error)
        except SoftTimeLimitExceeded:
            _fail(states, job, f"the build took longer than {limits.soft_seconds} s")
        except redis.RedisError:  # the broker is gone: the job is not at fault, and the
            log.exception("job %s lost its broker", job)  # sweeper sends it again
            raise
        except Exception as error:  # reported on the job, its traceback in the worker's log
            if _store_full(error):
                _fail(states, job, "the service's store is full: the edition was not "
                      "stored; try again later")
            else:
                log.exception("job %s failed", job)
                _fail(states, job, f"internal error: {type(error).__name__}: {error}")
        else:
            states.set(job, status=DONE, progress="1", download=f"/api/v1/files/{job}",
                       filename=meta["filename"])

    @app.task(name=report.CHECK_TASK)  # type: ignore[untyped-decorator]
    def check_report(manuscript: str, editions: dict[str, str]) -> None:
        """Run the validators on a manuscript's newest editions and keep the report."""
        report.write(store, manuscript, editions)

    return app


def _store_full(error: Exception) -> bool:
    """Whether a build could not write for want of space in the store (the build says
    OutputError for its own writes, storing the file an OSError)."""
    return isinstance(error, OutputError) or (
        isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT))


def _may_have_children(**_kwargs: Any) -> None:
    """Celery's pool marks its processes daemonic, which multiprocessing forbids to start
    the build's own renderer process; the job waits for that process, so clear the mark."""
    config: dict[str, Any] = getattr(multiprocessing.current_process(), "_config", {})
    config["daemon"] = False


def _build(store: Store, states: States, job: str, manuscript: str, edition: Edition,
           options: Options, wait_for_pages: float, may_step_aside: bool) -> dict[str, Any]:
    """Read the stored manuscript and build the edition with the CLI's own code, with the
    print page map another job of the manuscript noted (waited for up to `wait_for_pages`
    seconds while that job lays it out, unless the job steps aside meanwhile); progress
    follows the build's own (reading, the layout page by page, writing, storing). The job's
    state says where its page map came from (`print_pages`: shared or laid out)."""
    from publish.build import Workers, build
    from publish.cache import BuildCache
    from publish.readers import read

    meta = store.meta(manuscript)
    book = read(store.manuscript(manuscript) / meta["entry"])
    states.set(job, progress="0.2")
    scratch = store.scratch()
    notes = BuildCache.beside(scratch).folder
    try:
        # the renderer is forked now, while the job waits for print's page map (if it does);
        # ended at once when the build is cut short or the job steps aside
        with Workers(1).warm() as workers:
            pages = print_pages(store, states, manuscript, book, edition, options,
                                wait_for_pages, may_step_aside)
            if pages is not None:
                states.set(job, print_pages=pages)
            store.take_notes(manuscript, notes)
            outcome = build(book, scratch, [edition.name], options, workers=workers,
                            listener=_JobProgress(states, job),
                            on_pages=lambda: store.keep_notes(manuscript, notes))
        store.keep_notes(manuscript, notes)
        if not outcome[0].ok:
            raise _said(outcome[0].error or "failed", store.manuscript(manuscript) / "source")
        described: dict[str, Any] = {
            "filename": download_name(meta["title"], edition, options),
            "media_type": _media_type(outcome[0].path),
            "manuscript": manuscript, "edition": edition.name,
            **option_fields(edition, options)}
        # the companions first: once the edition's file is stored, they are too
        described["companions"] = _store_companions(store, job, edition, outcome[0].path,
                                                    described)
        store.put_file(job, outcome[0].path, described)
        return described
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _store_companions(store: Store, job: str, edition: Edition, built: Path,
                      described: dict[str, Any]) -> dict[str, str]:
    """Store each companion the build wrote beside the edition's file (the BRF beside the
    PEF), unlisted, under a key of the job's; its key by format (`brf`)."""
    kept: dict[str, str] = {}
    for companion, path in zip(edition.companions, edition.companion_paths(built),
                               strict=True):
        if path.is_file():
            key = companion_key(job, companion.suffix)
            name = Path(described["filename"]).with_suffix(companion.suffix).name
            store.put_file(key, path, {**described, "filename": name,
                                       "media_type": _media_type(path), "companion_of": job},
                           listed=False)
            kept[companion.format] = key
    return kept


class _JobProgress:
    """The build's progress as the job's: its edition's share done, between the stages
    before (reading the manuscript) and after it (storing the file)."""

    def __init__(self, states: States, job: str) -> None:
        self.states = states
        self.job = job
        self.shown = ""

    def __call__(self, _name: str, _event: str, done: float) -> None:
        shown = f"{_BUILT_FROM + (_BUILT_TO - _BUILT_FROM) * done:.2f}"
        if shown != self.shown:  # one write to Redis a hundredth
            self.shown = shown
            self.states.set(self.job, progress=shown)


def _said(error: str, source: Path) -> ManuscriptError:
    """A build's one-line error as the manuscript error it reports (`file:line: message`
    when it names a file of the manuscript)."""
    named = re.match(rf"{re.escape(str(source))}/([^:]+?)(?::(\d+))?: (.*)", error, re.S)
    if named is None:
        return ManuscriptError(source, None, error.replace(f"{source}/", ""))
    line = int(named[2]) if named[2] else None
    return ManuscriptError(source / named[1], line, named[3])


def download_name(title: str, edition: Edition, options: Options) -> str:
    """`<title>-large-print-24pt.pdf`, `<title>-40x25-grade2.pef`: the title made a file
    name, the edition's suffix, and the options its bytes depend on."""
    slug = re.sub(r"[^\w]+", "-", title, flags=re.ASCII).strip("-").lower()[:80] or "book"
    fields = option_fields(edition, options)
    marks = ([f"-{fields['size']:g}pt"] if "size" in fields else []) + (
        [f"-{fields['cells']}x{fields['lines']}-grade{fields['grade']}"] if "cells" in fields
        else [])
    stem, dot, extension = edition.suffix.rpartition(".")
    return f"{slug}{stem}{''.join(marks)}{dot}{extension}"


def _fail(states: States, job: str, message: str, base: Path | None = None,
          error: ManuscriptError | None = None) -> None:
    """Record a failed job with what the user can act on: message, file and line."""
    file = None
    if error is not None and base is not None and error.path != base / "source":
        path = error.path
        file = str(path.relative_to(base / "source")) if path.is_relative_to(base / "source") \
            else path.name
    states.set(job, status=FAILED, progress="1",
               error=json.dumps({"message": message, "file": file,
                                 "line": error.line if error else None}))
