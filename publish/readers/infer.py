"""Infer title, authors and date from the lines a writer put at the top of a manuscript."""

from __future__ import annotations

import datetime as dt
import re

from publish.model import Block, Heading, Paragraph, plain_text, split_at_breaks

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


_LABELLED = re.compile(
    r"^(?P<label>title|sub-?title|authors?|by|written\s+by|translators?|translated\s+by|date|"
    r"published|year|release\s+date|posting\s+date|last\s+updated|produced\s+by|credits|"
    r"language|character\s+set\s+encoding)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE,
)
# An ebook's production lines (Project Gutenberg's header): taken off the page, not used.
_PRODUCTION = frozenset({"release date", "posting date", "last updated", "produced by",
                         "credits", "language", "character set encoding"})
_OTHER_LABEL = re.compile(r"^[A-Za-z][A-Za-z ]{0,24}:\s")
_TRANSLATED = re.compile(r"^translated\s+by\s+(?P<names>.+)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:c\.\s*)?(?P<year>1\d{3}|20\d{2})\.?$")
_KEYS = {"title": "title", "subtitle": "subtitle", "sub-title": "subtitle", "author": "authors",
         "authors": "authors", "by": "authors", "translator": "translators",
         "translators": "translators", "date": "date", "published": "date", "year": "date"}

TitleLine = dict[str, str | tuple[str, ...]]


def classify_title_line(text: str, bare_names: bool) -> TitleLine | None:
    """What one line at the top of a manuscript says about the book, or None when it is
    text: `Title: ...`, `Author: ...`, `By ...`, `Translated by ...`, a date or a year; a
    bare name only where `bare_names` (right under a title)."""
    text = text.strip()
    labelled = _LABELLED.match(text)
    if labelled:
        label = re.sub(r"\s+", " ", labelled.group("label").lower())
        if label in _PRODUCTION:
            return {}
        key = _KEYS.get(label, "authors" if label == "written by" else "translators")
        return _labelled_value(key, labelled.group("value").strip())
    translated = _TRANSLATED.match(text)
    if translated:
        return {"translators": _names(translated.group("names"))}
    if _OTHER_LABEL.match(text):
        return None  # `Dedication: ...` is text, whatever date it holds
    when = _date_of(text)
    if when is not None:
        return {"date": when}
    names = parse_byline(text) if bare_names or _BYLINE.match(text) else ()
    return {"authors": names} if names else None


def is_title_line(text: str) -> bool:
    """A heading that is a label or a byline (`## By Jane Austen`), never a chapter title."""
    return bool(_LABELLED.match(text.strip()) or _BYLINE.match(text.strip())
                or _TRANSLATED.match(text.strip()))


def _labelled_value(key: str, value: str) -> TitleLine | None:
    if key in ("authors", "translators"):
        names = _names(value)
        return {key: names} if names else None
    if key == "date":
        when = _date_of(value)
        return {"date": when} if when else None
    return {key: value.strip("*_ ")}


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip(" *_") for n in _NAME_SPLIT.split(text.replace(";", ",")) if n.strip())


def _date_of(text: str) -> str | None:
    year = _YEAR.match(text)
    return year.group("year") if year else parse_date(text)


def take_title_lines(
    blocks: tuple[Block, ...], bare_names: bool, limit: int = 6,
) -> tuple[tuple[Block, ...], TitleLine]:
    """Remove the leading paragraphs and headings that are all title lines and report what
    they said; the first value given for a key wins."""
    found: TitleLine = {}
    used = 0
    for block in blocks[:limit]:
        lines = _title_lines(block, bare_names)
        if lines is None:
            break
        for line in lines:
            for key, value in line.items():
                found.setdefault(key, value)
        used += 1
    return blocks[used:], found


def _title_lines(block: Block, bare_names: bool) -> list[TitleLine] | None:
    """The title lines of a paragraph or heading when every line of it is one."""
    if isinstance(block, Heading):
        texts = [plain_text(block.children)]
    elif isinstance(block, Paragraph):
        texts = [text for line in split_at_breaks(block.children)
                 for text in plain_text(line).split("\n") if text.strip()]
    else:
        return None
    lines = [classify_title_line(text, bare_names) for text in texts]
    return None if not lines or any(line is None for line in lines) \
        else [line for line in lines if line is not None]
