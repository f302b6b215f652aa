"""Each edition's own identifier. The EPUB carries the book's; the print PDF its ISBN or a
URN derived from the book's, so the EPUB's page-list can name the edition it follows."""

from __future__ import annotations

import uuid

from publish.model import Metadata


def stable_identifier(meta: Metadata) -> str:
    """A name-based UUID for a book without one: the same book always gets the same id."""
    seed = "|".join((meta.title, *meta.authors, meta.date or ""))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def book_identifier(meta: Metadata) -> str:
    """The book's `identifier` (the EPUB's own), or one derived from its title and authors."""
    return meta.identifier or stable_identifier(meta)


def derived_identifier(meta: Metadata, edition: str) -> str:
    """An edition's URN derived from the book's identifier: stable across builds, and
    different from the EPUB's and from every other edition's."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book_identifier(meta)}|{edition}')}"


def print_identifier(meta: Metadata) -> str:
    """The print edition: its `print-isbn` when given, else a URN derived from the book."""
    return meta.print_identifier or derived_identifier(meta, "print")


def large_print_identifier(meta: Metadata) -> str:
    """The large-print edition: a URN derived from the book (it has no ISBN setting)."""
    return derived_identifier(meta, "large-print")
