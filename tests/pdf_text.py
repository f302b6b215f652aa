"""What poppler reads from a PDF: its text, page by page, its folios and its fonts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def pdftotext(path: Path, page: int | None = None) -> str:
    """The text of a PDF, or of one page of it, as poppler extracts it."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def folio(path: Path, page: int) -> str:
    """The page number printed at the foot of a page, or '' where none is."""
    lines = [line.strip() for line in pdftotext(path, page).splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return last if re.fullmatch(r"[0-9]+|[ivxl]+", last) else ""


def pdffonts(path: Path) -> list[list[str]]:
    """pdffonts' table: one row of columns per font, ending emb, sub, uni, object, generation."""
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True).stdout
    return [line.split() for line in output.splitlines()[2:]]
