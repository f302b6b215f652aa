"""A long manuscript made for a test: a novel's worth of chapters whose layout takes long
enough for its progress to be seen moving."""

from __future__ import annotations

from pathlib import Path

from conftest import MANUSCRIPTS


def long_book(folder: Path, chapters: int = 24) -> Path:
    """A Markdown novel of `chapters` chapters, each the sample article's paragraphs."""
    article = (MANUSCRIPTS / "harbour-article.md").read_text(encoding="utf-8")
    paragraphs = [p for p in article.split("\n\n") if p and p[0].isalpha()]
    body = "\n\n".join(paragraphs)
    text = "---\ntitle: A Long Harbour\nauthor: Ana Ruiz\nlang: en\n---\n\n" + "".join(
        f"# Chapter {number}\n\n{body}\n\n" for number in range(1, chapters + 1))
    path = folder / "long-harbour.md"
    path.write_text(text, encoding="utf-8")
    return path
