"""Tagged PDF (PDF/UA-1) editions through WeasyPrint; the only module that imports it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from publish.html import STYLES, render_book, render_template
from publish.model import Book
from publish.options import Options
from publish.safety import make_url_fetcher

PRINT_LAYERS = ("print",)
LARGE_PRINT_LAYERS = ("print", "large-print")
# trim size, then inner, outer, top and bottom margins
_TRIM = {
    "book": ("6in 9in", "0.8in", "0.62in", "0.72in", "0.9in"),
    "article": ("A4", "2.2cm", "2.2cm", "2.2cm", "2.2cm"),
}


def render_print(book: Book, options: Options) -> bytes:
    """The print edition: book typography on the book's trim size."""
    return _render(book, "print", PRINT_LAYERS, _page_values(book, body_size="10.5pt"))


def render_large_print(book: Book, options: Options) -> bytes:
    """The print edition plus the large-print layer at the asked point size."""
    values = _page_values(book, body_size=f"{options.large_print_size:g}pt")
    values.update(trim="A4", size=options.large_print_size, leading=1.5)
    return _render(book, "large-print", LARGE_PRINT_LAYERS, values)


def _page_values(book: Book, body_size: str) -> dict[str, Any]:
    trim, inner, outer, top, bottom = _TRIM[book.layout]
    return {
        "trim": trim, "margin_inner": inner, "margin_outer": outer, "margin_top": top,
        "margin_bottom": bottom, "body_size": body_size,
    }


def _render(book: Book, edition: str, layers: tuple[str, ...], values: dict[str, Any]) -> bytes:
    fetcher = make_url_fetcher((book.root, STYLES))
    markup = render_book(book, edition, layers)
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=css, base_url=f"{STYLES.as_uri()}/", url_fetcher=fetcher, font_config=fonts)
        for css in _stylesheets(book, layers, values)
    ]
    document = HTML(string=markup, base_url=f"{book.root.as_uri()}/", url_fetcher=fetcher)
    _quiet_weasyprint()
    pdf: bytes = document.write_pdf(
        stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1",
        uncompressed_pdf=False, custom_metadata=True,
    )
    return pdf


def _stylesheets(book: Book, layers: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    """The CSS layers in cascade order: base, each edition layer, then the writer's own."""
    names = ["base.css"]
    for layer in layers:
        names += [f"{layer}/fonts.css", f"{layer}/{layer}.css.j2"]
    sheets = [render_template(book, name, layers, **values) for name in names]
    sheets += [path.read_text("utf-8") for path in _writer_css(book.root, layers)]
    return sheets


def _writer_css(root: Path, layers: tuple[str, ...]) -> list[Path]:
    """`styles/<layer>.css` files in the manuscript folder, applied last so they win."""
    folder = root / "styles"
    return [folder / f"{layer}.css" for layer in layers if (folder / f"{layer}.css").is_file()]


def _quiet_weasyprint() -> None:
    """WeasyPrint warns about CSS it ignores; our own stylesheets are checked by tests."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
