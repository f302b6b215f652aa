"""What an edition was built from, so a build can reuse what nothing has changed.

An edition's key hashes everything its bytes depend on: the manuscript model, the images it
shows, the style layers it uses (templates, CSS, fonts), the writer's own `styles/`, the
options that touch it, this package's code and version, and the engines' versions. The
build keeps each edition's key and output hash, and the print page map, in a cache folder
beside the outputs; a stale or damaged cache is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from publish import __version__
from publish.editions import EDITIONS
from publish.files import write_atomically
from publish.layers import folder
from publish.model import Book
from publish.options import Options
from publish.pagination import PageMap, from_rows, to_rows
from publish.walk import book_images

PACKAGE = Path(__file__).resolve().parent
CACHE_DIR = ".publish-cache"
ERROR_LOG = "errors.log"  # the tracebacks of the last build that had unexpected errors
LOUIS_TABLES = Path("/usr/share/liblouis/tables")  # Debian's liblouis-data
LOUIS_LIBRARIES = Path("/usr/lib")  # liblouis20's library, in a multiarch folder under it
ENGINES = ("weasyprint", "pydyf", "pikepdf", "ebooklib", "jinja2", "markdown-it-py", "lxml")


def edition_key(book: Book, edition: str, options: Options) -> str:
    """The hash of everything one edition of this book is made from."""
    digest = hashlib.sha256()
    for part in _inputs(book, edition, options):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def frame_key(book: Book, edition: str, options: Options, texts: Iterable[str]) -> str:
    """The hash of what a PDF edition is made from besides its divisions' own markup, which
    `texts` (the markup around the divisions, the stylesheets) stand in for."""
    digest = hashlib.sha256()
    for part in (*_inputs(book, edition, options, whole=False), *(t.encode() for t in texts)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _inputs(book: Book, edition: str, options: Options, whole: bool = True) -> Iterator[bytes]:
    """Every input of an edition, each as bytes, in a fixed order; all but the divisions
    unless `whole`."""
    yield f"{edition} {identity()}".encode()
    yield repr(book if whole else replace(book, divisions=())).encode()
    for image in book_images(book):
        yield file_hash(image.path).encode()
    registered = EDITIONS[edition]
    for styles in style_folders([edition], book.root):
        yield folder_hash(styles).encode()
    yield registered.options_key(options).encode()
    yield registered.env_values().encode()


def style_folders(editions: Iterable[str], root: Path) -> list[Path]:
    """Every style folder the editions' bytes depend on, the writer's `styles/` last."""
    layers = dict.fromkeys(layer for name in editions for layer in EDITIONS[name].key_layers())
    return [*dict.fromkeys(folder(layer) for layer in layers), root / "styles"]


def identity() -> str:
    """This package's version and code and the engines' versions: what makes every output
    besides its inputs."""
    return f"{__version__} {_code_hash()} {_engines()}"


@cache
def _code_hash() -> str:
    """This package's own code: any change to it may change any edition."""
    return _hash_files(sorted(PACKAGE.rglob("*.py")), PACKAGE)


@cache
def _engines() -> str:
    """The installed versions of the libraries that shape the outputs."""
    found = []
    for name in ENGINES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=none")
    found.append(f"liblouis={_liblouis()}")  # a system library: no package metadata
    return " ".join(found)


def _liblouis() -> str:
    """liblouis as installed, read without loading it (the braille edition's translator):
    its library's versioned file name, and its tables folder's time and size, which an
    upgrade of the tables changes (dpkg renames files into place)."""
    library = sorted(path.name for path in LOUIS_LIBRARIES.glob("*/liblouis.so.*.*"))
    try:
        tables = f"{LOUIS_TABLES.stat().st_mtime_ns}/{len(os.listdir(LOUIS_TABLES))}"
    except OSError:
        tables = "none"
    return f"{','.join(library) or 'none'}:{tables}"


def folder_hash(folder: Path) -> str:
    """Names and contents of every file under a folder ('' when there is none). A process
    that asks again (a service worker, every job) gets the hash it made while no file's
    inode, size, times or name changed: hashing the 8.6 MB of fonts took 0.06 s of each of
    a job's three keys; a file changed within `_SETTLED_NS` of its hash is hashed again."""
    if not folder.is_dir():
        return ""
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    seen = _signature(paths)
    kept = _FOLDER_HASHES.get(folder)
    if kept is not None and kept[0] == seen:
        return kept[1]
    began = time.time_ns()
    digest = _hash_files(paths, folder)
    if all(max(mtime, ctime) < began - _SETTLED_NS for _p, _i, _s, mtime, ctime in seen):
        _FOLDER_HASHES[folder] = (seen, digest)
    return digest


