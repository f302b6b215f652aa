"""The data folder: manuscripts and built files by SHA-256, each written to a temporary
name and renamed, so two workers writing the same output never leave a torn file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from publish.cache import BuildCache
from publish.files import write_atomically

_HEX = frozenset("0123456789abcdef")


def sha256(data: bytes) -> str:
    """The hex digest that names stored bytes."""
    return hashlib.sha256(data).hexdigest()


def is_key(text: str) -> bool:
    """Whether a path segment is a SHA-256 hex digest (anything else never reaches a path)."""
    return len(text) == 64 and set(text) <= _HEX


class Store:
    """Manuscripts under `manuscripts/<id>/`, built files under `files/<key>` with their
    description beside them, owners' manuscripts as marker files under `owners/`."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        for part in ("manuscripts", "files", "owners", "tmp", "tokens", "built", "published",
                     "reports", "notes"):
            (self.root / part).mkdir(parents=True, exist_ok=True)

    def scratch(self) -> Path:
        """A new empty folder on the store's file system, for work renamed in later."""
        return Path(tempfile.mkdtemp(dir=self.root / "tmp"))

    def take_notes(self, ident: str, cache: Path) -> None:
        """Put what earlier builds of a manuscript noted (the print page map, the print
        layout record) in a new build's cache folder: an edition that needs the print page
        map then need not lay print out again. Notes are checked by key before use."""
        kept = self.root / "notes" / ident
        if not is_key(ident) or not kept.is_dir():
            return
        cache.mkdir(parents=True, exist_ok=True)
        for note in kept.glob("*.json"):
            shutil.copyfile(note, cache / note.name)

    def has_page_map(self, ident: str, stem: str, key: str) -> bool:
        """Whether an earlier build of the manuscript noted the print page map of this key."""
        return is_key(ident) and BuildCache(self.root / "notes" / ident).page_map(
            stem, key) is not None

    def keep_notes(self, ident: str, cache: Path) -> None:
        """Keep a finished build's notes for the manuscript's next builds (each written
        atomically: two workers keeping the same note leave one whole note; a note that
        cannot be kept only costs a later build time). A note kept already as it is, such
        as the page map a job took from them, is not written again (each write is synced)."""
        if not is_key(ident) or not cache.is_dir():
            return
        kept = self.root / "notes" / ident
        try:
            kept.mkdir(exist_ok=True)
            for note in cache.glob("*.json"):
                data = note.read_bytes()
                if not _holds(kept / note.name, data):
                    write_atomically(kept / note.name, data)
        except OSError:
            return

    def manuscript(self, ident: str) -> Path:
        """The folder of a stored manuscript (it may not exist)."""
        return self.root / "manuscripts" / ident

    def has_manuscript(self, ident: str) -> bool:
        """Whether the manuscript is stored whole (its description is written last)."""
        return is_key(ident) and (self.manuscript(ident) / "meta.json").is_file()

    def put_manuscript(self, ident: str, folder: Path, meta: dict[str, Any]) -> bool:
        """Move an unpacked manuscript in by renaming its folder; False when another upload
        of the same bytes got there first (the folder is then discarded)."""
        write_atomically(folder / "meta.json", json.dumps(meta).encode())
        try:
            os.rename(folder, self.manuscript(ident))
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            if not self.has_manuscript(ident):
                raise
            return False
        return True

    def meta(self, ident: str) -> dict[str, Any]:
        """A stored manuscript's description: title, source and lint findings."""
        found: dict[str, Any] = json.loads((self.manuscript(ident) / "meta.json").read_text())
        return found

    def grant(self, owner: str, ident: str) -> bool:
        """Let an owner's tokens see a manuscript; False when they already could."""
        marker = self.root / "owners" / owner / ident
        if marker.exists():
            return False
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        return True

    def owns(self, owner: str, ident: str) -> bool:
        """Whether an owner may see a manuscript."""
        return is_key(ident) and (self.root / "owners" / owner / ident).is_file()

    def file(self, key: str) -> Path:
        """Where a built file is stored (it may not exist)."""
        return self.root / "files" / key

    def has_file(self, key: str) -> bool:
        """Whether a built file is stored (its description is renamed in after it)."""
        return is_key(key) and (self.root / "files" / f"{key}.json").is_file()

    def put_file(self, key: str, built: Path, meta: dict[str, Any], listed: bool = True,
                 ) -> None:
        """Move a built file in by renaming, then its description: a reader that finds the
        description finds the whole file; then, if `listed` (not for a companion, which its
        edition's file names), a marker under its manuscript, for listings."""
        os.replace(built, self.file(key))
        try:
            write_atomically(self.root / "files" / f"{key}.json", json.dumps(meta).encode())
        except OSError:  # a full disk: no file without its description (unless another
            if not self.has_file(key):  # worker stored the same one whole meanwhile)
                self.file(key).unlink(missing_ok=True)
            raise
        if not listed:
            return
        marker = self.root / "built" / meta["manuscript"] / key
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()

    def built(self, ident: str) -> list[str]:
        """The keys of a manuscript's built files, newest first."""
        folder = self.root / "built" / ident
        if not is_key(ident) or not folder.is_dir():
            return []
        keys = [p for p in folder.iterdir() if self.has_file(p.name)]
        return [p.name for p in sorted(keys, key=lambda p: p.stat().st_mtime, reverse=True)]

    def manuscripts_of(self, owner: str) -> list[str]:
        """An owner's manuscripts, most recently uploaded first."""
        folder = self.root / "owners" / owner
        if not folder.is_dir():
            return []
        marks = [p for p in folder.iterdir() if self.has_manuscript(p.name)]
        return [p.name for p in sorted(marks, key=lambda p: p.stat().st_mtime, reverse=True)]

    def publish(self, ident: str) -> None:
        """Put a manuscript in the public catalogue (its first publication date is kept)."""
        marker = self.root / "published" / ident
        if not marker.exists():
            write_atomically(marker, b"")

    def is_published(self, ident: str) -> bool:
        """Whether a manuscript is in the public catalogue."""
        return is_key(ident) and (self.root / "published" / ident).is_file()

    def published(self) -> list[tuple[str, float]]:
        """The catalogue's manuscripts with when each was published, newest first."""
        marks = [(p.name, p.stat().st_mtime) for p in (self.root / "published").iterdir()
                 if self.has_manuscript(p.name)]
        return sorted(marks, key=lambda mark: mark[1], reverse=True)

    def file_meta(self, key: str) -> dict[str, Any]:
        """A built file's description: name, media type, manuscript."""
        found: dict[str, Any] = json.loads((self.root / "files" / f"{key}.json").read_text())
        return found


def _holds(path: Path, data: bytes) -> bool:
    """Whether a file holds these bytes already."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False
