"""Pictures taken out of a Word file into a folder of their own, where the editions load them."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from publish.readers.docx.marks import DECORATIVE
from publish.readers.rasters import MAX_IMAGE_PIXELS
from publish.readers.resources import MAX_IMAGE_BYTES

MEDIA = "media"
_KEPT = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
               (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))
UNUSABLE = "unusable:"  # the src of a picture no edition can show, followed by why
# The raster formats read at all: the three every edition carries, and three turned into PNG.
_READ_FORMATS = ("PNG", "JPEG", "GIF", "TIFF", "BMP", "WEBP")


def extraction_folder(data: bytes) -> Path:
    """The folder a Word file's pictures go to: named by the file's hash, so a rebuild of the
    same file finds the same paths (and its cached editions)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "publish" / "word" / hashlib.sha256(data).hexdigest()[:32]


@dataclass
class MediaStore:
    """Writes each picture once, under a name made from its bytes."""

    root: Path
    written: dict[str, Path] = field(default_factory=dict)

    def keep(self, image: Any) -> dict[str, str]:
        """mammoth's image handler: the picture's `src` (a path under root) and alt text."""
        with image.open() as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
        alt = " ".join(str(image.alt_text or "").split())
        if alt == DECORATIVE:
            return {"src": self._store(data), "alt": "", "data-decorative": "true"}
        return {"src": self._store(data), "alt": alt}

    def _store(self, data: bytes) -> str:
        if len(data) > MAX_IMAGE_BYTES:
            return f"{UNUSABLE}is over {MAX_IMAGE_BYTES // 2**20} MiB"
        kind = next((k for sig, k in _SIGNATURES if data.startswith(sig)), None)
        problem = _too_large(data)
        if problem:
            return f"{UNUSABLE}{problem}"
        if kind is None:
            data, kind = _as_png(data)
            if kind is None:
                return f"{UNUSABLE}is in a format no edition can show (EMF, WMF or the like): " \
                       "save it as PNG or JPEG and insert that"
        name = f"{MEDIA}/{hashlib.sha256(data).hexdigest()[:24]}{_KEPT[kind]}"
        target = self.root / name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, data)
        self.written[name] = target
        return name


def _too_large(data: bytes) -> str | None:
    """Why a picture is too big to typeset, read from its header."""
    try:
        with PILImage.open(io.BytesIO(data), formats=_READ_FORMATS) as picture:
            width, height = picture.size
    except PILImage.DecompressionBombError:
        return f"has far more than {MAX_IMAGE_PIXELS // 10**6} megapixels"
    except (OSError, ValueError, SyntaxError):
        return None  # not a raster format Pillow knows: judged by its format next
    if width * height > MAX_IMAGE_PIXELS:
        return f"is {width} x {height} pixels; the limit is {MAX_IMAGE_PIXELS // 10**6} megapixels"
    return None


def _as_png(data: bytes) -> tuple[bytes, str | None]:
    """TIFF, BMP or WebP converted to PNG; None for what Pillow cannot read."""
    try:
        with PILImage.open(io.BytesIO(data), formats=_READ_FORMATS) as picture:
            out = io.BytesIO()
            picture.save(out, "PNG")
    except (OSError, ValueError, SyntaxError):
        return data, None
    return out.getvalue(), "image/png"


def _write_atomically(target: Path, data: bytes) -> None:
    """Never a half-written picture, even when two builds extract the same file at once."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
