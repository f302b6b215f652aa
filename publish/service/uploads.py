"""An uploaded manuscript, checked before anything is kept: a `.md` file, a Word `.docx`
(which its reader checks as the zip it is) or a `.zip` of a book folder, refused whole when
it is too big, holds too many entries, reaches outside its folder, holds links, or
decompresses far beyond its size (a zip bomb)."""

from __future__ import annotations

import io
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from publish.errors import ManuscriptError
from publish.model import Book
from publish.service.store import Store, sha256

MAX_UPLOAD = 50 * 1024 * 1024  # bytes of the uploaded file
MAX_ENTRIES = 1000  # files and folders in a zip
MAX_UNPACKED = 200 * 1024 * 1024  # bytes of all entries once unpacked
MAX_RATIO = 100  # unpacked over packed size of an entry; text compresses about 3-10 times
_NAME = re.compile(r"[^A-Za-z0-9._-]+")
SINGLE_FILES = (".md", ".docx")  # manuscripts of one file, kept as they came
COVER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


class Refused(Exception):
    """A request that is not carried out (an upload not kept, options not valid): the
    status to answer with, a message for the user, and what else the answer names."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


@dataclass(frozen=True)
class Upload:
    """A stored manuscript as the API describes it."""

    ident: str
    title: str
    lint: list[dict[str, Any]]
    new: bool


def accept(store: Store, filename: str, data: bytes) -> Upload:
    """Check, unpack, read and lint an upload, then store it under the SHA-256 of its bytes
    (the same bytes again are the same manuscript, read once)."""
    ident = sha256(data)
    if store.has_manuscript(ident):
        meta = store.meta(ident)
        return Upload(ident, meta["title"], meta["lint"], new=False)
    if len(data) > MAX_UPLOAD:
        raise Refused(413, f"the upload is larger than {MAX_UPLOAD // 2**20} MiB")
    folder = store.scratch()
    try:
        source = _unpack(filename, data, folder / "source")
        meta = _describe(source, folder / "source")
        meta["entry"] = source.relative_to(folder).as_posix()
        store.put_manuscript(ident, folder, meta)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Upload(ident, meta["title"], meta["lint"], new=True)


def _unpack(filename: str, data: bytes, into: Path) -> Path:
    """The manuscript's entry point under `into`: the Markdown file, or the book folder."""
    into.mkdir()
    stem = _NAME.sub("-", PurePosixPath(filename.replace("\\", "/")).stem).strip("-.") \
        or "manuscript"
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix in SINGLE_FILES:
        target = into / f"{stem}{suffix}"
        target.write_bytes(data)
        return target
    if suffix != ".zip":
        raise Refused(415, f"{filename!r}: upload a .md file, a Word .docx file or a .zip of "
                           "a book folder")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Refused(400, f"{filename!r} is not a readable zip file") from None
    with archive:
        entries = _checked(archive)
        book = into / stem
        for entry in entries:
            _extract(archive, entry, book)
    return _book_folder(book)


def _checked(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The entries, every one refused that could write outside the folder or is a bomb."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise Refused(413, f"the zip holds {len(entries)} entries; at most {MAX_ENTRIES}")
    total = 0
    for entry in entries:
        name = entry.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
            raise Refused(400, f"zip entry {name!r} has an absolute path")
        if ".." in parts:
            raise Refused(400, f"zip entry {name!r} reaches outside the book folder ('..')")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise Refused(400, f"zip entry {name!r} is a symbolic link")
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1024):
            raise Refused(400, f"zip entry {name!r} expands {entry.file_size} bytes from "
                          f"{entry.compress_size}: refused as a zip bomb")
        total += entry.file_size
        if total > MAX_UNPACKED:
            raise Refused(413, f"the zip unpacks to more than {MAX_UNPACKED // 2**20} MiB")
    return entries


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, book: Path) -> None:
    """One checked entry, read no further than the size it declares."""
    target = book.joinpath(*PurePosixPath(entry.filename.replace("\\", "/")).parts)
    if entry.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(entry) as stream:
        data = stream.read(entry.file_size + 1)
    if len(data) > entry.file_size:
        raise Refused(400, f"zip entry {entry.filename!r} is larger than it declares")
    target.write_bytes(data)


def _book_folder(book: Path) -> Path:
    """The folder holding `book.toml`: the zip's top, or its one top-level folder."""
    if (book / "book.toml").is_file():
        return book
    inner = [p for p in book.iterdir() if p.name != "__MACOSX"] if book.is_dir() else []
    if len(inner) == 1 and (inner[0] / "book.toml").is_file():
        return inner[0]
    raise Refused(422, "the zip holds no book.toml at its top or in its one top-level folder")


def _describe(source: Path, base: Path) -> dict[str, Any]:
    """Read the manuscript as `publish build` would and lint it: its title and findings."""
    from publish.lint import lint
    from publish.readers import read

    try:
        book = read(source)
    except ManuscriptError as error:
        raise Refused(422, _relative(str(error), base)) from None
    findings = [{"file": _relative(str(f.path), base), "line": f.line or None, "place": f.place,
                 "code": f.code, "message": f.message, "severity": f.severity}
                for f in lint(source)]
    return {"title": book.metadata.title, "stem": book.stem, "lint": findings,
            **_catalogue_fields(book, source, base)}


def _catalogue_fields(book: Book, source: Path, base: Path) -> dict[str, Any]:
    """What the web page and the catalogue show of a book beside its title (the cover as a
    path under the stored manuscript's folder, which `base` is the `source/` of)."""
    data = book.metadata
    folder = (source if source.is_dir() else source.parent).resolve()
    cover = data.cover.path.resolve() if data.cover is not None else None
    usable = cover is not None and cover.suffix.lower() in COVER_TYPES \
        and cover.is_relative_to(folder)
    return {"subtitle": data.subtitle, "authors": list(data.authors),
            "language": data.language, "description": data.description,
            "publisher": data.publisher, "date": data.date, "identifier": data.identifier,
            "cover": cover.relative_to(base.resolve().parent).as_posix() if usable and cover
            else None}


def _relative(text: str, base: Path) -> str:
    """Paths under the unpacked folder said relative to it: the user's own file names."""
    return text.replace(f"{base}/", "").replace(str(base), "")
