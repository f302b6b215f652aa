"""Walks over the model: every node, a division's own nodes, its ids, the book's images.

Renderers and the build cache both need them; they read the model and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass

from publish.model import Book, Division, Footnote, Image, NoteRef


def walk(value: object) -> Iterator[object]:
    """Every model node under `value`, so ids and images are found wherever they sit."""
    if isinstance(value, tuple):
        for item in value:
            yield from walk(item)
    elif is_dataclass(value) and not isinstance(value, type):
        yield value
        for field in fields(value):
            yield from walk(getattr(value, field.name))


def division_nodes(division: Division) -> Iterator[object]:
    """The nodes one content document shows: its title, blocks and notes, not child divisions."""
    yield from walk(division.title)
    yield from walk(division.blocks)
    yield from walk(division.notes)


def division_ids(division: Division) -> Iterator[str]:
    """Every fragment id the templates write into this division's document."""
    yield division.id
    yield f"{division.id}-title"
    for node in division_nodes(division):
        if isinstance(node, NoteRef):
            yield node.ref_id
        elif isinstance(node, Footnote):
            yield node.id
        elif not (isinstance(node, Image) and node.decorative):  # no id on decoration
            ident = getattr(getattr(node, "attrs", None), "id", None)
            if ident:
                yield ident


def book_images(book: Book) -> Iterator[Image]:
    """Every image in reading order, the cover first."""
    if book.metadata.cover is not None:
        yield book.metadata.cover
    for division in book.all_divisions():
        yield from (node for node in division_nodes(division) if isinstance(node, Image))
