"""Tagged PDF (PDF/UA-1) editions: laid out and written through `engine`, then repaired.

An edition is laid out in chunks (`incremental.chunks`) or, when the last build can be
reused, only in its changed divisions (`incremental.reuse`, `incremental.splice`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from publish.cache import frame_key
from publish.editions import EDITIONS, page_map_maker
from publish.editions.large_print import LARGE_PRINT
from publish.editions.print_edition import PRINT
from publish.errors import ManuscriptError
from publish.html import render_template, text_direction
from publish.layers import STYLES
from publish.model import Book
from publish.options import Options
from publish.pagination import PageMap, PageStart
from publish.pdf import large_print
from publish.pdf.engine import (
    Document,
    Typesetter,
    counting_painted_pages,
    load_hyphenation,
    page_map,
    text_blocks,
    write_pdf,
)
from publish.pdf.floats import settle
from publish.pdf.fonts import check_coverage, font_plan, refusing_notdef, writer_css
from publish.pdf.incremental.chunks import Piece, chunk, lay_out_in_chunks, plan
from publish.pdf.incremental.markup import Cut, cut, starting_counter
from publish.pdf.incremental.record import LayoutRecord, Placed, Previous
from publish.pdf.incremental.reuse import NotReusable, fits, placements, relaid, to_redo
from publish.pdf.incremental.splice import SpliceError, splice
from publish.pdf.pace import LayoutPace
from publish.pdf.repair import finish
from publish.pdf.repair.catalog import Identity
from publish.progress import advance, share
from publish.readers.fonts import font_face_css
from publish.typefaces.table import script_of

logger = logging.getLogger(__name__)

# Shares of a PDF edition's time, measured on a novel's print edition (below)
LAID_OUT = 0.55  # the layout, reported page by page; the rest is writing and repairing the PDF
WRITTEN = 0.65  # of the rest, writing the PDF, page by page; then its repair
PAINTED = 0.8  # of writing the PDF, drawing its pages; then its fonts and its file
PRINT_CHARS_PER_PAGE = 3000.0  # of print markup on a page, before a layout says
PRINT_TYPE_SIZE = 11.0  # pt


@dataclass(frozen=True)
class Rendition:
    """A PDF edition's bytes, and what the next build needs to reuse its layout."""

    data: bytes
    layout: LayoutRecord
    redone: tuple[str, ...] | None = None  # divisions laid out again, the rest reused


def render_print(book: Book, options: Options) -> bytes:
    """The print edition: book typography on the book's trim size."""
    return render_edition(PRINT.name, book, options).data


def render_large_print(book: Book, options: Options) -> bytes:
    """The print edition's markup, marked where its pages begin, under the large-print layer."""
    return render_edition(LARGE_PRINT.name, book, options).data


def render_edition(
    edition: str, book: Book, options: Options, previous: Previous | None = None,
    send_pages: Callable[[PageMap], None] | None = None,
    send_piece: Callable[[Piece], None] | None = None, prepared: _Typesetter | None = None,
    markup: str | None = None,
) -> Rendition:
    """A PDF edition, laying out again only the divisions changed since `previous` when it
    can; the print edition hands its page map on once laid out, before the PDF is written,
    and each chunk's share of it (`send_piece`) as soon as that chunk is laid out.
    `prepared` is a typesetter already made for the same stylesheets (its fonts loaded),
    `markup` the edition's markup when the caller has it already."""
    layers, values, markup = _edition(edition, book, options, markup)
    sheets = stylesheets(book, layers, values, markup)
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
    typesetter = prepared if prepared is not None and prepared.sheets == sheets \
        else _Typesetter(book, sheets)
    lay_out = LayoutPace(len(markup), _chars_per_page(edition, options)).paced(typesetter.lay_out)
    with share(0.0, LAID_OUT):
        laid = lay_out_in_chunks(
            _chunks(now), list(now.front),
            lambda keep, following, folios: chunk(markup, keep, following, folios), lay_out,
            send_piece)
        if laid is None:
            document = lay_out(markup, [])
            pages = page_map(document) if EDITIONS[edition].makes_page_map else ()
        else:
            document, pages = laid
    if send_pages is not None:
        send_pages(pages)
    with share(LAID_OUT, 1.0):
        data = _render(document, book, edition)
    return Rendition(data, LayoutRecord(frame, placements(document, now), pages))


