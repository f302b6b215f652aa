"""The build, top to bottom: read, render the editions in parallel, write atomically.

The print edition's page map feeds the EPUB's page-list and large print's page references.
It is laid out once: taken from the cache when the print inputs are unchanged, otherwise
sent by the print worker as soon as its layout is done (before its PDF is written), and the
editions that need it start then. Editions whose inputs are unchanged are not rendered.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import queue
import shutil
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.cache import BuildCache, edition_key
from publish.editions import EDITIONS, Edition, ordered, page_map_maker
from publish.errors import BuildError, ManuscriptError
from publish.files import remove_stale_parts, stage_folder, swap_in, write_together
from publish.model import Book
from publish.options import Options
from publish.pagination import PageMap
from publish.pdf.incremental.chunks import Piece
from publish.pdf.incremental.record import LayoutRecord, Previous, previous_from, record_from
from publish.progress import reporting
from publish.stack import roomy

if TYPE_CHECKING:  # the renderer imports WeasyPrint; workers import it when they render
    from publish.pdf.render import Rendition

# Of the time of an edition that waits for a print layout of its own for the page map, that
# layout's share, measured on a novel: large print lays out pages itself, the EPUB does not
PAGE_MAP_SHARE = {"laid out": 0.35, "whole": 0.85}
_GRACE_SECONDS = 2.0  # for a page map sent just before its worker finished
_KILL_AFTER = 5.0  # seconds a worker ended with SIGTERM has before SIGKILL
# A layout makes millions of short-lived objects: collecting every 700 allocations, as by
# default, took 9% of a novel's print edition; every 50,000 costs 40 MB more at the peak.
_GC_THRESHOLDS = (50_000, 20, 100)


@dataclass(frozen=True)
class Outcome:
    """What became of one edition: the file written or kept, or why not."""

    edition: str
    path: Path
    seconds: float
    size: int = 0
    error: str | None = None
    cached: bool = False  # nothing it is made from changed: the file was kept as it was
    redone: tuple[str, ...] | None = None  # only these divisions were laid out again
    trace: str | None = None  # an unexpected error's whole traceback, from the worker

    @property
    def ok(self) -> bool:
        """Whether the file is there and current."""
        return self.error is None


# (edition name, event, share done): "start" at 0, "progress" as its layout goes, "done" at 1
Listener = Callable[[str, str, float], None]
Gate = Callable[[], bool]  # run while the editions render: False stops the build


class OutputError(BuildError):
    """The output folder could not take the editions (a full disk): none was replaced."""


class Stopped(Exception):
    """The gate stopped the build: the workers were ended and no file was written."""


@dataclass(frozen=True)
class Result:
    """What a worker sends back: the edition's bytes, and for a PDF its layout record."""

    data: bytes
    seconds: float
    layout: LayoutRecord | None = None
    redone: tuple[str, ...] | None = None  # divisions laid out again, the rest reused


Rendered = Future[Result]


@roomy
def render_whole(name: str, book: Book, options: Options) -> Result:
    """Render one edition that keeps no layout between builds, in a worker process."""
    started = time.perf_counter()
    data = EDITIONS[name].hook("render")(book, options)
    return Result(data, time.perf_counter() - started)


_pages_out: Any = None  # in a worker: the queue the print worker sends its page map on
_pages_in: Any = None  # in a worker: the queue the build passes the print page map on by
_progress_out: Any = None  # in a worker: the queue its editions' progress goes to the build on


def _start_worker(pages_out: Any, pages_in: Any, progress_out: Any) -> None:
    """Worker start-up: keep the queues that carry the print page map and the progress
    through the build, and end without a traceback on Ctrl-C (the build reports it; a
    worker writes no file)."""
    global _pages_out, _pages_in, _progress_out
    _pages_out, _pages_in, _progress_out = pages_out, pages_in, progress_out
    signal.signal(signal.SIGINT, lambda _signal, _frame: os._exit(130))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the build's own handler is not for us
    gc.set_threshold(*_GC_THRESHOLDS)


@roomy
def render_laid_out(
    name: str, book: Book, options: Options, previous: Previous | None, send_pages: bool,
) -> Result:
    """An edition that reuses the previous build's unchanged pages when it can; the page-map
    maker sends its page map to the build as soon as it is known."""
    started = time.perf_counter()
    send = _pages_out.put if send_pages else None
    with _reporting(name):
        rendition = EDITIONS[name].hook("layout")(name, book, options, previous, send, send)
    return _result(rendition, started)


@roomy
def render_following(name: str, book: Book, options: Options, previous: Previous | None,
                     ) -> Result:
    """An edition laid out chunk by chunk as the page-map maker's pages come in."""
    started = time.perf_counter()
    follow = EDITIONS[name].hook("follow")
    with _reporting(name):
        rendition = follow(book, options, previous, _pages_in.get)
    return _result(rendition, started)


