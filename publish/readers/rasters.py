"""How many pixels a raster image holds, read from its header alone, against the limit."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image as PILImage

# Beyond this an image costs more memory than a book page can justify (a 40-megapixel
# photograph is already 160 MB decoded).
MAX_IMAGE_PIXELS = 40 * 10**6


def pixel_problem(image: Path | BinaryIO) -> str | None:
    """Why a raster image is too big to typeset safely, or None; its pixels are not decoded."""
    try:
        with warnings.catch_warnings():  # our message below says it once, Pillow's not at all
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(image) as opened:
                width, height = opened.size
    except PILImage.DecompressionBombError:
        return f"has far more than the limit of {MAX_IMAGE_PIXELS // 10**6} megapixels"
    except OSError:
        return "cannot be read as an image"
    if width * height > MAX_IMAGE_PIXELS:
        return f"is {width} x {height} pixels; the limit is {MAX_IMAGE_PIXELS // 10**6} megapixels"
    return None
