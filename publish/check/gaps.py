"""Page craft: no page in the middle of a chapter stops far above its foot (K001).

A page is measured inside its text block (our PDFs record it as each page's ArtBox; a PDF
without one is measured inside its page): the largest stretch of the block's height with
nothing drawn in it, below the page's first line and down to its foot, so the space left
above a page's footnotes counts as well as the space below its last line. Pages where a
chapter, part or other division ends are not judged, nor a page before a change of page
size (a forced break), a page without tagged content or the last page: the division of
each page's first and last content is read from the tag tree (the innermost Sect, Part or
Art element around it). Nor is a page whose gap no reordering could fill: the next page
begins with a block no break may split (a heading with the lines it keeps to, a figure, a
table row, a stacked table's row) taller than the gap, so no part of it could have moved up.
Drawn objects are read with PDFium, under the lock the text check
holds it with; the tag tree with pikepdf.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no types shipped
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from publish import __version__
from publish.check.model import ERROR, Issue, Run
from publish.check.pdftext import PDFIUM_LOCK, art_box

MOST_EMPTY = 0.25  # of the text block's height: a page emptier than this fails
_DIVISIONS = frozenset({"/Sect", "/Part", "/Art"})
_SHOWN = 5  # pages named in the finding before a count of the rest
_HEADINGS = frozenset({"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"})
_WHOLE = frozenset({"/Figure", "/TR"}) | _HEADINGS  # blocks set whole on one page
KEPT_LINES = 2  # the lines of text a heading keeps to (the body's orphans)
LINE_PT = 2.0  # objects whose feet lie this close share a line


@dataclass(frozen=True)
class Gap:
    """A page in the middle of a division left emptier than it may be."""

    page: int  # from 1
    share: float  # of the text block's height, empty


def page_gaps(path: Path) -> Run:
    """K001 for the pages in the middle of a chapter more than a quarter empty."""
    run = Run("page-gaps", path.name, __version__)
    found = gaps(path)
    if found:
        named = ", ".join(f"p. {gap.page} ({gap.share:.0%})" for gap in found[:_SHOWN])
        more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
        run.issues.append(Issue(path.name, run.tool, ERROR, "K001", (
            f"{len(found)} page(s) in the middle of a chapter more than "
            f"{MOST_EMPTY:.0%} empty: {named}{more}")))
    return run


def gaps(path: Path) -> list[Gap]:
    """The pages in the middle of a division whose text block is more than MOST_EMPTY empty."""
    with pikepdf.open(path) as pdf:
        firsts, lasts = _divisions(pdf)
        sizes = [tuple(round(float(v)) for v in page.mediabox) for page in pdf.pages]
        leading = _leading_blocks(pdf)
    empty = _empty_shares(path)
    tagged = sorted(firsts)
    found = []
    for page, following in pairwise(tagged):
        if lasts[page] == firsts[following] and sizes[page] == sizes[following] \
                and empty[page] > MOST_EMPTY \
                and _unsplit_share(path, following, leading.get(following)) <= empty[page]:
            found.append(Gap(page + 1, empty[page]))
    return found


@dataclass(frozen=True)
class Leading:
    """The block no break may split that a page begins with: its marked contents, and
    for a heading the contents after it, whose first lines it keeps to."""

    whole: frozenset[int]  # MCIDs
    kept: tuple[int, ...]  # MCIDs after a heading, in reading order


def _leading_blocks(pdf: pikepdf.Pdf) -> dict[int, Leading]:
    """For each page that begins with a block set whole, that block's marked contents."""
    order: dict[int, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
    whole: dict[int, bool] = {}  # by element object number: each is asked once
    for page, mcid, around in _marked_contents(pdf):
        for element in around:
            if element.objgen[0] not in whole:
                whole[element.objgen[0]] = _set_whole(element)
        blocks = tuple((element.objgen[0], int(str(element.S) in _HEADINGS))
                       for element in around if whole[element.objgen[0]])
        order.setdefault(page, []).append((mcid, blocks))
    found = {}
    for page, contents in order.items():
        blocks = contents[0][1]
        if not blocks:
            continue
        outer = blocks[0]
        held = frozenset(mcid for mcid, inside in contents if outer in inside)
        kept = tuple(mcid for mcid, inside in contents if outer not in inside) \
            if outer[1] else ()
        found[page] = Leading(held, kept)
    return found


def _marked_contents(
    pdf: pikepdf.Pdf,
) -> Iterator[tuple[int, int, tuple[pikepdf.Dictionary, ...]]]:
    """(page, MCID, the structure elements around it from the top) for each marked content,
    in reading order; nothing for an untagged PDF, which other checks fail."""
    numbers = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    tree = pdf.Root.get("/StructTreeRoot")
    kids = tree.get("/K") if isinstance(tree, pikepdf.Dictionary) else None
    yield from _marked(kids, None, (), numbers)


def _marked(
    k: Any, page: int | None, around: tuple[pikepdf.Dictionary, ...],
    numbers: dict[tuple[int, int], int],
) -> Iterator[tuple[int, int, tuple[pikepdf.Dictionary, ...]]]:
    for item in _kids(k):
        if isinstance(item, int):
            if page is not None:
                yield page, int(item), around
        elif isinstance(item, pikepdf.Dictionary):
            where = numbers.get(item.Pg.objgen, page) if "/Pg" in item else page
            if item.get("/Type") == "/MCR":
                if where is not None:
                    yield where, int(item.MCID), around
            elif "/S" in item:
                yield from _marked(item.get("/K"), where, (*around, item), numbers)


def _kids(k: Any) -> list[Any]:
    """A structure element's /K as a list, whether it holds one kid, several or none."""
    return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]


