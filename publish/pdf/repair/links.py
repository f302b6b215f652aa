"""Links in the tag tree: one Link element and one annotation per link, and what it says.

WeasyPrint gives every box inside a link its own annotation (a `sup` in a note reference,
each box of a `::after` with a leader and a page number), some nested as Links in Links,
and describes each annotation by its raw target (`fn1`, a URL).
"""

from __future__ import annotations

import pikepdf

from publish.pdf.repair.source import Source
from publish.pdf.repair.tree import Annotation, Content, Node

Rect = tuple[float, float, float, float]


def fold_links(node: Node, dropped: list[Annotation]) -> None:
    """Boxes inside a link (a `sup`, a `::after`) carry the link again: one Link holds all."""
    for kid in node.nodes():
        if kid.role != "Link":
            fold_links(kid, dropped)
            continue
        kept: list[Annotation] = []
        for annotation in _pull_annotations(kid):
            host = next((k for k in kept if _overlap(k, annotation)), None)
            if host is None:
                kept.append(annotation)
            else:
                host.annot.Rect = pikepdf.Array(_union(_rect(host), _rect(annotation)))
                dropped.append(annotation)
        kid.kids = [*kept, *kid.kids]


def _pull_annotations(node: Node) -> list[Annotation]:
    """Take the annotations and nested links out from under `node`, keeping their content."""
    annotations = [kid for kid in node.kids if isinstance(kid, Annotation)]
    kids: list[Node | Content | Annotation] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            annotations += _pull_annotations(kid)
            kids += kid.kids if kid.role == "Link" else [kid]
        elif isinstance(kid, Content):
            kids.append(kid)
    node.kids = kids
    return annotations


def _overlap(one: Annotation, other: Annotation) -> bool:
    """Whether two annotations go to the same place from areas that meet on one page."""
    if one.page != other.page or _target(one) != _target(other):
        return False
    ax1, ay1, ax2, ay2 = _rect(one)
    bx1, by1, bx2, by2 = _rect(other)
    return ax1 <= bx2 and bx1 <= ax2 and ay1 <= by2 and by1 <= ay2


def _union(one: Rect, other: Rect) -> Rect:
    return (min(one[0], other[0]), min(one[1], other[1]),
            max(one[2], other[2]), max(one[3], other[3]))


def _target(annotation: Annotation) -> str:
    annot = annotation.annot
    return str(annot.get("/Dest") or annot.get("/A", pikepdf.Dictionary()).get("/URI") or "")


def _rect(annotation: Annotation) -> Rect:
    x1, y1, x2, y2 = (float(v) for v in annotation.annot.Rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def link_description(source: Source) -> str:
    """What a link says: its ARIA label, else its text, else its title, else its target."""
    text = " ".join("".join(source.element.itertext()).split())
    return (source.attr("aria-label") or text or source.attr("title") or source.attr("href")
            or "link")
