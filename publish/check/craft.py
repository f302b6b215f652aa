"""The page craft a book designer signs off, read back from a PDF with PDFium: the measure
of the body text (K002), ornaments and scene breaks stranded at a page's head (K003), and
running heads or folios on part-title and blank pages (K004).

A page is read as what lies inside its text block (the ArtBox our PDFs record): tagged text
set into lines, and images. Running heads and folios are artifact text. An ornament is an
artifact image inside the block (figures are tagged); a scene break is a tagged line of
symbols alone (`⁂`, `* * *`).
"""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no types shipped
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from publish import __version__
from publish.check.gaps import parent_division_pages
from publish.check.model import ERROR, Issue, Run
from publish.check.pdftext import PDFIUM_LOCK, art_box, text_of
from publish.languages import UNSPACED_SCRIPTS

MEASURE = (45, 75)  # readable characters per line, spaces included (Bringhurst: 45-75)
FULL_LINE = 0.9  # a line this share of the column's width or wider is a full line
COLUMN_GAP_EM = 1.5  # a gap this wide inside one band of text parts two columns
SPACE_EM = 0.15  # a gap this wide between two runs of text is a word space
FEWEST_LINES = 10  # a measure taken over fewer full lines says nothing
DISPLAY = 1.3  # text this many times the body size or larger is display type (a part title)
EDGE_PT = 1.0  # an image may touch its block's edge by this much and still be inside it
UNMEASURED = re.compile(f"[{UNSPACED_SCRIPTS}\u0900-\u0dff]")  # Devanagari to Sinhala
UNMEASURED_SHARE = 0.3  # a body text more in those scripts than this gets no verdict
MONO = re.compile(r"mono|code|courier", re.IGNORECASE)  # a family name of a monospaced face
NARROWEST_COLUMN = 0.4  # a body column narrower than this share of the block is a table's
SENTENCE_MARKS = frozenset(".,;:!?…-–—()'\"‘’“”")  # a line of these alone is text, not a break
PRINT_PAGES = re.compile(r"\[[^\]\s]+\](?: \[[^\]\s]+\])*")  # `[18] [19]`
_SHOWN = 5  # pages listed before a count of the rest
_READ: dict[tuple[str, int, int], tuple[ShownPage, ...]] = {}


@dataclass(frozen=True, slots=True)
class Drawn:
    """One run of text as drawn: where, how large, and whether it is tagged content."""

    left: float
    top: float  # from the page's top, in points
    right: float
    bottom: float
    size: float  # in points, as set on the page
    text: str
    mono: bool = False  # set in a monospaced face: code, not running text


@dataclass(frozen=True, slots=True)
class Item:
    """One thing inside a page's text block, from the top: a line of text or an image."""

    top: float
    kind: str  # "text", "break" (a scene break or ornament), "image" (a figure) or "marker"
    text: str = ""
    size: float = 0.0  # the commonest size in the line, counted by characters
    width: float = 0.0
    mono: bool = False  # mostly in a monospaced face


@dataclass(frozen=True, slots=True)
class ShownPage:
    """What one page shows: its block's items from the top, and its running head or folio."""

    number: int  # from 1
    items: tuple[Item, ...]
    furniture: str  # the artifact text: running head and folio
    block_width: float = 0.0  # the text block's

    def content(self) -> list[Item]:
        """Its items but the print page numbers a large print edition sets among them."""
        return [item for item in self.items if item.kind != "marker"]

    def text_lines(self) -> list[Item]:
        """Its lines of tagged text."""
        return [item for item in self.items if item.kind == "text"]


