"""The one gate every file a renderer loads goes through: local, inside allowed folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


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


class ManuscriptFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to `data:` URLs and files inside `folders`."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self._folders = folders

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Refuse anything remote or outside the folders before WeasyPrint opens it."""
        if not url.startswith("data:"):
            url = allowed_path(url, self._folders).as_uri()
        return super().fetch(url, headers)


def make_url_fetcher(folders: tuple[Path, ...]) -> ManuscriptFetcher:
    """The fetcher for one render."""
    return ManuscriptFetcher(folders)
