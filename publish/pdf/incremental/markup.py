"""An edition's markup cut into its top-level divisions and the frame around them.

Both the chunked layout and the reuse of unchanged divisions work on these pieces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html


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
    """A stylesheet that starts a division laid out alone at its folio in the whole book. A
    chunk that opens on a (quiet) part-title page starts a page group of `main` at each of
    its chapters (WeasyPrint), so the book's own restart on the first of `main` is undone."""
    return (f"@page :first {{ counter-reset: page {counter}; }}\n"
            "@page :nth(1 of main) { counter-reset: none; }\n"
            f"@page main:first {{ counter-reset: page {counter}; }}\n")


def links_inside(fragment: str) -> bool:
    """Whether every in-document link of a division's markup points inside it."""
    root = lxml_html.fragment_fromstring(fragment)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    return all(href[1:] in ids for element in root.iter("a")
               if (href := element.get("href") or "").startswith("#"))


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
