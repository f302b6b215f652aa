"""The single rule for files a manuscript may use: inside its folder, real, and an image."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from publish.errors import ManuscriptError

# Magic numbers of the image formats every edition can carry.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def resolve_image(src: str, source: Path, root: Path, line: int) -> Path:
    """The image file `src` names, refusing remote, absolute and escaping paths."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        raise ManuscriptError(
            source, line, f"image '{src}' is not a file in the manuscript folder; "
            "remote images are never fetched: download it next to the manuscript"
        )
    candidate = (source.parent / unquote(parsed.path)).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise ManuscriptError(source, line, f"image '{src}' is outside the manuscript folder")
    if not candidate.is_file():
        raise ManuscriptError(source, line, f"image '{src}' not found")
    if media_type(candidate) is None:
        raise ManuscriptError(source, line, f"image '{src}' is not a PNG, JPEG, GIF or SVG image")
    return candidate


def media_type(path: Path) -> str | None:
    """The media type read from the file's first bytes, not trusted from its name."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if path.suffix.lower() == ".svg" and b"<svg" in head.lower():
        return "image/svg+xml"
    return None
