"""The layout record a PDF edition leaves in the build cache: where each division lay.

The next build reads it to lay out again only the divisions that changed (`reuse`), and the
print edition's record carries its page map. Plain data, no layout engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publish.pagination import PageMap, from_rows, to_rows


@dataclass(frozen=True)
class Placed:
    """Where one top-level division lay in the last build, and what it was made from."""

    id: str
    digest: str  # hash of its markup
    first: int  # index of its first page
    pages: int  # pages it filled
    span: int  # pages up to the next division's first, blank fillers included
    counter: int  # the page counter on its first page
    alone: bool  # starts a page of its own, set as a right-hand page, and so does the next


@dataclass(frozen=True)
class LayoutRecord:
    """What the next build needs to lay out again only the divisions that changed."""

    frame: str  # hash of everything besides the divisions' own markup
    divisions: tuple[Placed, ...]
    pages: PageMap = ()  # the print page map, for the print edition

    def to_json(self) -> dict[str, object]:
        """A plain record for the build cache."""
        return {
            "frame": self.frame,
            "divisions": [[d.id, d.digest, d.first, d.pages, d.span, d.counter, d.alone]
                          for d in self.divisions],
            "pages": to_rows(self.pages),
        }

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> LayoutRecord:
        """The record read back; a damaged one raises KeyError, TypeError or ValueError."""
        divisions = tuple(
            Placed(str(i), str(h), int(f), int(n), int(s), int(c), bool(a))
            for i, h, f, n, s, c, a in record["divisions"])
        return cls(str(record["frame"]), divisions, from_rows(record["pages"]))


@dataclass(frozen=True)
class Previous:
    """The last build's file of an edition and its layout record."""

    pdf: bytes
    layout: LayoutRecord


def record_from(kept: dict[str, object] | None) -> LayoutRecord | None:
    """A record kept in the build cache, or None if there is none or it is damaged."""
    if kept is None:
        return None
    try:
        return LayoutRecord.from_json(kept)
    except (KeyError, TypeError, ValueError):
        return None


def previous_from(kept: tuple[bytes, dict[str, object]] | None) -> Previous | None:
    """The last build's file and its record as the cache kept them, if the record reads."""
    record = None if kept is None else record_from(kept[1])
    return None if kept is None or record is None else Previous(kept[0], record)
