"""`publish check` fails a page in the middle of a chapter more than a quarter empty (K001,
issue 20), and not a page where a chapter ends; the samples and the corpus novels pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from publish.check.craft import read_pages, stranded_marks
from publish.check.gaps import _empty_shares, gaps, page_gaps
from publish.cli import main

PARAGRAPH = ("The keeper wrote the weather into the log at every change of watch, the wind "
             "first, then the sea, then the sky, in a hand that grew smaller as the winter "
             "went on. ")
PLANTED = f"""---
title: Planted Gaps
language: en
layout: book
---

# A Short Chapter

{PARAGRAPH * 2}

# A Broken Chapter

{PARAGRAPH * 3}

{PARAGRAPH * 2}
{{.turn}}

{PARAGRAPH * 2}
"""


def test_a_half_empty_page_inside_a_chapter_is_caught(write, tmp_path: Path) -> None:
    write("styles/print.css", ".turn { break-before: page; }\n")
    source = write("book.md", PLANTED)
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print"]) == 0
    found = gaps(out / "book.pdf")
    # the page the writer's break cut short, not the first chapter's own short page
    assert len(found) == 1 and found[0].share > 0.5
    run = page_gaps(out / "book.pdf")
    assert [issue.code for issue in run.issues] == ["K001"] and not run.ok
    assert f"p. {found[0].page} (" in run.issues[0].message
    assert "more than 25% empty" in run.issues[0].message


def test_the_same_book_without_the_break_passes(write, tmp_path: Path) -> None:
    source = write("book.md", PLANTED)
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print"]) == 0
    assert gaps(out / "book.pdf") == []
    assert page_gaps(out / "book.pdf").ok


@pytest.fixture(scope="module", params=["harbour-article.md", "lighthouse"])
def sample(request: pytest.FixtureRequest, sample_build: Callable[[str], Path]) -> Path:
    """A sample manuscript's editions, its print and large-print PDFs among them (shared
    with other modules: read only)."""
    return sample_build(request.param)


def test_the_samples_have_no_page_gaps(sample: Path) -> None:
    pdfs = sorted(sample.glob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert gaps(pdf) == [], pdf.name


@pytest.mark.parametrize("novel", ["pride-and-prejudice", "gullivers-travels"])
def test_the_corpus_novels_have_no_page_gaps(corpus_build: Callable[[str], Path],
                                             novel: str) -> None:
    built = corpus_build(f"{novel}.md")
    for pdf in (built / f"{novel}.pdf", built / f"{novel}-large-print.pdf"):
        assert gaps(pdf) == [], pdf.name


def test_a_gap_no_reordering_could_fill_is_not_a_fault(write, tmp_path: Path) -> None:
    """The next page begins with a heading (kept to the lines after it) taller than the gap
    before it: no break could have moved any of it up."""
    write("styles/print.css", ".tall { font-size: 40pt; }\n")
    source = write("book.md", f"""---
title: Planted Gaps
language: en
layout: book
---

# A Chapter

{PARAGRAPH * 4}

{PARAGRAPH * 3}

## The heading set so large that it runs over many lines of the page {{.tall}}

{PARAGRAPH * 3}

{PARAGRAPH * 3}
""")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print"]) == 0
    shares = _empty_shares(out / "book.pdf")
    before = next(index for index, share in enumerate(shares) if 0.25 < share < 0.6)
    assert shares[before + 1] < 0.25  # the page after it runs on in the same chapter
    assert gaps(out / "book.pdf") == []
    assert page_gaps(out / "book.pdf").ok


@pytest.mark.slow
@pytest.mark.parametrize("size", [20, 28])
def test_the_sample_book_in_larger_print_has_no_gaps_or_stranded_breaks(
        size: int, large_print_build: Callable[[str, float], Path]) -> None:
    pdf = large_print_build("lighthouse", size)
    assert gaps(pdf) == []
    assert stranded_marks(read_pages(pdf)) == []
