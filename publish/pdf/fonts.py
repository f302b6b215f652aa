"""Every character drawn from an embedded font that has it, or an error naming it and its line.

A character no font has is drawn as `.notdef` with a made-up encoding: PDF/UA fails and
text extraction loses it. Two checks: before layout, each character of the text must be in
one of the fonts the edition's stylesheets bundle (so the result does not depend on the
fonts of the machine that builds it); while the PDF is drawn, WeasyPrint's `.notdef`
warning is turned into the same error, for whatever the first check cannot see.
"""

from __future__ import annotations

import logging
import re
import struct
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError
from lxml import html as lxml_html

from publish import layers as style_layers
from publish.characters import uncovered
from publish.layers import STYLES
from publish.model import Book
from publish.typefaces.files import folders as font_folders
from publish.typefaces.plan import NOT_DRAWN, FontPlan, declared_faces, font_codes, plan_fonts
from publish.typefaces.table import SERIF

_RELATIVE_URL = re.compile(r"""url\(\s*(['"]?)(?![a-zA-Z][\w+.-]*:|/|#)([^'")]+)\1\s*\)""")
_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-F]{4,6})\)")
_NOT_DRAWN = NOT_DRAWN


def font_plan(book: Book, layers: tuple[str, ...], markup: str, ours: Sequence[str],
              writers: Sequence[str]) -> FontPlan:
    """The font stacks of an edition (its layer says `faces = "serif"` or `"sans"`) for this
    markup, with the families its font sheets and the writer's stylesheets declare."""
    style = style_layers.setting(layers[-1], "faces") or SERIF
    own = declared_faces(writers, STYLES, (book.root,))
    declared = declared_faces(ours, STYLES, (STYLES, *font_folders())) | own
    return plan_fonts(style, book.metadata.language, markup, declared, list(own))


def writer_css(path: Path) -> str:
    """A writer's stylesheet with its relative URLs made absolute, so a font or image it
    names is looked for beside it (inside the manuscript folder, as the fetcher insists)."""
    folder = path.parent

    def absolute(match: re.Match[str]) -> str:
        return f'url("{(folder / match.group(2).strip()).resolve().as_uri()}")'

    return _RELATIVE_URL.sub(absolute, path.read_text("utf-8"))


def check_coverage(book: Book, markup: str, stylesheets: Sequence[str]) -> None:
    """Refuse text that none of the edition's fonts (ours and the writer's) can draw, before
    laying it out: only an edition that embeds fonts calls this."""
    allowed = (STYLES, book.root, *font_folders())
    fonts = tuple(sorted({path for files in declared_faces(stylesheets, STYLES, allowed).values()
                          for path in files}))
    if not fonts:
        return
    covered = _coverage(fonts)
    missing = {ch for ch in _drawn_text(markup)
               if ord(ch) not in covered and unicodedata.category(ch) not in _NOT_DRAWN}
    if missing:
        names = ", ".join(sorted({_family(font) for font in fonts}))
        raise uncovered(book, missing, f"is in none of the edition's fonts ({names})")


@contextmanager
def refusing_notdef(book: Book) -> Iterator[None]:
    """While WeasyPrint draws, a glyph it had to draw as `.notdef` fails the build."""
    seen: set[str] = set()

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            match = _NOTDEF.search(record.getMessage())
            if match:
                seen.add(chr(int(match.group(1), 16)))

    logger = logging.getLogger("weasyprint")
    handler, level, propagate = Catch(logging.WARNING), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    if seen:
        raise uncovered(book, seen, "has no glyph in any font available to the renderer")


def _drawn_text(markup: str) -> set[str]:
    # lxml-stubs type this as a bare _Element; lxml.html returns an HtmlElement, with .body
    body = lxml_html.document_fromstring(markup).body  # type: ignore[attr-defined]
    return set("".join(body.itertext()))


@cache
def _coverage(fonts: tuple[Path, ...]) -> frozenset[int]:
    covered: set[int] = set()
    for font in fonts:
        covered.update(font_codes(font))
    return frozenset(covered)


@cache
def _family(font: Path) -> str:
    try:
        return str(TTFont(font, lazy=True)["name"].getBestFamilyName() or font.stem)
    except (TTLibError, OSError, KeyError, AssertionError, struct.error):
        return font.stem
