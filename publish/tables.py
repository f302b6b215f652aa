"""Whether a table fits the print edition's text block, and what print does when it does not:
smaller type down to a stated floor, then a landscape page, then the stacked form large print
uses (a block per row), in that order.

The answer is an estimate from the content, not a layout probe, for three reasons. The lint
must say what print did (file and line) while the editions are still rendering, from the
manuscript alone, and the print edition must do exactly what the lint said: both call
`fit` on the same table markup. A probe would lay each wide table out once more in
WeasyPrint for every size tried. And the estimate can be made safe: a table under auto
layout is as narrow as the sum of its columns' longest unbreakable runs plus padding, and
that is measured here with the print faces' own advance widths (fontTools), every
whitespace-free run taken as unbreakable (hyphens and soft hyphens would allow more breaks),
kerning and ligatures ignored (they only narrow a word), plus a margin of error. An
estimate that said "fits" wrongly would show: `publish check` fails text outside its block.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from publish.layers import STYLES
from publish.model import PageSetup

TABLE_EM = 0.92  # table type, of the body size (the print stylesheet reads it from here)
PAD_EM = 0.6  # a cell's padding on each side
TIGHT_PAD_EM = 0.3  # the same in a table set smaller or on a landscape page
CODE_EM = 0.9  # code, of the text around it
FLOOR_PT = 7.0  # the smallest type a table is set in before it turns
SAFETY = 1.04  # shaping differences the advance widths do not see
STEP_PT = 0.1  # sizes are rounded down to a tenth of a point
NAMED_PT = {  # CSS named page sizes, portrait, in points
    "A3": (841.89, 1190.55), "A4": (595.28, 841.89), "A5": (419.53, 595.28),
    "A6": (297.64, 419.53), "B5": (498.9, 708.66), "letter": (612.0, 792.0),
    "legal": (612.0, 1008.0),
}
_UNITS_PT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}
_LENGTH = re.compile(r"([\d.]+)(pt|in|cm|mm)")
_FACES = {  # the print faces (styles/print/fonts.css), then the fallback for what they lack
    "regular": ("LinLibertine_R.otf", "GentiumBookPlus-Regular.ttf"),
    "bold": ("LinLibertine_RB.otf", "GentiumBookPlus-Bold.ttf"),
    "italic": ("LinLibertine_RI.otf", "GentiumBookPlus-Italic.ttf"),
    "bold-italic": ("LinLibertine_RBI.otf", "GentiumBookPlus-Bold.ttf"),
    "mono": ("atkinson-hyperlegible-mono-latin-700-normal.ttf",
             "atkinson-hyperlegible-mono-latin-ext-700-normal.ttf"),
}
# What the base stylesheet indents a block by inside each container, left and right together.
INDENT_EM = {"blockquote": 3.0, "ul": 1.6, "ol": 1.6, "dd": 1.5}
_BOLD = frozenset({"th", "strong", "b"})
_ITALIC = frozenset({"em", "i", "cite"})
_MONO = frozenset({"code", "kbd", "samp"})
FITS, SMALLER, LANDSCAPE, STACKED = "fits", "smaller", "landscape", "stacked"


def points(length: str) -> float:
    """A CSS length in pt, in, cm or mm, as points."""
    match = _LENGTH.fullmatch(length.strip())
    if not match:
        raise ValueError(f"not a length in pt, in, cm or mm: {length!r}")
    return float(match[1]) * _UNITS_PT[match[2]]


@dataclass(frozen=True, slots=True)
class TextBlock:
    """The width and height of a page's text block, in points."""

    width: float
    height: float


def text_block(page: PageSetup, landscape: bool = False) -> TextBlock:
    """The text block of a filled-in print page setup, or of the same page turned."""
    assert page.trim is not None and page.margins is not None  # filled in by the caller
    width, height = NAMED_PT.get(page.trim) or tuple(map(points, page.trim.split()))
    margins = page.margins
    across = points(margins.inner) + points(margins.outer)
    down = points(margins.top) + points(margins.bottom)
    if landscape:
        width, height = height, width
    return TextBlock(width - across, height - down)


