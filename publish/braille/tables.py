"""Which liblouis table translates a book: UEB for English, else the table liblouis's own
metadata names for the language's BCP 47 tag, in the grade asked."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import langcodes

from publish.braille.louis import LouisMissing, load
from publish.model import Book

UEB = {1: "en-ueb-g1.ctb", 2: "en-ueb-g2.ctb"}  # Unified English Braille, as BANA and UKAAF use
ITALIC, BOLD = "italic", "bold"
_DOTS = 0x2800  # Unicode braille patterns start here; liblouis's dotsIO sets bit 0x8000
_DOTS_IO = 0x8000
_LAST_SIX_DOT = 0x283F  # cells past it use dots 7 and 8: liblouis's escapes for the undefined


class NoTable(LookupError):
    """liblouis has no table for a language."""


class Untranslatable(ValueError):
    """Characters the table does not define: liblouis would write them as escapes."""

    def __init__(self, characters: set[str]) -> None:
        super().__init__(f"no braille for {sorted(characters)}")
        self.characters = characters


@dataclass(frozen=True)
class Translator:
    """One table list of liblouis, translating to and from Unicode braille cells."""

    tables: tuple[str, ...]

    def translate(self, text: str, emphasis: list[str] | None = None) -> str:
        """Text as Unicode braille; `emphasis` names a typeform per character ('' for none)."""
        louis = _louis()
        typeform = None
        if emphasis is not None:
            kinds = {"": 0, ITALIC: louis.italic, BOLD: louis.bold}
            typeform = [kinds[kind] for kind in emphasis]
        cells = self._cells(text, typeform)
        if any(ord(cell) > _LAST_SIX_DOT for cell in cells):
            raise Untranslatable({ch for ch in set(text) if not ch.isspace() and
                                  any(ord(cell) > _LAST_SIX_DOT for cell in self._cells(ch))})
        return cells

    def _cells(self, text: str, typeform: list[int] | None = None) -> str:
        louis = _louis()
        cells: str = louis.translateString(list(self.tables), text, typeform=typeform,
                                           mode=louis.dotsIO | louis.ucBrl)
        return cells

    def back(self, cells: str) -> str:
        """Unicode braille back to text, as a reader of the braille would take it."""
        louis = _louis()
        dots = "".join(chr(_DOTS_IO | (ord(cell) - _DOTS)) if cell != " " else
                       chr(_DOTS_IO) for cell in cells)
        text: str = louis.backTranslateString(list(self.tables), dots, mode=louis.dotsIO)
        return text


@cache
def _louis() -> Any:
    """The binding, quiet: liblouis logs its table search to standard error otherwise."""
    louis = load()
    louis.setLogLevel(louis.LOG_OFF)
    return louis


@cache
def translator(language: str, grade: int) -> Translator:
    """The translator for a BCP 47 tag; raises NoTable naming the language."""
    subtags = language.lower().split("-")
    if subtags[0] == "en":
        return Translator((UEB[grade],))
    eight_dot = None
    for tag in ("-".join(subtags), subtags[0]):
        for query in (f"language:{tag} type:literary grade:{grade}",
                      f"language:{tag} type:literary"):
            found = _find_table(query)
            if found is not None and _table_info(found, "dots") == "8":
                eight_dot = found
            elif found is not None:
                return Translator((found,))
    only = f" (only the 8-dot {eight_dot}, and BRF and PEF here are 6-dot)" if eight_dot else ""
    raise NoTable(f"no braille table for language '{language}' in liblouis "
                  f"{_louis().version()}{only}")


def untranscribable(book: Book) -> str | None:
    """Why liblouis cannot transcribe the book's language, None when it can (or when
    liblouis itself is missing: the braille build then says so)."""
    try:
        translator(book.metadata.language, 1)
    except NoTable as error:
        return str(error)
    except LouisMissing:
        return None
    return None


@cache
def language_name(language: str) -> str:
    """A language's name in English, as a transcriber's note says it: "French"."""
    return str(langcodes.Language.get(language).language_name("en"))


def named_language(name: str) -> str | None:
    """The tag of the language a transcriber's note names ("French": "fr"), None when the
    note names no language."""
    try:
        tag = str(langcodes.find(name))
    except LookupError:
        return None
    return tag if language_name(tag) == name else None


def _find_table(query: str) -> str | None:
    """liblouis's best table for a metadata query, by file name."""
    find = _louis().liblouis.lou_findTable
    find.restype, find.argtypes = ctypes.c_char_p, [ctypes.c_char_p]
    found = find(query.encode())
    return Path(found.decode()).name if found else None


def _table_info(table: str, feature: str) -> str | None:
    """A feature a table's metadata declares (`dots`: "6" or "8"), None when it declares none."""
    info = _louis().liblouis.lou_getTableInfo
    info.restype, info.argtypes = ctypes.c_char_p, [ctypes.c_char_p, ctypes.c_char_p]
    value = info(table.encode(), feature.encode())
    return value.decode() if value else None


def tag_line(sources: tuple[Path, ...]) -> tuple[Path, int | None] | None:
    """Where the manuscript sets its language, for an error that names the line."""
    pattern = re.compile(r"^\s*lang(uage)?\s*[:=]", re.I)
    for path in sources:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if pattern.match(line):
                return path, number
    return (sources[0], None) if sources else None
