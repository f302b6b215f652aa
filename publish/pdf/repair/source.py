"""Which HTML element a PDF structure element came from: the link the repair follows.

WeasyPrint 70 builds the tag tree page by page from its box tree and keeps no link back to
the HTML. While the PDF is written (`publish.pdf.engine`) each structure element gets the
index of its source in a private key, which the repair reads and removes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
