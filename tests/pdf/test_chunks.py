"""Laying a PDF edition out in chunks of divisions (so large print can follow the print
layout chunk by chunk) must give the PDFs one layout gives: same pages, pixels, tags, links,
destinations and outline, and the same print page map for the EPUB."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS
from pdf_text import page_pixels, pdf_facts

from publish.build import Outcome, build
from publish.cache import BuildCache, edition_key
from publish.editions.print_edition import PRINT
from publish.html import render_book
from publish.options import Options
from publish.pdf import render as pdf_renderer
from publish.pdf.incremental import chunks as pdf_chunks
from publish.pdf.incremental.chunks import LITERAL_FOLIOS, SENTINEL, chunk, plan, starting_side
from publish.pdf.incremental.markup import cut
from publish.readers import read

EDITIONS = ("print", "epub", "large-print")
PDFS = ("print", "large-print")  # what a test of the PDFs alone builds


def _build(source: Path, out: Path, editions: tuple[str, ...] = EDITIONS,
           ) -> dict[str, Outcome]:
    outcomes = build(read(source), out, editions, Options(), fresh=True)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return {o.edition: o for o in outcomes}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory,
         sample_build: Callable[[str], Path]) -> tuple[dict[str, Outcome], Path]:
    """The sample book built in chunks of about one part each, and in one layout: its
    build at the normal chunk size, which is one chunk (shared with other modules)."""
    now = cut(render_book(read(MANUSCRIPTS / "lighthouse"), "print", PRINT.layers))
    assert len(plan(now, list(now.front))) == 1
    work = tmp_path_factory.mktemp("chunks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        patch.setattr(pdf_chunks, "CHUNK_CHARS", 12_000)
        chunked = _build(MANUSCRIPTS / "lighthouse", work / "chunked")
    return chunked, sample_build("lighthouse")


def test_the_sample_book_is_laid_out_in_chunks() -> None:
    book = read(MANUSCRIPTS / "lighthouse")
    now = cut(render_book(book, "print", PRINT.layers))
    assert len(plan(now, list(now.front), 12_000)) >= 3
    assert len(plan(now, list(now.front))) == 1  # at the normal size it is one chunk


@pytest.mark.parametrize("edition", ["print", "large-print"])
def test_chunked_pdfs_are_one_layouts(both, edition: str, tmp_path: Path) -> None:
    chunked, one = both
    ours, theirs = chunked[edition].path, one / chunked[edition].path.name
    assert pdf_facts(ours) == pdf_facts(theirs)
    assert page_pixels(ours, tmp_path / "a") == page_pixels(theirs, tmp_path / "b")


def _spying_on_chunks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail unless the edition is laid out in chunks; returns the stylesheets they added."""
    added: list[str] = []
    original = pdf_renderer.lay_out_in_chunks

    def spying(chunks, front, mark_up, lay_out, send=None):  # type: ignore[no-untyped-def]
        def recording(markup, extra):  # type: ignore[no-untyped-def]
            added.extend(extra)
            return lay_out(markup, extra)

        laid = original(chunks, front, mark_up, recording, send)
        assert laid is not None, "laid out in one piece after all"
        return laid

    monkeypatch.setattr(pdf_renderer, "lay_out_in_chunks", spying)
    return added


@pytest.mark.parametrize("edition", ["print", "large-print"])
def test_the_sample_book_really_is_chunked(edition: str, monkeypatch: pytest.MonkeyPatch,
                                           sample_build: Callable[[str], Path]) -> None:
    book = read(MANUSCRIPTS / "lighthouse")
    cache = BuildCache.beside(sample_build("lighthouse"))  # its print page map, laid out
    pages = cache.page_map(book.stem, edition_key(book, "print", Options()))
    monkeypatch.setattr(pdf_chunks, "CHUNK_CHARS", 12_000)
    added = _spying_on_chunks(monkeypatch)
    pdf_renderer.render_edition(edition, book, replace(Options(), print_pages=pages))
    assert sum("counter-reset" in sheet for sheet in added) >= 3


