"""What a reader gets from a PDF, read back from the file itself: the smallest glyph, the
faces, whether lines end ragged or flush, and any word hyphenated at a line end. Large print
promises these; `publish check` and the tests hold it to them.

The glyphs come from pdfminer's interpreter and are grouped into lines by pdfplumber's text
map, as `pdfplumber.Page.chars` and `extract_text_lines` would give them; pdfplumber's own
page objects are skipped: turning every drawn object into a dictionary took half of the
time (a 517-page large-print novel took 82 s to measure, profiled)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfplumber.utils.text import chars_to_textmap

SERIF_NAMES = re.compile(
    r"serif|libertine|gentium|times|georgia|garamond|palatino|baskerville|caslon|minion|"
    r"charter|cambria|bodoni|didot|antiqua|roman", re.IGNORECASE)
ITALIC_NAMES = re.compile(r"italic|oblique|slanted", re.IGNORECASE)
HYPHENS = "-\u2010\u2011\u00ad"
FLUSH_PT = 0.75  # a line ending this close to the text block's right edge is flush right
COLUMN_GAP_EM = 2.0  # a gap this wide inside a line parts table columns, not words
SLANT = 0.05  # text matrix skew beyond this is a slanted (synthesised italic) glyph


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph on a page, for a report that says where."""

    page: int  # from 1
    char: str
    size: float  # in points, as set on the page
    font: str


@dataclass(frozen=True, slots=True)
class Measurement:
    """What one PDF shows a reader, measured glyph by glyph."""

    pages: int
    glyphs: int
    smallest: Glyph | None
    fonts: tuple[str, ...]  # embedded faces, without the subset prefix
    serif_fonts: tuple[str, ...]
    italic_fonts: tuple[str, ...]  # italic by name or slanted on the page
    off_page: int  # glyphs reaching past a page's edges: cut off
    lines: int  # lines of running text (a table's rows are not)
    flush_right_lines: int  # lines ending flush at their page's text edge (left when RTL)
    hyphenated_line_ends: tuple[str, ...]  # "p12: exam-" for each word broken at a hyphen

    @property
    def smallest_size(self) -> float:
        """The smallest glyph size in points (0 for a PDF without text)."""
        return self.smallest.size if self.smallest else 0.0

    @property
    def flush_right_share(self) -> float:
        """Share of lines ending flush right: most lines of justified text, few of ragged."""
        return self.flush_right_lines / self.lines if self.lines else 0.0


def measure_pdf(path: Path) -> Measurement:
    """Measure every page of a PDF."""
    tally = _Tally()
    pages = 0
    with path.open("rb") as stream:
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.get_pages(stream):
            interpreter.process_page(page)
            pages += 1
            tally.add_page(pages, _Page(device.get_result()))
    return tally.result(pages)


class _Page:
    """One laid-out page's glyphs, as pdfplumber's page gives them (`chars`, text lines)."""

    def __init__(self, layout: LTPage) -> None:
        self.width = layout.width
        self.height = layout.height
        self.chars = [_char(glyph, layout.height) for glyph in _glyphs(layout)]

    def extract_text_lines(self, return_chars: bool) -> list[dict[str, Any]]:
        """pdfplumber's lines of text for these glyphs."""
        textmap = chars_to_textmap(
            self.chars, layout_bbox=(0, 0, self.width, self.height),
            layout_width=self.width, layout_height=self.height)
        lines: list[dict[str, Any]] = textmap.extract_text_lines(strip=True,
                                                                  return_chars=return_chars)
        return lines


def _glyphs(container: Iterable[LTComponent]) -> Iterator[LTChar]:
    """The glyphs of a page in drawing order, those inside forms (figures) too."""
    for item in container:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            yield from _glyphs(item)


def _char(glyph: LTChar, height: float) -> dict[str, Any]:
    """A glyph as pdfplumber describes it: text, face, size, matrix and box from the top."""
    top = height - glyph.y1
    return {"text": glyph.get_text(), "fontname": glyph.fontname, "size": glyph.size,
            "matrix": glyph.matrix, "upright": glyph.upright, "x0": glyph.x0, "x1": glyph.x1,
            "top": top, "bottom": height - glyph.y0, "doctop": top,
            "height": glyph.height, "width": glyph.width}


