"""Tagged PDF (PDF/UA-1) editions: laid out and written by WeasyPrint, then repaired.

With `pdf_sources`, the only modules that import WeasyPrint; `pdf_repair` mends the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from publish.cache import frame_key
from publish.errors import ManuscriptError
from publish.html import STYLES, render_book, render_template
from publish.model import Book, Margins, PageSetup
from publish.options import Options
from publish.pagination import PageMap, PageStart, page_map
from publish.renderers import large_print
from publish.renderers.pdf_chunks import Piece, chunk, lay_out_in_chunks, plan
from publish.renderers.pdf_fonts import check_coverage, refusing_notdef
from publish.renderers.pdf_repair import finish
from publish.renderers.pdf_reuse import (
    Cut,
    Layout,
    NotReusable,
    Placed,
    Previous,
    cut,
    fits,
    placements,
    relaid,
    starting_counter,
    to_redo,
)
from publish.renderers.pdf_sources import page_references_once, recording_sources
from publish.renderers.pdf_splice import SpliceError, splice
from publish.safety import make_url_fetcher

PRINT_LAYERS = ("print",)
LARGE_PRINT_LAYERS = ("print", "large-print")
logger = logging.getLogger(__name__)
_ARTICLE_MARGINS = Margins(top="2.5cm", bottom="2.5cm", inner="3.4cm", outer="3.4cm")
DEFAULT_PAGES = {
    "book": PageSetup("6in 9in", Margins(top="0.72in", bottom="0.9in", inner="0.8in",
                                         outer="0.62in")),
    "article": PageSetup("A4", _ARTICLE_MARGINS),
    "article-us": PageSetup("letter", _ARTICLE_MARGINS),
}


@dataclass(frozen=True)
class Rendition:
    """A PDF edition's bytes, and what the next build needs to reuse its layout."""

    data: bytes
    layout: Layout
    redone: tuple[str, ...] | None = None  # divisions laid out again, the rest reused


def render_print(book: Book, options: Options) -> bytes:
    """The print edition: book typography on the book's trim size."""
    return render_edition("print", book, options).data


def render_large_print(book: Book, options: Options) -> bytes:
    """The print edition's markup, marked where its pages begin, under the large-print layer."""
    return render_edition("large-print", book, options).data


def render_edition(
    edition: str, book: Book, options: Options, previous: Previous | None = None,
    send_pages: Callable[[PageMap], None] | None = None,
    send_piece: Callable[[Piece], None] | None = None,
) -> Rendition:
    """A PDF edition, laying out again only the divisions changed since `previous` when it
    can; the print edition hands its page map on once laid out, before the PDF is written,
    and each chunk's share of it (`send_piece`) as soon as that chunk is laid out."""
    layers, values, markup = _edition(edition, book, options)
    sheets = _stylesheets(book, layers, values)
    now = cut(markup)
    frame = _frame(book, edition, options, now, sheets)
    if previous is not None:
        try:
            rendition = _reuse(edition, book, previous, markup, now, frame, sheets)
        except (NotReusable, SpliceError) as reason:
            logger.info("%s laid out in full: %s", edition, reason)
        except ManuscriptError:
            raise
        except Exception as error:  # a fault in reusing the last build costs time, not the file
            logger.warning("%s: could not reuse the last build (%s); laid out in full",
                           edition, error)
        else:
            if send_pages is not None:
                send_pages(rendition.layout.pages)
            return rendition
    typesetter = _Typesetter(book, sheets)
    laid = lay_out_in_chunks(_chunks(now), list(now.front),
                             lambda keep, following, folios: chunk(markup, keep, following, folios),
                             typesetter.lay_out, send_piece)
    if laid is None:
        document = typesetter.lay_out(markup)
        pages = page_map(document) if edition == "print" else ()
    else:
        document, pages = laid
    if send_pages is not None:
        send_pages(pages)
    return Rendition(_render(document, book), Layout(frame, placements(document, now), pages))


