"""Reference rules (R codes): what an image or link would carry out of the book, or break."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from publish.errors import ManuscriptError
from publish.lint.access import until_close
from publish.lint.core import Doc, Finding, Hit, inline_blocks, text_of
from publish.model import Book
from publish.readers import MANIFEST, METADATA_FILES
from publish.readers.css import OWN_SHEETS, own_sheet
from publish.readers.links import judge
from publish.readers.metadata import MetadataSource
from publish.readers.resources import SVG, media_type, resolve_image
from publish.readers.svg import clean_svg


def svg_images(doc: Doc) -> Iterator[Hit]:
    """R001: what cleaning took out of an SVG image, so the author knows what readers miss."""
    for _, inline in inline_blocks(doc):
        for child in inline.children or []:
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            try:  # a missing or broken image is the reader's error, reported by the build
                path = resolve_image(src, doc.path, doc.root or doc.path.parent, 0)
            except ManuscriptError:
                continue
            if media_type(path) != SVG:
                continue
            removed = clean_svg(path).removed
            if removed:
                yield ("R001", doc.locate(inline, src), f"image '{src}': removed "
                       f"{', '.join(removed)} from the SVG (an image in a book may not run "
                       "or load anything)")


def cover_svg(source: Path, book: Book) -> Iterator[Finding]:
    """R001 for the cover, named where the writer set it (book.toml or front matter)."""
    cover = book.metadata.cover
    if cover is None or media_type(cover.path) != SVG:
        return
    removed = clean_svg(cover.path).removed
    if removed:
        where, line = _setting_line(source, "cover")
        yield Finding(where, line, "R001", f"cover '{cover.src}': removed {', '.join(removed)} "
                      "from the SVG (an image in a book may not run or load anything)")


def _setting_line(source: Path, key: str) -> tuple[Path, int]:
    """The file and line that set `key`: a book's settings file, else the manuscript."""
    settings = (MANIFEST, *METADATA_FILES)
    candidates = [source / name for name in settings] if source.is_dir() else [source]
    for path in (c for c in candidates if c.is_file()):
        text = path.read_text("utf-8", errors="replace")
        line = MetadataSource({}, path, text, first_line=0).line_of(key)
        if line:
            return path, line
    return candidates[0], 1


def links(doc: Doc) -> Iterator[Hit]:
    """R002-R003: links no reader can follow are written as text; say which and why."""
    if doc.targets is None:  # the book did not read: its own error comes first
        return
    for _, inline in inline_blocks(doc):
        children = inline.children or []
        for at, child in enumerate(children):
            if child.type != "link_open":
                continue
            href = str(child.attrs.get("href", ""))
            verdict = judge(href, doc.path, doc.targets)
            if verdict.code is not None:
                text = " ".join(text_of(until_close(children, at)).split())
                needle = f"]({unquote(href)}" if href else text
                yield (verdict.code, doc.locate(inline, needle), verdict.problem)


def own_sheets(root: Path, ignore: frozenset[str]) -> Iterator[Finding]:
    """R004: what the writer's EPUB and web sheets lose on the way in, at the line it was."""
    if "R004" in ignore:
        return
    for name in OWN_SHEETS:
        own = own_sheet(root, name)
        for what, line in (own[1] if own else {}).items():
            yield Finding(root / "styles" / name, max(line, 1), "R004",
                          f"removed {what}: an edition carries no file a stylesheet names, "
                          "and a reader's device must not fetch one from the web")
