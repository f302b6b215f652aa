"""The print edition's page and markup: the trim size and margins a book or an article gets
when its writer leaves them out, and the values its stylesheet is rendered with."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from publish.editions.print_edition import PRINT
from publish.html import render_book
from publish.model import Book, Margins, PageSetup
from publish.options import Options
from publish.typefaces.table import script_of

_ARTICLE_MARGINS = Margins(top="2.5cm", bottom="2.5cm", inner="3.4cm", outer="3.4cm")
DEFAULT_PAGES = {
    "book": PageSetup("6in 9in", Margins(top="0.72in", bottom="0.9in", inner="0.8in",
                                         outer="0.62in")),
    "article": PageSetup("A4", _ARTICLE_MARGINS),
    "article-us": PageSetup("letter", _ARTICLE_MARGINS),
    "book-cjk": PageSetup("A5", Margins(top="18mm", bottom="22mm", inner="20mm", outer="16mm")),
}


def print_markup(book: Book, _options: Options) -> str:
    """The print edition's HTML: the shared templates under the print layer."""
    return render_book(book, PRINT.name, PRINT.layers)


def print_values(book: Book, _options: Options) -> dict[str, Any]:
    """The page for the print stylesheet (no build option changes it); an article's long
    line on A4 reads better at 11 pt."""
    page = page_setup(book)
    margins = page.margins
    assert margins is not None  # page_setup fills in what the writer left out
    return {
        "trim": page.trim, "margin_inner": margins.inner, "margin_outer": margins.outer,
        "margin_top": margins.top, "margin_bottom": margins.bottom,
        "body_size": "11pt" if book.layout == "article" else "10pt" if _cjk(book) else "10.5pt",
        "bleed": page.bleed, "crop_marks": page.crop_marks,
    }


def _cjk(book: Book) -> bool:
    """Whether a book is in Chinese, Japanese or Korean: an A5 page and a 10 pt body."""
    return (script_of(book.metadata.language) or "").startswith("cjk-")


def page_setup(book: Book) -> PageSetup:
    """The writer's print settings over the layout's defaults (US English articles: Letter)."""
    us = book.layout == "article" and book.metadata.language.lower() == "en-us"
    cjk = book.layout == "book" and _cjk(book)
    default = DEFAULT_PAGES["article-us" if us else "book-cjk" if cjk else book.layout]
    asked = book.page
    return replace(asked, trim=asked.trim or default.trim,
                   margins=asked.margins or default.margins)