def _reporting(name: str | None) -> contextlib.AbstractContextManager[None]:
    """The edition's progress (None: the print page map's), as its renderer reports it,
    sent to the build."""
    return reporting(lambda done: _progress_out.put((name, done)))


def _result(rendition: Rendition, started: float) -> Result:
    """A PDF edition's rendition as a worker sends it back."""
    return Result(rendition.data, time.perf_counter() - started, rendition.layout,
                  rendition.redone)


@roomy
def lay_out_pages(book: Book, previous: LayoutRecord | None) -> PageMap:
    """The print page map alone, when the edition that makes it is not being rendered."""
    with _reporting(None):
        pages: PageMap = page_map_maker().hook("page_map")(book, previous)
    return pages


def build(
    book: Book, outdir: Path, names: Iterable[str], options: Options,
    listener: Listener | None = None, fresh: bool = False, gate: Gate = lambda: True,
    workers: Workers | None = None, on_pages: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    """Render the asked editions that changed, in parallel processes (`workers`, or new
    ones), and write them together once all have succeeded (OutputError when the folder
    cannot take them); `fresh` ignores what earlier builds left in the cache; `gate` runs
    once the first editions have started, and its False stops the build before anything is
    written; `on_pages` once a newly laid out print page map is in the cache (so that other
    builds can take it before this one ends)."""
    editions = ordered(names)
    store = BuildCache.beside(outdir)
    keys = {e.name: edition_key(book, e.name, options) for e in editions}
    notify = _Notices(listener)
    kept: dict[str, Outcome] = {}
    for edition in editions:
        target = outdir / edition.filename(book)
        remove_stale_parts(target)
        unpacked = edition.unpacked_into(target)
        if unpacked is not None:
            remove_stale_parts(unpacked)
        if not fresh and store.is_fresh(target, keys[edition.name]) and (
                unpacked is None or unpacked.is_dir()):
            kept[edition.name] = Outcome(edition.name, target, 0.0, target.stat().st_size,
                                         cached=True)
            notify(edition.name, "done", 1.0)
    pending = [e for e in editions if e.name not in kept]
    if not pending:
        _pass(gate)
        return [kept[e.name] for e in editions]
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers(min(len(pending), os.cpu_count() or 1)))
        workers.used = True
        stack.enter_context(_relaying(workers.queues[2], notify))
        try:
            futures = _start(workers, book, pending, options, outdir, fresh, notify, gate,
                             on_pages)
            received = {e.name: _receive(e, futures[e.name], book, outdir, notify)
                        for e in pending}
        except BaseException:
            _end_workers(workers.pool)
            raise
    kept.update(_commit(book, outdir, pending, received, store, keys))
    return [kept[e.name] for e in editions]


class Workers:
    """The worker processes, and the queues that carry the print page map between them.
    Started before the manuscript is read; if the build then renders nothing they are ended."""

    def __init__(self, count: int | None = None) -> None:
        context = multiprocessing.get_context()
        self.queues = (context.Queue(), context.Queue(), context.Queue())
        self.count = max(1, count or os.cpu_count() or 1)
        self.pool = ProcessPoolExecutor(max_workers=self.count, initializer=_start_worker,
                                        initargs=self.queues)
        self.used = False

    def warm(self) -> Workers:
        """Import the renderers here, then start every worker: forked after the import, the
        workers share it rather than each paying 0.15 s of CPU for its own (on two cores,
        the first edition waited for that)."""
        load_renderers()
        for _ in range(self.count):
            self.pool.submit(load_renderers)  # imported already: this starts the process
        return self

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_exc: object) -> None:
        """Wait for the workers after a build that used them; end them otherwise, and at
        once when the build was interrupted (their results would not be written)."""
        if self.used and error_type is None:
            self.pool.shutdown(wait=True)
        else:
            _end_workers(self.pool)


class _Notices:
    """The listener, told of each edition's start, progress and end in that order, the share
    done never going back: progress that comes in after its edition is done is dropped. An
    edition that waits for a print page map laid out for it alone counts that layout as its
    PAGE_MAP_SHARE."""

    def __init__(self, listener: Listener | None) -> None:
        self.listener = listener
        self.shown: dict[str, float] = {}
        self.ended: set[str] = set()
        self.waiting: dict[str, float] = {}  # for the page map laid out for them: its share
        self.lock = threading.Lock()

    def lay_out_pages_for(self, shares: dict[str, float]) -> None:
        """The page map is laid out for these editions, its share of each, before they
        start."""
        self.waiting.update(shares)

    def relay(self, name: str | None, done: float) -> None:
        """Progress a worker sent, for an edition or (None) for the page map."""
        if name is None:
            for waiting, share in sorted(self.waiting.items()):
                self(waiting, "progress", share * done)
        elif name in self.waiting:
            share = self.waiting[name]
            self(name, "progress", share + (1 - share) * done)
        else:
            self(name, "progress", done)

    def __call__(self, name: str, event: str, done: float) -> None:
        with self.lock:
            if name in self.ended:
                return
            if event == "done":
                self.ended.add(name)
            elif event == "start":
                done = self.waiting.get(name, 0.0)
            done = max(done, self.shown.get(name, 0.0))
            self.shown[name] = done
            if self.listener is not None:
                self.listener(name, event, done)


