"""Runs of text with no place to break a line: pasted data that no page can typeset.

WeasyPrint lays out a line by shaping the rest of its word, so a word of n characters
costs n squared: 50 KB took 6 s, 2 MB would take hours. No real word, URL or code line is
anywhere near the limit; a manuscript that has one is refused with its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.languages import UNSPACED_SCRIPTS

MAX_UNBROKEN_CHARS = 10_000
# Scripts written without spaces break between characters, so their runs are not unbroken
_RUN = re.compile(rf"[^\s{UNSPACED_SCRIPTS}]+")


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
