"""The one gate every file a renderer loads goes through: local, inside allowed folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse


class RefusedResource(ValueError):
    """A renderer asked for something outside the manuscript and our styles."""


def allowed_path(url: str, folders: Iterable[Path]) -> Path:
    """The local file a `file:` URL names, if it lies inside one of `folders`."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise RefusedResource(f"refused to fetch {url}: only files in the manuscript folder")
    path = Path(unquote(parsed.path)).resolve()
    if not any(path.is_relative_to(folder.resolve()) for folder in folders):
        raise RefusedResource(f"refused to read {path}: outside the manuscript folder")
    return path
