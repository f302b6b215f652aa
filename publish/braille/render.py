"""The braille edition: the book's HTML, marked where the print pages begin, transcribed
with liblouis and laid out as BANA Braille Formats 2016 asks; written as PEF (the BRF is
derived from it by `publish.braille.pef.brf_from_pef`)."""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml import html as lxml_html

from publish import __version__
from publish.braille.blocks import BLANK, Block, Transcriber
from publish.braille.fmt import Format, read_format
from publish.braille.inline import MARKER_CLASS
from publish.braille.pages import Paginator, framed, wrap
from publish.braille.pef import Volume, write_pef
from publish.braille.tables import NoTable, Translator, Untranslatable, tag_line, translator
from publish.characters import uncovered
from publish.editions import EDITIONS, page_map_maker, print_pages
from publish.errors import ManuscriptError
from publish.html import identifier_label, render_book
from publish.model import Book
from publish.options import Options
from publish.pagination import PageStart, insert_markers

GUIDANCE = "BANA Braille Formats 2016"


def render_braille(book: Book, options: Options) -> bytes:
    """The PEF file of the book."""
    edition = EDITIONS["braille"]
    words, numbers = _translators(book, options.braille_grade)
    fmt = read_format(book.root)
    root = lxml_html.document_fromstring(render_book(book, edition.name, edition.layers,
                                                     footnotes=False))
    insert_markers(root, print_pages(book, options), _marker)
    transcriber = Transcriber(words, fmt, book.metadata.language, options.braille_grade)
    try:
        return _render(book, options, transcriber, numbers, root)
    except Untranslatable as error:
        raise uncovered(book, error.characters, f"is in no braille table for "
                        f"'{book.metadata.language}' (liblouis {words.tables[0]})",
                        "braille is translated with the book's table; use another "
                        "character, or leave braille out (--edition)") from error


def _render(book: Book, options: Options, transcriber: Transcriber, numbers: Translator,
            root: Any) -> bytes:
    """The transcription laid out: title page and contents, then the book."""
    edition, fmt = EDITIONS["braille"], transcriber.fmt
    cells, lines = options.braille_cells, options.braille_lines

    def number_cells(label: str) -> str:
        return numbers.translate(label).replace(BLANK, "")

    margin = fmt.number("heading", "centred_margin")
    body = Paginator(cells, lines, indicator=fmt.cell("page", "print_indicator"), margin=margin)
    body.add(transcriber.blocks(root), number_cells)
    front = Paginator(cells, lines, prefix="p", margin=margin)
    front.add(_title_page(book, transcriber, options.braille_grade), number_cells)
    front.break_page()
    front.add([Block(transcriber.text("Contents"), centred=True, space_after=True)],
              number_cells)
    levels = sorted({placed.block.listed or 0 for placed in body.placed})
    for placed in body.placed:
        depth = levels.index(placed.block.listed or 0)
        front.rows(_contents_entry(placed.block.title, number_cells(placed.page), depth,
                                   cells, fmt))
    sections = tuple(tuple(tuple(framed(page, cells, lines, number_cells)) for page in part)
                     for part in (front.finish(), body.finish()))
    return write_pef(Volume(cells, lines, sections), book.metadata,
                     edition.identify(book.metadata), page_map_maker().identify(book.metadata))


def _translators(book: Book, grade: int) -> tuple[Translator, Translator]:
    """The text's table in the asked grade, and grade 1 for page numbers."""
    try:
        return translator(book.metadata.language, grade), translator(book.metadata.language, 1)
    except NoTable as error:
        where = tag_line(book.sources) or (book.root, None)
        raise ManuscriptError(where[0], where[1], str(error)) from error


def _marker(start: PageStart, _before_heading: bool) -> Any:
    """An empty element where a print page begins; the transcription reads its label."""
    return etree.Element("span", {"class": MARKER_CLASS, "data-label": start.label})


def _title_page(book: Book, transcriber: Transcriber, grade: int) -> list[Block]:
    """BANA's title page: title, author, publisher and year, then who transcribed it how."""
    meta = book.metadata
    lines = [meta.title, meta.subtitle or "", *(f"by {name}" for name in meta.authors),
             meta.publisher or "", (meta.date or "")[:4], meta.rights or "",
             f"Print edition: {identifier_label(meta.print_identifier)}"
             if meta.print_identifier else "",
             f"Transcribed into Unified English Braille grade {grade}" if
             meta.language.lower().startswith("en") else f"Braille grade {grade}",
             f"following {GUIDANCE}, by publish {__version__}"]
    return [Block(transcriber.text(line), centred=True, space_after=index == 0)
            for index, line in enumerate(lines) if line.strip()]


def _contents_entry(title: str, number: str, depth: int, cells: int, fmt: Format) -> list[str]:
    """A contents entry: the heading, guide dots, its braille page number at the margin."""
    indent = fmt.indent("contents").deeper(fmt.number("contents", "nested_step") * depth)
    reserve = len(number) + 3  # a blank, at least one guide dot, a blank
    lines = wrap(Block(title, indent), cells - reserve)
    dots = cells - len(lines[-1]) - len(number) - 2
    lines[-1] += BLANK + fmt.cell("contents", "guide_dot") * dots + BLANK + number
    return lines
