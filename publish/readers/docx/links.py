"""Links to places that no division ended up carrying become plain text: never a broken
reference in an edition (a bookmark in a paragraph that was left out, say)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from publish.model import Division, Link, Span
from publish.walk import division_ids

T = TypeVar("T")


def unlink_missing(divisions: list[Division]) -> list[Division]:
    """The divisions with every link to an id none of them carries turned into a span."""
    known = {ident for division in divisions for ident in division_ids(division)}
    return [_unlinked(division, known) for division in divisions]


def _unlinked(value: T, known: set[str]) -> T:
    if isinstance(value, tuple):
        return tuple(_unlinked(item, known) for item in value)  # type: ignore[return-value]
    if isinstance(value, Link) and value.href.startswith("#") and value.href[1:] not in known:
        return Span(_unlinked(value.children, known))  # type: ignore[return-value]
    if not is_dataclass(value) or isinstance(value, type):
        return value
    changes = {f.name: _unlinked(getattr(value, f.name), known) for f in fields(value)
               if isinstance(getattr(value, f.name), tuple)}
    return replace(value, **changes) if changes else value