def _division(around: tuple[pikepdf.Dictionary, ...]) -> int | None:
    """The object number of the innermost division element of `around`, if any."""
    division = _innermost_division(around)
    return None if division is None else division.objgen[0]


def _innermost_division(around: tuple[pikepdf.Dictionary, ...]) -> pikepdf.Dictionary | None:
    return next((element for element in reversed(around) if str(element.S) in _DIVISIONS),
                None)


def _holds_division(element: pikepdf.Dictionary) -> bool:
    """Whether a division has a division among its kids (a part has its chapters)."""
    return any(isinstance(kid, pikepdf.Dictionary) and str(kid.get("/S")) in _DIVISIONS
               for kid in _kids(element.get("/K")))


def _set_whole(element: pikepdf.Dictionary) -> bool:
    """A heading, figure or table row; or a stacked table's row: a list item without a
    label in a list a Div holds alone."""
    kind = str(element.S)
    if kind in _WHOLE:
        return True
    if kind != "/LI":
        return False
    labelled = any(isinstance(child, pikepdf.Dictionary) and child.get("/S") == "/Lbl"
                   for child in _kids(element.get("/K")))
    parent = element.get("/P")
    holder = parent.get("/P") if parent is not None else None
    return not labelled and holder is not None and holder.get("/S") == "/Div"


def _unsplit_share(path: Path, page: int, leading: Leading | None) -> float:
    """How much of a page's text block the block it begins with takes, from the block's
    top to where what follows it begins (a heading's kept lines included), as a share of
    the block's height; 0 when the page begins with text a break may split."""
    if leading is None:
        return 0.0
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            shown = document[page]
            _, bottom, _, top = art_box(shown) or shown.get_mediabox()
            drawn: dict[int, list[tuple[float, float]]] = {}
            heads = []  # the top of everything drawn in the block
            for item in shown.get_objects(max_depth=2):
                _, y0, _, y1 = item.get_bounds()
                if bottom <= y1 <= top:
                    heads.append(y1)
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid >= 0:
                    drawn.setdefault(mcid, []).append((y0, y1))
            shown.close()
        finally:
            document.close()
    spans = [span for mcid in leading.whole for span in drawn.get(mcid, [])]
    if not spans:
        return 0.0
    foot = min(y0 for y0, _ in spans)
    feet = sorted({round(y0 / LINE_PT) for mcid in leading.kept for y0, _ in drawn.get(mcid, [])
                   if y0 < foot - LINE_PT}, reverse=True)
    if feet:
        foot = min(foot, feet[min(KEPT_LINES, len(feet)) - 1] * LINE_PT)
    below = [head for head in heads if head < foot - LINE_PT]
    foot = max(below, default=foot)  # the space after the block, as the gap counts its own
    return float((top - max(foot, bottom)) / (top - bottom))


def _divisions(pdf: pikepdf.Pdf) -> tuple[dict[int, int | None], dict[int, int | None]]:
    """For each page with tagged content: the division of its first and of its last content
    in reading order (by the division element's object number; None outside any)."""
    firsts: dict[int, int | None] = {}
    lasts: dict[int, int | None] = {}
    for page, _, around in _marked_contents(pdf):
        lasts[page] = _division(around)
        firsts.setdefault(page, lasts[page])
    return firsts, lasts


def parent_division_pages(path: Path) -> set[int]:
    """The pages (from 1) whose tagged content all lies directly in divisions that hold other
    divisions: a part's own pages (its title, an epigraph), not its chapters'."""
    inside: dict[int, set[bool]] = {}
    parents: dict[int, bool] = {}  # by division object number: each is asked once
    with pikepdf.open(path) as pdf:
        for page, _, around in _marked_contents(pdf):
            division = _innermost_division(around)
            if division is not None and division.objgen[0] not in parents:
                parents[division.objgen[0]] = _holds_division(division)
            held = division is not None and parents[division.objgen[0]]
            inside.setdefault(page, set()).add(held)
    return {page + 1 for page, held in inside.items() if held == {True}}


def _empty_shares(path: Path) -> list[float]:
    """Each page's largest empty stretch below its first line, as a share of its block."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            return [_empty_share(document[index]) for index in range(len(document))]
        finally:
            document.close()


def _empty_share(page: Any) -> float:
    """The largest part of the text block's height that nothing drawn covers, between its
    first line and its foot (0 for a page with nothing in its block)."""
    left, bottom, right, top = art_box(page) or page.get_mediabox()
    spans = []
    for item in page.get_objects(max_depth=2):
        x0, y0, x1, y1 = item.get_bounds()
        if x1 >= left and x0 <= right and y1 >= bottom and y0 <= top:
            spans.append((min(y1, top), max(y0, bottom)))
    page.close()
    if not spans:
        return 0.0
    spans.sort(reverse=True)
    reach, widest = spans[0][1], 0.0
    for upper, lower in spans:
        widest = max(widest, reach - upper)
        reach = min(reach, lower)
    return float(max(widest, reach - bottom) / (top - bottom))
