"""What a build works out the same way every time, kept once per user: `$XDG_CACHE_HOME/publish`.

Each entry is derived from files that do not belong to a manuscript (our templates, the
fonts' character maps) and is named for what it was made from, so a changed source simply
finds no entry. Writing is atomic and never fails a build: a read-only or full disk costs
only the time the entry would have saved.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def folder(name: str) -> Path | None:
    """The cache's folder for one kind of entry (not created until something is kept); None
    when the user has no home to keep it in (a container's arbitrary user): nothing is kept."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "publish" / name


def keep(path: Path, data: bytes) -> None:
    """Write one entry whole (a reader never sees half of it), or not at all."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)


def recall(path: Path) -> bytes | None:
    """An entry's bytes, None when there is none (or it cannot be read)."""
    try:
        return path.read_bytes()
    except OSError:
        return None
