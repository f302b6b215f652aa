"""Whether one Markdown file is a book or an article, judged from its headings and length."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from publish.readers.infer import is_title_line

# A level repeats "like chapters" when most of its headings are named as chapters are, or
# when the text is as long as a short novel: below that, a headline above sections is an
# article.
BOOK_WORDS = 10_000
MIN_CHAPTERS = 3
_CHAPTER_NAME = re.compile(
    r"^(chapter|chap\.|letter|book|part|canto|stave|kapitel|chapitre|cap[ií]tulo|capitolo)\b"
    r"|^[IVXLCDM]+\.?(\s|$)|^\d+\.?(\s|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Shape:
    """Where a file's chapters start and what that makes it, with the reason in words."""

    level: int  # the heading level that starts a chapter
    chapters: int
    title_heading: bool  # a lone `#` title stands above `##` chapters
    layout: str  # "book" or "article"

    @property
    def reason(self) -> str:
        """The one line telling the writer what was decided, why, and how to override it."""
        if self.layout == "article":
            return "read as an article: one headline; set layout: book to override"
        chapters = f"{self.chapters} chapter{'s' * (self.chapters != 1)}"
        under = " under a title heading" if self.title_heading else ""
        return f"read as a book: {chapters} at level {self.level}{under}; " \
               "set layout: article to override"


def shape_of(tokens: list[Token]) -> Shape:
    """Chapters at `#` when that level repeats; at `##` below a lone `#` title when the
    `##` headings repeat like chapters; otherwise an article."""
    headings = _top_headings(tokens)
    firsts = [title for level, title in headings if level == 1]
    seconds = [title for level, title in headings if level == 2]
    if len(firsts) >= 2:
        return Shape(1, len(firsts), False, "book")
    lone_title_first = len(firsts) == 1 and bool(headings) and headings[0][0] == 1
    if (len(firsts) == 0 or lone_title_first) and _like_chapters(seconds, _words(tokens)):
        return Shape(2, len(seconds), lone_title_first, "book")
    return Shape(1, len(firsts), False, "article")


def _top_headings(tokens: list[Token]) -> list[tuple[int, str]]:
    """Top-level headings as (level, text), leaving out bylines and labelled title lines."""
    found: list[tuple[int, str]] = []
    for at, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2"):
            text = tokens[at + 1].content.strip()
            if not is_title_line(text):
                found.append((int(token.tag[1]), text))
    return found


def _like_chapters(titles: list[str], words: int) -> bool:
    if len(titles) < MIN_CHAPTERS:
        return False
    named = sum(looks_like_chapter(title) for title in titles)
    return words >= BOOK_WORDS or named * 2 > len(titles)


def looks_like_chapter(title: str) -> bool:
    """Named as chapters are: `Chapter 3`, `Letter IV`, `XII.`, `7`."""
    return bool(_CHAPTER_NAME.match(title.strip()))


def _words(tokens: list[Token]) -> int:
    return sum(len(token.content.split()) for token in tokens if token.type == "inline")