def render_large_print_as_pages_come(
    book: Book, options: Options, previous: Previous | None,
    receive: Callable[[], Piece | PageMap | None],
) -> Rendition:
    """Large print while the print edition is laid out: each chunk as soon as the print
    pages of its divisions are known (`receive` gives the pieces, then the whole map, or
    None if the print layout failed)."""
    values = large_print.page_values(book, options)
    raw = render_book(book, "large-print", LARGE_PRINT_LAYERS, footnotes=False)
    sheets = _stylesheets(book, LARGE_PRINT_LAYERS, values)
    known: list[PageStart] = []
    whole: list[PageMap | None] = []

    def chunks() -> Iterator[tuple[list[str], str | None]]:
        while isinstance(message := receive(), Piece):
            known.extend(message.starts)
            yield list(message.divisions), message.following
        whole.append(message)

    def mark_up(keep: list[str], following: str | None, folios: dict[str, str] | None) -> str:
        starts = whole[0] if whole and whole[0] is not None else tuple(known)
        return large_print.mark_up(chunk(raw, keep, following, folios), starts,
                                   values["measure_em"])

    incoming = chunks()
    laid = None if previous is not None else lay_out_in_chunks(
        incoming, list(cut(raw).front), mark_up, _Typesetter(book, sheets).lay_out)
    for _piece in incoming:  # the rest of the pieces, then the whole map
        pass
    pages = whole[0] if whole else None
    if laid is None or pages is None:  # without the whole map the front matter lacks markers
        return render_edition("large-print", book, replace(options, print_pages=pages),
                              previous)
    now = cut(large_print.mark_up(raw, pages, values["measure_em"]))
    document = laid[0]
    return Rendition(_render(document, book),
                     Layout(_frame(book, "large-print", options, now, sheets),
                            placements(document, now)))


def _frame(book: Book, edition: str, options: Options, now: Cut, sheets: list[str]) -> str:
    """The key of all an edition's layout depends on besides its divisions' markup."""
    return frame_key(book, edition, options, [now.frame, *sheets])


def _chunks(now: Cut) -> list[tuple[list[str], str | None]]:
    """The main divisions in chunks, each with the next chunk's first division."""
    planned = plan(now, list(now.front))
    if len(planned) < 2:
        return []
    return [(group, planned[k + 1][0] if k + 1 < len(planned) else None)
            for k, group in enumerate(planned)]


def _reuse(
    edition: str, book: Book, previous: Previous, markup: str, now: Cut, frame: str,
    sheets: list[str],
) -> Rendition:
    """The previous PDF with each changed division laid out alone and put in its place."""
    data = previous.pdf
    relaid_ = _relay(edition, book, previous.layout, markup, now, frame, sheets)
    for division, document in relaid_.documents:
        data = splice(data, _render(document, book), division.first, division.span)
    redone = tuple(division.id for division, _document in relaid_.documents)
    return Rendition(data, relaid_.layout, redone)


@dataclass(frozen=True)
class _Relaid:
    """Changed divisions laid out alone, and the layout record they make with the rest."""

    documents: list[tuple[Placed, Document]]
    layout: Layout


def _relay(
    edition: str, book: Book, previous: Layout, markup: str, now: Cut, frame: str,
    sheets: list[str],
) -> _Relaid:
    """Lay out each changed division alone on its old first page; NotReusable if one does
    not fill the pages it filled before."""
    pages = list(previous.pages)
    divisions = {division.id: division for division in previous.divisions}
    documents = []
    typesetter = _Typesetter(book, sheets)
    for division in to_redo(previous, frame, now):
        document = typesetter.lay_out(chunk(markup, [division.id], None),
                                      [starting_counter(division.counter)])
        count = len(document.pages)
        if not fits(division, count):
            raise NotReusable(f"{division.id} fills {count} pages now, {division.pages} before")
        if edition == "print":
            pages[division.first:division.first + count] = page_map(document)
        divisions[division.id] = relaid(division, now.digest(division.id), count)
        documents.append((division, document))
    return _Relaid(documents, Layout(frame, tuple(divisions.values()), tuple(pages)))


