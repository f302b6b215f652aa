"""The EPUB navigation document: nested contents, landmarks and (later) the page-list."""

from __future__ import annotations

from dataclasses import dataclass

from publish.epub.documents import LAYERS, ContentDocument, PackagePlan
from publish.html import EPUB_TYPES, render_template
from publish.model import Book, Division, Heading, Inline, plain_text

# Kinds that sit before the printed table of contents, as in the print edition.
_BEFORE_TOC = frozenset({"titlepage", "copyright", "dedication", "epigraph"})
_LANDMARK_TYPES = {"copyright": "copyright-page"}
_LANDMARK_LABELS = {
    "titlepage": "Title Page", "copyright": "Copyright", "acknowledgements": "Acknowledgements",
}


@dataclass(frozen=True)
class NavEntry:
    """A table-of-contents line with the entries nested under it."""

    label: str
    href: str
    children: tuple[NavEntry, ...] = ()


@dataclass(frozen=True)
class Landmark:
    """A landmarks line: an EPUB structural type and where it starts."""

    type: str
    label: str
    href: str


@dataclass(frozen=True)
class PageTarget:
    """A print page start inside the EPUB, for the page-list (fed by print pagination)."""

    label: str
    href: str


def nav_insert_at(book: Book) -> int | None:
    """Where the table of contents sits in reading order (as in print); None for articles."""
    if book.layout != "book":
        return None
    for index, division in enumerate(book.divisions):
        if division.kind not in _BEFORE_TOC:
            return index
    return len(book.divisions)


def toc_entries(book: Book, layout: PackagePlan) -> tuple[NavEntry, ...]:
    """Parts holding chapters holding their `##` sections, as hrefs from the package root."""
    return tuple(
        _entry(d, layout) for d in book.divisions if d.kind not in ("titlepage", "copyright")
    )


def _entry(division: Division, layout: PackagePlan) -> NavEntry:
    """A division's line: its child divisions, then its own `##` sections."""
    sections = tuple(
        NavEntry(_label(block.children, "Section"), f"{layout.files[division.id]}#{block.attrs.id}")
        for block in division.blocks
        if isinstance(block, Heading) and block.level == 2 and block.attrs.id
    )
    children = tuple(_entry(child, layout) for child in division.children)
    return NavEntry(_label(division.title, division.kind.title()), layout.files[division.id],
                    children + sections)


def _label(inlines: tuple[Inline, ...], fallback: str) -> str:
    """Plain words for a nav line, never empty (an empty link is invalid)."""
    return " ".join(plain_text(inlines).split()) or fallback


def landmarks(book: Book, layout: PackagePlan, nav_name: str) -> tuple[Landmark, ...]:
    """Cover, then each kind of front matter, contents, body and back matter where it starts."""
    marks = [Landmark("cover", "Cover", layout.cover)]
    toc = Landmark("toc", "Contents", f"{nav_name}#toc")
    toc_pending = nav_insert_at(book) is not None  # a landmark must point into the spine
    for division in book.all_divisions():
        if toc_pending and division.kind not in _BEFORE_TOC:
            marks.append(toc)
            toc_pending = False
        mark = _landmark(division, layout)
        if all(m.type != mark.type for m in marks):
            marks.append(mark)
    return (*marks, toc) if toc_pending else tuple(marks)


def _landmark(division: Division, layout: PackagePlan) -> Landmark:
    """Body matter is one landmark where it starts; other kinds are named by their type."""
    href = layout.files[division.id]
    if division.matter == "body":
        return Landmark("bodymatter", "Start of Content", href)
    kind = _LANDMARK_TYPES.get(division.kind) or EPUB_TYPES.get(division.kind) or division.kind
    return Landmark(kind, _LANDMARK_LABELS.get(division.kind, division.kind.title()), href)


def nav_document(
    book: Book, layout: PackagePlan, name: str, stylesheets: tuple[str, ...],
    page_list: tuple[PageTarget, ...] = (),
) -> ContentDocument:
    """The EPUB navigation document, from the `nav.xhtml.j2` template."""
    xhtml = render_template(
        book, "nav.xhtml.j2", LAYERS, toc=toc_entries(book, layout),
        landmarks=landmarks(book, layout, name), page_list=page_list,
        stylesheets=stylesheets, in_spine=nav_insert_at(book) is not None,
    )
    return ContentDocument(name, xhtml, ("nav",))
