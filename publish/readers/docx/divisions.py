"""Cut a Word file's markup into divisions at its top heading level, with their notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html

from publish.ids import IdRegistry, slugify
from publish.model import BACK_KINDS, FRONT_KINDS, Attrs, Division, Footnote, plain_text
from publish.readers.docx.blocks import BlockConverter
from publish.readers.docx.inlines import InlineContext
from publish.readers.inlines import NoteCounter

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_FIRST_WORD = re.compile(r"^[A-Za-z]+")
_NAMED_KINDS = frozenset(FRONT_KINDS + BACK_KINDS) - {"titlepage", "copyright"}


@dataclass(frozen=True)
class Section:
    """The elements from one top-level heading (or the start) to the next."""

    heading: html.HtmlElement | None
    body: list[html.HtmlElement]


@dataclass(frozen=True)
class Sections:
    """A file's sections, and at which Word heading level they were cut."""

    items: list[Section]
    level: int
    chapters: int  # how many headings there are at that level

    @classmethod
    def of(cls, elements: list[html.HtmlElement]) -> Sections:
        """Cut at the highest heading level the file uses."""
        levels = [_HEADINGS[e.tag] for e in elements if e.tag in _HEADINGS
                  and e.text_content().strip()]
        if not levels:
            return cls([Section(None, elements)], 1, 0)
        top = min(levels)
        items: list[Section] = []
        current = Section(None, [])
        for element in elements:
            if _HEADINGS.get(element.tag) == top and element.text_content().strip():
                if current.heading is not None or current.body:
                    items.append(current)
                current = Section(element, [])
            else:
                current.body.append(element)
        items.append(current)
        return cls(items, top, levels.count(top))


@dataclass(frozen=True)
class WordDivision:
    """A division read, with its title's words for metadata inference."""

    division: Division
    title_text: str


def divisions_of(sections: Sections, ctx: InlineContext, ids: IdRegistry,
                 notes: dict[str, html.HtmlElement]) -> list[WordDivision]:
    """One division per section; each numbers the notes it cites from 1."""
    book = sections.chapters >= 2
    found: list[WordDivision] = []
    under = ""
    for section in sections.items:
        converter = BlockConverter(ctx, ids, shift=sections.level - 1, under=under)
        ctx.notes = NoteCounter(prefix="pending")
        ctx.cited = []
        heading = None
        if section.heading is not None:
            ctx.where = f'heading "{" ".join(section.heading.text_content().split())}"'
            heading = converter.heading(section.heading, converter.bookmark_id(section.heading))
        title = heading.children if heading is not None else ()
        words = " ".join(plain_text(title).split())
        kind = _kind(words) if book else "article"
        ident = heading.attrs.id if heading is not None and heading.attrs.id else \
            ids.claim(slugify(words, kind))
        ctx.notes = NoteCounter(prefix=ident)
        blocks = converter.convert(section.body)
        division = Division(kind=kind, id=ident, title=title, blocks=tuple(blocks),
                            notes=_notes(converter, notes), attrs=Attrs())
        found.append(WordDivision(division, words))
        under = converter.under
    return found


def _kind(title: str) -> str:
    """A chapter, unless its title's first word names front or back matter ("Preface")."""
    first = _FIRST_WORD.match(title)
    named = first.group(0).lower() if first else ""
    named = {"acknowledgments": "acknowledgements"}.get(named, named)
    return named if named in _NAMED_KINDS else "chapter"


def _notes(converter: BlockConverter, notes: dict[str, html.HtmlElement]) -> tuple[Footnote, ...]:
    """The notes this division cites, in citation order; notes cited by notes too."""
    ctx = converter.ctx
    done: list[Footnote] = []
    seen: set[str] = set()
    while pending := [name for name in ctx.cited if name not in seen]:
        for name in pending:
            seen.add(name)
            number = ctx.notes.numbers[name]
            body = notes.get(name)
            blocks = converter.convert(list(body)) if body is not None else []
            done.append(Footnote(f"{ctx.notes.prefix}-note-{number}", number, tuple(blocks)))
    return tuple(sorted(done, key=lambda note: note.number))
