"""A block's inline content as pieces: text runs with their emphasis, note references,
print page starts and hard line breaks, in reading order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from publish.braille.tables import BOLD, ITALIC
from publish.pagination import local_name

MARKER_CLASS = "braille-print-page"  # the element put where a print page begins
# ("text", text, emphasis), ("note", number, ""), ("cells", cells, ""), ("page", label, ""),
# ("break", "", ""), ("lang", tag, "") where a language starts and ("lang", "", "") where it ends
Piece = tuple[str, str, str]
_SPACE = re.compile(r"\s+")
TN_OPEN, TN_CLOSE = "\u2808\u2828\u2823", "\u2808\u2828\u281c"  # transcriber's note


def lines_of(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """Preformatted text's pieces with its line ends as line breaks."""
    for kind, value, emphasis in pieces:
        if kind != "text":
            yield kind, value, emphasis
            continue
        for index, line in enumerate(value.split("\n")):
            if index:
                yield "break", "", ""
            yield "text", line, emphasis


def markers(element: Any) -> Iterator[str]:
    """The print page starts inside an element the transcription leaves out."""
    for node in element.iter():
        if isinstance(node.tag, str) and MARKER_CLASS in (node.get("class") or "").split():
            yield str(node.get("data-label"))


def pieces_of(element: Any, emphasis: str, skip: tuple[str, ...] = ()) -> Iterator[Piece]:
    """An element's inline content in order: text runs with their emphasis, note
    references as cells, print page starts, line breaks."""
    if element.text:
        yield ("text", element.text, emphasis)
    for child in element:
        if isinstance(child.tag, str):
            yield from _inline(child, emphasis, skip)
        if child.tail:
            yield ("text", child.tail, emphasis)


def _inline(child: Any, emphasis: str, skip: tuple[str, ...]) -> Iterator[Piece]:
    """A child's pieces, between a change of language and its end where it sets one."""
    language = child.get("lang")
    if language:
        yield ("lang", language, "")
    yield from _content(child, emphasis, skip)
    if language:
        yield ("lang", "", "")


def _content(child: Any, emphasis: str, skip: tuple[str, ...]) -> Iterator[Piece]:
    name, classes = local_name(child), set((child.get("class") or "").split())
    if name in skip or "backlink" in classes:
        return
    if MARKER_CLASS in classes:
        yield ("page", str(child.get("data-label")), "")
    elif name == "br":
        yield ("break", "", "")
    elif "noteref" in classes or (name == "sup" and child.find(".//a") is not None):
        number = _SPACE.sub("", child.text_content())
        yield ("note", number, "")
    elif name == "img":
        alt = (child.get("alt") or "").strip()
        if alt and "decorative" not in classes:  # a transcriber's note, as for a figure
            yield from (("text", " ", ""), ("cells", TN_OPEN, ""), ("text", f"Image: {alt}", ""),
                        ("cells", TN_CLOSE, ""), ("text", " ", ""))
    else:
        kind = ITALIC if name in ("em", "i") else BOLD if name in ("strong", "b") else emphasis
        yield from pieces_of(child, kind, skip)
