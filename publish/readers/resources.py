"""The single rule for files a manuscript may use: inside its folder, real, and an image."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from publish.errors import ManuscriptError
from publish.readers.rasters import pixel_problem
from publish.readers.svg import UnsafeSvg, clean_svg

# Beyond this an image file costs more than a book page can justify (see rasters.py).
MAX_IMAGE_BYTES = 40 * 2**20

SVG = "image/svg+xml"
# Magic numbers of the image formats every edition can carry.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def resolve_image(src: str, source: Path, root: Path, line: int) -> Path:
    """The image file `src` names, refusing remote, absolute and escaping paths. A file name
    is a file name: `#` and `?` are part of it, never a fragment or a query; percent escapes
    (`%20`, `%23`) are decoded as in any Markdown link."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        raise ManuscriptError(
            source, line, f"image '{src}' is not a file in the manuscript folder; "
            "remote images are never fetched: download it next to the manuscript"
        )
    candidate = (source.parent / unquote(src)).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise ManuscriptError(source, line, f"image '{src}' is outside the manuscript folder")
    if not candidate.is_file():
        raise ManuscriptError(source, line, f"image '{src}' not found")
    kind = media_type(candidate)
    if kind is None:
        raise ManuscriptError(source, line, f"image '{src}' is not a PNG, JPEG, GIF or SVG image")
    problem = oversize(candidate) or (svg_problem(candidate) if kind == SVG else None)
    if problem:
        raise ManuscriptError(source, line, f"image '{src}' {problem}")
    return candidate


def oversize(path: Path) -> str | None:
    """Why an image is too big to typeset safely, or None; read from its header only."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"is {size / 2**20:.0f} MiB; the limit is {MAX_IMAGE_BYTES / 2**20:.0f} MiB"
    if path.suffix.lower() == ".svg":
        return None
    return pixel_problem(path)


def media_type(path: Path) -> str | None:
    """The media type read from the file's first bytes, not trusted from its name."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if path.suffix.lower() == ".svg" and b"<svg" in head.lower():
        return SVG
    return None


def svg_problem(path: Path) -> str | None:
    """Why an SVG cannot be made safe to carry (it will not parse as SVG), or None."""
    try:
        clean_svg(path)
    except UnsafeSvg as error:
        return str(error)
    return None


def image_bytes(path: Path) -> bytes:
    """What every edition carries of an image file: an SVG cleaned, anything else as it is."""
    return clean_svg(path).data if media_type(path) == SVG else path.read_bytes()
