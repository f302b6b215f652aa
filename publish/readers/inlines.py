"""Turn markdown-it inline tokens into model inlines."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from publish.errors import ManuscriptError
from publish.ids import IdRegistry
from publish.model import (
    Code,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    RawInline,
    Span,
    Strong,
    Text,
)
from publish.readers.attributes import from_token_attrs
from publish.readers.language import is_known_language
from publish.readers.resources import resolve_image
from publish.typography import smarten

# Wrapping tokens: the opening type, the closing type and how to build the node.
_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
_WRAPPERS: dict[str, tuple[str, Callable[[Token, tuple[Inline, ...]], Inline]]] = {
    "em_open": ("em_close", lambda _t, kids: Emphasis(kids)),
    "strong_open": ("strong_close", lambda _t, kids: Strong(kids)),
    "s_open": ("s_close", lambda _t, kids: Span(kids)),
    "span_open": ("span_close", lambda t, kids: Span(kids, from_token_attrs(t.attrs))),
    "link_open": (
        "link_close",
        lambda t, kids: Link(kids, str(t.attrs.get("href", "")), _opt(t.attrs.get("title"))),
    ),
}


def _opt(value: object) -> str | None:
    return str(value) if value else None


@dataclass
class NoteCounter:
    """Numbers footnotes in order of first citation within one division."""

    prefix: str
    numbers: dict[str, int] = field(default_factory=dict)
    citations: dict[str, int] = field(default_factory=dict)

    def cite(self, label: str) -> NoteRef:
        """A reference to the note `label`, numbered on first sight."""
        number = self.numbers.setdefault(label, len(self.numbers) + 1)
        seen = self.citations[label] = self.citations.get(label, 0) + 1
        note_id = f"{self.prefix}-note-{number}"
        ref_id = f"{note_id}-ref" if seen == 1 else f"{note_id}-ref-{seen}"
        return NoteRef(note_id=note_id, number=number, ref_id=ref_id)


@dataclass
class ReadContext:
    """Where tokens come from (for images and errors) and the book-wide id registry."""

    path: Path
    root: Path
    notes: NoteCounter
    ids: IdRegistry
    lines: tuple[str, ...] = ()
    line: int = 0

    def source_here(self) -> str:
        """The manuscript text from the current block's first line on, to check raw syntax."""
        return "\n".join(self.lines[self.line - 1:self.line + 20]) if self.line else ""


def convert_inlines(tokens: list[Token], ctx: ReadContext) -> tuple[Inline, ...]:
    """Model inlines for the children of one markdown-it `inline` token."""
    return tuple(_merge_text(_walk(iter(tokens), None, ctx)))


def _walk(tokens: Iterator[Token], until: str | None, ctx: ReadContext) -> Iterator[Inline]:
    for token in tokens:
        if token.type == until:
            return
        if token.type == "span_open":
            check_language(token.attrs.get("lang"), ctx)
        if token.type in _WRAPPERS:
            closing, build = _WRAPPERS[token.type]
            yield build(token, tuple(_merge_text(_walk(tokens, closing, ctx))))
        else:
            yield from _leaf(token, ctx)


def check_language(lang: object, ctx: ReadContext) -> None:
    """Refuse a `lang=` attribute that names no registered language."""
    if lang and not is_known_language(str(lang)):
        raise ManuscriptError(ctx.path, ctx.line, f"unknown language code '{lang}'")


def _leaf(token: Token, ctx: ReadContext) -> Iterator[Inline]:
    kind = token.type
    if kind == "text":
        _refuse_undefined_note(token.content, ctx)
        yield Text(smarten(token.content))
    elif kind == "softbreak":
        yield Text("\n")  # whitespace to every renderer; a line end to byline inference
    elif kind == "hardbreak":
        yield LineBreak()
    elif kind == "code_inline":
        yield Code(token.content)
    elif kind == "html_inline":
        yield RawInline(token.content)
    elif kind == "image":
        yield _image(token, ctx)
    elif kind == "footnote_ref":
        yield ctx.notes.cite(str(token.meta.get("label", token.meta["id"])))
    elif token.content:
        yield Text(token.content)


def _refuse_undefined_note(text: str, ctx: ReadContext) -> None:
    """markdown-it leaves `[^x]` as text when no `[^x]:` defines it; that is an error."""
    for match in _NOTE_CALL.finditer(text):
        source = ctx.source_here()
        if f"[^{match.group(1)}]" in source and f"\\[^{match.group(1)}]" not in source:
            raise ManuscriptError(
                ctx.path, ctx.line, f"footnote [^{match.group(1)}] is cited but never defined"
            )


def _image(token: Token, ctx: ReadContext) -> Image:
    attrs = from_token_attrs({k: v for k, v in token.attrs.items() if k in ("class", "id")})
    alt = token.content.strip()
    decorative = "decorative" in attrs.classes
    src = str(token.attrs.get("src", ""))
    if decorative and alt:
        raise ManuscriptError(
            ctx.path, ctx.line, f"image '{src}' is marked decorative but has alt text"
        )
    if not alt and not decorative:
        raise ManuscriptError(
            ctx.path,
            ctx.line,
            f"image '{src}' has no alt text: describe it, or mark it {{.decorative}} "
            "if it carries no information",
        )
    path = resolve_image(src, ctx.path, ctx.root, ctx.line)
    title = _opt(token.attrs.get("title"))
    return Image(src=src, path=path, alt=alt, decorative=decorative, title=title, attrs=attrs)


def _merge_text(inlines: Iterator[Inline]) -> Iterator[Inline]:
    """Join neighbouring text runs so renderers see whole words."""
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
