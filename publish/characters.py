"""Errors about characters an edition cannot carry (a font without the glyph, a braille table
without the letter), naming the first one where the manuscript uses it: shared by the PDF
editions and braille, so neither reaches into the other's package."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from publish.errors import BuildError, ManuscriptError
from publish.model import Book

_SHOWN = 5  # further characters named before a count of the rest


def uncovered(book: Book, characters: Iterable[str], why: str,
              remedy: str = "use another character or add a font that has it") -> Exception:
    """An error naming the first character (in manuscript order) and where it is."""
    wanted = set(characters)
    where = _first_use(book.sources, wanted)
    first = where[2] if where else min(wanted)
    others = sorted(wanted - {first})
    message = f"{describe(first)} {why}; {remedy}"
    if others:
        listed = ", ".join(describe(ch) for ch in others[:_SHOWN])
        more = f" and {len(others) - _SHOWN} more" if len(others) > _SHOWN else ""
        message += f" (also missing: {listed}{more})"
    if where is None:  # a Word file has no lines: its name is the place
        return ManuscriptError(book.sources[0], None, message) if book.sources \
            else BuildError(message)
    return ManuscriptError(where[0], where[1], message)


def describe(ch: str) -> str:
    """A character as a message names it: code point, Unicode name, the character."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')} '{ch}'"


def _first_use(sources: Sequence[Path], wanted: set[str]) -> tuple[Path, int, str] | None:
    """The first manuscript line using one of the characters, and which one."""
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