def test_large_print_chunks_start_on_the_side_the_whole_book_has(
    write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    chapters = "".join(f"# Chapter {n}\n\n" + "A line of the story, told slowly. " * 90 * n
                       + "\n\n" for n in range(1, 7))
    book = read(write("tale.md", "---\ntitle: A Tale\nlanguage: en\n---\n\n" + chapters))
    # mirrored margins: a page laid out on the wrong side would show it
    write("styles/large-print.css", "@page :left { margin-left: 1.2in; margin-right: 0.5in; }\n"
                                    "@page :right { margin-left: 0.5in; margin-right: 1.2in; }\n")
    options = replace(Options(), print_pages=pdf_renderer.render_edition(
        "print", book, Options()).layout.pages)
    monkeypatch.setattr(pdf_chunks, "CHUNK_CHARS", 2_000)
    added = _spying_on_chunks(monkeypatch)
    (tmp_path / "chunked.pdf").write_bytes(
        pdf_renderer.render_edition("large-print", book, options).data)
    assert starting_side("left") in added and starting_side("right") in added
    monkeypatch.undo()
    (tmp_path / "one.pdf").write_bytes(
        pdf_renderer.render_edition("large-print", book, options).data)
    assert pdf_facts(tmp_path / "chunked.pdf") == pdf_facts(tmp_path / "one.pdf")
    assert page_pixels(tmp_path / "chunked.pdf", tmp_path / "a") == \
        page_pixels(tmp_path / "one.pdf", tmp_path / "b")


def test_the_epub_gets_the_same_print_pages(both) -> None:
    chunked, one = both
    path = chunked["epub"].path
    with zipfile.ZipFile(path) as ours, zipfile.ZipFile(one / path.name) as theirs:
        assert ours.read("EPUB/nav.xhtml") == theirs.read("EPUB/nav.xhtml")


def test_a_boundary_without_a_page_break_is_laid_out_in_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "lighthouse"
    shutil.copytree(MANUSCRIPTS / "lighthouse", source)
    (source / "styles").mkdir(exist_ok=True)
    (source / "styles" / "print.css").write_text(
        ".division.chapter, .division.part, .division.epilogue, .division.glossary,"
        " .division.acknowledgements { break-before: auto; }\n")
    monkeypatch.setattr(pdf_chunks, "CHUNK_CHARS", 12_000)
    chunked = _build(source, tmp_path / "chunked", PDFS)
    monkeypatch.setattr(pdf_chunks, "MAX_CHUNKS", 1)
    one = _build(source, tmp_path / "one", PDFS)
    for edition in PDFS:
        assert pdf_facts(chunked[edition].path) == pdf_facts(one[edition].path)


# ---------------------------------------------------------------- the markup


MARKUP = ('<html><body><section id="t" class="division titlepage">T</section>'
          '<nav id="c" class="division toc"><ol class="toc-list"><li><a href="#a">A</a></li>'
          '<li><a href="#b">B</a></li></ol></nav><div class="mainmatter" id="m">'
          '<section id="a" class="division chapter"><h2 id="a-title">A</h2><p>One</p></section>'
          '<section id="b" class="division chapter"><h2>B</h2><p>Two</p></section>'
          '</div></body></html>')


def test_cut_knows_the_front_matter() -> None:
    assert cut(MARKUP).front == ("t", "c")


def test_plan_splits_by_size_and_keeps_order() -> None:
    now = cut(MARKUP)
    assert plan(now, list(now.front), 10) == [["a"], ["b"]]
    assert plan(now, list(now.front)) == [["a", "b"]]


def test_a_chunk_ends_with_an_empty_copy_of_the_next_one() -> None:
    markup = chunk(MARKUP, ["a"], "b")
    assert 'id="a"' in markup and "One" in markup
    assert f'<section id="{SENTINEL}" class="division chapter"></section>' in markup
    assert 'id="t"' not in markup and "Two" not in markup


def test_the_front_chunk_prints_other_chunks_folios_as_text() -> None:
    markup = chunk(MARKUP, ["t", "c"], "a", {"a": "1", "b": "7"})
    assert 'href="#a" data-folio="1"' in markup and 'href="#b" data-folio="7"' in markup
    assert "attr(data-folio)" in LITERAL_FOLIOS
