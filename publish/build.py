"""The build, top to bottom: read, render the editions in parallel, write atomically."""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from publish.editions import EDITIONS, Edition
from publish.errors import ManuscriptError
from publish.model import Book
from publish.options import Options


@dataclass(frozen=True)
class Outcome:
    """What became of one edition: the file written, or why not."""

    edition: str
    path: Path
    seconds: float
    size: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was written."""
        return self.error is None


Listener = Callable[[str, str], None]  # (edition name, event) with event "start" or "done"


def render_edition(name: str, book: Book, options: Options) -> tuple[bytes, float]:
    """Render one edition in a worker process; returns the bytes and the seconds spent."""
    started = time.perf_counter()
    data = EDITIONS[name].load()(book, options)
    return data, time.perf_counter() - started


def build(
    book: Book, outdir: Path, names: Iterable[str], options: Options,
    listener: Listener | None = None,
) -> list[Outcome]:
    """Render the asked editions in parallel processes and write each atomically."""
    editions = [EDITIONS[name] for name in dict.fromkeys(names)]
    outdir.mkdir(parents=True, exist_ok=True)
    for edition in editions:
        remove_stale_parts(outdir / edition.filename(book))
    notify = listener or (lambda _name, _event: None)
    workers = max(1, min(len(editions), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {e.name: pool.submit(render_edition, e.name, book, options) for e in editions}
        for edition in editions:
            notify(edition.name, "start")
        return [_collect(edition, futures[edition.name], book, outdir, notify)
                for edition in editions]


def _collect(
    edition: Edition, future: Future[tuple[bytes, float]], book: Book, outdir: Path,
    notify: Listener,
) -> Outcome:
    target = outdir / edition.filename(book)
    try:
        data, seconds = future.result()
        write_atomically(target, data)
    except Exception as error:  # a renderer bug must not hide the other editions' results
        detail = str(error) if isinstance(error, ManuscriptError) else \
            "".join(traceback.format_exception_only(error)).strip()
        outcome = Outcome(edition.name, target, 0.0, error=detail)
    else:
        outcome = Outcome(edition.name, target, seconds, size=len(data))
    notify(edition.name, "done")
    return outcome


def remove_stale_parts(target: Path) -> None:
    """Delete temporary files a killed build left beside `target`."""
    for stale in target.parent.glob(f".{target.name}.*.part"):
        stale.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename: no half-written outputs."""
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
