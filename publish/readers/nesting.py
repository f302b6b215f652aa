"""Sub-chapters folded into their chapter as sections, for book tools that nest deeper than
parts and chapters (mdBook)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from publish.model import Attrs, Block, Container, Division, Heading, NoteRef, Text

_T = TypeVar("_T")


def one_chapter(pieces: list[Division], fallback_title: str, kind: str) -> Division:
    """One file's divisions as one chapter: text before its first heading joins that
    heading's division, and later top-level headings become its sections."""
    untitled = [d for d in pieces if not d.title]
    titled = [d for d in pieces if d.title]
    head = titled[0] if titled else pieces[0]
    blocks = tuple(b for d in untitled for b in d.blocks) + (head.blocks if titled else ())
    notes = tuple(n for d in untitled for n in d.notes) + (head.notes if titled else ())
    chapter = replace(head, kind=kind, title=head.title or (Text(fallback_title),),
                      blocks=blocks, notes=notes)
    for later in titled[1:]:
        chapter = nested(chapter, later, by=1)
    return chapter


def nested(parent: Division, child: Division, by: int) -> Division:
    """`child` as a section of `parent`, its headings `by` levels deeper and its notes
    numbered on from the parent's."""
    offset = len(parent.notes)
    title = Heading(level=1 + by, children=child.title, attrs=Attrs(id=child.id))
    blocks = tuple(_deeper(block, by) for block in child.blocks)
    notes = tuple(replace(_renumbered(note, offset), number=note.number + offset)
                  for note in child.notes)
    return replace(parent, blocks=(*parent.blocks, title, *_renumbered(blocks, offset)),
                   notes=(*parent.notes, *notes))


def _deeper(block: Block, by: int) -> Block:
    if isinstance(block, Heading):
        return replace(block, level=block.level + by)
    if isinstance(block, Container):
        return replace(block, blocks=tuple(_deeper(b, by) for b in block.blocks))
    return block


def _renumbered(value: _T, offset: int) -> _T:
    """Every note reference under `value` with its number moved on by `offset`."""
    if not offset:
        return value
    if isinstance(value, tuple):
        return tuple(_renumbered(item, offset) for item in value)  # type: ignore[return-value]
    if isinstance(value, NoteRef):
        return replace(value, number=value.number + offset)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _renumbered(getattr(value, f.name), offset) for f in fields(value)
                   if isinstance(getattr(value, f.name), tuple)}
        return replace(value, **changes) if changes else value
    return value
