"""mammoth's inline markup (runs, links, note references, pictures) as model inlines."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from lxml import html

from publish.model import (
    Attrs,
    Code,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    Span,
    Strong,
    Text,
)
from publish.readers.docx.marks import LANG_END, LANG_START, SPAN_END, clean
from publish.readers.docx.media import UNUSABLE
from publish.readers.inlines import NoteCounter
from publish.readers.language import is_known_language

_LINK_SCHEMES = ("http", "https", "mailto", "ftp")
_LANGUAGE_MARK = re.compile(f"({LANG_START}[^{LANG_END}]*{LANG_END}|{SPAN_END})")
_NOTE_TARGET = re.compile(r"^#((?:foot|end)note-\d+)$")
_FIELD_PLACE = re.compile(r'\\l\s+"([^"]*)')  # a HYPERLINK field's `\l "place"` switch


@dataclass(frozen=True)
class Problem:
    """Something a writer should fix, at a place they can find in Word."""

    code: str
    where: str
    message: str


@dataclass
class InlineContext:
    """What inline conversion needs: the pictures' folder, note numbers, targets, findings."""

    root: Path
    anchors: dict[str, str]  # bookmark name -> the id of the block that carries it
    notes: NoteCounter = field(default_factory=lambda: NoteCounter(prefix="text"))
    problems: list[Problem] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # mammoth's note ids, in citation order
    where: str = ""

    def report(self, code: str, message: str) -> None:
        """Note a finding at the block being read."""
        self.problems.append(Problem(code, self.where, message))


def inlines_of(element: html.HtmlElement, ctx: InlineContext) -> tuple[Inline, ...]:
    """The inlines inside one block element, neighbouring text joined, runs in another
    language as spans."""
    return tuple(_merge(iter(_languages(list(_merge(_children(element, ctx)))))))


def _languages(items: list[Inline]) -> list[Inline]:
    """Inlines with the language marks of `marks` made into spans, the other marks gone."""
    stack: list[tuple[str | None, list[Inline]]] = [(None, [])]
    for node in items:
        if not isinstance(node, Text):
            stack[-1][1].append(node)
            continue
        for piece in _LANGUAGE_MARK.split(node.text):
            if piece.startswith(LANG_START):
                stack.append((piece[1:-1], []))
            elif piece == SPAN_END and len(stack) > 1:
                _close(stack)
            elif clean(piece):
                stack[-1][1].append(Text(clean(piece)))
    while len(stack) > 1:
        _close(stack)
    return _joined_spans(stack[0][1])


def _close(stack: list[tuple[str | None, list[Inline]]]) -> None:
    lang, kids = stack.pop()
    if kids and lang and is_known_language(lang):
        stack[-1][1].append(Span(tuple(_merge(iter(kids))), Attrs(lang=lang)))
    else:
        stack[-1][1].extend(kids)


def _joined_spans(items: list[Inline]) -> list[Inline]:
    """Neighbouring runs in the same language as one span (Word cuts runs mid-word)."""
    joined: list[Inline] = []
    for node in items:
        last = joined[-1] if joined else None
        if isinstance(node, Span) and isinstance(last, Span) and node.attrs.lang and \
                last.attrs == node.attrs:
            joined[-1] = Span(tuple(_merge(iter((*last.children, *node.children)))), node.attrs)
        else:
            joined.append(node)
    return joined


def _children(element: html.HtmlElement, ctx: InlineContext) -> Iterator[Inline]:
    if element.text:
        yield Text(element.text)
    for child in element:
        yield from _inline(child, ctx)
        if child.tail:
            yield Text(child.tail)


_WRAPPERS: dict[str, Callable[[tuple[Inline, ...]], Inline]] = {
    "strong": Strong, "b": Strong, "em": Emphasis, "i": Emphasis, "s": Span, "span": Span,
    "sup": Span, "sub": Span, "u": Span,
}


def _inline(element: html.HtmlElement, ctx: InlineContext) -> Iterator[Inline]:
    tag = element.tag
    if tag == "br":
        yield LineBreak()
    elif tag == "code":
        yield Code(clean(element.text_content()))
    elif tag == "img":
        picture = image_of(element, ctx)
        if picture is not None:
            yield picture
    elif tag == "a":
        yield from _anchor(element, ctx)
    elif tag in ("sup", "sub") and _only_note(element):
        yield from _children(element, ctx)
    elif tag in _WRAPPERS:
        kids = inlines_of(element, ctx)
        if kids:
            yield _WRAPPERS[tag](kids)
    else:
        yield from _children(element, ctx)


def _only_note(element: html.HtmlElement) -> bool:
    """A superscript that only holds a note reference: the note number is drawn by us."""
    kids = list(element)
    return len(kids) == 1 and kids[0].tag == "a" and \
        bool(_NOTE_TARGET.match(kids[0].get("href", ""))) and not (element.text or "").strip()


def _field_href(href: str) -> str:
    """Where a link goes: mammoth reads a HYPERLINK field `"URL" \\l "place"` as one address,
    quotes and switches included (EPUBCheck RSC-020); Word means URL#place, and the other
    switches (a tooltip, a target frame) say nothing of where it goes."""
    if '"' not in href:
        return href
    address, _, switches = href.partition('"')
    place = _FIELD_PLACE.search(switches)
    return f"{address.strip()}#{place.group(1)}" if place else address.strip()


def _anchor(element: html.HtmlElement, ctx: InlineContext) -> Iterator[Inline]:
    href = _field_href(element.get("href", ""))
    note = _NOTE_TARGET.match(href)
    if note:
        ctx.cited.append(note.group(1))
        yield ctx.notes.cite(note.group(1))
        return
    kids = inlines_of(element, ctx)
    if not kids:
        return  # a bookmark: its block carries the id
    if href.startswith("#"):
        target = ctx.anchors.get(href[1:])
        yield Link(kids, f"#{target}") if target else Span(kids)
    elif urlparse(href).scheme.lower() in _LINK_SCHEMES:
        yield Link(kids, href)
    else:
        yield Span(kids)  # a link to a file on the writer's machine leads nowhere in a book


def image_of(element: html.HtmlElement, ctx: InlineContext) -> Image | None:
    """A picture mammoth kept; a finding for one without alt text or in an unusable format."""
    src = element.get("src", "")
    alt = element.get("alt", "").strip()
    if src.startswith(UNUSABLE):
        ctx.report("W001", f"picture {src[len(UNUSABLE):]}")
        return None
    if not src.startswith("media/"):
        ctx.report("W001", "picture that is not stored in the file")
        return None
    decorative = element.get("data-decorative") == "true"  # ticked in Word: no alt text
    if not alt and not decorative:
        ctx.report("A001", "image without alt text: in Word, right-click the picture > "
                           "View Alt Text, and describe it (or tick Mark as decorative)")
    return Image(src=src, path=ctx.root / src, alt=alt, decorative=decorative)


def _merge(inlines: Iterator[Inline]) -> Iterator[Inline]:
    """Join neighbouring text runs, so renderers and the lint see whole words."""
    pending: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            pending.append(node.text)
            continue
        if pending:
            yield Text("".join(pending))
            pending = []
        yield node
    if pending:
        yield Text("".join(pending))

