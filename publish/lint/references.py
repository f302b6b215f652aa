"""Reference rules (R codes): what an image or link would carry out of the book, or break."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from publish.errors import ManuscriptError
from publish.lint.access import until_close
from publish.lint.core import Doc, Finding, Hit, inline_blocks, text_of
from publish.readers.css import OWN_SHEETS, own_sheet
from publish.readers.links import judge
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
