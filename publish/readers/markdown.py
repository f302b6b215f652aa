"""Read one Markdown document into front matter and divisions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from publish.errors import ManuscriptError
from publish.ids import IdRegistry
from publish.model import (
    BACK_KINDS,
    FRONT_KINDS,
    Attrs,
    Division,
    Footnote,
    Inline,
    Text,
)
from publish.readers.attributes import split_trailing_attrs
from publish.readers.blocks import BlockReader, claim_id
from publish.readers.infer import is_title_line
from publish.readers.inlines import NoteCounter, ReadContext
from publish.readers.runs import describe, long_runs
from publish.readers.shape import Shape, shape_of

# markdown-it silently drops text nested deeper than this; we raise the limit far above any
# real book and refuse input that still reaches it, so no text is ever lost unnoticed.
MAX_NESTING = 60
_PART_TITLE = re.compile(r"^(part|book|volume)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"^[A-Za-z]+")
_KIND_CLASSES = frozenset(FRONT_KINDS + BACK_KINDS + ("part", "chapter"))


class _Parser(MarkdownIt):
    """markdown-it leaves `[x](file:///...)` and `javascript:` links as literal text, target
    and all; we read them as links, so the lint reports them (R002) and every edition keeps
    their text alone."""

    def validateLink(self, url: str) -> bool:  # markdown-it's name
        """Every target becomes a link; `publish.readers.links` judges where it leads."""
        return True


@cache
def parser() -> MarkdownIt:
    """One configured markdown-it parser: CommonMark, GFM tables, notes, attributes."""
    md = _Parser("commonmark", {"typographer": True})
    md.enable(["table", "strikethrough", "smartquotes"])
    md.use(front_matter_plugin).use(footnote_plugin).use(deflist_plugin)
    md.use(attrs_plugin, spans=True).use(attrs_block_plugin)
    md.use(container_plugin, name="div", validate=lambda *_: True)
    md.options["maxNesting"] = MAX_NESTING
    return md


@dataclass(frozen=True)
class Document:
    """What one Markdown file holds before it joins a book."""

    front_matter: dict[str, Any]
    divisions: tuple[Division, ...]
    has_front_matter: bool
    shape: Shape


@dataclass(frozen=True)
class _Section:
    """A run of top-level tokens that will become one division."""

    heading: list[Token]  # heading_open, inline, heading_close; empty for an untitled run
    body: list[Token]
    depth: int  # 1 for a chapter or part, 2 for a chapter inside a part


def read_document(
    text: str, path: Path, root: Path, ids: IdRegistry, book: bool, judge_shape: bool = False,
) -> Document:
    """Parse `text` (from `path`) into front matter and divisions; chapters start at `#`
    unless `judge_shape` finds them at `##` below a lone title (a one-file book)."""
    unbroken = next(long_runs(text), None)
    if unbroken is not None:
        raise ManuscriptError(path, unbroken[0], describe(unbroken[1]))
    tokens = parser().parse(text)
    _refuse_deep_nesting(tokens, path)
    front_matter, has_front_matter = _front_matter(tokens, path)
    tokens, note_defs = _split_footnotes(tokens)
    shape = shape_of(tokens) if judge_shape else Shape(1, 0, False, "book")
    sections = _sections(tokens, shape.level)
    lines = tuple(text.splitlines())
    divisions = [
        _division(section, path, root, ids, note_defs, book, lines) for section in sections
    ]
    return Document(front_matter, tuple(divisions), has_front_matter, shape)


def _refuse_deep_nesting(tokens: list[Token], path: Path) -> None:
    line = 1
    for token in tokens:
        line = token.map[0] + 1 if token.map else line
        if token.level >= MAX_NESTING - 1:
            raise ManuscriptError(
                path, line, f"quotes or lists nested more than {MAX_NESTING - 2} levels deep"
            )


def _front_matter(tokens: list[Token], path: Path) -> tuple[dict[str, Any], bool]:
    if not tokens or tokens[0].type != "front_matter":
        return {}, False
    try:
        data = yaml.safe_load(tokens[0].content) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ManuscriptError(path, line, f"front matter: {problem}") from None
    if not isinstance(data, dict):
        raise ManuscriptError(path, 2, "front matter must be a mapping of `key: value` lines")
    return data, True


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[str, list[Token]]]:
    """Separate footnote definitions (markdown-it puts them at the end) from the text."""
    body: list[Token] = []
    notes: dict[str, list[Token]] = {}
    current: list[Token] | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = notes.setdefault(str(token.meta.get("label", token.meta["id"])), [])
        elif token.type == "footnote_close":
            current = None
        elif token.type in ("footnote_block_open", "footnote_block_close", "front_matter"):
            continue
        elif current is not None:
            if token.type != "footnote_anchor":
                current.append(token)
        else:
            body.append(token)
    return body, notes


def _heading_info(tokens: list[Token], at: int) -> tuple[str, Attrs]:
    return split_trailing_attrs(tokens[at + 1].content)


def _is_part(title: str, attrs: Attrs) -> bool:
    return "part" in attrs.classes or (
        not (set(attrs.classes) & _KIND_CLASSES) and bool(_PART_TITLE.match(title))
    )


def _sections(tokens: list[Token], chapter_level: int) -> list[_Section]:
    """Cut the token stream at top-level `#` headings, and at `##` inside parts or where
    `##` starts a chapter."""
    starts: list[tuple[int, int]] = []
    in_part = False
    for at, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0:
            continue
        if token.tag == "h2" and chapter_level == 2 \
                and not is_title_line(tokens[at + 1].content):
            starts.append((at, 1))
        elif token.tag == "h1":
            in_part = _is_part(*_heading_info(tokens, at))
            starts.append((at, 1))
        elif token.tag == "h2" and in_part:
            starts.append((at, 2))
    sections: list[_Section] = []
    if not starts or starts[0][0] > 0:
        end = starts[0][0] if starts else len(tokens)
        if any(t.type != "hr" for t in tokens[:end]):
            sections.append(_Section([], tokens[:end], 1))
    for index, (at, depth) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(tokens)
        sections.append(_Section(tokens[at:at + 3], tokens[at + 3:end], depth))
    return sections


def _division(
    section: _Section,
    path: Path,
    root: Path,
    ids: IdRegistry,
    note_defs: dict[str, list[Token]],
    book: bool,
    lines: tuple[str, ...],
) -> Division:
    ctx = ReadContext(
        path=path, root=root, notes=NoteCounter(prefix="pending"), ids=ids, lines=lines
    )
    title: tuple[Inline, ...] = ()
    attrs = Attrs()
    shift = 0
    if section.heading:
        ctx.line = (section.heading[0].map or [0])[0] + 1
        heading = BlockReader(section.heading, ctx).read_until()[0]
        title, attrs = heading.children, heading.attrs  # type: ignore[union-attr]
        shift = int(section.heading[0].tag[1]) - 1
    kind = _kind(section, attrs, book)
    ident = attrs.id or claim_id(ctx, None, kind)
    ctx.notes = NoteCounter(prefix=ident)
    blocks = BlockReader(section.body, ctx, level_shift=shift).read_until()
    notes = _notes(ctx, note_defs, shift)
    return Division(
        kind=kind, id=ident, title=title, blocks=blocks, notes=notes, attrs=attrs,
    )


def _kind(section: _Section, attrs: Attrs, book: bool) -> str:
    for cls in attrs.classes:
        if cls in _KIND_CLASSES:
            return cls
    if not section.heading or section.depth != 1:
        return "chapter" if book else "article"
    title = section.heading[1].content
    if _is_part(title, attrs):
        return "part"
    first_word = _FIRST_WORD.match(title)
    named = first_word.group(0).lower() if first_word else ""
    named = {"acknowledgments": "acknowledgements"}.get(named, named)
    if named in _KIND_CLASSES and named not in ("titlepage", "copyright", "part", "chapter"):
        return named
    return "chapter" if book else "article"


def _notes(ctx: ReadContext, note_defs: dict[str, list[Token]], shift: int) -> tuple[Footnote, ...]:
    """The notes this division cites, in citation order, including notes cited by notes."""
    notes: list[Footnote] = []
    done: set[str] = set()
    while pending := [label for label in ctx.notes.numbers if label not in done]:
        for label in pending:
            done.add(label)
            number = ctx.notes.numbers[label]
            blocks = BlockReader(note_defs.get(label, []), ctx, level_shift=shift).read_until()
            notes.append(Footnote(id=f"{ctx.notes.prefix}-note-{number}", number=number,
                                  blocks=blocks))
    return tuple(sorted(notes, key=lambda note: note.number))


def untitled(title: str) -> tuple[Inline, ...]:
    """A division title for text that came without a heading."""
    return (Text(title),)
