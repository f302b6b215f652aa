"""`publish check` holds the page craft a book designer signs off (K002-K004) and an EPUB's
print page metadata (K005), read back from the files: planted defects are caught, and the
samples and both corpus novels pass in print and large print (issue 20)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import png

from publish.check.craft import (
    Item,
    ShownPage,
    characters_per_line,
    furnished_quiet_pages,
    large_print_craft,
    page_craft,
    read_pages,
)
from publish.check.model import Run
from publish.check.pagesource import Pagination, page_source, problems
from publish.cli import main

SENTENCE = ("The keeper climbed the stair at dusk, trimmed the wick and wound the clockwork "
            "that turned the lens through the long night over the reef. ")
PARAGRAPH = SENTENCE * 5
BOOK = """---
title: Planted
language: en
layout: book
---

# Part One: The Sea

# The Rock

{body}
"""
ARTICLE = """---
title: A planted article
language: en-GB
print:
  margins: {margins}
---

# A planted article

{body}
"""


def _build(write, tmp_path: Path, text: str, css: str = "", *editions: str) -> Path:
    """The editions asked of a manuscript, with a writer's print stylesheet."""
    if css:
        write("styles/print.css", css)
    write("ornament.png", png())
    source = write("book.md", text)
    out = tmp_path / "out"
    asked = [arg for edition in editions or ("print",) for arg in ("--edition", edition)]
    assert main(["build", str(source), "-o", str(out), "-q", *asked]) == 0
    return out


def _codes(run: Run) -> list[str]:
    return [issue.code for issue in run.issues]


def test_an_article_set_full_width_on_a4_fails_the_measure(write, tmp_path: Path) -> None:
    body = "\n\n".join([PARAGRAPH] * 6)
    out = _build(write, tmp_path, ARTICLE.format(margins="1.5cm", body=body))
    run = page_craft(out / "book.pdf")
    assert _codes(run) == ["K002"]
    chars = float(re.search(r"median (\d+(?:\.\d+)?) characters", run.issues[0].message)[1])
    assert chars > 75


def test_a_narrow_column_fails_the_measure(write, tmp_path: Path) -> None:
    body = "\n\n".join([PARAGRAPH] * 6)
    margins = "{top: 2cm, bottom: 2cm, inner: 7cm, outer: 7cm}"
    out = _build(write, tmp_path, ARTICLE.format(margins=margins, body=body))
    run = page_craft(out / "book.pdf")
    assert _codes(run) == ["K002"] and "outside the readable 45-75" in run.issues[0].message


def test_a_closing_ornament_alone_on_its_page_fails(write, tmp_path: Path) -> None:
    body = "\n\n".join([PARAGRAPH] * 3 + ["![](ornament.png){.decorative}"])
    out = _build(write, tmp_path, BOOK.format(body=body),
                 ".ornament { break-before: page; }", "print", "large-print")
    for run in (page_craft(out / "book.pdf"), large_print_craft(out / "book-large-print.pdf")):
        assert "K003" in _codes(run), run.file


def test_a_scene_break_starting_a_page_fails(write, tmp_path: Path) -> None:
    body = "\n\n".join([PARAGRAPH, "***", PARAGRAPH])
    out = _build(write, tmp_path, BOOK.format(body=body), "hr.scene-break { break-before: page; }")
    run = page_craft(out / "book.pdf")
    assert _codes(run) == ["K003"] and re.fullmatch(r"p\. \d+", run.issues[0].where)  # one page


def test_a_scene_break_ending_a_page_below_its_text_passes(write, tmp_path: Path) -> None:
    body = "\n\n".join([PARAGRAPH, "***", PARAGRAPH])
    out = _build(write, tmp_path, BOOK.format(body=body), "hr.scene-break { break-after: page; }")
    pages = read_pages(out / "book.pdf")
    assert any(page.content()[-1].kind == "break" for page in pages if page.content())
    assert "K003" not in _codes(page_craft(out / "book.pdf"))


def test_a_folio_on_a_part_title_or_blank_page_fails(write, tmp_path: Path) -> None:
    out = _build(write, tmp_path, BOOK.format(body=PARAGRAPH),
                 ".division.part > .title { page: auto !important; }\n"
                 "@page :blank { @bottom-left { content: counter(page); } }")
    run = page_craft(out / "book.pdf")
    assert _codes(run) == ["K004"]
    pages = read_pages(out / "book.pdf")
    part = next(p.number for p in pages
                if any(i.text == "Part One: The Sea" and i.size > 15 for i in p.items))
    blank = next(p.number for p in pages if not p.items and p.number > part)
    assert {part, blank} <= {int(n) for n in re.findall(r"\d+", run.issues[0].where)}


def test_the_planted_book_without_its_defects_passes(write, tmp_path: Path) -> None:
    body = "\n\n".join([PARAGRAPH, "***", PARAGRAPH, "![](ornament.png){.decorative}"])
    out = _build(write, tmp_path, BOOK.format(body=body))
    assert page_craft(out / "book.pdf").ok


def _line(text: str, width: float = 300.0, size: float = 10.0) -> Item:
    return Item(0.0, "text", text, size, width)