def render_large_print_as_pages_come(
    book: Book, options: Options, previous: Previous | None,
    receive: Callable[[], Piece | PageMap | None],
) -> Rendition:
    """Large print while the print edition is laid out: each chunk as soon as the print
    pages of its divisions are known (`receive` gives the pieces, then the whole map, or
    None if the print layout failed)."""
    layers = LARGE_PRINT.layers
    values = large_print.page_values(book, options)
    raw = large_print.raw_markup(book, layers)
    sheets = stylesheets(book, layers, values, raw)
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
    typesetter = None if previous is not None else _Typesetter(book, sheets)
    if typesetter is not None:  # while print is laid out: what the first layout would load
        check_coverage(book, raw, sheets)  # the fonts' character maps
    with share(0.0, LAID_OUT):
        laid = None if typesetter is None else lay_out_in_chunks(
            incoming, list(cut(raw).front), mark_up,
            LayoutPace(len(raw), _chars_per_page(LARGE_PRINT.name, options)).paced(
                typesetter.lay_out))
    for _piece in incoming:  # the rest of the pieces, then the whole map
        pass
    pages = whole[0] if whole else None
    if laid is None or pages is None:  # without the whole map the front matter lacks markers
        marked = None if pages is None else large_print.mark_up(raw, pages, values["measure_em"])
        return render_edition(LARGE_PRINT.name, book, replace(options, print_pages=pages),
                              previous, prepared=typesetter,  # fonts loaded while waiting
                              markup=marked)
    now = cut(large_print.mark_up(raw, pages, values["measure_em"]))
    document = laid[0]
    with share(LAID_OUT, 1.0):
        data = _render(document, book, LARGE_PRINT.name)
    return Rendition(data, LayoutRecord(_frame(book, LARGE_PRINT.name, options, now, sheets),
                                  placements(document, now)))


def _chars_per_page(edition: str, options: Options) -> float:
    """A first guess at how much of the edition's markup a page holds: a print page's, less
    by the square of large print's type size against print's."""
    if edition == LARGE_PRINT.name:
        return PRINT_CHARS_PER_PAGE * (PRINT_TYPE_SIZE / options.large_print_size) ** 2
    return PRINT_CHARS_PER_PAGE


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
        data = splice(data, _render(document, book, edition), division.first, division.span)
    redone = tuple(division.id for division, _document in relaid_.documents)
    return Rendition(data, relaid_.layout, redone)


@dataclass(frozen=True)
class _Relaid:
    """Changed divisions laid out alone, and the layout record they make with the rest."""

    documents: list[tuple[Placed, Document]]
    layout: LayoutRecord


