"""Manuscripts as others write them: one-file books with their title written as text, mdBook
projects and pandoc folders, read from real public sources (see each data folder)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from publish.errors import ManuscriptError
from publish.lint import lint
from publish.model import Book, Division, Heading, plain_text
from publish.readers import read
from publish.walk import walk

DATA = Path(__file__).parent / "data"
BOOKS = DATA / "books"
MDBOOK = DATA / "mdbook-guide"


def body_text(book: Book) -> str:
    """Every word the editions show of the body (titles and blocks), to look for leaks."""
    return " ".join(plain_text((node,)) for d in book.all_divisions() if d.matter == "body"
                    for node in walk((d.title, d.blocks)) if getattr(node, "kind", "") == "text")


def titles(divisions: tuple[Division, ...]) -> list[tuple[str, str]]:
    return [(d.kind, plain_text(d.title)) for d in divisions]


def test_pandoc_title_block_gives_title_author_and_year() -> None:
    book = read(BOOKS / "curie-radioaktive-substanzen.md")
    meta = book.metadata
    assert meta.title == "Untersuchungen über die radioaktiven Substanzen"
    assert meta.authors == ("Marie Curie",)
    assert meta.date == "1904"
    assert "%" not in body_text(book)
    assert "Marie Curie" not in body_text(book)


def test_setext_title_with_author_heading_under_it() -> None:
    book = read(BOOKS / "treasure-island.md")
    assert book.metadata.title == "Treasure Island"
    assert book.metadata.authors == ("Robert Louis Stevenson",)
    assert book.layout == "article"  # two short sections: an article, as the notice says
    headings = [plain_text(b.children) for b in book.divisions[0].blocks
                if isinstance(b, Heading)]
    assert headings == ["The Old Sea-dog at the Admiral Benbow",
                        "Black Dog Appears and Disappears"]


def test_labelled_gutenberg_header_and_chapters_at_level_two(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="publish"):
        book = read(BOOKS / "pride-and-prejudice-gutenberg.md")
    assert "read as a book: 3 chapters at level 2; set layout: article to override" \
        in caplog.text
    assert book.layout == "book"
    assert book.metadata.title == "Pride and prejudice"
    assert book.metadata.authors == ("Jane Austen",)
    body = [d for d in book.divisions if d.matter == "body"]
    assert [plain_text(d.title) for d in body] == ["Chapter I.", "Chapter II.", "Chapter III."]
    assert book.metadata.date is None  # the ebook's release date is not the book's
    assert not [label for label in ("Title:", "Author:", "Release Date", "eBook")
                if label in body_text(book)]
    assert body_text(book).startswith("Chapter I. It is a truth")


NOVEL = "# The Long Road\n\nBy Ada Lark\n\n" + "".join(
    f"## Chapter {n}\n\nShe walked on through the {n} hills.\n\n" for n in range(1, 5))


def test_title_heading_above_chapters_is_the_book_title(write, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="publish"):
        book = read(write("road.md", NOVEL))
    assert "4 chapters at level 2 under a title heading" in caplog.text
    assert book.layout == "book"
    assert (book.metadata.title, book.metadata.authors) == ("The Long Road", ("Ada Lark",))
    body = [d for d in book.divisions if d.matter == "body"]
    assert [(d.number, plain_text(d.title)) for d in body] == [
        (n, f"Chapter {n}") for n in range(1, 5)]  # one document per chapter, no title one
    assert "The Long Road" not in body_text(book) and "Ada Lark" not in body_text(book)


def test_a_title_that_reads_like_a_part_is_still_the_title(write) -> None:
    book = read(write("dreams.md", NOVEL.replace("The Long Road", "Book of Dreams")))
    assert book.metadata.title == "Book of Dreams"
    assert [d.kind for d in book.divisions if d.matter == "body"] == ["chapter"] * 4


def test_title_heading_with_byline_above_level_one_chapters(write) -> None:
    text = NOVEL.replace("## ", "# ")
    book = read(write("road.md", text))
    assert (book.metadata.title, book.metadata.authors) == ("The Long Road", ("Ada Lark",))
    assert [d.number for d in book.divisions if d.matter == "body"] == [1, 2, 3, 4]


def test_a_first_chapter_opening_on_a_name_is_not_a_title(write) -> None:
    text = "# Chapter 1\n\nMr. Bennet\n\nsaid nothing.\n\n# Chapter 2\n\nLater.\n"
    book = read(write("novel.md", text))
    assert book.metadata.authors == ()
    assert [plain_text(d.title) for d in book.divisions if d.matter == "body"] == [
        "Chapter 1", "Chapter 2"]


def test_front_matter_layout_overrides_the_guess(write) -> None:
    book = read(write("road.md", "---\nlayout: article\ntitle: Road\n---\n\n" + NOVEL))
    assert book.layout == "article"


def test_headline_over_a_few_sections_stays_an_article(write) -> None:
    text = ("# Harbour news\n\nBy Ana Ruiz\n\n## Tides\n\nHigh.\n\n"
            "## Boats\n\nMany.\n\n## Fish\n\nFew.\n")
    book = read(write("news.md", text))
    assert book.layout == "article"
    assert book.metadata.authors == ("Ana Ruiz",)


@pytest.mark.parametrize("name", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_corpus_novels_read_as_books_at_level_one(corpus: Path, name: str, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="publish"):
        book = read(corpus / name)
    assert book.layout == "book"
    assert "at level 1; set layout: article to override" in caplog.text


def test_mdbook_guide_builds_as_summary_lists_it(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="publish"):
        book = read(MDBOOK)
    meta = book.metadata
    assert meta.title == "mdBook Documentation"
    assert meta.authors == ("Mathieu David", "Michael-F-Bryan")
    assert meta.language == "en"
    assert meta.description == "Create book from markdown files. Like Gitbook but " \
                               "implemented in Rust"
    assert titles(book.divisions)[2:] == [
        ("introduction", "Introduction"), ("part", "User guide"),
        ("part", "Reference guide"), ("appendix", "Contributors")]
    user, reference = book.divisions[3], book.divisions[4]
    assert titles(user.children) == [("chapter", "Installation"), ("chapter", "Reading books")]
    assert titles(reference.children) == [("chapter", "Command-line tool"),
                                          ("chapter", "Format")]
    cli = reference.children[0]
    sections = [(b.level, plain_text(b.children)) for b in cli.blocks
                if isinstance(b, Heading) and b.level == 2]
    assert sections == [(2, "The init command"), (2, "The serve command")]
    assert "draft chapter 'Draft chapter' has no file yet; skipped" in caplog.text
    served = " ".join(plain_text((node,)) for node in walk(cli.blocks)
                      if getattr(node, "kind", "") == "text")
    assert "{{#include" not in served and "gitignore" in served  # arg-watcher.md, included
    names = [path.name for path in book.sources]  # every file read, so a change rebuilds
    assert names[:2] == ["book.toml", "SUMMARY.md"] and "arg-watcher.md" in names


def test_mdbook_include_outside_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "guide"
    shutil.copytree(MDBOOK, folder)
    (tmp_path / "secret.md").write_text("not for the book\n", "utf-8")
    serve = folder / "src" / "cli" / "serve.md"
    serve.write_text(serve.read_text("utf-8") + "\n{{#include ../../../secret.md}}\n", "utf-8")
    with pytest.raises(ManuscriptError, match="outside the book folder") as caught:
        read(folder)
    assert caught.value.path == serve.resolve()
    assert caught.value.line is not None


def test_mdbook_include_lines_and_escapes(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    (folder / "src").mkdir(parents=True)
    (folder / "book.toml").write_text('[book]\ntitle = "T"\nlanguage = "en"\n', "utf-8")
    (folder / "src" / "SUMMARY.md").write_text("- [One](one.md)\n", "utf-8")
    (folder / "src" / "code.rs").write_text("a\nb\n// ANCHOR: x\nc\n// ANCHOR_END: x\n", "utf-8")
    (folder / "src" / "one.md").write_text(
        "# One\n\n```\n{{#include code.rs:2}}\n{{#include code.rs:x}}\n```\n\n"
        "\\{{#include code.rs}}\n", "utf-8")
    (chapter,) = [d for d in read(folder).divisions if d.kind == "chapter"]
    code, paragraph = chapter.blocks
    assert code.text == "b\nc\n"  # type: ignore[union-attr]
    assert plain_text(paragraph.children) == "{{#include code.rs}}"  # type: ignore[union-attr]


def test_our_book_toml_is_not_taken_for_an_mdbook(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("# One\n\nText.\n", "utf-8")
    (tmp_path / "book.toml").write_text(
        'title = "Ours"\nlanguage = "en"\n[book]\nnote = "x"\n[contents]\nfiles = ["one.md"]\n',
        "utf-8")
    assert read(tmp_path).metadata.title == "Ours"


def test_folder_with_one_pandoc_file_and_metadata_yaml(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text(
        "title: The Quiet Shore\nauthor: [Ida Holm]\nlanguage: sv\ndate: 1921\n", "utf-8")
    (tmp_path / "novel.md").write_text(
        "---\ntitle: Den tysta stranden\n---\n\n# Första kapitlet\n\nText.\n\n"
        "# Andra kapitlet\n\nMer.\n", "utf-8")
    (tmp_path / "README.md").write_text("How to build.\n", "utf-8")
    book = read(tmp_path)
    meta = book.metadata
    assert meta.title == "Den tysta stranden"  # the file's own block wins, as in pandoc
    assert (meta.authors, meta.language, meta.date) == (("Ida Holm",), "sv", "1921")
    assert [path.name for path in book.sources] == ["novel.md", "metadata.yaml"]
    assert book.layout == "book"
    assert lint(tmp_path) == []


def test_lint_takes_the_language_from_metadata_yaml(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text("title: Substanzen\nlanguage: de\n", "utf-8")
    (tmp_path / "curie.md").write_text(
        (BOOKS / "curie-radioaktive-substanzen.md").read_text("utf-8"), "utf-8")
    assert [f.code for f in lint(tmp_path)] == []
    (tmp_path / "metadata.yaml").write_text("title: Substanzen\nlanguage: en\n", "utf-8")
    assert "A009" in [f.code for f in lint(tmp_path)]  # the check runs: it sees German


def test_lint_reads_the_mdbook_chapters() -> None:
    files = {finding.path.name for finding in lint(MDBOOK)}
    assert {"installation.md", "init.md", "serve.md"} <= files
