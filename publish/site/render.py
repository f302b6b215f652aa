"""The web edition as a zip of a static site: an index with the book's metadata, contents
and print page list, then one page per division, each linked to the next. The build
unpacks the zip beside itself into `<stem>-web/`; nothing in it loads from the network."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from publish.editions import print_pages
from publish.epub.documents import PackagePlan, links_from, safe_stem, unique_name
from publish.epub.nav import NavEntry, nav_insert_at, toc_entries
from publish.epub.render import build_time
from publish.html import render_page, render_template
from publish.layers import folder
from publish.model import Book, Division, plain_text
from publish.options import Options
from publish.readers.css import own_sheet
from publish.readers.resources import image_bytes
from publish.site.pages import PageMarks
from publish.walk import book_images, division_ids

LAYERS = ("web",)
INDEX = "index.html"
# The bundled fonts the stylesheet loads, and the licences that come with them.
FONTS = ("LinLibertine_R.otf", "LinLibertine_RI.otf", "LinLibertine_RB.otf",
         "atkinson-hyperlegible-latin-400-normal.ttf",
         "atkinson-hyperlegible-latin-700-normal.ttf",
         "atkinson-hyperlegible-latin-ext-400-normal.ttf",
         "atkinson-hyperlegible-latin-ext-700-normal.ttf",
         "atkinson-hyperlegible-mono-latin-400-normal.ttf",
         "COPYRIGHT-LinuxLibertine.txt", "OFL-AtkinsonHyperlegible.txt",
         "OFL-AtkinsonHyperlegibleMono.txt")
_ASSETS = ("web.css", "reader.js")


@dataclass(frozen=True)
class SitePage:
    """One HTML page of the site: its file name and the divisions it shows."""

    name: str
    title: str
    divisions: tuple[Division, ...]
    depth: int  # the heading level of its divisions' titles


def render_site(book: Book, options: Options) -> bytes:
    """The whole site, zipped with one fixed time so two builds give the same bytes."""
    plan, pages = plan_site(book)
    marks = PageMarks(print_pages(book, options), plan, INDEX)
    files = {page.name: _finish(page.name, _page_html(book, plan, pages, at, marks), marks)
             for at, page in enumerate(pages)}
    return _zip(book, plan, files)


def plan_site(book: Book) -> tuple[PackagePlan, list[SitePage]]:
    """Where every division, id and image lands: the front matter before the contents on
    the index (all of an article), each other division on a page of its own."""
    at = nav_insert_at(book)
    on_index = book.all_divisions() if at is None else book.divisions[:at]
    index = SitePage(INDEX, book.metadata.title, tuple(on_index), 2 if at is not None else 1)
    shown = {d.id for d in on_index}
    top = {d.id for d in book.divisions}
    taken = {INDEX}
    pages = [index]
    for division in book.all_divisions():
        if division.id in shown:
            continue
        depth = 1 if division.id in top else 2
        name = unique_name(safe_stem(division.id, "section") + ".html", taken)
        title = plain_text(division.title) or division.kind.title()
        pages.append(SitePage(name, title, (division,), depth))
    files = {d.id: page.name for page in pages for d in page.divisions}
    ids = {ident: files[d.id] for d in book.all_divisions() for ident in division_ids(d)}
    images: dict[Path, str] = {}
    image_taken: set[str] = set()
    for image in book_images(book):
        if image.path not in images:
            name = safe_stem(image.path.stem, "image") + image.path.suffix.lower()
            images[image.path] = f"images/{unique_name(name, image_taken)}"
    return PackagePlan(files=files, ids=ids, images=images, cover=INDEX), pages


def _page_html(book: Book, plan: PackagePlan, pages: list[SitePage], at: int,
               marks: PageMarks) -> str:
    """One page in the site's frame: skip link, banner, its divisions, previous and next."""
    page = pages[at]
    contents = _contents(book, plan, pages) if page.name == INDEX else ()
    return render_page(
        book, "page.html.j2", LAYERS, "web", links_from(plan, ""), page=page,
        previous=pages[at - 1] if at > 0 else None,
        next=pages[at + 1] if at + 1 < len(pages) else None,
        contents=contents, page_list=marks.page_list() if page.name == INDEX else (),
    )


def _finish(name: str, page: str, marks: PageMarks) -> str:
    """The page with its print page anchors, and its tables made scrollable on their own."""
    root = lxml_html.document_fromstring(page)
    marks.mark(name, root)
    _scrolling_tables(root)
    text: str = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return text + "\n"


def _scrolling_tables(root: Any) -> None:
    """Wrap each table in a region that scrolls sideways by itself, which a keyboard can
    reach: a table wider than a phone keeps its columns (WCAG 1.4.10 lets a data table
    scroll in two dimensions) and the page itself never scrolls sideways."""
    for number, table in enumerate(root.iter("table"), start=1):
        caption = table.find("caption")
        label = " ".join(caption.text_content().split()) if caption is not None else ""
        region = lxml_html.Element("div", {
            "class": "table-scroll", "role": "region", "tabindex": "0",
            "aria-label": label or f"Table {number}",
        })
        region.tail, table.tail = table.tail, None
        table.addprevious(region)
        region.append(table)


def _contents(book: Book, plan: PackagePlan, pages: list[SitePage]) -> tuple[NavEntry, ...]:
    """The contents: every division with a page of its own, and its sections."""
    own = {page.name for page in pages[1:]}
    return tuple(entry for entry in toc_entries(book, plan) if entry.href in own)


def _zip(book: Book, plan: PackagePlan, pages: dict[str, str]) -> bytes:
    """Pages, stylesheet, script, fonts with their licences, and images, in one zip."""
    stamp = max(build_time().timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _files(book, plan, pages):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return buffer.getvalue()


def _files(book: Book, plan: PackagePlan, pages: dict[str, str],
           ) -> Iterator[tuple[str, bytes]]:
    """Every file of the site by its path inside the folder, pages in reading order."""
    for name, html in pages.items():
        yield name, html.encode("utf-8")
    for asset in _ASSETS:
        yield f"assets/{asset}", render_template(book, asset, LAYERS).encode("utf-8")
    own = own_sheet(book.root, "web.css")
    if own is not None:
        yield "assets/manuscript.css", own[0]
    fonts = folder("fonts")
    for font in FONTS:
        yield f"assets/fonts/{font}", (fonts / font).read_bytes()
    for path, name in plan.images.items():
        yield name, image_bytes(path)
