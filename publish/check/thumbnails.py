"""Small PNG images of a PDF's first pages, for the HTML report."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

PAGES = 3
DPI = 36


def thumbnails(pdf: Path, pages: int = PAGES) -> list[bytes]:
    """The first pages as PNG bytes; none when pdftoppm (poppler-utils) is missing."""
    command = shutil.which("pdftoppm")
    if command is None:
        return []
    with tempfile.TemporaryDirectory(prefix="publish-thumbs-") as scratch:
        prefix = Path(scratch) / "page"
        result = subprocess.run(
            [command, "-png", "-r", str(DPI), "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
            capture_output=True, check=False, timeout=120,
        )
        if result.returncode != 0:
            return []
        return [png.read_bytes() for png in sorted(Path(scratch).glob("page*.png"))]
