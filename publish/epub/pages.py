"""The print edition's pages inside the EPUB: a page-break marker where each print page
begins, and the page-list entries that point at them. No EbookLib here."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from lxml import etree

from publish.epub.documents import ContentDocument, PackagePlan
from publish.epub.nav import PageTarget
from publish.pagination import PageMap, PageStart, insert_markers

log = logging.getLogger("publish")

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
# Ids of the printed table of contents; the EPUB shows its navigation document there.
PRINT_TOC_IDS = frozenset({"contents", "contents-title"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


class MarkerIds:
    """`page-vii`, `page-37`: one id per print page, never one the book already uses."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.by_start: dict[PageStart, str] = {}

    def __call__(self, start: PageStart) -> str:
        """The id of the marker for this page start, made once."""
        if start not in self.by_start:
            wanted = candidate = f"page-{start.label}"
            number = 1
            while candidate in self.taken:
                number += 1
                candidate = f"{wanted}-{number}"
            self.taken.add(candidate)
            self.by_start[start] = candidate
        return self.by_start[start]


def page_marker(ids: MarkerIds) -> Any:
    """A factory of empty page-break spans, each announcing its print page number."""

    def make(start: PageStart, _before_heading: bool) -> Any:
        return etree.Element(f"{{{XHTML_NS}}}span", {
            f"{{{OPS_NS}}}type": "pagebreak", "role": "doc-pagebreak",
            "id": ids(start), "aria-label": start.label,
        })

    return make


def home_documents(starts: PageMap, layout: PackagePlan, nav_name: str) -> dict[PageStart, str]:
    """The content document where each print page begins; the contents pages go to the nav."""
    homes: dict[PageStart, str] = {}
    pending: list[PageStart] = []
    for start in starts:
        home = nav_name if start.anchor in PRINT_TOC_IDS else layout.ids.get(start.anchor)
        if home is None:
            pending.append(start)  # placed with the next page that has a home
            continue
        for waiting in (*pending, start):
            homes[waiting] = home
        pending = []
    if pending:
        log.warning("print pages %s: no place found in the EPUB",
                    ", ".join(s.label for s in pending))
    return homes


class PrintPages:
    """Where the print pages begin in this EPUB: markers for its documents, and the list."""

    def __init__(self, starts: PageMap, layout: PackagePlan, nav_name: str) -> None:
        self.starts = starts
        self.nav_name = nav_name
        self.homes = home_documents(starts, layout, nav_name)
        self.ids = MarkerIds(layout.ids)

    def page_list(self) -> tuple[PageTarget, ...]:
        """One entry per print page, in print order, pointing at its marker."""
        return tuple(PageTarget(s.label, f"{self.homes[s]}#{self.ids(s)}")
                     for s in self.starts if s in self.homes)

    def mark(self, document: ContentDocument) -> ContentDocument:
        """The document with a marker at each print page that begins in it."""
        starts = [s for s in self.starts if self.homes.get(s) == document.name]
        if not starts:
            return document
        root = etree.fromstring(document.content.encode("utf-8"), _PARSER)
        make = page_marker(self.ids)
        if document.name == self.nav_name:  # a nav holds only links: markers go before it
            _prepend(root, [make(s, False) for s in starts])
        elif insert_markers(root, tuple(starts), make) < len(starts):
            found = {e.get("id") for e in root.iter(f"{{{XHTML_NS}}}span")}
            lost = [s for s in starts if self.ids(s) not in found]
            log.warning("%s: print pages %s not found in the text; marked at its start",
                        document.name, ", ".join(s.label for s in lost))
            _prepend(root, [make(s, False) for s in lost])
        return replace(document, content=_serialize(root))


def _prepend(root: Any, elements: list[Any]) -> None:
    """Put elements first in the document's body, in order."""
    body = root.find(f"{{{XHTML_NS}}}body")
    for position, element in enumerate(elements):
        element.tail = "\n"
        body.insert(position, element)


def _serialize(root: Any) -> str:
    """The document back as XHTML text, with its XML declaration and doctype."""
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True).decode()
