"""Figures set as a book designer floats them. WeasyPrint has no page floats: a figure that
does not fit below the text goes whole to the next page and leaves its page short (the
sample book's page 14 stopped 48% above its foot). After a layout, such a figure is shrunk
a little if that lets it fit (never below MIN_SCALE), or else moved after the paragraphs
that follow it until they fill the short page, and the markup is laid out again.

A moved figure keeps its authored place in reading order: it carries `FLOATED`, and the
elements it was moved past carry its number in `FLOAT_HOME`, so the page map counts it
(`publish.pagination`) and the PDF's tag tree reads it (`publish.pdf.repair`) where its
author put it. The markup of the EPUB is never touched. Pages are read through `engine`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from publish.pagination import FLOAT_HOME, FLOATED, HEADINGS, local_name
from publish.pdf.engine import Document, Extent, Room, extents, laid_out_root, rooms

MIN_SCALE = 0.8  # a figure is never set smaller than this share of its natural height
SHORT = 0.125  # of the text block: a page that stops higher above its foot is short
MAX_ROUNDS = 4  # layouts after the first: each fixes one figure per chapter at most
_SCALE = "data-float-scale"  # how far a figure was shrunk already
# Elements a figure is not moved past besides another figure (figures keep their order): a
# division or a page of its own (a forced break), a scene break, an ornament.
_STOPS = frozenset({"division", "table-landscape", "scene-break", "ornament"})


@dataclass(frozen=True)
class Short:
    """A page left short because the figure after it went to the next page."""

    number: str  # the figure's FLOATED number
    gap: float  # CSS px between the page's lowest line and its foot
    block: float  # the height of the page's text block
    need: float  # the figure's height with the space around it
    image: float  # the height of its image, the part that can shrink
    following: list[float]  # how far each element it may be moved past advances the text


def settle(markup: str, lay_out: Callable[[str], Document]) -> Document:
    """Lay out, then shrink or move each figure that left its page short and lay out
    again, while that shortens the gaps; the best layout is returned."""
    if "<figure" not in markup:
        return lay_out(markup)
    root = lxml_html.document_fromstring(markup)
    for number, figure in enumerate(root.iter("figure")):
        figure.set(FLOATED, str(number))
    document = lay_out(_serialize(root))
    shorts = short_pages(document)
    for _round in range(MAX_ROUNDS):
        fixed = [short for short in shorts if _fix(root, short)]
        if not fixed:
            break
        trial = lay_out(_serialize(root))
        after = short_pages(trial)
        if sum(s.gap for s in after) >= sum(s.gap for s in shorts):
            break
        document, shorts = trial, after
    return document


def _serialize(root: Any) -> str:
    return str(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def short_pages(document: Document) -> list[Short]:
    """The pages a figure left short, the first in each chapter (fixing it moves the rest)."""
    root = laid_out_root(document)
    where, room = extents(document), rooms(document)
    shorts: dict[int, Short] = {}
    for parent in root.iter():
        for at, figure in enumerate(kids := _elements(parent)):
            if figure.get(FLOATED) is None or id(parent) in shorts:
                continue
            short = _short(kids, at, where, room)
            if short is not None:
                shorts[id(parent)] = short
    return list(shorts.values())


def _short(kids: list[Any], at: int, where: dict[int, list[Extent]],
           room: list[Room]) -> Short | None:
    """The short page before the figure `kids[at]`, if it left one."""
    page = _pushed(kids, at, where)
    if page is None or (free := room[page - 1]).lowest is None:
        return None
    gap = free.foot - free.lowest
    if gap <= SHORT * (free.foot - free.top):
        return None
    figure = where[id(kids[at])][0]
    spacing = max(0.0, _first_top(where, kids[at + 1:], page) - figure.bottom)
    image = next((s[0].bottom - s[0].top for e in kids[at].iter("img")
                  if (s := where.get(id(e)))), 0.0)
    return Short(kids[at].get(FLOATED), gap, free.foot - free.top,
                 figure.bottom - figure.top + 2 * spacing, image,
                 list(_advances(kids[at + 1:], where)))


def _pushed(kids: list[Any], at: int, where: dict[int, list[Extent]]) -> int | None:
    """The page the figure `kids[at]` begins if the text before it ended on the page
    before (headings kept with it went along)."""
    spots = where.get(id(kids[at]))
    if not spots or spots[0].page == 0:
        return None
    page = spots[0].page
    before = at - 1
    while before >= 0 and local_name(kids[before]) in HEADINGS \
            and _first_page(where, kids[before]) == page:
        before -= 1
    last = where.get(id(kids[before])) if before >= 0 else None
    return page if last and last[-1].page == page - 1 else None


def _elements(parent: Any) -> list[Any]:
    return [kid for kid in parent if isinstance(kid.tag, str)]


def _first_page(where: dict[int, list[Extent]], element: Any) -> int | None:
    spots = where.get(id(element))
    return spots[0].page if spots else None


def _first_top(where: dict[int, list[Extent]], elements: list[Any], page: int) -> float:
    """The top of the first of `elements` on `page`, or -inf if none begins there."""
    spots = where.get(id(elements[0])) if elements else None
    return spots[0].top if spots and spots[0].page == page else float("-inf")


def _advances(elements: list[Any], where: dict[int, list[Extent]]) -> Iterator[float]:
    """How far each element moves the text on (its height on each page it is on, and the
    space to the next one), up to the first one a figure is not moved past."""
    for element, following in zip(elements, [*elements[1:], None], strict=True):
        if element.get(FLOATED) is not None or local_name(element) == "section" \
                or not _STOPS.isdisjoint((element.get("class") or "").split()):
            return
        spots = where.get(id(element), [])
        advance = sum(spot.bottom - spot.top for spot in spots)
        after = where.get(id(following)) if following is not None else None
        if spots and after and after[0].page == spots[-1].page:
            advance += max(0.0, after[0].top - spots[-1].bottom)
        yield advance


def _fix(root: Any, short: Short) -> bool:
    """Shrink the figure to fit the short page if a little does it, else move it past the
    elements that fill the page; False if neither can help."""
    figure = next((f for f in root.iter("figure") if f.get(FLOATED) == short.number), None)
    if figure is None:
        return False
    scale = 1 - (short.need - short.gap) / short.image if short.image else 0.0
    shrunk = float(figure.get(_SCALE) or 1)
    if scale * shrunk >= MIN_SCALE:
        _shrink(figure, short.image * scale, scale * shrunk)
        return True
    count = _to_pass(short)
    siblings = _elements(figure.getparent())
    at = siblings.index(figure)
    passed = siblings[at + 1:at + 1 + count]
    if not passed:
        return False
    for element in passed:
        element.set(FLOAT_HOME, " ".join([*(element.get(FLOAT_HOME) or "").split(),
                                           short.number]))
    passed[-1].addnext(figure)
    return True


def _shrink(figure: Any, height: float, scale: float) -> None:
    """Cap the figure's image at `height` CSS px, `scale` of its natural height."""
    for image in figure.iter("img"):
        image.set("style", f"max-height: {height:.1f}px")
        break
    figure.set(_SCALE, f"{scale:.3f}")


def _to_pass(short: Short) -> int:
    """How many of the following elements to move the figure past: the fewest that fill
    the short page and leave the figure room on the page where they end (0: none do)."""
    filled = 0.0
    for count, advance in enumerate(short.following, start=1):
        filled += advance
        if filled >= short.gap and (filled - short.gap) % short.block + short.need \
                <= short.block:
            return count
    return 0
