"""A tiny edition defined only in the test suite: one module plus one style folder, proving
that a new edition needs nothing else (build, cache, check and CLI find it in the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish.check.model import ERROR, Issue, Run
from publish.editions import Check, Edition
from publish.html import render_template
from publish.model import Book, Paragraph, plain_text
from publish.options import Options

WIDTH = 72  # a line of the plain-text edition, in characters


@dataclass(frozen=True)
class Section:
    """One division as the plain-text template sets it."""

    title: str
    paragraphs: tuple[str, ...]


def render_plain_text(book: Book, _options: Options) -> bytes:
    """The book's division titles and paragraphs, wrapped, through the edition's template."""
    sections = [Section(plain_text(division.title),
                        tuple(plain_text(block.children) for block in division.blocks
                              if isinstance(block, Paragraph)))
                for division in book.all_divisions()]
    text = render_template(book, "plain.txt.j2", PLAIN_TEXT.layers, sections=sections,
                           width=WIDTH)
    return text.encode("utf-8")


def check_lines(path: Path) -> Run:
    """Every line fits the width the edition promises."""
    run = Run("plain-text-lines", path.name, "1")
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if len(line) > WIDTH and " " in line:
            run.issues.append(Issue(path.name, run.tool, ERROR, "T001",
                                    f"line of {len(line)} characters", f"line {number}"))
    return run


def broken_render(_book: Book, _options: Options) -> bytes:
    """A renderer with a bug, for the tests of unexpected errors."""
    return _fail_deep_inside()


def _fail_deep_inside() -> bytes:
    raise RuntimeError("the plain-text renderer has a bug")


PLAIN_TEXT = Edition(
    name="plain-text",
    suffix=".txt",
    layer="plain-text",
    render=f"{__name__}:render_plain_text",
    checks=(Check(f"{__name__}:check_lines"),),
    styles=Path(__file__).parent / "plain-text",
)
BROKEN = Edition(name="broken", suffix=".broken", layer="plain-text",
                 render=f"{__name__}:broken_render")
