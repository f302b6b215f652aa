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
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import html as lxml_html

from publish.errors import BuildError, ManuscriptError
from publish.layers import STYLES
from publish.model import Book

_FONT_URL = re.compile(r"""url\(\s*['"]?(fonts/[^'")\s]+)""")
_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-F]{4,6})\)")
_NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Mn"})  # controls, joiners, marks on a base
_SHOWN = 5


def check_coverage(book: Book, markup: str, stylesheets: Sequence[str]) -> None:
    """Refuse text that none of the edition's bundled fonts can draw, before laying it out."""
    fonts = tuple(sorted({STYLES / url for sheet in stylesheets for url in _FONT_URL.findall(sheet)
                          if (STYLES / url).is_file()}))
    if not fonts:
        return
    covered = _coverage(fonts)
    missing = {ch for ch in _drawn_text(markup)
               if ord(ch) not in covered and unicodedata.category(ch) not in _NOT_DRAWN}
    if missing:
        names = ", ".join(sorted({_family(font) for font in fonts}))
        raise uncovered(book, missing, f"is in none of the bundled fonts ({names})")


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


def uncovered(book: Book, characters: Iterable[str], why: str) -> Exception:
    """An error naming the first character (in manuscript order) and where it is."""
    wanted = set(characters)
    where = _first_use(book.sources, wanted)
    first = where[2] if where else min(wanted)
    others = sorted(wanted - {first})
    message = f"{_describe(first)} {why}; use another character or add a font that has it"
    if others:
        listed = ", ".join(_describe(ch) for ch in others[:_SHOWN])
        more = f" and {len(others) - _SHOWN} more" if len(others) > _SHOWN else ""
        message += f" (also missing: {listed}{more})"
    if where is None:
        return BuildError(message)
    return ManuscriptError(where[0], where[1], message)


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')} '{ch}'"


def _first_use(sources: Sequence[Path], wanted: set[str]) -> tuple[Path, int, str] | None:
    for path in sources:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue  # a Word file: no lines to name
        for number, line in enumerate(text.splitlines(), start=1):
            hit = next((ch for ch in line if ch in wanted), None)
            if hit is not None:
                return path, number, hit
    return None


def _drawn_text(markup: str) -> set[str]:
    # lxml-stubs type this as a bare _Element; lxml.html returns an HtmlElement, with .body
    body = lxml_html.document_fromstring(markup).body  # type: ignore[attr-defined]
    return set("".join(body.itertext()))


@cache
def _coverage(fonts: tuple[Path, ...]) -> frozenset[int]:
    covered: set[int] = set()
    for font in fonts:
        covered.update(TTFont(font, lazy=True).getBestCmap())
    return frozenset(covered)


@cache
def _family(font: Path) -> str:
    return str(TTFont(font, lazy=True)["name"].getBestFamilyName() or font.stem)
