"""Which divisions of a PDF edition changed since the last build, and where each one lay.

A PDF edition's markup is cut into its top-level divisions (a chapter, a part with its
chapters, the contents) and the frame around them. When the frame and everything else the
edition is made from are as before, a division whose own markup changed can be laid out
alone, on the same first page with the same folio, and its pages put into the previous PDF
(`splice`), if it starts a page of its own on the same side, links only inside itself,
and fills as many pages as before. Laid-out pages are read through `publish.pdf.engine`.
"""

from __future__ import annotations

from dataclasses import replace

from publish.pdf.engine import Document, breaks_before, is_blank, page_counters, side, signature
from publish.pdf.incremental.markup import Cut, links_inside
from publish.pdf.incremental.record import LayoutRecord, Placed


class NotReusable(Exception):
    """The last build's layout cannot be reused; the edition is laid out in full."""


def to_redo(previous: LayoutRecord, frame: str, now: Cut) -> list[Placed]:
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


def placements(document: Document, now: Cut) -> tuple[Placed, ...]:
    """Where each top-level division lies in a laid-out document."""
    pages = document.pages
    counters = page_counters(pages)
    firsts: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            if anchor in now.divisions:
                firsts.setdefault(anchor, index)
    if list(firsts) != list(now.divisions):
        return ()
    order = list(firsts)
    ends = [firsts[i] for i in order[1:]] + [len(pages)]
    breaking = [breaks_before(pages[firsts[i]], i) for i in order] + [True]
    right_hand = {signature(page) for page in pages if side(page) == "right"}
    placed = []
    for k, division_id in enumerate(order):
        first, end = firsts[division_id], ends[k]
        filled = end
        while filled > first + 1 and is_blank(pages[filled - 1]):
            filled -= 1
        own = breaking[k] and breaking[k + 1] and signature(pages[first]) in right_hand
        placed.append(Placed(division_id, now.digest(division_id), first, filled - first,
                             end - first, counters[first], own))
    return tuple(placed)
