"""How many of the words pandoc reads from a Word file reach an edition's text."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

from conftest import words
from lxml import etree
from pdf_text import pdftotext

from publish.languages import UNSPACED_SCRIPTS

# What `pandoc -t plain` draws that is not the file's text: list markers and note numbers,
# which the editions draw as their own (an EPUB's list numbers are not text at all).
_MARKER = re.compile(r"^\s*(?:[-*+•]|\(?(?:\d+|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)[.)])\s+",
                     re.MULTILINE)
_NOTE_NUMBER = re.compile(r"\[\d+\]")
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d_])(?=\d)")  # a note number set right after a word
# Chinese, Japanese and Korean are written without spaces: each character counts as a word,
# so where a line or a span happens to break the text does not change the count
_UNSPACED = re.compile(f"[{UNSPACED_SCRIPTS}]")


def pandoc_words(docx: Path) -> list[str]:
    """The words of `pandoc -t plain`: the reference reading of a Word file."""
    text = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(docx)],
                          capture_output=True, text=True, check=True).stdout
    return edition_words(_NOTE_NUMBER.sub(" ", _MARKER.sub("", text)))


def edition_words(text: str) -> list[str]:
    """Words, with a number glued to the word before it (a note reference) set apart."""
    return words(_UNSPACED.sub(r" \g<0> ", _GLUED_NUMBER.sub(" ", text)))


def epub_words(epub: Path) -> list[str]:
    """The words of every XHTML document in an EPUB, in no particular order."""
    found: list[str] = []
    with zipfile.ZipFile(epub) as package:
        for name in package.namelist():
            if name.endswith(".xhtml"):
                root = etree.fromstring(package.read(name))
                found += edition_words(" ".join(root.itertext()))
    return found


def pdf_words(pdf: Path) -> list[str]:
    """The words pdftotext reads, words hyphenated at a line end joined again."""
    text = pdftotext(pdf).replace("\u00ad", "")
    text = re.sub(r"\u2010\s*\n\s*", "", text)  # the hyphen the typesetter added
    text = re.sub(r"-\s*\n\s*", "-", text)  # a hyphen of the text, at a line's end
    return edition_words(text)


def coverage(expected: list[str], found: list[str]) -> float:
    """The share of `expected` words (counted with repeats) that `found` holds."""
    if not expected:
        return 1.0
    have = Counter(found)
    hits = sum(min(count, have[word]) for word, count in Counter(expected).items())
    return hits / len(expected)


def missing(expected: list[str], found: list[str]) -> list[str]:
    """Words `found` lacks, for a failure message."""
    have = Counter(found)
    return sorted((Counter(expected) - have).elements())[:30]
