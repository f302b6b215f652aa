"""The lint's vocabulary: rules with stable codes, findings, and one parsed manuscript file."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from publish.model import PageSetup
from publish.readers.links import Targets

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of finding: its stable code, how bad it is, and what it means."""

    code: str
    severity: str
    summary: str


# The one table of codes; docs/lint-codes.md documents each (a test keeps them in step).
RULES = {
    rule.code: rule
    for rule in (
        Rule("A001", ERROR, "image without alt text"),
        Rule("A002", ERROR, "alt text that is a file name"),
        Rule("A003", WARNING, "alt text that says \"image of\" or \"picture of\""),
        Rule("A004", ERROR, "heading that skips a level"),
        Rule("A005", ERROR, "more than one title heading in an article"),
        Rule("A006", WARNING, "link text that does not say where it goes (\"click here\")"),
        Rule("A007", WARNING, "a bare URL as link text"),
        Rule("A008", ERROR, "table whose header row is empty"),
        Rule("A009", WARNING, "passage in another language without a language span"),
        Rule("A010", WARNING, "colour as the only cue (\"the red items\")"),
        Rule("A011", WARNING, "table too wide for the print page: set smaller, turned or "
                              "stacked"),
        Rule("H001", WARNING, "paragraph broken in two mid-sentence"),
        Rule("H002", WARNING, "straight quotes beside curly ones"),
        Rule("H003", WARNING, "ellipsis written as four dots or spaced dots"),
        Rule("H004", WARNING, "double space between words"),
        Rule("H005", ERROR, "footnote cited but never defined"),
        Rule("H006", WARNING, "footnote defined but never cited"),
        Rule("H007", ERROR, "empty heading"),
        Rule("H008", ERROR, "a run of text too long to typeset (pasted data)"),
        Rule("R001", WARNING, "SVG image with scripts, handlers or outside references removed"),
        Rule("R002", WARNING, "link to a local file or a script, written as text"),
        Rule("R003", ERROR, "link to an anchor the book does not have"),
        Rule("R004", WARNING, "stylesheet reference an EPUB or web edition cannot carry, removed"),
        Rule("W001", ERROR, "Word picture that no edition can show"),
        Rule("W002", WARNING, "Word file that still holds tracked changes"),
        Rule("W003", WARNING, "Word comments left out"),
        Rule("W004", WARNING, "Word table without a header row"),
    )
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one line of one file, printed as `file:line: CODE message`; a Word
    file has no lines, so its findings name a place instead (`file: under "...", ...:`)."""

    path: Path
    line: int
    code: str
    message: str
    place: str | None = None

    @property
    def severity(self) -> str:
        """Error or warning, from the rules table so every finding of a code agrees."""
        return RULES[self.code].severity

    def format(self, base: Path | None = None) -> str:
        """The `file:line: CODE message` line, the path relative to `base` when inside it."""
        path = self.path
        if base is not None and path.is_relative_to(base):
            path = path.relative_to(base)
        if self.place is not None:
            return f"{path}: {self.place}: {self.code} {self.message}" if self.place else \
                f"{path}: {self.code} {self.message}"
        return f"{path}:{self.line}: {self.code} {self.message}"


@dataclass
class Doc:
    """One Markdown file as the lint sees it: source lines, tokens and settings."""

    path: Path
    text: str
    tokens: list[Token]
    env: dict[str, Any]
    language: str  # the book's language: the language a passage is in unless marked
    layout: str | None  # "article" or "book" when the writer said so
    ignore: frozenset[str] = frozenset()
    page: PageSetup = field(default_factory=PageSetup)  # the print settings the writer gave
    root: Path | None = None  # the manuscript folder: images and links must stay inside
    targets: Targets | None = None  # the book's chapter files and ids, if the book read
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        """Split the text once; every rule reads lines by number."""
        self.lines = self.text.split("\n")

    def locate(self, token: Token, needle: str = "") -> int:
        """The 1-based line of `needle` inside the block `token` maps, else its first line."""
        start, end = token.map or (0, 1)
        if needle:
            for number in range(start, min(end, len(self.lines))):
                if needle in self.lines[number]:
                    return number + 1
        return start + 1


Hit = tuple[str, int, str]  # (code, line, message)
Check = Callable[[Doc], Iterator[Hit]]


def inline_blocks(doc: Doc) -> Iterator[tuple[Token, Token]]:
    """Each block-level opening token with the `inline` token it holds."""
    for at, token in enumerate(doc.tokens):
        if token.type == "inline" and at > 0:
            yield doc.tokens[at - 1], token


def text_of(children: list[Token], skip_lang: bool = False) -> str:
    """The words of inline tokens, code and (optionally) language-marked spans left out."""
    parts: list[str] = []
    depth = 0
    for child in children:
        if child.type == "span_open" and skip_lang and (depth or child.attrs.get("lang")):
            depth += 1
        elif child.type == "span_close" and depth:
            depth -= 1
        elif depth:
            continue
        elif child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def without_code(line: str) -> str:
    """A source line with its inline code spans masked, keeping the columns."""
    return _CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), line)
