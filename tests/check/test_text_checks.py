"""`publish check` fails a PDF that draws text off its page or out of its text block, or that
lacks words of the book's text (issue 21); the samples pass."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from publish.check.model import Run
from publish.check.parity import parity, word_parity
from publish.check.pdftext import text_in_place
from publish.check.words import missing, words
from publish.cli import main

HEAD = """---
title: Planted
language: en
---

# Planted

A first paragraph that stays where it belongs, inside the text block of its page.

"""
FAR = "A paragraph the writer's stylesheet pushes far to the right, off the page.\n{.far}"
GONE = "A paragraph the writer's stylesheet hides from print: its words never reach a reader.\n" \
    "{.gone}"
MARGIN = "A paragraph that runs into the right margin but stays on its page. " * 4 + "\n{.margin}"
WRITER_CSS = """.far { position: relative; left: 900pt; }
.gone { display: none; }
.margin { margin-right: -60pt; }
"""


def _build(write, tmp_path: Path, *planted: str) -> Path:
    """The print and EPUB editions of a manuscript with the planted paragraphs."""
    write("styles/print.css", WRITER_CSS)
    source = write("book.md", HEAD + "\n\n".join(planted) + "\n")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print",
                 "--edition", "epub"]) == 0
    return out


def _codes(run: Run) -> list[str]:
    return [issue.code for issue in run.issues]


def test_text_off_the_page_fails(write, tmp_path: Path) -> None:
    out = _build(write, tmp_path, FAR)
    run = text_in_place(out / "book.pdf")
    assert _codes(run) == ["T001"] and not run.ok
    assert "'A paragraph the writer’s stylesheet pus…' (p. 1)" in run.issues[0].message
    lacking = word_parity({"epub": out / "book.epub", "print": out / "book.pdf"})
    assert [issue.code for issue in lacking] == ["P008"]  # and its words reach no reader
    assert lacking[0].message.startswith("14 word(s) of the text are not in it: ")


def test_text_in_the_margin_fails(write, tmp_path: Path) -> None:
    out = _build(write, tmp_path, MARGIN)
    run = text_in_place(out / "book.pdf")
    assert _codes(run) == ["T002"]
    assert "beyond the text block" in run.issues[0].message
    with pikepdf.open(out / "book.pdf") as pdf:  # the block is recorded in the file
        art = [float(v) for v in pdf.pages[0].ArtBox]
        trim = [float(v) for v in pdf.pages[0].TrimBox]
    assert trim[0] < art[0] < art[2] < trim[2] and trim[1] < art[1] < art[3] < trim[3]


def test_missing_words_fail(write, tmp_path: Path) -> None:
    out = _build(write, tmp_path, GONE)
    assert text_in_place(out / "book.pdf").ok
    run = parity({"epub": out / "book.epub", "print": out / "book.pdf"})
    assert _codes(run) == ["P008"] and not run.ok
    assert run.issues[0].message.startswith("15 word(s) of the text are not in it: ")
    assert "'stylesheet'" in run.issues[0].message


def test_a_clean_planted_book_passes(write, tmp_path: Path) -> None:
    out = _build(write, tmp_path)
    assert text_in_place(out / "book.pdf").ok
    assert word_parity({"epub": out / "book.epub", "print": out / "book.pdf"}) == []


@pytest.fixture(scope="module", params=["harbour-article.md", "lighthouse"])
def sample(request: pytest.FixtureRequest, sample_build: Callable[[str], Path]) -> Path:
    """A sample manuscript's editions (shared with other modules: read only)."""
    return sample_build(request.param)


def test_samples_pass_the_text_checks(sample: Path) -> None:
    pdfs = sorted(sample.glob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert text_in_place(pdf).issues == []
    epub = next(sample.glob("*.epub"))
    assert word_parity({"epub": epub, "print": pdfs[1], "large-print": pdfs[0]}) == []


def test_words_ignore_case_ligatures_soft_and_line_end_hyphens() -> None:
    book = words("The ﬁnal, Well-known DOVETAILED walls\u00ad; son-in-law.")
    shown = words("the final well-\r\nknown dove\u2010\r\ntailed walls son-in\x02\f"
                  "law\nRunning Head", lines_hyphenated=True)
    assert missing(book, shown) == Counter()


def test_a_long_address_broken_at_a_line_end_without_a_hyphen_is_one_word() -> None:
    """Word's mendeley_citations: large print broke a long address inside a word, with no
    hyphen, and its words went missing (P008)."""
    book = words("See https://example.org/making-programming-accessible-to-learners now.")
    shown = words("See https://example.org/\nmaking-programming-access\nible-to-learners now.",
                  lines_hyphenated=True)
    assert missing(book, shown) == Counter()
    assert missing(book, words("See now.", lines_hyphenated=True))


def test_an_address_hyphenated_at_two_line_ends_is_one_word() -> None:
    """Word's mendeley_citations in an article's column: `mak-`, `ing-...-lit-`, `erature`."""
    book = words("At https://example.org/making-programming-accessible-literature-review now.")
    shown = words("At https://example.org/mak\u2010\ning-programming-accessible-lit\u2010\n"
                  "erature-review now.", lines_hyphenated=True)
    assert missing(book, shown) == Counter()


def test_words_count_each_occurrence() -> None:
    book = words("r1c1 r1c2 r1c1 the the")
    assert missing(book, words("r1c1 r1c2 the", lines_hyphenated=True)) == Counter(
        {"r1c1": 1, "the": 1})


def test_unspaced_scripts_are_compared_letter_by_letter() -> None:
    book = words("猫が窓辺で眠っている。할머니가 따뜻한 차를 드셨다. صباح الخير")
    # a PDF breaks these lines inside words, and Arabic comes out split at its marks
    shown = words("猫が窓辺で眠っ\nている。할머\n니가 따뜻\n한 차를 드셨다. صبا ح ال خير",
                  lines_hyphenated=True)
    assert not missing(book, shown)
    lost = words("猫が窓辺で。할머니가 차를 드셨다. صباح", lines_hyphenated=True)
    assert missing(book, lost) == Counter({"眠": 1, "っ": 1, "て": 1, "い": 1, "る": 1,
                                           "따": 1, "뜻": 1, "한": 1, "ا": 1, "ل": 1,
                                           "خ": 1, "ي": 1, "ر": 1})