@dataclass(frozen=True, slots=True)
class Fit:
    """How print sets one table: its form and type size, and why."""

    form: str  # FITS, SMALLER, LANDSCAPE or STACKED
    size_pt: float  # the table's type size
    needs_pt: float  # the table's narrowest width at its usual size
    block_pt: float  # the width it has on a portrait page

    def describe(self) -> str:
        """What print did, for the lint."""
        wide = (f"table needs {self.needs_pt / 72:.1f} in at its usual size; the print page "
                f"has {self.block_pt / 72:.1f} in for it")
        if self.form == SMALLER:
            return f"{wide}: print sets it in {self.size_pt:g} pt type (floor {FLOOR_PT:g} pt)"
        if self.form == LANDSCAPE:
            return f"{wide}: print sets it on a landscape page in {self.size_pt:g} pt type"
        return (f"{wide}: not even a landscape page at {FLOOR_PT:g} pt holds it, so print sets "
                "it as a list, a block per row (as large print does); fewer or narrower "
                "columns would keep it a table")


def fit(table: Any, page: PageSetup, body_pt: float, containers: Iterable[str] = ()) -> Fit:
    """How print sets a table (an lxml `table` element) on a filled-in page setup, inside
    the containers (`blockquote`, `ul`...) it is nested in."""
    words_em, columns = measure(table)
    usual = body_pt * TABLE_EM
    indent = body_pt * sum(INDENT_EM.get(tag, 0.0) for tag in containers)
    portrait = text_block(page).width - indent
    needs = usual * (words_em + columns * 2 * PAD_EM)
    if needs <= portrait:
        return Fit(FITS, usual, needs, portrait)
    tight = words_em + columns * 2 * TIGHT_PAD_EM
    for form, block in ((SMALLER, portrait), (LANDSCAPE, text_block(page, True).width - indent)):
        size = min(usual, _round_down(block / tight))
        if size >= FLOOR_PT:
            return Fit(form, size, needs, portrait)
    return Fit(STACKED, usual, needs, portrait)


def _round_down(size: float) -> float:
    """A size rounded down to the step, so a table set at it still fits."""
    return round(math.floor(size / STEP_PT + 1e-9) * STEP_PT, 1)


def measure(table: Any) -> tuple[float, int]:
    """The sum of each column's widest unbreakable run, in em of the table's type (with the
    margin of error), and the number of columns."""
    columns: dict[int, float] = {}
    for row in table.iter("tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        for j, cell in enumerate(cells):
            widest = max((_run_em(run) for run in _runs(cell)), default=0.0)
            columns[j] = max(columns.get(j, 0.0), widest)
    return sum(columns.values()) * SAFETY, len(columns)


def _runs(cell: Any) -> Iterator[list[tuple[str, str]]]:
    """The cell's unbreakable runs, each a list of (character, face)."""
    run: list[tuple[str, str]] = []
    for char, face in _characters(cell, _face_of(cell.tag, "regular")):
        if char.isspace():
            if run:
                yield run
            run = []
        else:
            run.append((char, face))
    if run:
        yield run


def _characters(element: Any, face: str) -> Iterator[tuple[str, str]]:
    """Every character of an element's text with the face it is set in."""
    for char in element.text or "":
        yield char, face
    for child in element:
        if isinstance(child.tag, str):
            yield from _characters(child, _face_of(child.tag, face))
        for char in child.tail or "":
            yield char, face


def _face_of(tag: str, around: str) -> str:
    """The face an element sets its text in, inside text set in `around`."""
    if tag in _MONO or around == "mono":
        return "mono"
    bold = tag in _BOLD or around.startswith("bold")
    italic = tag in _ITALIC or around.endswith("italic")
    return "bold-italic" if bold and italic else "bold" if bold else \
        "italic" if italic else "regular"


def _run_em(run: list[tuple[str, str]]) -> float:
    return sum(advance(char, face) for char, face in run)


def advance(char: str, face: str) -> float:
    """A character's advance width in em in a face, from its fallback when the face lacks
    it, and a whole em when neither has it."""
    scale = CODE_EM if face == "mono" else 1.0
    for name in _FACES[face]:
        widths = _widths(name)
        if ord(char) in widths:
            return widths[ord(char)] * scale
    return 1.0 * scale


@cache
def _widths(name: str) -> dict[int, float]:
    """A font file's advance widths in em, by code point (read once per process, and
    fontTools imported only then: the lint loads no font machinery for a book without tables)."""
    from fontTools.ttLib import TTFont

    font = TTFont(STYLES / "fonts" / name, lazy=True)
    scale = 1 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] * scale for code, glyph in font.getBestCmap().items()}
