"""Property tests: random Markdown never crashes the reader or any renderer."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import validator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.epub.render import render_epub
from publish.errors import ManuscriptError
from publish.html import render_book
from publish.options import Options
from publish.pdf.render import render_print
from publish.readers import read

_INLINE_ALPHABET = st.sampled_from(
    [*"abcdefghij klmnop ABC 0123 .,;:!?'\"-()[]{}*_`\\<>&#^~|=",
     "é", "ß", "—", "“", "’", "…", "\u00a0", "\u2e3a"]
)
_WORDS = st.text(_INLINE_ALPHABET, min_size=1, max_size=60)
_LANG = st.sampled_from(["fr", "de", "la", "en-US", "cy"])


def _inline(text: str, style: int, lang: str) -> str:
    return [text, f"*{text}*", f"**{text}**", f"`{text}`", f"[{text}]{{lang={lang}}}",
            f"[{text}](https://example.org/{style})"][style % 6]


@st.composite
def blocks(draw: st.DrawFn) -> str:
    """One Markdown block, valid or not: the reader must cope either way."""
    text = draw(_WORDS)
    style = draw(st.integers(0, 20))
    lang = draw(_LANG)
    inline = _inline(text, style, lang)
    return [
        f"{inline}\n", f"## {text}\n", f"### {text} {{#{'x' + str(style)}}}\n",
        f"> {inline}\n> > {text}\n", f"- {inline}\n- {text}\n  - nested\n",
        f"1. {text}\n\n   second paragraph\n2. {inline}\n",
        f"| {text.replace('|', '/')} | b |\n|---|--:|\n| {inline.replace('|', '/')} | 2 |\n",
        f"```\n{text}\n```\n", "***\n", f"::: verse\n{text}\nline two\n:::\n",
        f"Term {style}\n: {inline}\n", f"{inline}[^n{style}]\n\n[^n{style}]: {text}\n",
        f"<div><em>{text.replace('<', '')}</em></div>\n", f"{text}\n{{lang={lang}}}\n",
        f"{inline}  \nafter a hard break\n", f"# {text}\n",
    ][style % 16]


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A manuscript: optional front matter, a headline, random blocks."""
    front = draw(st.sampled_from(["", "---\ntitle: Random\nlanguage: en\n---\n"]))
    body = draw(st.lists(blocks(), min_size=1, max_size=12))
    return front + "# A Title\n\n" + "\n".join(body)


def _read(markdown: str, folder: Path):
    source = folder / "random.md"
    source.write_text(markdown, encoding="utf-8")
    try:
        return read(source)
    except ManuscriptError:
        return None  # a clear, located error is an allowed outcome


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_reader_and_html_never_crash(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = _read(markdown, Path(folder))
        if book is not None:
            html = render_book(book, "print", ("print",))
            assert html.startswith("<!DOCTYPE html>")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_epub_never_crashes(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = _read(markdown, Path(folder))
        if book is not None:
            assert render_epub(book, Options(print_pages=()))[:2] == b"PK"


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_pdf_never_crashes(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = _read(markdown, Path(folder))
        if book is not None:
            assert render_print(book, Options()).startswith(b"%PDF")


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_sampled_epubs_pass_epubcheck(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = _read(markdown, Path(folder))
        if book is None:
            return
        epub = Path(folder) / "random.epub"
        epub.write_bytes(render_epub(book, Options()))
        result = subprocess.run([str(validator("epubcheck")), str(epub)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
