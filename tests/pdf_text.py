"""What poppler reads from a PDF: its text, page by page, its folios and its fonts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf

from publish.check.pdftree import struct_elements


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


def pdf_facts(path: Path) -> dict[str, object]:
    """What a reader and a screen reader get from a PDF, page by page."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        tags = [(str(e.S), pages.get(e.Pg.objgen) if "/Pg" in e else None,
                 str(e.get("/Alt", "")), str(e.get("/Lang", "")), str(e.get("/ActualText", "")))
                for e in struct_elements(pdf.Root.StructTreeRoot)]
        names = list(pdf.Root.Names.Dests.Names)
        dests = {str(names[i]): (pages[names[i + 1][0].objgen], repr(list(names[i + 1])[2:]))
                 for i in range(0, len(names), 2)}
        with pdf.open_outline() as outline:
            entries = [(item.title, pages[item.destination[0].objgen])
                       for item in outline_items(outline.root)]
        links = [(i, str(annot.get("/Dest", "")), str(annot.get("/A", {}).get("/URI", "")))
                 for i, page in enumerate(pdf.pages) for annot in page.get("/Annots", ())]
        return {"pages": len(pdf.pages), "tags": tags, "dests": dests, "outline": entries,
                "links": links,
                "labels": repr(pdf.Root.PageLabels), "lang": str(pdf.Root.Lang),
                "parent tree": len(pdf.Root.StructTreeRoot.ParentTree.Nums) // 2}


def outline_items(items: list) -> list:
    return [found for item in items for found in (item, *outline_items(item.children))]


def page_pixels(pdf: Path, folder: Path) -> list[bytes]:
    """Every page drawn by poppler at 30 dpi, as PNG bytes."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "page")], check=True)
    return [page.read_bytes() for page in sorted(folder.iterdir())]
