"""The print edition's page and markup: the trim size and margins a book or an article gets
when its writer leaves them out, the values its stylesheet is rendered with, and each table
set as `publish.tables` decides (smaller, on a landscape page, or stacked)."""

from __future__ import annotations

from typing import Any

from lxml import html as lxml_html

from publish import tables
from publish.editions.print_edition import PRINT
from publish.html import render_book
from publish.model import Book, PageSetup
from publish.options import Options
from publish.pdf.stacked import stack
from publish.readers.page_setup import body_pt, with_defaults

LANDSCAPE_PAGE = "landscape-table"  # the named page a turned table is set on


def print_markup(book: Book, _options: Options) -> str:
    """The print edition's HTML: the shared templates under the print layer, each table too
    wide for the text block set as it fits."""
    markup = render_book(book, PRINT.name, PRINT.layers)
    if "<table" not in markup:
        return markup
    root = lxml_html.document_fromstring(markup)
    page, body = page_setup(book), body_pt(book.layout, book.metadata.language)
    fits = [(table, tables.fit(table, page, body, [a.tag for a in table.iterancestors()]))
            for table in root.iter("table")]
    if all(fit.form == tables.FITS for _table, fit in fits):
        return markup  # as the templates wrote it
    for table, fit in fits:
        set_to_fit(table, fit)
    return str(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def set_to_fit(table: Any, fit: tables.Fit) -> None:
    """Mark a table up for the form print sets it in (the stylesheet does the rest)."""
    if fit.form == tables.STACKED:
        stack(table)
    elif fit.form in (tables.SMALLER, tables.LANDSCAPE):
        table.set("class", f"{table.get('class', '')} table-{fit.form}".strip())
        table.set("style", f"font-size: {fit.size_pt:g}pt")


def print_values(book: Book, _options: Options) -> dict[str, Any]:
    """The page for the print stylesheet (no build option changes it), and the table
    measures `publish.tables` assumes."""
    page = page_setup(book)
    margins = page.margins
    assert margins is not None  # page_setup fills in what the writer left out
    return {
        "trim": page.trim, "margin_inner": margins.inner, "margin_outer": margins.outer,
        "margin_top": margins.top, "margin_bottom": margins.bottom,
        "body_size": f"{body_pt(book.layout, book.metadata.language):g}pt",
        "bleed": page.bleed, "crop_marks": page.crop_marks,
        "landscape_size": _turned(page), **table_values(),
    }


def table_values() -> dict[str, Any]:
    """The table measures `publish.tables` assumes, for the print layer's stylesheet (which
    large print renders too, under its own sizes)."""
    return {"table_em": tables.TABLE_EM, "pad_em": tables.PAD_EM,
            "tight_pad_em": tables.TIGHT_PAD_EM, "landscape_page": LANDSCAPE_PAGE}


def _turned(page: PageSetup) -> str:
    """The trim size turned on its side, as a CSS `size`."""
    assert page.trim is not None
    named = tables.NAMED_PT.get(page.trim)
    width, height = (f"{v}pt" for v in named) if named else page.trim.split()
    return f"{height} {width}"


def page_setup(book: Book) -> PageSetup:
    """The writer's print settings over the layout's defaults (US English articles: Letter)."""
    return with_defaults(book.page, book.layout, book.metadata.language)