@contextlib.contextmanager
def _relaying(messages: Any, notify: _Notices) -> Iterator[None]:
    """While the editions render, pass the progress their workers send on to the listener
    (from a thread of its own: the build waits on the workers meanwhile). A build that
    ended well wakes the thread at once with a None (waiting out its 0.1 s poll cost every
    build up to 0.1 s); one cut short leaves it to the poll, as workers ended mid-message
    may have left the queue unusable."""
    stop = threading.Event()

    def relay() -> None:
        while not stop.is_set():
            with contextlib.suppress(queue.Empty):
                message = messages.get(timeout=0.1)
                if message is not None:  # None only wakes the thread
                    notify.relay(*message)

    thread = threading.Thread(target=relay, name="progress", daemon=True)
    thread.start()
    try:
        yield
    except BaseException:
        stop.set()
        raise
    else:
        stop.set()
        messages.put(None)
    finally:
        thread.join()
        with contextlib.suppress(queue.Empty):  # what came after its edition ended
            while True:
                messages.get_nowait()


def load_renderers() -> None:
    """What a worker needs before its first edition: WeasyPrint, pikepdf, EbookLib."""
    for edition in EDITIONS.values():
        for target in (edition.render, edition.layout):
            if target:
                importlib.import_module(target.split(":")[0])


def _pass(gate: Gate) -> None:
    """Stopped unless the gate lets the build go on."""
    if not gate():
        raise Stopped


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """End the editions still rendering: their results would not be written. A worker that
    outlives SIGTERM by _KILL_AFTER seconds is killed (one was seen blocked for good on the
    pool's queue lock, and the build waited with it)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for _round in range(3):  # seen once under load: a child alive after the first round
        children = multiprocessing.active_children()
        if not children:
            break
        for child in children:
            child.terminate()
        for child in children:
            child.join(_KILL_AFTER)
            if child.is_alive():
                child.kill()
                child.join()


def _start(
    workers: Workers, book: Book, editions: list[Edition], options: Options, outdir: Path,
    fresh: bool, notify: _Notices, gate: Gate, on_pages: Callable[[], None],
) -> dict[str, Rendered]:
    """Submit every edition: the page-map maker first, an edition that can follow its layout
    chunk by chunk at once, the others once the page map is known; an edition that reuses
    its layout gets its previous file when the cache vouches for it. The gate runs once the
    first are off. A print layout's page map is kept in the cache even when no edition of
    this build needs it: a later build of one that does then lays out nothing."""
    pool, queues = workers.pool, workers.queues
    store = BuildCache.beside(outdir)
    previous = {e.name: None if fresh else previous_from(store.previous(outdir / e.filename(book)))
                for e in editions if e.layout}
    maker = page_map_maker()
    pages_key = edition_key(book, maker.name, options)
    pages = None if fresh else store.page_map(book.stem, pages_key)
    needs_pages = pages is None and any(e.needs_page_map for e in editions)
    futures: dict[str, Rendered] = {}
    making = maker in editions
    noting = needs_pages or (making and pages is None)
    follower = next((e for e in editions if e.follow), None) if needs_pages and making else None
    if making:
        futures[maker.name] = pool.submit(render_laid_out, maker.name, book, options,
                                          previous.get(maker.name), noting)
        notify(maker.name, "start", 0.0)
    if follower is not None:
        futures[follower.name] = _submit(pool, render_following, follower.name, book, options,
                                         previous.get(follower.name))
        notify(follower.name, "start", 0.0)
    _pass(gate)
    if noting:
        if not making:  # laid out for the editions that need it: their time, their progress
            notify.lay_out_pages_for({e.name: PAGE_MAP_SHARE["laid out" if e.layout else "whole"]
                                      for e in editions if e.needs_page_map})
        last = None if fresh else record_from(store.layout(outdir / maker.filename(book)))
        pages = _await_pages(pool, book, queues, follower is not None,
                             futures.get(maker.name), last)
        if follower is not None:
            queues[1].put(pages)  # the whole map; None: the follower lays out print itself
        if pages is not None:
            store.remember_page_map(book.stem, pages_key, pages)
            on_pages()
    paged_options = replace(options, print_pages=pages)
    for edition in (e for e in editions if e.name not in futures):
        if edition.layout:
            futures[edition.name] = _submit(pool, render_laid_out, edition.name, book,
                                            paged_options, previous[edition.name], False)
        else:
            futures[edition.name] = _submit(pool, render_whole, edition.name, book,
                                            paged_options)
        notify(edition.name, "start", 0.0)
    return futures


def _submit(pool: ProcessPoolExecutor, job: Callable[..., Result], *args: Any) -> Rendered:
    """Submit one edition; a pool broken by a crashed worker gives a failed future."""
    try:
        return pool.submit(job, *args)
    except BrokenProcessPool as error:
        failed: Rendered = Future()
        failed.set_exception(error)
        return failed


def _await_pages(pool: ProcessPoolExecutor, book: Book, queues: tuple[Any, ...],
                 forward: bool, printing: Rendered | None, last: LayoutRecord | None,
                 ) -> PageMap | None:
    """The page map from the print worker, passing each chunk's share on to large print
    when `forward`, or from a layout of its own (of the changed divisions only, when the
    last print layout allows); None if it failed (the editions that need it then lay out
    print themselves and report the error)."""
    if printing is None:
        alone = pool.submit(lay_out_pages, book, last)
        return alone.result() if alone.exception() is None else None
    waited = 0.0
    while waited < _GRACE_SECONDS:
        try:
            message = queues[0].get(timeout=0.1)
        except queue.Empty:
            waited += 0.1 if printing.done() else 0.0
            continue
        if not isinstance(message, Piece):
            pages: PageMap = message
            return pages
        if forward:
            queues[1].put(message)
    return None


def _receive(edition: Edition, future: Rendered, book: Book, outdir: Path, notify: _Notices,
             ) -> Result | Outcome:
    """One edition's result from its worker, or the failed outcome that says why not."""
    target = outdir / edition.filename(book)
    try:
        result = future.result()
    except ManuscriptError as error:
        return Outcome(edition.name, target, 0.0, error=str(error))
    except Exception as error:  # a renderer bug must not hide the other editions' results
        detail = "".join(traceback.format_exception_only(error)).strip()
        # the worker's own traceback rides along as the error's cause
        trace = "".join(traceback.format_exception(error))
        return Outcome(edition.name, target, 0.0, error=detail, trace=trace)
    finally:
        notify(edition.name, "done", 1.0)
    return result