def read_pages(path: Path) -> tuple[ShownPage, ...]:
    """Read a PDF's pages once per content: the three checks share one reading."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with PDFIUM_LOCK:
        if key not in _READ:
            _READ.clear()
            document = pdfium.PdfDocument(str(path))
            try:
                _READ[key] = tuple(_page(number, document[number - 1])
                                   for number in range(1, len(document) + 1))
            finally:
                document.close()
        return _READ[key]


def _page(number: int, page: Any) -> ShownPage:
    """One page as the items in its text block, top to bottom."""
    height = page.get_height()
    left, bottom, right, top = art_box(page) or page.get_mediabox()
    textpage = page.get_textpage()
    tagged: list[Drawn] = []
    furniture: list[str] = []
    items: list[Item] = []
    kinds = [pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE]
    for item in page.get_objects(filter=kinds):
        x0, y0, x1, y1 = item.get_bounds()
        is_tagged = pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw) >= 0
        if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            inside = x0 >= left - EDGE_PT and x1 <= right + EDGE_PT \
                and y0 >= bottom - EDGE_PT and y1 <= top + EDGE_PT
            if inside:
                items.append(Item(height - y1, "image" if is_tagged else "break",
                                  width=x1 - x0))
            continue
        text = text_of(item, textpage)
        if not text.strip():
            continue
        if is_tagged:
            tagged.append(Drawn(x0, height - y1, x1, height - y0, _size(item), text,
                                _monospaced(item)))
        else:
            furniture.append(text.strip())
    textpage.close()
    page.close()
    items.extend(_line_item(line) for line in _lines(tagged))
    return ShownPage(number, tuple(sorted(items, key=lambda item: item.top)),
                     " ".join(furniture), right - left)


def _monospaced(item: Any) -> bool:
    """Whether a text object's face is a monospaced one (by its family's name)."""
    font = pdfium_c.FPDFTextObj_GetFont(item.raw)
    length = pdfium_c.FPDFFont_GetFamilyName(font, None, 0)
    name = ctypes.create_string_buffer(max(length, 1))
    pdfium_c.FPDFFont_GetFamilyName(font, name, length)
    return bool(MONO.search(name.value.decode("utf-8", errors="replace")))


def _size(item: Any) -> float:
    """A text object's size on the page: its font size scaled by its matrix."""
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(item.raw, ctypes.byref(size))
    matrix = item.get_matrix()
    return round(float(size.value) * float((matrix.a ** 2 + matrix.b ** 2) ** 0.5), 1)


def _lines(runs: list[Drawn]) -> Iterator[list[Drawn]]:
    """Runs grouped into lines, each band of text cut where a column gap parts it."""
    band: list[Drawn] = []
    band_top = band_bottom = 0.0
    for run in sorted(runs, key=lambda r: (r.top, r.left)):
        overlap = min(band_bottom, run.bottom) - max(band_top, run.top)
        if band and overlap >= 0.5 * min(run.bottom - run.top, band_bottom - band_top):
            band.append(run)
            band_top, band_bottom = min(band_top, run.top), max(band_bottom, run.bottom)
            continue
        yield from _columns(band)
        band, band_top, band_bottom = [run], run.top, run.bottom
    yield from _columns(band)


def _columns(band: list[Drawn]) -> Iterator[list[Drawn]]:
    """One band of runs, left to right, cut at gaps wider than a column gap."""
    line: list[Drawn] = []
    for run in sorted(band, key=lambda r: r.left):
        if line and run.left - line[-1].right > COLUMN_GAP_EM * run.size:
            yield line
            line = []
        line.append(run)
    if line:
        yield line


def _line_item(line: list[Drawn]) -> Item:
    """A line's text (a word space put back where two runs leave a gap), size and width."""
    text = line[0].text
    for before, run in pairwise(line):
        spaced = text.endswith(" ") or run.text.startswith(" ")
        if not spaced and run.left - before.right > SPACE_EM * run.size:
            text += " "
        text += run.text
    sizes: Counter[float] = Counter()
    for run in line:
        sizes[run.size] += len(run.text)
    text = " ".join(text.split())
    mono = sum(len(r.text) for r in line if r.mono) * 2 > sum(len(r.text) for r in line)
    return Item(min(r.top for r in line), _kind(text), text, sizes.most_common(1)[0][0],
                line[-1].right - line[0].left, mono)


def _kind(text: str) -> str:
    """"break" for a line of a few symbols alone (`⁂`, `* * *`, `❧`: a scene break drawn as
    text), "marker" for the large print's print page numbers (`[18] [19]`), else "text". An
    arrow alone is the end of a note (its back link), not a break."""
    if PRINT_PAGES.fullmatch(text):
        return "marker"
    marks = text.replace(" ", "")
    symbols = 0 < len(marks) <= 5 and not set(marks) <= SENTENCE_MARKS and not any(
        unicodedata.category(c)[0] in "LN" or "\u2190" <= c <= "\u21ff" for c in marks)
    return "break" if symbols else "text"


