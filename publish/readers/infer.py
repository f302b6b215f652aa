"""Infer an article's byline and date from the lines under its headline."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from publish.model import Block, Division, Paragraph, plain_text, split_at_breaks

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
_BYLINE = re.compile(r"^(?:written\s+by|words\s+by|by)[:\s]+(?P<names>.+)$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|de|da|van|von|der|den|la|le|di|du|bin|al)$")
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_JOB_TITLE = re.compile(
    r"\b(correspondent|editor|reporter|writer|staff|journalist|contributor|columnist|critic|"
    r"agencies|in\s+[A-Z]\w+)\b", re.IGNORECASE,
)


def parse_date(text: str) -> str | None:
    """An ISO date from a short line such as `28 March 2012` or `Wednesday, March 28, 2012`."""
    if len(text.split()) > 8:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        month_text = match.group("month")
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        year, day = int(match.group("year")), int(match.group("day"))
        try:
            return dt.date(year, month or 0, day).isoformat()
        except ValueError:
            return None
    return None


def parse_byline(text: str) -> tuple[str, ...]:
    """Author names from `By Ana Ruiz and Tom Lee`, or from a bare short name line."""
    text = text.strip()
    match = _BYLINE.match(text)
    if match:
        names = match.group("names")
    elif len(text.split()) >= 2 and _looks_like_name(text):
        names = text
    else:
        return ()
    people = [n.strip() for n in _NAME_SPLIT.split(names) if n.strip()]
    return tuple(p for p in people if _looks_like_name(p) and not _JOB_TITLE.search(p))


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or text.endswith(("!", "?", ":", ",", ";")):
        return False
    return all(_NAME_WORD.match(word) for word in words)


@dataclass(frozen=True)
class Byline:
    """What the lines under a headline said about who wrote it and when."""

    authors: tuple[str, ...] = ()
    date: str | None = None


def take_byline(division: Division) -> tuple[Division, Byline]:
    """Remove the byline and date paragraphs under an article's headline and report them."""
    authors: tuple[str, ...] = ()
    date: str | None = None
    used = 0
    for block in division.blocks[:2]:
        found = _byline_block(block)
        if found is None:
            break
        authors = authors or found.authors
        date = date or found.date
        used += 1
    if not used:
        return division, Byline()
    return replace(division, blocks=division.blocks[used:]), Byline(authors, date)


def _byline_block(block: Block) -> Byline | None:
    """A byline if every line of this paragraph is a byline or a date line."""
    if not isinstance(block, Paragraph):
        return None
    authors: tuple[str, ...] = ()
    date: str | None = None
    for line in split_at_breaks(block.children):
        for text in plain_text(line).split("\n"):
            found = _classify_line(text.strip(), authors, date)
            if found is None:
                return None
            authors, date = found
    return Byline(authors, date) if authors or date else None


def _classify_line(
    text: str, authors: tuple[str, ...], date: str | None
) -> tuple[tuple[str, ...], str | None] | None:
    """Fold one line into what is known, or None when it is neither byline nor date."""
    if not text:
        return authors, date
    if not date and (when := parse_date(text)) is not None:
        return authors, when
    if not authors and (names := parse_byline(text)):
        return names, date
    return None

