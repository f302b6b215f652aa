"""How far a PDF edition's layout has got, from the pages WeasyPrint has made so far.

A layout's length in pages is not known until it ends, so each page made counts for the
markup a page has held in this edition's layouts so far (before the first one ends, a guess
for the edition); a layout ending counts for all of its markup, whatever the guess said.
"""

from __future__ import annotations

from collections.abc import Sequence

from publish.pdf.engine import Document, counting_pages
from publish.pdf.incremental.chunks import LayOut
from publish.progress import advance

_UNSURE = 0.95  # the most of a layout's markup its pages are said to cover before it ends


class LayoutPace:
    """The share of an edition's markup laid out, told to `publish.progress` page by page."""

    def __init__(self, total_chars: int, chars_per_page: float) -> None:
        self.total = max(1, total_chars)
        self.guess = chars_per_page
        self.done_chars = 0
        self.done_pages = 0

    def paced(self, lay_out: LayOut) -> LayOut:
        """`lay_out`, saying its progress as it makes pages and when it ends."""
        def laying_out(markup: str, extra: Sequence[str] = ()) -> Document:
            size = len(markup)
            with counting_pages(lambda page: self._say(size, page)):
                document = lay_out(markup, list(extra))
            self.done_chars += size
            self.done_pages += len(document.pages)
            advance(self.done_chars / self.total)
            return document
        return laying_out

    def _say(self, size: int, page: int) -> None:
        """Page `page` of a layout of `size` characters of markup was made."""
        per_page = self.done_chars / self.done_pages if self.done_pages else self.guess
        covered = min(page * per_page, _UNSURE * size)
        advance((self.done_chars + covered) / self.total)
