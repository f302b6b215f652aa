"""H001: a paragraph broken in two, as conversions from PDF or word processors leave them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from publish.lint.core import Doc, Hit, text_of

# Paragraphs inside these are quoted, listed or set as verse: their breaks may be meant.
_SKIPPED_PARENTS = frozenset({
    "blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open", "dl_open",
    "dt_open", "dd_open", "table_open",
})
_OPENERS = frozenset({"em_open", "strong_open", "s_open", "span_open", "link_open"})
# Abbreviations that end in a full stop but never end a sentence.
_ABBREVIATIONS = frozenset({
    "mr.", "mrs.", "ms.", "dr.", "st.", "prof.", "rev.", "gen.", "capt.", "sgt.", "lt.",
    "col.", "mt.", "no.", "vs.", "cf.", "e.g.", "i.e.", "viz.", "fig.",
})
_ATTR_LINE = re.compile(r"\n\s*\{[^{}]*\}\s*$")
_MIN_WORDS = 3


@dataclass(frozen=True)
class _Paragraph:
    """What the rule needs of one paragraph: where it is, who holds it, how it ends."""

    inline: Token
    parents: tuple[str, ...]
    close_index: int


def broken_paragraphs(doc: Doc) -> Iterator[Hit]:
    """H001: a paragraph that ends mid-sentence followed by one that starts in lower case."""
    previous: _Paragraph | None = None
    for current, open_index in _paragraphs(doc.tokens):
        if (previous is not None and previous.close_index + 1 == open_index
                and previous.parents == current.parents
                and _ends_mid_sentence(previous.inline) and _starts_lower(current.inline)):
            end_line = (previous.inline.map or (0, 1))[1]
            yield ("H001", doc.locate(current.inline), "paragraph starts in lower case and "
                   f"the one above ends mid-sentence (line {end_line}): one paragraph broken "
                   "in two? join them")
        previous = current


def _paragraphs(tokens: list[Token]) -> Iterator[tuple[_Paragraph, int]]:
    """Prose paragraphs with their parents, leaving out lists, quotes, tables and verse."""
    stack: list[str] = []
    for at, token in enumerate(tokens):
        if token.type == "paragraph_open" and not _skipped(stack):
            yield _Paragraph(tokens[at + 1], tuple(stack), at + 2), at
        if token.nesting == 1:
            verse = token.type == "container_div_open" and "verse" in token.info
            stack.append("verse" if verse else token.type)
        elif token.nesting == -1 and stack:
            stack.pop()


def _skipped(stack: list[str]) -> bool:
    """Inside a list, quote, table or verse, where short lines and breaks may be meant."""
    return any(kind in _SKIPPED_PARENTS or kind == "verse" for kind in stack)


def _ends_mid_sentence(inline: Token) -> bool:
    """Whether the paragraph's last words leave a sentence open."""
    children = inline.children or []
    if any(child.type == "hardbreak" for child in children):
        return False  # lines set one by one: an address, a signature, verse
    text = _ATTR_LINE.sub("", text_of(children)).rstrip()
    if len(text.split()) < _MIN_WORDS:
        return False
    last_word = text.split()[-1].lower()
    if last_word in _ABBREVIATIONS:
        return True
    return text[-1].isalnum() or text[-1] in ",;"


def _starts_lower(inline: Token) -> bool:
    """Whether the paragraph's first written word starts with a lower-case letter."""
    for child in inline.children or []:
        if child.type in _OPENERS:
            continue
        if child.type != "text":
            return False
        word = child.content.lstrip().split(" ", 1)[0]
        return bool(word) and word[0].islower() and not any(c.isupper() for c in word[1:])
    return False
