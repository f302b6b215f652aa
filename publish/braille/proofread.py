"""What a braille file says, read back: its pages, the print page numbers it carries, and
its words through liblouis's back-translation. The checks and tests hold these against the
print edition and the manuscript."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from publish.braille.blocks import BLANK
from publish.braille.inline import TN_CLOSE, TN_OPEN
from publish.braille.pages import continuation
from publish.braille.tables import NoTable, Translator, named_language, translator

INDICATOR = re.compile("^\u2824{3,}([^\u2800\u2824][^\u2800]*)$")  # dots 3-6, then a number
_WORD = re.compile(r"[^\W\d_]+")
RECALL_FLOOR = 0.98
TRANSCRIBERS_NOTE = re.compile(re.escape(TN_OPEN) + "(.*?)" + re.escape(TN_CLOSE))


@dataclass(frozen=True)
class PrintNumber:
    """A print page number as a braille page shows it: top right, or on an indicator line."""

    page: int  # braille page index, from 0
    text: str  # back-translated: "12", "a12"
    top: bool


def print_numbers(pages: list[list[str]], back: Translator) -> Iterator[PrintNumber]:
    """Every print page number on the pages, in reading order."""
    for index, rows in enumerate(pages):
        if rows and rows[0].strip(BLANK):
            yield PrintNumber(index, back.back(rows[0].strip(BLANK)).lower(), True)
        for row in rows[1:-1]:
            if match := INDICATOR.match(row):
                yield PrintNumber(index, back.back(match[1]).lower(), False)


def page_number_problems(pages: list[list[str]], labels: list[str],
                         back: Translator) -> Iterator[str]:
    """Where the print page numbers break from the print edition's page labels: each must
    start once, in order, and each further braille page carry its continuation letter."""
    wanted = [label.lower() for label in labels]
    current, continued = -1, 0
    for number in print_numbers(pages, back):
        following = wanted[current + 1] if current + 1 < len(wanted) else None
        if number.text == following:
            current, continued = current + 1, 0
        elif number.top and current >= 0 and \
                number.text == continuation(continued + 1) + wanted[current]:
            continued += 1
        else:
            expected = following if not number.top or current < 0 else \
                f"{following} or {continuation(continued + 1)}{wanted[current]}"
            yield f"braille page {number.page + 1} shows print page '{number.text}', " \
                  f"expected '{expected}'"
            return
    if current + 1 < len(wanted):
        yield f"print page '{wanted[current + 1]}' and {len(wanted) - current - 2} after it " \
              "never start in the braille"


def text_rows(rows: list[str]) -> list[str]:
    """A page's rows of text: not its number rows, not its print page indicator lines."""
    return [row for row in rows[1:-1] if not INDICATOR.match(row)]


def words_back(pages: list[list[str]], back: Translator) -> Counter[str]:
    """The words a reader finds in the braille, as liblouis back-translates them: a passage
    after a transcriber's note naming its language in that language's table."""
    found: Counter[str] = Counter()
    reading = back
    for rows in pages:
        parts = TRANSCRIBERS_NOTE.split(BLANK.join(row for row in text_rows(rows) if row))
        for index, cells in enumerate(parts):
            if index % 2 == 0:
                found.update(words(reading.back(cells)) if cells.strip(BLANK) else ())
                continue
            note = " ".join(back.back(cells).split())
            found.update(words(note))
            language = named_language(note)
            if language is not None:
                reading = _translator_or(language, back)
    return found


def _translator_or(language: str, book: Translator) -> Translator:
    """The table a passage in `language` was transcribed with: its own, else the book's."""
    try:
        return translator(language, 2)
    except NoTable:
        return book


def words(text: str) -> list[str]:
    """The words of a text, lower case, numbers and punctuation left out."""
    return _WORD.findall(text.lower().replace("\u00ad", ""))


def recall(wanted: Counter[str], found: Counter[str]) -> float:
    """The share of the wanted words (counted with repeats) that were found."""
    total = sum(wanted.values())
    return 1.0 if not total else sum(min(n, found[w]) for w, n in wanted.items()) / total