def _relay(
    edition: str, book: Book, previous: LayoutRecord, markup: str, now: Cut, frame: str,
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
        if EDITIONS[edition].makes_page_map:
            pages[division.first:division.first + count] = page_map(document)
        divisions[division.id] = relaid(division, now.digest(division.id), count)
        documents.append((division, document))
    return _Relaid(documents, LayoutRecord(frame, tuple(divisions.values()), tuple(pages)))


def _edition(
    name: str, book: Book, options: Options, markup: str | None = None,
) -> tuple[tuple[str, ...], dict[str, Any], str]:
    """An edition's style layers, stylesheet values and markup (made as its registry entry
    says unless given)."""
    edition = EDITIONS[name]
    return (edition.layers, edition.hook("style_values")(book, options),
            edition.hook("markup")(book, options) if markup is None else markup)


def print_page_map(book: Book, previous: LayoutRecord | None = None) -> PageMap:
    """Where each print page begins, for an edition built without the print worker's map:
    the last print layout with its changed divisions laid out again when it can be reused,
    else a layout of the whole print edition (no PDF is written either way)."""
    maker = page_map_maker()
    layers, values, markup = _edition(maker.name, book, Options())
    sheets = stylesheets(book, layers, values, markup)
    if previous is not None:
        now = cut(markup)
        frame = _frame(book, maker.name, Options(), now, sheets)
        try:
            return _relay(maker.name, book, previous, markup, now, frame, sheets).layout.pages
        except NotReusable as reason:
            logger.info("%s laid out in full for its page map: %s", maker.name, reason)
    # Only where pages begin: the EPUB that asks embeds no font, so no coverage check.
    typesetter = Typesetter(book.root, STYLES, sheets, shared=toolkit_sheets_only(book))
    lay_out = LayoutPace(len(markup), PRINT_CHARS_PER_PAGE).paced(
        lambda whole, extra: settle(whole, lambda settled: typesetter.lay_out(settled, extra)))
    return page_map(lay_out(markup, []))


def _render(document: Document, book: Book, edition: str) -> bytes:
    """Write a laid-out edition while noting each tag's HTML source, then repair it."""
    count = max(1, len(document.pages))
    with refusing_notdef(book), share(0.0, WRITTEN), \
            counting_painted_pages(lambda page: advance(PAINTED * page / count)):
        pdf, sources = write_pdf(document)
    return finish(pdf, sources, book.metadata, _body_start(book, document),
                  _identity(book, edition), text_blocks(document.pages))


def _identity(book: Book, edition: str) -> Identity:
    """The edition's own identifier, and the print edition's when it carries print pages."""
    entry = EDITIONS[edition]
    source = page_map_maker().identify(book.metadata) if entry.needs_page_map else None
    return Identity(entry.identify(book.metadata), source)


class _Typesetter(Typesetter):
    """The engine's typesetter for one book, checking that its fonts cover the text first."""

    def __init__(self, book: Book, sheets: list[str]) -> None:
        super().__init__(book.root, STYLES, sheets, shared=toolkit_sheets_only(book))
        self.book = book
        self.sheets = sheets
        load_hyphenation(book.metadata.language)  # from the user's cache, not mid-layout

    def lay_out(self, markup: str, extra: Sequence[str] = ()) -> Document:
        """Markup laid out in pages, once every character is known to be in a bundled font,
        its figures floated where they would leave a page short."""
        check_coverage(self.book, markup, self.sheets)
        return settle(markup, lambda settled: Typesetter.lay_out(self, settled, extra))


def toolkit_sheets_only(book: Book) -> bool:
    """Whether every stylesheet of the book comes from the toolkit's templates: it has no
    fonts of its own and no `styles` folder (its sheets, or templates in place of ours)."""
    return not book.fonts and not (book.root / "styles").exists()


def _body_start(book: Book, document: Document) -> int | None:
    """The index of the page where the body begins and the folios restart at 1."""
    first = next((d.id for d in book.divisions if d.matter != "front"), None)
    return next((index for index, page in enumerate(document.pages)
                 if first in page.anchors), None)


def stylesheets(book: Book, layers: tuple[str, ...], values: dict[str, Any],
                markup: str) -> list[str]:
    """The CSS layers in cascade order: base, the world faces the markup needs, each
    edition layer, then the writer's own."""
    faces = [render_template(book, f"{layer}/fonts.css", layers, **values) for layer in layers]
    own = [font_face_css(book.fonts)] if book.fonts else []
    own += [writer_css(path) for path in _writer_css(book.root, layers)]
    plan = font_plan(book, layers, markup, faces, own)
    sheets = [render_template(book, "base.css", layers, **values),
              render_template(book, "faces.css.j2", layers, fonts=plan)]
    for layer, sheet in zip(layers, faces, strict=True):
        sheets += [sheet, render_template(book, f"{layer}/{layer}.css.j2", layers, fonts=plan,
                                          direction=text_direction(book),
                                          script=script_of(book.metadata.language) or "latin",
                                          **values)]
    return sheets + own


def _writer_css(root: Path, layers: tuple[str, ...]) -> list[Path]:
    """`styles/<layer>.css` files in the manuscript folder, applied last so they win."""
    folder = root / "styles"
    return [folder / f"{layer}.css" for layer in layers if (folder / f"{layer}.css").is_file()]