_SETTLED_NS = 2_000_000_000  # a change this recent may share its time stamp with the next
_Signature = tuple[tuple[str, int, int, int, int], ...]
_FOLDER_HASHES: dict[Path, tuple[_Signature, str]] = {}


def _signature(paths: Iterable[Path]) -> _Signature:
    """What changes when a file is written, replaced, renamed or touched."""
    found = []
    for path in paths:
        stat = path.stat()
        found.append((str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns,
                      stat.st_ctime_ns))
    return tuple(found)


def _hash_files(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(file_hash(path).encode())
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class BuildCache:
    """The cache folder beside a build's outputs."""

    folder: Path

    @classmethod
    def beside(cls, outdir: Path) -> BuildCache:
        """The cache of the outputs in `outdir`."""
        return cls(outdir / CACHE_DIR)

    def is_fresh(self, target: Path, key: str) -> bool:
        """Whether `target` (and any companion file made with it) is exactly what the last
        build made from inputs with this key."""
        record = self.note(f"{target.name}.json")
        if record.get("key") != key or not target.is_file():
            return False
        return record.get("sha256") == file_hash(target) and self.companions_intact(target)

    def companions_intact(self, target: Path) -> bool:
        """Whether the files made with `target` are still there as the last build wrote them."""
        companions = self.note(f"{target.name}.json").get("companions", {})
        if not isinstance(companions, dict):
            return False
        for name, digest in companions.items():
            path = target.with_name(str(name))
            if not path.is_file() or file_hash(path) != digest:
                return False
        return True

    def remember(self, target: Path, key: str, data: bytes,
                 layout: dict[str, object] | None = None,
                 companions: dict[str, bytes] | None = None) -> None:
        """Note which inputs made the file just written (and the files made with it), and
        the renderer's record of its layout (where its divisions lie), kept as given."""
        record: dict[str, object] = {"key": key, "sha256": hashlib.sha256(data).hexdigest()}
        if layout is not None:
            record["layout"] = layout
        if companions:
            record["companions"] = {name: hashlib.sha256(made).hexdigest()
                                    for name, made in companions.items()}
        self.keep(f"{target.name}.json", record)

    def layout(self, target: Path) -> dict[str, object] | None:
        """The layout record of the last build of `target`, whether or not the file is
        still there: it describes the layout, which is all a page map needs."""
        layout = self.note(f"{target.name}.json").get("layout")
        return layout if isinstance(layout, dict) else None

    def previous(self, target: Path) -> tuple[bytes, dict[str, object]] | None:
        """The file an earlier build wrote and its layout record, if it is still exactly
        that file."""
        record = self.note(f"{target.name}.json")
        layout = record.get("layout")
        if not isinstance(layout, dict) or not target.is_file():
            return None
        data = target.read_bytes()
        if record.get("sha256") != hashlib.sha256(data).hexdigest():
            return None
        return data, layout

    def page_map(self, stem: str, key: str) -> PageMap | None:
        """The print page map laid out from inputs with this key, if one was kept."""
        record = self.note(f"{stem}.pages.json")
        if record.get("key") != key:
            return None
        try:
            return from_rows(record["pages"])
        except (KeyError, TypeError, ValueError):
            return None

    def remember_page_map(self, stem: str, key: str, pages: PageMap) -> None:
        """Keep the print page map for the next build."""
        self.keep(f"{stem}.pages.json", {
            "key": key, "pages": to_rows(pages)})

    def fingerprint(self, target: Path) -> list[object]:
        """The key and the output hash the last build of `target` noted (None if not)."""
        record = self.note(f"{target.name}.json")
        return [record.get("key"), record.get("sha256")]

    def keep_log(self, text: str) -> Path:
        """Keep the tracebacks of a build's unexpected errors where the user can find them."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / ERROR_LOG
        write_atomically(path, text.encode("utf-8"))
        return path

    def note(self, name: str) -> dict[str, object]:
        """The record kept under `name`, or {} when missing or damaged (never trusted)."""
        try:
            record = json.loads((self.folder / name).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def keep(self, name: str, record: dict[str, object]) -> None:
        """Keep a record under `name`, written atomically. One that cannot be written (a
        full disk) is skipped: the cache only saves work, so the build goes on, and the
        record it had is removed so it cannot be mistaken for this build's."""
        path = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(record).encode("utf-8"))
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
