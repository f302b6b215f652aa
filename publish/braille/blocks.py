"""The book's semantic HTML as braille blocks: translated cells and where they go.

Each block is one paragraph, heading, list item, note or line, already translated; a print
page start is a block of its own, so the page layout can draw its indicator line there.
The transcriber makes its own title page and contents, so the print ones are left out,
their print page starts kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from publish.braille.fmt import Format, Indent
from publish.braille.inline import (
    MARKER_CLASS,
    TN_CLOSE,
    TN_OPEN,
    Piece,
    lines_of,
    markers,
    pieces_of,
)
from publish.braille.tables import NoTable, Translator, language_name, translator
from publish.languages import primary
from publish.pagination import local_name

log = logging.getLogger(__name__)
BLANK = "\u2800"
SUPERSCRIPT = "\u2830\u2814"  # UEB grade 1 indicator and superscript: a note reference
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LEFT_OUT = {"titlepage", "toc"}  # division classes the transcriber writes anew
_CONTAINERS = frozenset({"section", "div", "article", "aside", "main", "header", "footer"})
# Transcriber methods by tag, each taking (element, shift, title level)
_HANDLERS = {**dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "_heading"),
             "p": "_paragraph", "blockquote": "_quote", "ul": "_list", "ol": "_list",
             "dl": "_definitions", "table": "_table", "figure": "_figure",
             "pre": "_preformatted", "hr": "_rule", "img": "_image"}
_SPACE = re.compile(r"\s+")
FLUSH = Indent(0, 0)
# Characters UEB tables lack, written as the characters they stand for; invisible ones
# (word joiners, soft hyphens) have no braille (liblouis would spell out a name).
_SUBSTITUTES = {"\u2e3a": "\u2014\u2014", "\u2e3b": "\u2014\u2014\u2014", "\u2060": "",
                "\u200b": "", "\u00ad": "", "\ufeff": ""}


@dataclass(frozen=True)
class Block:
    """One braille paragraph: its cells and layout, or a print page start (`page`)."""

    cells: str = ""
    indent: Indent = FLUSH
    centred: bool = False
    space_before: bool = False
    space_after: bool = False
    page: str | None = None
    listed: int | None = None  # a heading the contents lists: its level
    title: str = ""  # the heading's cells, for the contents


Handler = Callable[[Any, Indent, int], Iterator[Block]]


class Transcriber:
    """Walks the document once, translating as it goes."""

    def __init__(self, translator: Translator, fmt: Format, language: str = "en",
                 grade: int = 2) -> None:
        self.translator = translator
        self.fmt = fmt
        self.book_language = self.language = language  # the book's; the one being read
        self.grade = grade
        self._translators: dict[str, Translator] = {}

    def translator_for(self, language: str) -> Translator:
        """The table for a passage in `language`: the book's for its own language, else
        liblouis's table for that language; the book's (said once, as a warning) when
        liblouis has none."""
        if primary(language) == primary(self.book_language):
            return self.translator
        if language not in self._translators:
            try:
                self._translators[language] = translator(language, self.grade)
            except NoTable as error:
                log.warning("braille: passages in %s are translated with the book's table "
                            "(%s): %s", language_name(language), self.translator.tables[0],
                            error)
                self._translators[language] = self.translator
        return self._translators[language]

    def blocks(self, root: Any) -> list[Block]:
        """Every block of the document's body, in reading order."""
        body = next((e for e in root.iter() if local_name(e) == "body"), root)
        return list(self._flow(body, FLUSH, 0))

    def _flow(self, element: Any, shift: Indent, title_level: int) -> Iterator[Block]:
        """The blocks of an element's block-level children."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            yield from self._block(child, shift, title_level)

    def _block(self, element: Any, shift: Indent, title_level: int) -> Iterator[Block]:
        """One block-level element, by its tag, or by its class where that says more."""
        language = element.get("lang")
        if language and language_name(language) != language_name(self.language):
            return self._in_language(language, element, shift, title_level)
        name, classes = local_name(element), set((element.get("class") or "").split())
        if MARKER_CLASS in classes:
            return iter((Block(page=element.get("data-label")),))
        if classes & _LEFT_OUT or name == "nav" or "ornament" in classes:
            return (Block(page=label) for label in markers(element))
        if "notes" in classes:
            return self._notes(element, shift)
        if name in _HANDLERS:
            handler: Handler = getattr(self, _HANDLERS[name])
            return handler(element, shift, title_level)
        if name in _CONTAINERS:
            return self._flow(element, shift, _title_level(element) or title_level)
        if element.text_content().strip():
            return self._paragraph(element, shift, title_level)
        return iter(())

    def _in_language(self, language: str, element: Any, shift: Indent,
                     title_level: int) -> Iterator[Block]:
        """A passage in another language: a transcriber's note naming it before, and one
        naming the language read again after it; its text in that language's table."""
        outer, indent = self.language, self.fmt.indent("transcriber_note")
        yield Block(self._note(language_name(language)), indent)
        self.language = language
        try:
            yield from self._block(element, shift, title_level)
        finally:
            self.language = outer
        yield Block(self._note(language_name(outer)), indent)

    def _quote(self, element: Any, shift: Indent, title_level: int) -> Iterator[Block]:
        """Displayed material: further in, a blank line before and after."""
        inner = shift.deeper(self.fmt.number("blockquote", "step"))
        parts = list(self._flow(element, inner, title_level))
        if parts:
            parts[0] = replace(parts[0], space_before=True)
            parts[-1] = replace(parts[-1], space_after=True)
        return iter(parts)

    def _preformatted(self, element: Any, shift: Indent, _level: int) -> Iterator[Block]:
        """Code and other preformatted text, line by line."""
        return self._pieces_as_blocks(list(lines_of(pieces_of(element, ""))),
                                      _shifted(self.fmt.indent("poetry"), shift), verse=True)

    def _rule(self, _element: Any, _shift: Indent, _level: int) -> Iterator[Block]:
        """A scene change: a short centred line of dots 2-5."""
        length = self.fmt.number("page", "separator_length")
        yield Block(self.fmt.cell("page", "separator") * length, centred=True)

    # ------------------------------------------------------------ headings and text

    def _heading(self, element: Any, _shift: Indent, title_level: int) -> Iterator[Block]:
        level = HEADINGS[local_name(element)]
        depth = level - (title_level or level)
        pieces = list(pieces_of(element, ""))
        yield from (Block(page=label) for kind, label, _ in pieces if kind == "page")
        cells = self._translate([p for p in pieces if p[0] != "page"])
        if not cells:
            return
        quiet = "quiet" in (element.get("class") or "").split()
        listed = None if quiet else level
        if depth <= 0:
            yield Block(cells, centred=True, space_before=True, space_after=True,
                        listed=listed, title=cells)
        elif depth == 1:
            yield Block(cells, self.fmt.indent("heading", "minor"), space_before=True,
                        title=cells)
        else:
            yield Block(cells, self.fmt.indent("heading", "subordinate"), title=cells)

    def _paragraph(self, element: Any, shift: Indent, _level: int) -> Iterator[Block]:
        verse = "lines" in (element.get("class") or "").split()
        indent = self.fmt.indent("poetry" if verse else "paragraph")
        yield from self._pieces_as_blocks(list(pieces_of(element, "")), _shifted(indent, shift),
                                          verse)

    def _pieces_as_blocks(self, pieces: list[Piece], indent: Indent,
                          verse: bool = False) -> Iterator[Block]:
        """A paragraph's pieces as blocks, cut where a print page starts and at hard line
        breaks: the text after a cut goes on at the runover cell, a verse line at the
        first line's cell."""
        run: list[Piece] = []
        first = indent
        for piece in [*pieces, ("end", "", "")]:
            if piece[0] not in ("page", "break", "end"):
                run.append(piece)
                continue
            cells = self._translate(run)
            if cells:
                yield Block(cells, first)
                verse_line = verse and piece[0] == "break"
                first = indent if verse_line else Indent(indent.runover, indent.runover)
            run = []
            if piece[0] == "page":
                yield Block(page=piece[1])

    def _translate(self, pieces: list[Piece]) -> str:
        """Text pieces translated together, with emphasis, each run in its language's table
        (a transcriber's note where the language changes); note references as given."""
        out: list[str] = []
        text: list[str] = []
        kinds: list[str] = []
        languages = [self.language]
        for kind, value, emphasis in pieces:
            if kind == "text":
                text.append(value)
                kinds.extend([emphasis] * len(value))
                continue
            out.append(self._text_cells("".join(text), kinds, languages[-1]))
            text, kinds = [], []
            if kind in ("cells", "note"):
                out.append(value if kind == "cells" else self._reference(value))
            elif kind == "lang":
                was = languages[-1]
                if value:
                    languages.append(value)
                else:
                    languages.pop()
                if language_name(languages[-1]) != language_name(was):
                    # punctuation after a passage stays unspaced
                    note = self._note(language_name(languages[-1]))
                    out.append(f" {note} " if value else f" {note}")
        out.append(self._text_cells("".join(text), kinds, languages[-1]))
        return _SPACE.sub(" ", "".join(out).replace(BLANK, " ")).strip().replace(" ", BLANK)

    def _text_cells(self, text: str, kinds: list[str], language: str) -> str:
        """One run of text, its whitespace collapsed, as cells."""
        squeezed: list[str] = []
        squeezed_kinds: list[str] = []
        for ch, kind in ((c, k) for raw, k in zip(text, kinds, strict=True)
                         for c in _SUBSTITUTES.get(raw, raw)):
            if ch.isspace():
                if squeezed and squeezed[-1] == " ":
                    continue
                ch = " "
            squeezed.append(ch)
            squeezed_kinds.append(kind)
        if not "".join(squeezed).strip():
            return " " if squeezed else ""
        cells = self.translator_for(language).translate("".join(squeezed), squeezed_kinds)
        return cells.replace(BLANK, " ")

    def _reference(self, number: str) -> str:
        """A note reference: the number raised, right after the word it follows."""
        return SUPERSCRIPT + self.translator.translate(number).replace(BLANK, "")

    def text(self, text: str) -> str:
        """Plain text as cells, for the transcriber's own lines."""
        return self._translate([("text", text, "")])

    # ------------------------------------------------------------ lists, tables, notes

    def _list(self, element: Any, shift: Indent, _level: int, depth: int = 0) -> Iterator[Block]:
        step = self.fmt.number("list", "nested_step")
        indent = _shifted(self.fmt.indent("list"), shift).deeper(step * depth)
        number = int(element.get("start") or 1)
        for item in (c for c in element if local_name(c) == "li"):
            label = f"{number}. " if local_name(element) == "ol" else ""
            number += 1
            pieces: list[Piece] = [("text", label, "")] if label else []
            pieces.extend(pieces_of(item, "", skip=("ul", "ol")))
            yield from self._pieces_as_blocks(pieces, indent)
            for inner in (c for c in item if local_name(c) in ("ul", "ol")):
                yield from self._list(inner, shift, 0, depth + 1)

    def _definitions(self, element: Any, shift: Indent, _level: int) -> Iterator[Block]:
        indent = _shifted(self.fmt.indent("list"), shift)
        for child in element:
            if local_name(child) == "dt":
                yield from self._pieces_as_blocks(list(pieces_of(child, "")), indent)
            elif local_name(child) == "dd":
                yield from self._pieces_as_blocks(list(pieces_of(child, "")),
                                                  Indent(indent.runover, indent.runover))

    def _table(self, element: Any, shift: Indent, _level: int) -> Iterator[Block]:
        """Linear table format: each row one entry, every cell after its column heading."""
        indent = _shifted(self.fmt.indent("table"), shift)
        yield Block(self._note("Table, set as a list: one entry per row, each cell after "
                               "its column heading."), self.fmt.indent("transcriber_note"),
                    space_before=True)
        caption = next((c for c in element if local_name(c) == "caption"), None)
        if caption is not None:
            yield from self._pieces_as_blocks(list(pieces_of(caption, "")), indent)
        rows = [r for r in element.iter() if local_name(r) == "tr"]
        head = [c for c in rows[0] if local_name(c) == "th"] if rows else []
        headings = [_SPACE.sub(" ", c.text_content()).strip() for c in head]
        if head and len(head) == len(rows[0]):
            yield from (Block(page=label) for label in markers(rows[0]))
            rows = rows[1:]
        for row in rows:
            pieces: list[Piece] = []
            for index, cell in enumerate(c for c in row if local_name(c) in ("td", "th")):
                if index:
                    pieces.append(("text", "; ", ""))
                if index < len(headings) and headings[index]:
                    pieces.append(("text", f"{headings[index]}: ", ""))
                pieces.extend(pieces_of(cell, ""))
            yield from self._pieces_as_blocks(pieces, indent)

    def _notes(self, element: Any, shift: Indent) -> Iterator[Block]:
        """BANA's notes at the end of their chapter: a heading, then each note 1-3."""
        yield Block(self.text("Notes"), self.fmt.indent("heading", "minor"), space_before=True)
        indent = _shifted(self.fmt.indent("note"), shift)
        notes = (li for li in element.iter() if local_name(li) == "li"
                 and "note" in (li.get("class") or "").split())
        for number, item in enumerate(notes, start=1):
            reference: list[Piece] = [("note", str(number), ""), ("text", " ", "")]
            yield from self._pieces_as_blocks([*reference, *pieces_of(item, "")], indent)

    # ------------------------------------------------------------ images and breaks

    def _figure(self, element: Any, shift: Indent, _level: int) -> Iterator[Block]:
        """The image as a transcriber's note, then its caption as a paragraph."""
        for child in element.iter():
            name, classes = local_name(child), (child.get("class") or "").split()
            if MARKER_CLASS in classes and child.getparent() is element:
                yield Block(page=child.get("data-label"))
            elif name == "img":
                yield from self._image(child, shift, 0)
            elif name == "figcaption":
                yield from self._pieces_as_blocks(list(pieces_of(child, "")),
                                                  _shifted(self.fmt.indent("paragraph"), shift))

    def _image(self, image: Any, shift: Indent, _level: int) -> Iterator[Block]:
        alt = (image.get("alt") or "").strip()
        if alt and "decorative" not in (image.get("class") or "").split():
            yield Block(self._note(f"Image: {alt}"),
                        _shifted(self.fmt.indent("transcriber_note"), shift))

    def _note(self, text: str) -> str:
        """A transcriber's note: the text between UEB's transcriber's note indicators."""
        return f"{TN_OPEN}{self.text(text)}{TN_CLOSE}"




def _shifted(indent: Indent, shift: Indent) -> Indent:
    """An indent inside displayed material set `shift` in."""
    return Indent(indent.first + shift.first, indent.runover + shift.runover)


def _title_level(element: Any) -> int:
    """The heading level of a division's own title, 0 when it is no division."""
    if "division" not in (element.get("class") or "").split():
        return 0
    for child in element:
        if isinstance(child.tag, str) and local_name(child) in HEADINGS:
            return HEADINGS[local_name(child)]
    return 0