def _edition(
    edition: str, book: Book, options: Options,
) -> tuple[tuple[str, ...], dict[str, Any], str]:
    """An edition's style layers, stylesheet values and markup."""
    if edition == "print":
        return PRINT_LAYERS, _print_values(book), render_book(book, "print", PRINT_LAYERS)
    values = large_print.page_values(book, options)
    pages = print_page_map(book) if options.print_pages is None else options.print_pages
    markup = large_print.mark_up(
        render_book(book, "large-print", LARGE_PRINT_LAYERS, footnotes=False),
        pages,
        values["measure_em"],
    )
    return LARGE_PRINT_LAYERS, values, markup


def print_page_map(book: Book, previous: Layout | None = None) -> PageMap:
    """Where each print page begins, for an edition built without the print worker's map:
    the last print layout with its changed divisions laid out again when it can be reused,
    else a layout of the whole print edition (no PDF is written either way)."""
    markup = render_book(book, "print", PRINT_LAYERS)
    sheets = _stylesheets(book, PRINT_LAYERS, _print_values(book))
    if previous is not None:
        now = cut(markup)
        frame = _frame(book, "print", Options(), now, sheets)
        try:
            return _relay("print", book, previous, markup, now, frame, sheets).layout.pages
        except NotReusable as reason:
            logger.info("print laid out in full for its page map: %s", reason)
    return page_map(_Typesetter(book, sheets).lay_out(markup))


def _print_values(book: Book) -> dict[str, Any]:
    """The page for the print stylesheet; an article's long line on A4 reads better at 11 pt."""
    page = page_setup(book)
    margins = page.margins
    assert margins is not None  # page_setup fills in what the writer left out
    return {
        "trim": page.trim, "margin_inner": margins.inner, "margin_outer": margins.outer,
        "margin_top": margins.top, "margin_bottom": margins.bottom,
        "body_size": "11pt" if book.layout == "article" else "10.5pt",
        "bleed": page.bleed, "crop_marks": page.crop_marks,
    }


def page_setup(book: Book) -> PageSetup:
    """The writer's print settings over the layout's defaults (US English articles: Letter)."""
    us = book.layout == "article" and book.metadata.language.lower() == "en-us"
    default = DEFAULT_PAGES["article-us" if us else book.layout]
    asked = book.page
    return replace(asked, trim=asked.trim or default.trim,
                   margins=asked.margins or default.margins)


def _render(document: Document, book: Book) -> bytes:
    """Write a laid-out edition while noting each tag's HTML source, then repair it."""
    with recording_sources() as sources, refusing_notdef(book), page_references_once():
        pdf: bytes = document.write_pdf(
            pdf_variant="pdf/ua-1", uncompressed_pdf=True, custom_metadata=True,
        )
    return finish(pdf, sources, book.metadata, _body_start(book, document))


class _Typesetter:
    """An edition's stylesheets parsed once, with the fonts they load, for every layout of
    its markup (a long book is laid out in chunks; parsing the CSS again costs 0.1 s each)."""

    def __init__(self, book: Book, sheets: list[str]) -> None:
        self.book = book
        self.sheets = sheets
        self.fonts = FontConfiguration()
        self.fetcher = make_url_fetcher((book.root, STYLES))
        self.parsed = [self._parse(css) for css in sheets]

    def _parse(self, css: str) -> CSS:
        return CSS(string=css, base_url=f"{STYLES.as_uri()}/", url_fetcher=self.fetcher,
                   font_config=self.fonts)

    def lay_out(self, markup: str, extra: Sequence[str] = ()) -> Document:
        """Markup laid out in pages under the edition's stylesheets, then `extra` ones."""
        check_coverage(self.book, markup, self.sheets)
        html = HTML(string=markup, base_url=f"{self.book.root.as_uri()}/",
                    url_fetcher=self.fetcher)
        _quiet_weasyprint()
        return html.render(font_config=self.fonts,
                           stylesheets=[*self.parsed, *map(self._parse, extra)],
                           pdf_variant="pdf/ua-1",
                           presentational_hints=True)  # `<ol start>`, `<li value>` number lists


def _body_start(book: Book, document: Document) -> int | None:
    """The index of the page where the body begins and the folios restart at 1."""
    first = next((d.id for d in book.divisions if d.matter != "front"), None)
    return next((index for index, page in enumerate(document.pages)
                 if first in page.anchors), None)


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
