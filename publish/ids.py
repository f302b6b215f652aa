"""Stable, unique fragment ids made from heading text."""

from __future__ import annotations

import re
import unicodedata

_NOT_ID = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "section") -> str:
    """A readable ASCII id for a title; ids must start with a letter to be valid XML names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_ID.sub("-", ascii_text.lower()).strip("-")[:48].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"{fallback}-{slug}" if slug else fallback
    return slug


class IdRegistry:
    """Hands out ids that are unique in one book, keeping ones the writer chose."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        """Reserve `wanted`, or the first free `wanted-2`, `wanted-3`..."""
        candidate, n = wanted, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{wanted}-{n}"
        self._taken.add(candidate)
        return candidate

    def is_taken(self, wanted: str) -> bool:
        """Whether an id is already in use (duplicate ids the writer chose are errors)."""
        return wanted in self._taken
