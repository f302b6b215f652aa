"""Word parity: every word of the book's text reaches each PDF's extracted text.

Words are compared as a reader would: case, punctuation, ligatures (NFKC), soft hyphens and
other invisible format characters left out, a hyphen inside a word dropped (large print
joins `radio-telephone` with a word joiner). A word a PDF hyphenates at a line end comes out
as two pieces, possibly on two pages with notes, a running head and a folio between: a word
the PDF lacks counts as present when a broken piece joined with one of the words soon after
it, or first on the next page, makes it; so does a line's last word joined with the next
line's first, as a long address breaks with no hyphen. Counts matter: a lost row of a table
whose words also occur elsewhere still shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from publish.check.epubtree import reading_text
from publish.languages import UNSPACED_SCRIPTS

_HYPHENS = "-\u2010\u2011"
_LINE_END_HYPHEN = re.compile(rf"(?<=\w)[{_HYPHENS}][ \t]*\r?\n")
_INNER_HYPHEN = re.compile(rf"(?<=\w)[{_HYPHENS}](?=\w)")
_NOT_WORD = re.compile(r"[\W_]+")
# Scripts whose words a PDF's text does not keep whole: those written without spaces, Korean
# (its lines break inside words: its jamo as well as its syllables), and Arabic's
# joined letters come out of a PDF split at marks and ligatures. Their letters are compared
# one by one, which still finds every lost passage.
_LETTER_BY_LETTER = re.compile(
    f"[{UNSPACED_SCRIPTS}\u1100-\u11ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_BROKEN = "\x00"  # marks a piece hyphenated at a line end while the text is split
_SHOWN = 8  # missing words quoted before a count of the rest
# Words after a broken piece where its rest may be: on its page (a page marker may come
# between), or first on the next page (a page's notes, running head and folio come between).
_REACH = 12


@dataclass(frozen=True)
class Words:
    """The words of one text, and the words its line-end hyphens may have broken."""

    counts: Counter[str]
    rejoined: Counter[str]  # each broken piece joined with each of the words after it


_LINES_ONE_WORD_SPANS = 6  # the most lines one unbroken word is followed over


def words(text: str, lines_hyphenated: bool = False) -> Words:
    """The comparable words of a text; `lines_hyphenated` for a PDF's lines, whose line-end
    hyphens break words, its pages separated by form feeds."""
    if lines_hyphenated:  # PDFium writes some line-end hyphens as U+0002
        text = _LINE_END_HYPHEN.sub(_BROKEN + " ", text).replace("\x02", _BROKEN + " ")
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(ch) != "Cf" and ch != "\x02")
    text = _LETTER_BY_LETTER.sub(r" \g<0> ", text)
    pages = [_sequence(page) for page in text.split("\f")]
    counts = Counter(word for page in pages for word in page if not word.endswith(_BROKEN))
    rejoined: Counter[str] = _broken_unmarked(text) if lines_hyphenated else Counter()
    for number, page in enumerate(pages):
        following_page = pages[number + 1][:_REACH] if number + 1 < len(pages) else []
        for at, word in enumerate(page):
            if word.endswith(_BROKEN):
                rests = {w for w in [*page[at + 1:at + 1 + _REACH], *following_page]
                         if not w.endswith(_BROKEN)}
                rejoined.update(word[:-1] + rest for rest in rests)
                rejoined.update(_chained(word, [*page[at + 1:], *following_page]))
    return Words(counts, rejoined)


def _chained(word: str, after: list[str]) -> list[str]:
    """A broken piece joined through the broken pieces right after it to the whole piece that
    ends them: an address hyphenated at two or more line ends (`mak-`, `ing-...-lit-`,
    `erature`)."""
    joined, at = word[:-1], 0
    while at < min(len(after), _LINES_ONE_WORD_SPANS) and after[at].endswith(_BROKEN):
        joined, at = joined + after[at][:-1], at + 1
    return [joined + after[at]] if 0 < at < len(after) else []


def _broken_unmarked(text: str) -> Counter[str]:
    """Each line's last word joined with the next line's first, and on through the lines
    that hold one word alone: a long word (an address) may break at line ends, over several
    lines of a narrow column, with no hyphen to say so."""
    lines = [line.split() for line in text.splitlines()]
    joined: Counter[str] = Counter()
    for at, line in enumerate(lines):
        if not line or line[-1].endswith(_BROKEN):
            continue
        ends = _sequence(line[-1])
        word = ends[-1] if ends else ""
        for following in lines[at + 1:at + 1 + _LINES_ONE_WORD_SPANS]:
            starts = _sequence(following[0]) if following else []
            if not word or not starts:
                break
            word += starts[0]
            joined[word] += 1
            if len(following) != 1:  # only a line of one word can go on into the next
                break
    return joined


def _sequence(text: str) -> list[str]:
    """A page's words in order, a piece broken at a line end marked with `_BROKEN`."""
    sequence: list[str] = []
    for token in _INNER_HYPHEN.sub("", text).casefold().split():
        pieces = [piece for piece in _NOT_WORD.split(token.rstrip(_BROKEN)) if piece]
        if token.endswith(_BROKEN) and pieces:
            pieces[-1] += _BROKEN
        sequence.extend(pieces)
    return sequence


def missing(reference: Words, shown: Words) -> Counter[str]:
    """Words of the reference that the shown text lacks, with how many times each."""
    return reference.counts - shown.counts - shown.rejoined


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
