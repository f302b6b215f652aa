"""What a braille file says, read back: its pages, the print page numbers it carries, and
its words through liblouis's back-translation. The checks and tests hold these against the
print edition and the manuscript."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from publish.braille.blocks import BLANK
from publish.braille.pages import continuation
from publish.braille.tables import Translator

INDICATOR = re.compile("^\u2824{3,}([^\u2800\u2824][^\u2800]*)$")  # dots 3-6, then a number
_WORD = re.compile(r"[^\W\d_]+")
RECALL_FLOOR = 0.98


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
    """The words a reader finds in the braille, as liblouis back-translates them."""
    found: Counter[str] = Counter()
    for rows in pages:
        text = BLANK.join(row for row in text_rows(rows) if row)
        if text:
            found.update(words(back.back(text)))
    return found


def words(text: str) -> list[str]:
    """The words of a text, lower case, numbers and punctuation left out."""
    return _WORD.findall(text.lower().replace("\u00ad", ""))


def recall(wanted: Counter[str], found: Counter[str]) -> float:
    """The share of the wanted words (counted with repeats) that were found."""
    total = sum(wanted.values())
    return 1.0 if not total else sum(min(n, found[w]) for w, n in wanted.items()) / total
