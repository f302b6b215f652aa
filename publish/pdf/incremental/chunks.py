"""A PDF edition's markup in chunks of whole divisions, laid out one after another.

Each chunk is the frame with its own divisions, then an empty copy of the next chunk's first
division: the layout makes the blank filler page a recto opening needs, and the copy's page,
dropped afterwards, carries the page counter the next chunk starts from. The front matter is
laid out last, so its contents can print the main chunks' folios as text. A chunk's page map
can go to the large-print worker while the next chunk is laid out. Pages are read through
`publish.pdf.engine`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from publish.pagination import PageMap, PageStart
from publish.pdf.engine import (
    Document,
    Page,
    breaks_before,
    is_blank,
    page_counters,
    page_map,
    side,
    signature,
)
from publish.pdf.incremental.markup import Cut, starting_counter, top_divisions

CHUNK_CHARS = 60_000  # of markup: a few chapters; smaller chunks cost a little more in all
MAX_CHUNKS = 8
LEAD = 0.35  # the first chunk's size against the others': large print waits for its pages
SENTINEL = "publish-next-chunk"
# The contents' page numbers for divisions of other chunks, set as text before layout.
LITERAL_FOLIOS = '.toc-list a[data-folio]::after { content: leader(". ") attr(data-folio); }\n'


def plan(now: Cut, front: list[str], chunk_chars: int | None = None) -> list[list[str]]:
    """The main divisions in chunks of about `chunk_chars` (by default CHUNK_CHARS) of
    markup, in order; one chunk (no chunking) for a short book."""
    main = [division for division in now.divisions if division not in front]
    total = sum(len(now.divisions[division]) for division in main)
    count = max(1, min(MAX_CHUNKS, len(main), round(total / (chunk_chars or CHUNK_CHARS))))
    if count == 1:
        return [main]
    scale = total / (LEAD + count - 1)
    ends = [scale * (LEAD + k) for k in range(count)]  # of markup, where each chunk is full
    chunks: list[list[str]] = [[]]
    done = 0
    for division in main:
        if chunks[-1] and done >= ends[len(chunks) - 1]:
            chunks.append([])
        chunks[-1].append(division)
        done += len(now.divisions[division])
    return chunks


def chunk(markup: str, keep: list[str], following: str | None,
          folios: dict[str, str] | None = None) -> str:
    """The markup of one chunk: the frame, the kept divisions and, if a chunk follows, an
    empty copy of its first division; `folios` print as text in the contents' links."""
    root = lxml_html.document_fromstring(markup)
    for element in list(top_divisions(root)):
        name = element.get("id")
        if name == following:
            _empty(element)
        elif name not in keep:
            element.drop_tree()
    if folios:
        for link in _links(root):
            if (folio := folios.get(link.get("href")[1:])) is not None:
                link.set("data-folio", folio)
    return str(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def _empty(element: Any) -> None:
    """The next chunk's first division as an empty box: the same page break, no content."""
    for child in list(element):
        element.remove(child)
    element.text = None
    element.set("id", SENTINEL)
    for name in ("aria-labelledby", "role"):
        element.attrib.pop(name, None)


def _links(root: Any) -> Iterator[Any]:
    return (link for link in root.iter("a") if (link.get("href") or "").startswith("#"))


@dataclass(frozen=True)
class Piece:
    """One main chunk's print page starts, sent on while the next chunk is laid out."""

    divisions: tuple[str, ...]
    following: str | None  # the next chunk's first division
    starts: PageMap


# (markup, stylesheets added to the edition's) -> a laid-out WeasyPrint document
LayOut = Callable[[str, list[str]], Document]
# (the chunk's divisions, the next chunk's first division, folios to print as text) -> markup
MarkUp = Callable[[list[str], str | None, dict[str, str] | None], str]


def lay_out_in_chunks(
    chunks: Iterable[tuple[list[str], str | None]], front: list[str], mark_up: MarkUp,
    lay_out: LayOut, send: Callable[[Piece], None] | None = None,
) -> tuple[Document, PageMap] | None:
    """The edition laid out chunk by chunk, the front matter last, as one document (the
    chunks' pages in order) and its page map; None if there was nothing to chunk or a
    chunk's pages would not be those of one layout."""
    pages: list[Page] = []
    starts: list[PageStart] = []
    waiting: list[str] = []  # labels of blank pages that start where the next chunk does
    counter, opening, first = None, "right", None
    for divisions, following in chunks:
        extra: list[str] = [] if counter is None else [starting_counter(counter),
                                                       starting_side(opening)]
        document = lay_out(mark_up(divisions, following, None), extra)
        own = document.pages[:-1] if following else document.pages
        if not own or not breaks_before(own[0], divisions[0]):
            return None
        counter = page_counters(document.pages)[-1]
        opening = side(document.pages[-1])
        found = page_map(document)[:len(own)]
        blanks = _trailing_blanks(own) if following else 0
        piece = [PageStart(label, found[0].anchor, found[0].offset) for label in waiting]
        piece += found[:len(found) - blanks]
        waiting = [start.label for start in found[len(found) - blanks:]]
        if send is not None:
            send(Piece(tuple(divisions), following, tuple(piece)))
        first = first or divisions[0]
        starts += piece
        pages += own
    if first is None:
        return None
    folios: dict[str, str] = {}  # each id's first page
    for page, start in zip(pages, starts, strict=True):
        for anchor in page.anchors:
            folios.setdefault(anchor, start.label)
    document = lay_out(mark_up(front, first, folios), [LITERAL_FOLIOS])
    own = document.pages[:-1]
    found = page_map(document)[:len(own)]
    blanks = _trailing_blanks(own)
    head = [*found[:len(found) - blanks],
            *(PageStart(s.label, starts[0].anchor, starts[0].offset)
              for s in found[len(found) - blanks:])]
    combined = document.copy([*own, *pages])
    if not _sides_hold(combined.pages):
        return None
    return combined, (*head, *starts)


def starting_side(side: str) -> str:
    """A stylesheet that puts a chunk's first page on the side the whole book has it: a
    book without blank versos can start a chunk on a left-hand page."""
    return f"html {{ break-before: {side}; }}\n"


def _trailing_blanks(pages: list[Page]) -> int:
    """How many blank filler pages end a chunk."""
    count = 0
    while count < len(pages) - 1 and is_blank(pages[-1 - count]):
        count += 1
    return count


def _sides_hold(pages: list[Page]) -> bool:
    """Whether every page laid out as a right-hand page where the whole book would have a
    left-hand one (or the other way) looks as a page of that side does."""
    sides: dict[str, set[tuple[object, ...]]] = {"left": set(), "right": set()}
    for index, page in enumerate(pages):
        if side(page) == _side(index):
            sides[_side(index)].add(signature(page))
    return all(signature(page) in sides[_side(index)]
               for index, page in enumerate(pages)
               if side(page) != _side(index))


def _side(index: int) -> str:
    return "right" if index % 2 == 0 else "left"
