"""The unchanged rebuild, answered without reading the manuscript or starting a worker.

A build that wrote or kept every edition it was asked for leaves a record of its request
(manuscript, editions, options, lint silences, `--quiet`, working folder) beside its
outputs: the hash of every file the editions are made from (the manuscript's files and
images, every style layer the editions use, the writer's `styles/`), this package's
version and code and the engines' versions (`cache.identity`), the environment variables
the editions read, each output's hash and cache key, and what the build printed before its
summary (reader warnings, lint findings). The same request again checks all of that and,
when nothing differs, prints the same lines; anything else, a missing or damaged record
included, takes the normal build. A file changed less than two seconds before the build
began gets no record made: the build may have read it before or after the change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish import cache
from publish.editions import EDITIONS
from publish.errors import NOTICE
from publish.files import remove_stale_parts
from publish.options import Options

if TYPE_CHECKING:  # the model's walk is only needed once a manuscript was read
    from publish.model import Book

# A file must be this much older than the build's start to be vouched for: file-system
# clocks are coarse (FAT keeps even seconds) and the reader may have read it before a change.
SETTLED_NS = 2_000_000_000
REQUESTS = "requests"  # the folder of the records in the build cache
FORMAT = 1  # bumped when the record's layout changes: an older record is then ignored


@dataclass(frozen=True)
class Request:
    """What `publish build` was asked: an identical request may be answered from its record."""

    source: Path
    outdir: Path
    editions: tuple[str, ...]
    options: Options
    ignore: tuple[str, ...]
    quiet: bool

    def describe(self) -> dict[str, object]:
        """The request as the record keeps it (the working folder too: lint paths are
        printed relative to it)."""
        return {"format": FORMAT, "source": str(self.source.resolve()), "cwd": str(Path.cwd()),
                "editions": list(dict.fromkeys(self.editions)),
                "size": repr(self.options.large_print_size),
                "profile": self.options.large_print_profile,
                "certifier_report": self.options.certifier_report,
                "braille": [self.options.braille_cells, self.options.braille_lines,
                            self.options.braille_grade],
                "ignore": list(self.ignore), "quiet": self.quiet}

    def record_name(self) -> str:
        """The request's record file in the output folder's cache (`REQUESTS/`)."""
        text = json.dumps(self.describe(), sort_keys=True)
        return f"{hashlib.sha256(text.encode()).hexdigest()[:24]}.json"


class Said(logging.Handler):
    """What a build prints before its summary lines: the `publish` logger's records and the
    lint findings (written here as to a stream), kept in order to say again."""

    def __init__(self) -> None:
        super().__init__(NOTICE)
        self.entries: list[list[Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a notice or warning the reader or the build logged."""
        self.entries.append(["log", record.levelno, record.getMessage()])

    def write(self, text: str) -> int:
        """Print to standard error, and keep the text."""
        self.entries.append(["err", text])
        return sys.stderr.write(text)

    def flush(self) -> None:
        """Standard error is flushed as usual."""
        sys.stderr.flush()

    def __enter__(self) -> Said:
        logging.getLogger("publish").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("publish").removeHandler(self)


def say_again(entries: list[list[Any]]) -> None:
    """Print what the recorded build printed before its summary, the same way."""
    logger = logging.getLogger("publish")
    for entry in entries:
        if entry[0] == "log":
            logger.log(int(entry[1]), "%s", entry[2])
        else:
            sys.stderr.write(str(entry[1]))


@dataclass(frozen=True)
class Unchanged:
    """An unchanged rebuild's answer: what to print, and each edition's kept file."""

    said: list[list[Any]]
    outputs: list[tuple[str, Path]]  # (edition, file)


def recall(request: Request) -> Unchanged | None:
    """The answer to a request whose record still holds in every input and output, else None."""
    store = cache.BuildCache.beside(request.outdir)
    record = _requests(store).note(request.record_name())
    try:
        return _check(request, store, record)
    except (KeyError, TypeError, ValueError, AttributeError, OSError):
        return None  # a damaged record is never trusted


def _check(request: Request, store: cache.BuildCache, record: dict[str, Any]) -> Unchanged | None:
    """`recall` on a record read, any part of which may be missing or malformed."""
    if not record or record["request"] != request.describe():
        return None
    inputs = record["inputs"]
    root = Path(inputs["root"])
    if inputs["identity"] != cache.identity() or inputs["env"] != _env(request.editions):
        return None
    if inputs["folders"] != {str(f): cache.folder_hash(f)
                             for f in cache.style_folders(request.editions, root)}:
        return None
    files = inputs["files"]
    if not files or any(_hash_or_none(Path(name)) != digest for name, digest in files.items()):
        return None
    outputs = []
    for name, file, key, digest in record["outputs"]:
        target = request.outdir / file
        if store.fingerprint(target) != [key, digest] or _hash_or_none(target) != digest:
            return None
        if not store.companions_intact(target):
            return None
        unpacked = EDITIONS[name].unpacked_into(target)
        if unpacked is not None and not unpacked.is_dir():
            return None  # the web edition's folder is gone: build it again
        outputs.append((name, target))
    built = [name for name in dict.fromkeys(request.editions) if name not in record["left_out"]]
    if [name for name, _target in outputs] != built:
        return None
    for _name, target in outputs:
        remove_stale_parts(target)  # as the normal build does before keeping a file
    return Unchanged(record["said"], outputs)


def snapshot(book: Book, request: Request, began_ns: int) -> dict[str, object] | None:
    """The inputs of the editions asked, hashed; None when one changed too recently to vouch
    for (it may have changed between the build reading it and this hash)."""
    from publish.walk import book_images  # the model walk, loaded with the reader anyway

    files = [*book.sources, *(image.path for image in book_images(book))]
    folders = cache.style_folders(request.editions, book.root)
    hashes = {str(path): cache.file_hash(path) for path in dict.fromkeys(files)}
    folder_hashes = {str(path): cache.folder_hash(path) for path in folders}
    everything = [*files, *(p for f in folders if f.is_dir() for p in f.rglob("*") if p.is_file())]
    settled = began_ns - SETTLED_NS
    if any(path.stat().st_mtime_ns >= settled for path in everything):
        return None  # stat after hashing: a change before the hash shows here
    return {"root": str(book.root), "identity": cache.identity(), "env": _env(request.editions),
            "folders": folder_hashes, "files": hashes}


def remember(request: Request, inputs: dict[str, object], said: Said,
             files: Iterable[tuple[str, Path]], left_out: Iterable[str] = ()) -> None:
    """Keep the record of a build that wrote or kept every edition asked (`files`: each
    edition and its output) but those it left out, as the book cannot have them."""
    store = cache.BuildCache.beside(request.outdir)
    outputs = [[name, target.name, *store.fingerprint(target)] for name, target in files]
    _requests(store).keep(request.record_name(), {
        "request": request.describe(), "inputs": inputs, "outputs": outputs,
        "said": said.entries, "left_out": list(left_out)})


def _requests(store: cache.BuildCache) -> cache.BuildCache:
    """The requests' records, in a folder of their own in the build cache."""
    return cache.BuildCache(store.folder / REQUESTS)


def _env(editions: Iterable[str]) -> dict[str, str]:
    """The environment variables each edition reads, as they are now."""
    return {name: EDITIONS[name].env_values() for name in dict.fromkeys(editions)}


def _hash_or_none(path: Path) -> str | None:
    """A file's hash, None when it is gone or unreadable."""
    try:
        return cache.file_hash(path) if os.path.isfile(path) else None
    except OSError:
        return None