def test_the_measure_counts_full_lines_of_body_text_only() -> None:
    full = [_line("x" * 70) for _ in range(12)]
    short = [_line("x" * 20, width=80.0), _line("Heading" * 12, size=20.0)]
    assert characters_per_line((ShownPage(1, (*full, *short), "1"),)) == (70, 12)
    assert characters_per_line((ShownPage(1, tuple(full[:5]), "1"),)) is None  # too few to tell


PAIRED = Pagination(
    identifier="urn:isbn:9780000000002",
    features=frozenset({"pageNavigation", "pageBreakMarkers", "printPageNumbers"}),
    sources={"print-source": "urn:isbn:9780000000019"},
    page_break_sources={"print-source": "urn:isbn:9780000000019"},
    page_list=True, markers=True)


@pytest.mark.parametrize(("changed", "said"), [
    ({"features": frozenset({"pageBreakMarkers"})}, "a page-list without the pageNavigation"),
    ({"page_list": False, "page_break_sources": {}}, "pageNavigation feature without a page"),
    ({"features": frozenset({"pageNavigation"})}, "markers without the pageBreakMarkers"),
    ({"page_break_sources": {}}, "a page-list without a pageBreakSource"),
    ({"sources": {"print-source": "urn:isbn:9780000000002"}}, "refines no dc:source"),
    ({"sources": {"print-source": "urn:isbn:9780000000002"},
      "page_break_sources": {"print-source": "urn:isbn:9780000000002"}},
     "is the EPUB's own identifier"),
])
def test_each_broken_metadata_pair_is_named(changed: dict[str, object], said: str) -> None:
    assert problems(PAIRED, "urn:isbn:9780000000019") == []
    broken = Pagination(**{**PAIRED.__dict__, **changed})
    assert any(said in problem for problem in problems(broken, None)), problems(broken, None)


def test_a_page_source_other_than_the_print_pdf_beside_it_fails(write, tmp_path: Path) -> None:
    out = _build(write, tmp_path, BOOK.format(body=PARAGRAPH), "", "print", "epub")
    assert page_source(out / "book.epub").ok
    epub = out / "book.epub"
    with zipfile.ZipFile(epub) as book:
        entries = {name: book.read(name) for name in book.namelist()}
    opf = next(name for name in entries if name.endswith(".opf"))
    other = rb"\1urn:isbn:9781111111111"
    sources = rb'(<dc:source id="print-source">)[^<]+', rb'(property="pageBreakSource">)[^<]+'
    for source in sources:
        entries[opf] = re.sub(source, other, entries[opf])
    with zipfile.ZipFile(epub, "w") as book:
        for name, data in entries.items():
            book.writestr(name, data)
    run = page_source(epub)
    assert _codes(run) == ["K005"] and "is not the print PDF's identifier" in run.issues[0].message


@pytest.mark.parametrize(("name", "stem"), [("lighthouse", "lighthouse"),
                                            ("harbour-article.md", "harbour-article")])
def test_the_samples_pass(sample_build: Callable[[str], Path], name: str, stem: str) -> None:
    built = sample_build(name)
    for run in (page_craft(built / f"{stem}.pdf"),
                large_print_craft(built / f"{stem}-large-print.pdf"),
                page_source(built / f"{stem}.epub")):
        assert run.ok, [issue.line() for issue in run.issues]


def test_the_article_sets_a_readable_measure(sample_build: Callable[[str], Path]) -> None:
    built = sample_build("harbour-article.md")
    measured = characters_per_line(read_pages(built / "harbour-article.pdf"))
    assert measured is not None and 60 <= measured[0] <= 72  # 86 at the full A4 width


@pytest.mark.slow
@pytest.mark.parametrize("novel", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_the_corpus_novels_pass(corpus_build: Callable[[str], Path], novel: str) -> None:
    built, stem = corpus_build(novel), novel.removesuffix(".md")
    for run in (page_craft(built / f"{stem}.pdf"),
                large_print_craft(built / f"{stem}-large-print.pdf"),
                page_source(built / f"{stem}.epub")):
        assert run.ok, [issue.line() for issue in run.issues]


def test_table_cells_and_code_give_no_measure() -> None:
    cells = [_line("x" * 3, width=40.0) for _ in range(20)]
    assert characters_per_line((ShownPage(1, tuple(cells), "1", block_width=400.0),)) is None
    code = [Item(0.0, "text", "x" * 42, 10.0, 300.0, mono=True) for _ in range(20)]
    assert characters_per_line((ShownPage(1, tuple(code), "1", block_width=300.0),)) is None


def test_a_paragraph_of_a_full_stop_alone_is_text_not_a_scene_break(write, tmp_path: Path,
                                                                    ) -> None:
    # Word's track_changes_scrubbed_metadata: a tracked deletion left "." as a paragraph
    out = _build(write, tmp_path, ARTICLE.format(margins="5cm", body=".\n\n" + PARAGRAPH))
    assert "K003" not in _codes(page_craft(out / "book.pdf"))


def test_only_a_division_s_own_page_counts_as_a_part_title() -> None:
    display = ShownPage(2, (Item(0.0, "text", "Chapter", 20.0, 100.0),
                            _line("One short line.")), "2")
    body = ShownPage(1, tuple(_line("x" * 70) for _ in range(12)), "1")
    assert furnished_quiet_pages((body, display), parts=set()) == []
    assert furnished_quiet_pages((body, display), parts={2}) == [(2, "2")]
