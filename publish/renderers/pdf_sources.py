"""Which HTML element each PDF structure element came from, noted while WeasyPrint tags.

WeasyPrint 70 builds the tag tree page by page from its box tree and keeps no link back
to the HTML. The repair after rendering (`pdf_structure`) needs that link to join an
element split across pages, to tag notes and languages and to describe links, so while
the PDF is written each structure element gets the index of its source in a private key
that the repair reads and removes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pydyf
from weasyprint.pdf import tags

SOURCE_KEY = "/PublishSource"


@dataclass(frozen=True, slots=True)
class Source:
    """An HTML element, and the pseudo-element (`after`, `marker`...) if the box was one;
    `leader` for the dots of a `leader()`, which are drawn but not read."""

    element: Any  # an ElementTree element of the document WeasyPrint rendered
    tag: str
    pseudo: str = ""

    def attr(self, name: str) -> str:
        """An attribute of the element, or ''."""
        return str(self.element.get(name) or "")

    @property
    def classes(self) -> frozenset[str]:
        """The element's classes."""
        return frozenset(self.attr("class").split())


@contextmanager
def recording_sources() -> Iterator[list[Source]]:
    """While active, WeasyPrint's structure elements carry the index of their source."""
    sources: list[Source] = []
    # By id where the element has one: a document laid out in chunks has an element such as
    # the main-matter wrapper once in each chunk, and the repair joins them as one.
    index: dict[tuple[int | str, str], int] = {}
    original = tags._build_box_tree

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        for element in original(box, parent, *args):
            if box.element is not None and SOURCE_KEY[1:] not in element:
                tag, _, pseudo = box.element_tag.partition("::")
                pseudo = "leader" if box.is_leader else pseudo
                key = (box.element.get("id") or id(box.element), pseudo)  # one per chunk
                if key not in index:
                    index[key] = len(sources)
                    sources.append(Source(box.element, tag, pseudo))
                element[SOURCE_KEY[1:]] = index[key]
            yield element

    tags._build_box_tree = build
    try:
        yield sources
    finally:
        tags._build_box_tree = original


@contextmanager
def page_references_once() -> Iterator[None]:
    """pydyf rebuilds the list of every page reference each time one is asked for, and
    WeasyPrint's tagging asks once per structure element: quadratic in pages (2 s of a
    novel's 6 s write). While active, the list is built once per number of pages."""
    original = pydyf.PDF.page_references
    built: dict[tuple[int, int], tuple[bytes, ...]] = {}

    def once(pdf: Any) -> tuple[bytes, ...]:
        key = (id(pdf), len(pdf.pages["Kids"]))
        if key not in built:
            built[key] = original.fget(pdf)
        return built[key]

    pydyf.PDF.page_references = property(once)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        pydyf.PDF.page_references = original  # type: ignore[method-assign]