def body_size(pages: Iterable[ShownPage]) -> float:
    """The commonest text size, counted glyph by glyph: the body text's."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.text_lines():
            if not line.mono:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def characters_per_line(pages: tuple[ShownPage, ...]) -> tuple[float, int] | None:
    """The median characters of the body's full lines, and how many lines that is; None when
    too few to tell."""
    size = body_size(pages)
    lines = [line for page in pages for line in page.text_lines()
             if line.size == size and not line.mono]
    if not lines:
        return None
    widths = sorted(line.width for line in lines)
    column = widths[int(0.9 * (len(widths) - 1))]
    block = max(page.block_width for page in pages)
    full = [line.text for line in lines if line.width >= FULL_LINE * column]
    if len(full) < FEWEST_LINES or _unmeasured_share(full) > UNMEASURED_SHARE \
            or column < NARROWEST_COLUMN * block:  # table cells or code, not running text
        return None
    return statistics.median(len(text) for text in full), len(full)


def _unmeasured_share(texts: list[str]) -> float:
    """The share of characters in scripts the 45-75 rule is not made for: those written
    without spaces (CJK, Thai...), counted per character, and the Indic scripts, whose
    vowel signs are characters of their own."""
    total = sum(len(text) for text in texts)
    return sum(len(UNMEASURED.findall(text)) for text in texts) / total if total else 0.0


def stranded_marks(pages: tuple[ShownPage, ...]) -> list[int]:
    """Pages where an ornament or scene break is the first thing in the block (the text it
    closes or parts is on another page). One ending a page below its text stays in view
    with that text and tells of the change over the turn, so it passes."""
    return [page.number for page in pages
            if (items := page.content()) and items[0].kind == "break"]


def furnished_quiet_pages(pages: tuple[ShownPage, ...], parts: set[int],
                          ) -> list[tuple[int, str]]:
    """Blank pages and part-title pages (display type, at most one other line, no image, on
    one of the pages `parts` holds: a division's own page whose chapters follow) that carry a
    running head or folio, with what it says."""
    size = body_size(pages)
    found = []
    for page in pages:
        if not page.furniture:
            continue
        if not page.content() or (page.number in parts and is_part_title(page, size)):
            found.append((page.number, page.furniture))
    return found


def is_part_title(page: ShownPage, body: float) -> bool:
    """Whether a page holds display type alone (at most one other line, no image), as a
    part-title page does."""
    items = page.content()
    display = [item for item in items if item.kind == "text" and item.size >= DISPLAY * body]
    others = [item for item in items if item not in display]
    return bool(display) and len(others) <= 1 and not any(i.kind == "image" for i in others)


def page_craft(path: Path) -> Run:
    """K002 for a body measure outside 45-75 characters, K003 for a stranded ornament or
    scene break, K004 for a running head or folio on a blank or part-title page."""
    return _craft(path, MEASURE)


def large_print_craft(path: Path) -> Run:
    """As `page_craft`, but the measure is held only to its upper bound: large type on a page
    makes short lines, and the size asked decides how short."""
    return _craft(path, (0, MEASURE[1]))


def _craft(path: Path, measure: tuple[int, int]) -> Run:
    run = Run("page-craft", path.name, __version__)
    pages = read_pages(path)
    shortest, longest = measure
    measured = characters_per_line(pages)
    if measured is not None and not shortest <= measured[0] <= longest:
        run.issues.append(Issue(path.name, run.tool, ERROR, "K002", (
            f"the body text sets a median {measured[0]:g} characters per line over "
            f"{measured[1]} full lines, outside the readable {MEASURE[0]}-{MEASURE[1]}")))
    stranded = stranded_marks(pages)
    if stranded:
        run.issues.append(Issue(path.name, run.tool, ERROR, "K003", (
            "an ornament or scene break starts a page, apart from the text it closes or "
            "parts"), _pages(stranded)))
    furnished = furnished_quiet_pages(pages, parent_division_pages(path))
    if furnished:
        quoted = f"'{furnished[0][1]}'"
        run.issues.append(Issue(path.name, run.tool, ERROR, "K004", (
            f"a blank or part-title page carries a running head or folio ({quoted} on the "
            "first)"), _pages([number for number, _ in furnished])))
    return run


def _pages(numbers: list[int]) -> str:
    more = f" and {len(numbers) - _SHOWN} more" if len(numbers) > _SHOWN else ""
    return "p. " + ", ".join(str(n) for n in numbers[:_SHOWN]) + more
