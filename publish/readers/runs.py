"""Runs of text with no place to break a line: pasted data that no page can typeset.

WeasyPrint lays out a line by shaping the rest of its word, so a word of n characters
costs n squared: 50 KB took 6 s, 2 MB would take hours. No real word, URL or code line is
anywhere near the limit; a manuscript that has one is refused with its file and line.

Hyphenation makes it far worse: WeasyPrint tries each hyphenation point of the word in
turn, so a 3,000-letter key under `hyphens: auto` took 9.9 s to lay out, and 1.1 s once it
may only break anywhere. A run longer than any word (`LONG_RUN_CHARS`) is therefore marked
in the markup (`class="unbroken"`), and the stylesheets break it anywhere, unhyphenated: a
hyphen inside a key, a hash or a URL would change it for whoever copies it anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

from publish.languages import UNSPACED_SCRIPTS

MAX_UNBROKEN_CHARS = 10_000
LONG_RUN_CHARS = 100  # longer than any word of any language the toolkit sets
# Scripts written without spaces break between characters, so their runs are not unbroken
_RUN = re.compile(rf"[^\s{UNSPACED_SCRIPTS}]+")
_LONG_RUN = re.compile(rf"[^\s{UNSPACED_SCRIPTS}]{{{LONG_RUN_CHARS},}}")


def long_runs(text: str) -> Iterator[tuple[int, int]]:
    """(line, length) of each run over the limit, in linear time whatever the text."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_UNBROKEN_CHARS:
            for run in _RUN.finditer(line):
                if len(run.group()) > MAX_UNBROKEN_CHARS:
                    yield number, len(run.group())


def describe(length: int) -> str:
    """The message for one run, the same from the lint and the reader."""
    return (f"{length:,} characters with no space or line break (pasted data?): no page can "
            f"typeset them; break them up, or keep the data in a file (the limit is "
            f"{MAX_UNBROKEN_CHARS:,} characters)")


def marked_long_runs(text: str) -> Markup:
    """The text as HTML, each run longer than any word in a `span.unbroken`: the stylesheets
    break it anywhere instead of trying its every hyphenation point."""
    out: list[str] = []
    start = 0
    for run in _LONG_RUN.finditer(text):
        out += [escape(text[start:run.start()]), '<span class="unbroken">', escape(run.group()),
                "</span>"]
        start = run.end()
    out.append(escape(text[start:]))
    return Markup("".join(out))