class _Tally:
    """Running counts over the pages of one PDF."""

    def __init__(self) -> None:
        self.glyphs = 0
        self.off_page = 0
        self.smallest: Glyph | None = None
        self.fonts: set[str] = set()
        self.slanted: set[str] = set()
        self.lines = 0
        self.flush = 0
        self.hyphenated: list[str] = []

    def add_page(self, number: int, page: Any) -> None:
        for char in page.chars:
            if char["text"].strip():
                self._add_char(number, char)
                self.off_page += not _inside(char, page)
        self._add_lines(number, [line for line in page.extract_text_lines(return_chars=True)
                                 if not _has_columns(line["chars"])])

    def _add_char(self, number: int, char: dict[str, Any]) -> None:
        font = face_name(char["fontname"])
        self.glyphs += 1
        self.fonts.add(font)
        size = round(float(char["size"]), 2)
        if self.smallest is None or size < self.smallest.size:
            self.smallest = Glyph(number, char["text"], size, font)
        a, b, c, d = (float(v) for v in char["matrix"][:4])
        if abs(c) > SLANT * abs(d) and abs(b) <= SLANT * abs(a):  # skewed, not rotated
            self.slanted.add(font)

    def _add_lines(self, number: int, lines: list[dict[str, Any]]) -> None:
        if not lines:
            return
        right = max(float(line["x1"]) for line in lines)
        left = min(float(line["x0"]) for line in lines)
        for line in lines:
            self.lines += 1
            gap = float(line["x0"]) - left if _is_rtl(line["text"]) else right - float(line["x1"])
            if gap <= FLUSH_PT:
                self.flush += 1
            text = line["text"].rstrip()
            if len(text) > 1 and text[-1] in HYPHENS and text[-2].isalpha():
                self.hyphenated.append(f"p{number}: {text.split()[-1]}")

    def result(self, pages: int) -> Measurement:
        fonts = tuple(sorted(self.fonts))
        return Measurement(
            pages=pages, glyphs=self.glyphs, smallest=self.smallest, fonts=fonts,
            serif_fonts=tuple(f for f in fonts if is_serif(f)),
            italic_fonts=tuple(f for f in fonts if ITALIC_NAMES.search(f) or f in self.slanted),
            off_page=self.off_page, lines=self.lines, flush_right_lines=self.flush,
            hyphenated_line_ends=tuple(self.hyphenated),
        )


def _has_columns(chars: list[dict[str, Any]]) -> bool:
    """Whether a line is a table's row: its cells lie apart by more than word spaces, and
    rows of equal width would otherwise pass for justified text (Word's rows of digits)."""
    return any(float(after["x0"]) - float(before["x1"]) > COLUMN_GAP_EM * float(before["size"])
               for before, after in pairwise(chars))


def _is_rtl(text: str) -> bool:
    """Whether a line is mostly right-to-left letters: its line end is on the left."""
    classes = [unicodedata.bidirectional(ch) for ch in text]
    return sum(c in ("R", "AL") for c in classes) > sum(c == "L" for c in classes)


def _inside(char: dict[str, Any], page: Any) -> bool:
    """Whether a glyph lies within its page."""
    return bool(char["x0"] >= -0.5 and char["x1"] <= page.width + 0.5
                and char["top"] >= -0.5 and char["bottom"] <= page.height + 0.5)


def face_name(fontname: str) -> str:
    """`Atkinson-Hyperlegible-Bold` from `JCZLPB+Atkinson-Hyperlegible-Bold`."""
    prefix, plus, rest = fontname.partition("+")
    return rest if plus and len(prefix) == 6 and prefix.isupper() else fontname


def is_serif(font: str) -> bool:
    """Whether a face's name says it has serifs (names are all a PDF keeps of a face)."""
    return bool(SERIF_NAMES.search(font)) and "sans" not in font.lower()
