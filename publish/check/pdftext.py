"""What a PDF shows a reader, read with PDFium: the text inside each page, and any text drawn
where no reader sees it or where it does not belong.

Two bounds are held. All text must lie within the page as trimmed (the TrimBox, else the
CropBox or MediaBox): beyond it nothing is seen. Tagged text, the book's own content, must
lie within the page's text block, which our PDFs record as each page's ArtBox (the content
box inside the margins): running heads and folios are artifacts, set in the margins by
design, so only they may be outside it. A PDF without ArtBoxes is held to the page alone.
PDFium is not safe across threads and `publish check` runs its jobs on threads, so one lock
guards it, and a file read once is not read again while unchanged.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no types shipped
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from publish import __version__
from publish.check.model import ERROR, Issue, Run
from publish.check.words import Words, words

TOLERANCE_PT = 2.0  # glyph outlines may pass a box edge by a hair
OVERHANG_EM = 0.3  # and an italic letter's top by more, with the size of its type
PDFIUM_LOCK = threading.Lock()  # PDFium is not safe across threads: every reader holds it
_READ: dict[tuple[str, int, int], PdfText] = {}


@dataclass(frozen=True)
class Stray:
    """Text drawn beyond where it belongs: off the page, or outside the text block."""

    page: int  # from 1
    text: str
    beyond: str  # "page" or "text block"
    by_pt: float  # how far past the edge


@dataclass(frozen=True)
class PdfText:
    """A PDF's words as shown inside its pages, and its stray text."""

    words: Words
    strays: tuple[Stray, ...]


def read_pdf(path: Path) -> PdfText:
    """Read a PDF once per content: parity and the text check both ask for it."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with PDFIUM_LOCK:
        if key not in _READ:
            _READ.clear()  # only the last file: a check reads each edition once
            _READ[key] = _read(path)
        return _READ[key]


def _read(path: Path) -> PdfText:
    document = pdfium.PdfDocument(str(path))
    try:
        texts: list[str] = []
        strays: list[Stray] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            strays.extend(_strays(index + 1, page, textpage))
            textpage.close()
            page.close()
        return PdfText(words("\f".join(texts), lines_hyphenated=True), tuple(strays))
    finally:
        document.close()


def _strays(number: int, page: Any, textpage: Any) -> list[Stray]:
    """The text objects of one page drawn beyond the page or, if tagged, the text block."""
    trim = page.get_trimbox()
    block = art_box(page)
    found = []
    for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        bounds = item.get_bounds()
        tolerance = max(TOLERANCE_PT, OVERHANG_EM * item.get_font_size())
        beyond, by = "page", _overshoot(bounds, trim)
        if by <= tolerance and block is not None \
                and pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw) >= 0:
            beyond, by = "text block", _overshoot(bounds, block)
        if by > tolerance:
            text = text_of(item, textpage)
            if text.strip():
                found.append(Stray(number, text.strip(), beyond, by))
    return found


def _overshoot(bounds: tuple[float, ...], box: tuple[float, ...]) -> float:
    """How far (left, bottom, right, top) bounds reach past a box's edges, in points."""
    left, bottom, right, top = bounds
    box_left, box_bottom, box_right, box_top = box
    return max(box_left - left, box_bottom - bottom, right - box_right, top - box_top, 0.0)


def art_box(page: Any) -> tuple[float, float, float, float] | None:
    """The page's ArtBox if it has one of its own (PDFium's getter falls back otherwise)."""
    edges = [ctypes.c_float() for _ in range(4)]
    if not pdfium_c.FPDFPage_GetArtBox(page.raw, *(ctypes.byref(e) for e in edges)):
        return None
    left, bottom, right, top = (e.value for e in edges)
    return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))


def text_of(item: Any, textpage: Any) -> str:
    """The text a text object draws."""
    size = pdfium_c.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFTextObj_GetText(item.raw, textpage.raw,
                                 ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw[:max(size - 2, 0)].decode("utf-16-le", errors="replace")


_SHOWN = 3  # stray texts quoted per kind


def text_in_place(path: Path) -> Run:
    """T001 for text beyond the page, T002 for tagged text beyond the text block."""
    run = Run("text-in-place", path.name, __version__)
    strays = read_pdf(path).strays
    for code, beyond in (("T001", "page"), ("T002", "text block")):
        found = [stray for stray in strays if stray.beyond == beyond]
        if found:
            furthest = max(stray.by_pt for stray in found)
            quoted = "; ".join(f"'{_short(s.text)}' (p. {s.page})" for s in found[:_SHOWN])
            more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
            run.issues.append(Issue(path.name, run.tool, ERROR, code, (
                f"{len(found)} run(s) of text drawn beyond the {beyond}, up to "
                f"{furthest:.0f} pt past its edge: {quoted}{more}")))
    return run


def pdf_words(path: Path) -> Words:
    """The words a PDF shows inside its pages, for word parity."""
    return read_pdf(path).words


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
