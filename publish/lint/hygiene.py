"""Manuscript hygiene rules (H codes): traces of typing and conversion a reader would notice."""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.lint.core import Doc, Hit, inline_blocks, without_code
from publish.readers.runs import describe, long_runs

_STRAIGHT = re.compile(r"[\"']")
_CURLY = re.compile(r"[“”‘’]")
_BAD_ELLIPSIS = re.compile(r"(?<!\.)\.{4,}(?!\.)|\.(?:[ \u00a0]\.){2,}")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
# list and quote markers, definition colons and note labels that start a source line
_LINE_PREFIX = re.compile(r"^[\s>]*(?:(?:[-*+:]|\d+[.)]|\[\^[^\]]+\]:)[ \t]+)?")
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


def _block_lines(doc: Doc, inline_map: list[int] | None) -> Iterator[tuple[int, str]]:
    """The numbered source lines of one block, code spans blanked and markers cut off."""
    start, end = inline_map or (0, 0)
    for number in range(start, min(end, len(doc.lines))):
        line = without_code(doc.lines[number])
        yield number + 1, line[_LINE_PREFIX.match(line).end():]  # type: ignore[union-attr]


def quotes(doc: Doc) -> Iterator[Hit]:
    """H002: mixed quotes mean part of the text was typed or converted differently."""
    for _, inline in inline_blocks(doc):
        lines = list(_block_lines(doc, inline.map))
        text = "\n".join(line for _, line in lines)
        if _STRAIGHT.search(text) and _CURLY.search(text):
            line = next(number for number, line in lines if _STRAIGHT.search(line))
            yield ("H002", line, "straight quotes beside curly ones in the same block: "
                   "use one kind throughout")


def ellipses(doc: Doc) -> Iterator[Hit]:
    """H003: four dots or spaced dots are an ellipsis typed by hand; write `...` or `…`."""
    for _, inline in inline_blocks(doc):
        for number, line in _block_lines(doc, inline.map):
            match = _BAD_ELLIPSIS.search(line)
            if match:
                yield ("H003", number, f"'{match.group(0)}' is not an ellipsis: write `...` "
                       "or `…` (followed by the full stop if one is meant)")


def double_spaces(doc: Doc) -> Iterator[Hit]:
    """H004: a double space is a typing habit that shows as uneven spacing in some outputs."""
    for opening, inline in inline_blocks(doc):
        if opening.type not in ("paragraph_open", "heading_open"):
            continue  # table cells are padded with spaces on purpose
        for number, line in _block_lines(doc, inline.map):
            if _DOUBLE_SPACE.search(line.rstrip()):
                yield ("H004", number, "double space between words: use one")


def footnotes(doc: Doc) -> Iterator[Hit]:
    """H005-H006: a lost note or a dangling reference mark."""
    for _, inline in inline_blocks(doc):
        for child in inline.children or []:
            if child.type != "text":
                continue
            for match in _UNDEFINED_REF.finditer(child.content):
                line = _unescaped_line(doc, inline.map, match.group(0))
                if line is not None:
                    yield ("H005", line, f"footnote '{match.group(1)}' is cited but never "
                           f"defined: add `{match.group(0)}: ...`")
    refs = doc.env.get("footnotes", {}).get("refs", {})
    for key, ident in refs.items():
        if ident == -1:
            label = key[1:]
            yield ("H006", _definition_line(doc, label), f"footnote '{label}' is defined but "
                   f"never cited: cite it with `[^{label}]` or remove it")


def _unescaped_line(doc: Doc, inline_map: list[int] | None, needle: str) -> int | None:
    """The line where `needle` is written without a backslash escape, if any."""
    for number, line in _block_lines(doc, inline_map):
        at = line.find(needle)
        if at >= 0 and (at == 0 or line[at - 1] != "\\"):
            return number
    return None


def _definition_line(doc: Doc, label: str) -> int:
    """The line of `[^label]:`, which markdown-it's tokens do not say for unused notes."""
    definition = re.compile(rf"^\s*\[\^{re.escape(label)}\]:")
    for number, line in enumerate(doc.lines, start=1):
        if definition.match(line):
            return number
    return 1


def unbroken_runs(doc: Doc) -> Iterator[Hit]:
    """H008: a run of pasted data with no place to break a line would hold the build for
    hours; the reader refuses it too, so silencing this rule does not let it through."""
    for line, length in long_runs(doc.text):
        yield "H008", line, describe(length)
