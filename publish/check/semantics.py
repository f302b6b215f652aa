"""What must survive conversion (EN 301 549 5.4), as one comparable record per edition."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_NOT_WORD = re.compile(r"[\W_]+")
# `[37]`: where a print page begins, which large print adds to its text
_PAGE_MARKER = re.compile(r"\[(?:\d{1,5}|[ivxlcdm]{1,8})\]", re.IGNORECASE)


@dataclass(frozen=True)
class Semantics:
    """The headings, alt texts, language spans, table headers and notes of one edition."""

    headings: tuple[str, ...]  # in reading order
    levels: tuple[int, ...]  # each heading's level: EPUB documents restart theirs at 1
    alts: tuple[str, ...]
    languages: tuple[str, ...]  # "fr: texte", one per change of language
    headers: tuple[str, ...]  # "Date | Ship": each table's header row, read once
    notes: tuple[str, ...]
    items: tuple[str, ...] = ()  # list items, where a PDF tags its notes as a list
    language: str = ""  # the edition's own language, where its reading needs to say it


ASPECTS = {
    "headings": ("P001", "headings"),
    "alts": ("P002", "alt texts"),
    "languages": ("P003", "language spans"),
    "headers": ("P004", "table header cells"),
    "notes": ("P005", "notes"),
}
STACKED = "P007"  # a table set as a list, its header cells repeated as labels


def clean(text: str) -> str:
    """Text as a reader sees it: whitespace collapsed, soft hyphens gone."""
    return " ".join(text.replace("\u00ad", "").split())


def key(text: str) -> str:
    """A form of `text` that ignores line breaks, hyphenation and print page markers."""
    folded = unicodedata.normalize("NFKC", text).replace("\u00ad", "").casefold()
    return _NOT_WORD.sub("", _PAGE_MARKER.sub("", folded))


def dedupe_runs(items: list[str]) -> tuple[str, ...]:
    """Drop an item equal to the one before: a table header repeated on a new page."""
    kept: list[str] = []
    for item in items:
        if not kept or key(kept[-1]) != key(item):
            kept.append(item)
    return tuple(kept)


@dataclass
class Collector:
    """Gathers what one edition says, in reading order, before it is frozen."""

    headings: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    alts: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        """A heading and its level, kept side by side."""
        self.headings.append(text)
        self.levels.append(level)

    def semantics(self) -> Semantics:
        """The comparable record, each table's repeated header row read once."""
        return Semantics(tuple(self.headings), tuple(self.levels), tuple(self.alts),
                         tuple(self.languages), dedupe_runs(self.headers), tuple(self.notes),
                         tuple(self.items))
