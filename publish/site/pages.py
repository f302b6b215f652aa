"""The print edition's pages in the web edition: a page-break anchor where each print page
begins, and the page list on the index that links to them (as the EPUB's page-list)."""

from __future__ import annotations

import logging
from typing import Any

from lxml import html as lxml_html

from publish.epub.documents import PackagePlan
from publish.epub.nav import PageTarget
from publish.epub.pages import MarkerIds, home_documents
from publish.errors import BuildError
from publish.pagination import PageMap, PageStart, insert_markers

log = logging.getLogger("publish")


def page_marker(ids: MarkerIds) -> Any:
    """A factory of page-break anchors, each showing its print page number (axe forbids
    naming the role with `aria-label`, so the number is its text)."""

    def make(start: PageStart, _before_heading: bool) -> Any:
        marker = lxml_html.Element("span", {
            "class": "pagebreak", "role": "doc-pagebreak", "id": ids(start),
        })
        marker.text = start.label
        return marker

    return make


class PageMarks:
    """Where the print pages begin in the site: anchors in its pages, and the page list."""

    def __init__(self, starts: PageMap, plan: PackagePlan, index: str) -> None:
        self.starts = starts
        self.index = index
        self.homes = home_documents(starts, plan, index)
        self.ids = MarkerIds(plan.ids)

    def page_list(self) -> tuple[PageTarget, ...]:
        """One entry per print page, in print order, pointing at its anchor."""
        return tuple(PageTarget(s.label, f"{self.homes[s]}#{self.ids(s)}")
                     for s in self.starts if s in self.homes)

    def mark(self, name: str, root: Any) -> None:
        """Put an anchor in the page where each print page that begins in it begins."""
        starts = [s for s in self.starts if self.homes.get(s) == name]
        if not starts:
            return
        main = root.find(".//main")
        if main is None:
            raise BuildError(f"{name}: the web edition's page template has no <main>")
        make = page_marker(self.ids)
        placed = insert_markers(main, tuple(starts), make)
        if placed < len(starts):
            found = {e.get("id") for e in main.iter("span")}
            lost = [s for s in starts if self.ids(s) not in found]
            log.warning("%s: print pages %s not found in the text; marked at its start",
                        name, ", ".join(s.label for s in lost))
            for position, start in enumerate(lost):
                main.insert(position, make(start, False))
