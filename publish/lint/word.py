"""The lint of a Word file: what its reader found, and the Markdown rules that apply to a
model as well (alt text, heading levels, link text), at places a Word user can find."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from publish.lint.access import _FILE_NAME, _REDUNDANT_ALT, _URL, _VAGUE_LINKS
from publish.lint.core import Finding
from publish.model import Block, Book, Heading, Image, Link, Paragraph, TableCell, plain_text
from publish.readers.docx import read_word
from publish.readers.docx.blocks import heading_of
from publish.walk import walk

Hit = tuple[str, str, str]  # (code, place, message)
_FIRST_WORDS = 4


def word_findings(source: Path, ignore: frozenset[str]) -> list[Finding]:
    """Every finding in a Word file, in reading order, bar the codes silenced."""
    reading = read_word(source)
    hits = [(p.code, p.where, p.message) for p in reading.problems]
    hits += list(_model_hits(reading.book))
    return [Finding(source.resolve(), 0, code, message, place)
            for code, place, message in hits if code not in ignore]


def _model_hits(book: Book) -> Iterator[Hit]:
    """A002-A004, A006 and A007 over the divisions, each at its block's place."""
    previous = 1
    for division in book.all_divisions():
        if division.kind in ("titlepage", "copyright"):
            continue
        under = " ".join(plain_text(division.title).split())
        for block in division.blocks:
            where = _place(under, block)
            if isinstance(block, Heading):
                if block.level > previous + 1:
                    yield ("A004", where, f"heading level {block.level} follows level "
                           f"{previous}: use Heading {previous + 1}")
                previous = block.level
                under = " ".join(plain_text(block.children).split())
            yield from _node_hits(block, where)
        previous = 1


def _node_hits(block: Block, where: str) -> Iterator[Hit]:
    for node in walk(block):
        if isinstance(node, Image) and node.alt:
            if _FILE_NAME.match(node.alt):
                yield ("A002", where, f"alt text is a file name ('{node.alt}'): describe "
                       "what the picture shows")
            elif _REDUNDANT_ALT.match(node.alt):
                yield ("A003", where, f"alt text starts with '{node.alt.split()[0]} of...': "
                       "screen readers already say it is a picture")
        elif isinstance(node, Link):
            text = " ".join(plain_text(node.children).split())
            if re.sub(r"[^\w\s]", "", text.lower()).strip() in _VAGUE_LINKS:
                yield ("A006", where, f"link text '{text}' does not say where the link goes: "
                       "name the destination")
            elif _URL.match(text):
                yield ("A007", where, f"link text is a bare URL ('{text}'): screen readers "
                       "spell it out; name the destination instead")


def _place(under: str, block: Block) -> str:
    """The reader's kind of place, told from the model: heading, then first words."""
    if isinstance(block, Heading):
        return f'heading "{" ".join(plain_text(block.children).split())}"'
    words = " ".join(plain_text(node.children) for node in walk(block)
                     if isinstance(node, Paragraph | TableCell)).split()
    start = " ".join(words[:_FIRST_WORDS]) + ("..." if len(words) > _FIRST_WORDS else "")
    kind = "table" if block.kind == "table" else "paragraph"
    return f'{heading_of(under)}{kind} starting "{start}"' if start else \
        f"{heading_of(under)}{kind} holding only a picture"
