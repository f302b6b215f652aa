"""What goes inside the EPUB: file names, cross-document links and rendered XHTML.

Kept free of EbookLib so the packaging module stays small and this logic is testable alone.
"""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from publish.html import Links, render_division, render_template
from publish.ids import slugify
from publish.model import Book, Image
from publish.readers.resources import image_bytes, media_type
from publish.walk import book_images, division_ids

log = logging.getLogger("publish")

LAYERS = ("epub",)
TEXT_DIR = "text"
IMAGE_DIR = "images"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
               "image/svg+xml": ".svg"}


@dataclass(frozen=True)
class ContentDocument:
    """One XHTML file of the package, in reading order when it belongs to the spine."""

    name: str  # path inside the package folder, e.g. `text/chapter-1.xhtml`
    content: str
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resource:
    """A non-document file: an image or a stylesheet."""

    name: str
    media_type: str
    data: bytes
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackagePlan:
    """Where every division, id and image lands in the package."""

    files: dict[str, str]  # division id -> document name
    ids: dict[str, str]  # any fragment id in the book -> document name
    images: dict[Path, str]  # image file -> name inside the package
    cover: str  # the cover document's name


# ---------------------------------------------------------------- names and links


def unique_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`... before the extension, and remember it."""
    stem, dot, ext = wanted.rpartition(".") if "." in wanted else (wanted, "", "")
    candidate, n = wanted, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    taken.add(candidate.lower())
    return candidate


def safe_stem(text: str, fallback: str) -> str:
    """A file name part that needs no URL escaping in any reading system."""
    return text if _SAFE_NAME.match(text) else slugify(text, fallback)


def plan_layout(book: Book) -> PackagePlan:
    """Name every document and image, and map every id to the document that holds it."""
    taken: set[str] = set()
    files = {
        d.id: f"{TEXT_DIR}/{unique_name(safe_stem(d.id, 'section') + '.xhtml', taken)}"
        for d in book.all_divisions()
    }
    cover = f"{TEXT_DIR}/{unique_name('cover.xhtml', taken)}"
    ids: dict[str, str] = {}
    for division in book.all_divisions():
        for ident in division_ids(division):
            ids.setdefault(ident, files[division.id])
    images: dict[Path, str] = {}
    image_taken: set[str] = {"cover.svg"}
    for image in book_images(book):
        if image.path not in images:
            name = safe_stem(image.path.stem, "image") + _extension(image.path)
            images[image.path] = f"{IMAGE_DIR}/{unique_name(name, image_taken)}"
    return PackagePlan(files=files, ids=ids, images=images, cover=cover)


def _extension(path: Path) -> str:
    """The extension that matches the file's real format, whatever it was called."""
    return _EXTENSIONS.get(media_type(path) or "", path.suffix.lower())


def relative(name: str, from_dir: str) -> str:
    """A package path as seen from a document in `from_dir` (`""` is the package root)."""
    if not from_dir:
        return name
    return name[len(from_dir) + 1:] if name.startswith(f"{from_dir}/") else f"../{name}"


def links_from(layout: PackagePlan, from_dir: str) -> Links:
    """Links for documents in `from_dir`: fragments go to the file holding the id."""

    def fragment(ident: str) -> str:
        name = layout.ids.get(ident)
        if name is None:
            log.warning("link to '#%s': no such id in the book", ident)
            return f"#{ident}"
        return f"{relative(name, from_dir)}#{ident}"

    return Links(fragment=fragment, image=lambda image: relative(layout.images[image.path],
                                                                  from_dir),
                 known=lambda ident: ident in layout.ids)


# ---------------------------------------------------------------- documents


def division_documents(
    book: Book, layout: PackagePlan, stylesheets: tuple[str, ...]
) -> Iterator[ContentDocument]:
    """One content document per division; chapters in a part are one level deeper."""
    links = links_from(layout, TEXT_DIR)
    sheets = tuple(relative(s, TEXT_DIR) for s in stylesheets)
    for division in book.divisions:
        for child, depth in ((division, 1), *((c, 2) for c in division.children)):
            xhtml = render_division(book, child, depth, links, sheets)
            yield ContentDocument(layout.files[child.id], xhtml)


# ---------------------------------------------------------------- cover


def cover_resources(book: Book, layout: PackagePlan) -> tuple[str, Resource | None]:
    """The cover image's package name, and the generated SVG when the book has none."""
    cover = book.metadata.cover
    if cover is not None:
        return layout.images[cover.path], None
    title_lines = wrap(book.metadata.title, 16)
    if len(title_lines) > 3:  # long titles: a smaller size and longer lines
        title_lines = wrap(book.metadata.title, 21)
    svg = render_template(book, "cover.svg.j2", LAYERS, alt=cover_alt(book),
                          title_lines=title_lines,
                          subtitle_lines=wrap(book.metadata.subtitle or "", 28),
                          authors=book.metadata.authors)
    name = f"{IMAGE_DIR}/cover.svg"
    return name, Resource(name, "image/svg+xml", svg.encode("utf-8"), ("cover-image",))


def cover_alt(book: Book) -> str:
    """What the cover shows, for readers who cannot see it."""
    if book.metadata.cover is not None:
        return book.metadata.cover.alt
    byline = f" by {' and '.join(book.metadata.authors)}" if book.metadata.authors else ""
    return f"Cover of {book.metadata.title}{byline}"


def cover_document(book: Book, layout: PackagePlan, image: str,
                   stylesheets: tuple[str, ...]) -> ContentDocument:
    """The cover page: the cover image and its description."""
    xhtml = render_template(
        book, "cover.xhtml.j2", LAYERS, src=relative(image, TEXT_DIR), alt=cover_alt(book),
        stylesheets=tuple(relative(s, TEXT_DIR) for s in stylesheets),
    )
    return ContentDocument(layout.cover, xhtml)


def wrap(text: str, width: int) -> list[str]:
    """Lines for SVG text, which does not wrap by itself."""
    return textwrap.wrap(text, width=width, break_long_words=False) if text else []


def image_resources(layout: PackagePlan, cover: Image | None) -> Iterator[Resource]:
    """Every image file once, the cover marked as the cover image."""
    for path, name in layout.images.items():
        kind = media_type(path) or "application/octet-stream"
        properties = ("cover-image",) if cover is not None and path == cover.path else ()
        yield Resource(name, kind, image_bytes(path), properties)
