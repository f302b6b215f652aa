"""Which divisions of a PDF edition changed since the last build, and where each one lay.

A PDF edition's markup is cut into its top-level divisions (a chapter, a part with its
chapters, the contents) and the frame around them. When the frame and everything else the
edition is made from are as before, a division whose own markup changed can be laid out
alone, on the same first page with the same folio, and its pages put into the previous PDF
(`pdf_splice`), if it starts a page of its own on the same side, links only inside itself,
and fills as many pages as before. No WeasyPrint here: the layout is read duck-typed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from lxml import html as lxml_html

from publish.pagination import PageMap, from_rows, page_counters, to_rows

_FORCED_BREAKS = frozenset({"page", "left", "right", "recto", "verso"})


class NotReusable(Exception):
    """The last build's layout cannot be reused; the edition is laid out in full."""


@dataclass(frozen=True)
class Placed:
    """Where one top-level division lay in the last build, and what it was made from."""

    id: str
    digest: str  # hash of its markup
    first: int  # index of its first page
    pages: int  # pages it filled
    span: int  # pages up to the next division's first, blank fillers included
    counter: int  # the page counter on its first page
    alone: bool  # starts a page of its own, set as a right-hand page, and so does the next


@dataclass(frozen=True)
class Layout:
    """What the next build needs to lay out again only the divisions that changed."""

    frame: str  # hash of everything besides the divisions' own markup
    divisions: tuple[Placed, ...]
    pages: PageMap = ()  # the print page map, for the print edition

    def to_json(self) -> dict[str, object]:
        """A plain record for the build cache."""
        return {
            "frame": self.frame,
            "divisions": [[d.id, d.digest, d.first, d.pages, d.span, d.counter, d.alone]
                          for d in self.divisions],
            "pages": to_rows(self.pages),
        }

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Layout:
        """The record read back; a damaged one raises KeyError, TypeError or ValueError."""
        divisions = tuple(
            Placed(str(i), str(h), int(f), int(n), int(s), int(c), bool(a))
            for i, h, f, n, s, c, a in record["divisions"])
        return cls(str(record["frame"]), divisions, from_rows(record["pages"]))


@dataclass(frozen=True)
class Previous:
    """The last build's file of an edition and its layout record."""

    pdf: bytes
    layout: Layout


@dataclass(frozen=True)
class Cut:
    """An edition's markup cut into the frame and its top-level divisions' markup."""

    frame: str  # the markup with each top-level division emptied
    divisions: dict[str, str]  # each top-level division's markup by id, in order
    front: tuple[str, ...] = ()  # the divisions before the main matter

    def digest(self, division_id: str) -> str:
        """The hash of one division's markup."""
        return hashlib.sha256(self.divisions[division_id].encode()).hexdigest()


def cut(markup: str) -> Cut:
    """The frame and the top-level divisions of an edition's markup."""
    root = lxml_html.document_fromstring(markup)
    divisions = {}
    front = []
    for element in top_divisions(root):
        divisions[element.get("id")] = lxml_html.tostring(element, encoding="unicode")
        if not any("mainmatter" in (e.get("class") or "").split() for e in element.iterancestors()):
            front.append(element.get("id"))
        for child in list(element):
            element.remove(child)
        element.text = None
    return Cut(lxml_html.tostring(root, encoding="unicode"), divisions, tuple(front))


def starting_counter(counter: int) -> str:
    """A stylesheet that starts a division laid out alone at its folio in the whole book."""
    return (f"@page :first {{ counter-reset: page {counter}; }}\n"
            f"@page :nth(1 of main) {{ counter-reset: page {counter}; }}\n")


def links_inside(fragment: str) -> bool:
    """Whether every in-document link of a division's markup points inside it."""
    root = lxml_html.fragment_fromstring(fragment)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    return all(href[1:] in ids for element in root.iter("a")
               if (href := element.get("href") or "").startswith("#"))


def to_redo(previous: Layout, frame: str, now: Cut) -> list[Placed]:
    """The divisions that changed since the last build, each of which can be laid out
    alone; raises NotReusable when the edition must be laid out in full."""
    if previous.frame != frame:
        raise NotReusable("the frame around the divisions changed")
    if [d.id for d in previous.divisions] != list(now.divisions):
        raise NotReusable("the divisions are not those of the last build")
    changed = [d for d in previous.divisions if d.digest != now.digest(d.id)]
    for division in changed:
        if not division.alone:
            raise NotReusable(f"{division.id} shares a page or a side with its neighbours")
        if not links_inside(now.divisions[division.id]):
            raise NotReusable(f"{division.id} links to another division")
    return changed


def fits(division: Placed, count: int) -> bool:
    """Whether `count` new pages fill the division's span as the whole book would: as many
    as before, or its blank filler page taken by one more page."""
    return count == division.pages or (division.pages == division.span - 1 == count - 1)


def relaid(division: Placed, digest: str, count: int) -> Placed:
    """The division's record after it was laid out again on `count` pages."""
    return replace(division, digest=digest, pages=count)


def placements(document: Any, now: Cut) -> tuple[Placed, ...]:
    """Where each top-level division lies in a laid-out WeasyPrint document."""
    pages = document.pages
    boxes = [page._page_box for page in pages]
    counters = page_counters(boxes)
    firsts: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            if anchor in now.divisions:
                firsts.setdefault(anchor, index)
    if list(firsts) != list(now.divisions):
        return ()
    order = list(firsts)
    ends = [firsts[i] for i in order[1:]] + [len(pages)]
    breaking = [breaks_before(boxes[firsts[i]], i) for i in order] + [True]
    right_hand = {signature(box) for box in boxes if box.page_type.side == "right"}
    placed = []
    for k, division_id in enumerate(order):
        first, end = firsts[division_id], ends[k]
        filled = end
        while filled > first + 1 and boxes[filled - 1].page_type.blank:
            filled -= 1
        own = breaking[k] and breaking[k + 1] and signature(boxes[first]) in right_hand
        placed.append(Placed(division_id, now.digest(division_id), first, filled - first,
                             end - first, counters[first], own))
    return tuple(placed)


def signature(page_box: Any) -> tuple[object, ...]:
    """A page's name, margins and margin boxes' content rules: a division laid out alone
    begins on a right-hand page, as the whole book set it only if its page has the same."""
    margins = tuple(round(getattr(page_box, f"margin_{side}"), 2)
                    for side in ("top", "right", "bottom", "left"))
    boxes = sorted((child.at_keyword, repr(child.style["content"]))
                   for child in page_box.children if getattr(child, "at_keyword", None))
    return (page_box.page_type.name, page_box.page_type.blank, margins, tuple(boxes))


def breaks_before(page_box: Any, division_id: str) -> bool:
    """Whether the division's box on its first page was set to start a new page."""
    for box in _boxes(page_box):
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == division_id:
            return box.style["break_before"] in _FORCED_BREAKS
    return False


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def top_divisions(root: Any) -> Iterator[Any]:
    """Elements classed `division` that no other such element holds, in document order."""
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if "division" in (element.get("class") or "").split() and element.get("id"):
            yield element
            continue
        stack.extend(reversed(element))