def _commit(
    book: Book, outdir: Path, editions: list[Edition], received: dict[str, Result | Outcome],
    store: BuildCache, keys: dict[str, str],
) -> dict[str, Outcome]:
    """Write the editions together or not at all: if one failed, none replaces its earlier
    file, so the editions in a folder always match each other; then note them in the cache
    (a note that cannot be written only costs the next build time)."""
    targets = {e.name: outdir / e.filename(book) for e in editions}
    results = {name: r for name, r in received.items() if isinstance(r, Result)}
    if len(results) < len(received):
        failed = ", ".join(name for name in received if name not in results)
        reason = f"not written, because {failed} failed (a build's editions are written " \
                 "together)"
        return {name: _unwritten(r, targets[name], name, reason) for name, r in received.items()}
    companions = {e.name: e.companion_files(targets[e.name], results[e.name].data)
                  for e in editions if e.name in results}
    files = {targets[name]: r.data for name, r in results.items()}
    files.update({path: data for pairs in companions.values() for path, data in pairs})
    unpacked = [(e.name, folder) for e in editions
                if (folder := e.unpacked_into(targets[e.name])) is not None]
    staged: dict[Path, Path] = {}
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        for name, folder in unpacked:  # unpacked first: the files then go together
            staged[folder] = stage_folder(results[name].data, folder)
        write_together(files)
    except OSError as error:
        for staging in staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the editions to {outdir}: "
                          f"{error.strerror or error}; no edition there was replaced") from None
    for folder, staging in staged.items():
        swap_in(staging, folder)
    for name, result in results.items():
        store.remember(targets[name], keys[name], result.data,
                       None if result.layout is None else result.layout.to_json(),
                       {path.name: data for path, data in companions[name]})
    return {name: Outcome(name, targets[name], r.seconds, size=len(r.data), redone=r.redone)
            for name, r in results.items()}


def _unwritten(received: Result | Outcome, target: Path, name: str, reason: str) -> Outcome:
    """The outcome of an edition left unwritten: its own failure, or the reason it waits."""
    if isinstance(received, Outcome):
        return received
    return Outcome(name, target, received.seconds, error=reason)
