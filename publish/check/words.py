"""Word parity: every word of the book's text reaches each PDF's extracted text.

Words are compared as a reader would: case, punctuation, ligatures (NFKC), soft hyphens and
other invisible format characters left out, a hyphen inside a word dropped (large print
joins `radio-telephone` with a word joiner). A word a PDF hyphenates at a line end comes out
as two pieces, possibly on two pages with a running head between: the first piece is kept
aside, and a word the PDF lacks counts as present when it is such a piece plus a word the
PDF has. Counts matter: a lost row of a table whose words also occur elsewhere still shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from publish.check.epubtree import reading_text

_HYPHENS = "-\u2010\u2011"
_LINE_END_HYPHEN = re.compile(rf"(?<=\w)[{_HYPHENS}][ \t]*\r?\n")
_INNER_HYPHEN = re.compile(rf"(?<=\w)[{_HYPHENS}](?=\w)")
_NOT_WORD = re.compile(r"[\W_]+")
_BROKEN = "\x00"  # marks a piece hyphenated at a line end while the text is split
_SHOWN = 8  # missing words quoted before a count of the rest


@dataclass(frozen=True)
class Words:
    """The words of one text, and the pieces it hyphenated at line ends."""

    counts: Counter[str]
    broken: Counter[str]


def words(text: str, lines_hyphenated: bool = False) -> Words:
    """The comparable words of a text; `lines_hyphenated` for a PDF's lines, whose line-end
    hyphens break words."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(ch) != "Cf" and ch != "\x02")  # PDFium's soft hyphen
    if lines_hyphenated:
        text = _LINE_END_HYPHEN.sub(_BROKEN + " ", text)
    text = _INNER_HYPHEN.sub("", text).casefold()
    counts: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    for token in text.split():
        pieces = [piece for piece in _NOT_WORD.split(token.rstrip(_BROKEN)) if piece]
        if token.endswith(_BROKEN) and pieces:
            broken[pieces.pop()] += 1
        counts.update(pieces)
    return Words(counts, broken)


def missing(reference: Words, shown: Words) -> Counter[str]:
    """Words of the reference that the shown text lacks, with how many times each."""
    lacking = reference.counts - shown.counts
    pieces = Counter(shown.broken)
    for word in list(lacking):
        for cut in range(len(word) - 1, 0, -1):
            while lacking[word] and pieces[word[:cut]] and shown.counts[word[cut:]]:
                pieces[word[:cut]] -= 1
                lacking[word] -= 1
    return +lacking


def describe(lacking: Counter[str]) -> str:
    """The missing words, most frequent first, for a one-line message."""
    total = sum(lacking.values())
    quoted = ", ".join(f"'{word}'" + (f" ×{count}" if count > 1 else "")
                       for word, count in lacking.most_common(_SHOWN))
    more = f" and {len(lacking) - _SHOWN} more" if len(lacking) > _SHOWN else ""
    return f"{total} word(s) of the text are not in it: {quoted}{more}"


def epub_words(path: Path) -> Words:
    """The words of an EPUB's spine as a reader meets them: the book's text."""
    return words(reading_text(path))
