"""One-file books and mdBook folders through `publish build`: the decision line, one EPUB
document per chapter, and the metadata inferred from the text."""

from __future__ import annotations

import zipfile
from pathlib import Path

from publish.cli import main

DATA = Path(__file__).parent.parent / "readers" / "data"


def documents(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as archive:
        return sorted(name.rsplit("/", 1)[-1] for name in archive.namelist()
                      if name.startswith("EPUB/text/"))


def package(epub: Path) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read("EPUB/content.opf").decode()


def test_one_file_book_gets_a_document_per_chapter(tmp_path: Path, capsys) -> None:
    source = DATA / "books" / "pride-and-prejudice-gutenberg.md"
    assert main(["build", str(source), "-o", str(tmp_path), "--edition", "epub"]) == 0
    err = capsys.readouterr().err
    assert "pride-and-prejudice-gutenberg.md: read as a book: 3 chapters at level 2; " \
           "set layout: article to override\n" in err
    epub = tmp_path / "pride-and-prejudice-gutenberg.epub"
    assert documents(epub) == ["chapter-i.xhtml", "chapter-ii.xhtml", "chapter-iii.xhtml",
                               "copyright.xhtml", "cover.xhtml", "titlepage.xhtml"]
    opf = package(epub)
    assert ">Pride and prejudice</dc:title>" in opf and ">Jane Austen</dc:creator>" in opf


def test_mdbook_folder_builds_its_epub(tmp_path: Path, capsys) -> None:
    # mdBook's guide skips heading levels (`#` then `####`): lint rule A004 stops it unless
    # silenced, as it would stop any manuscript.
    args = ["build", str(DATA / "mdbook-guide"), "-o", str(tmp_path), "--edition", "epub"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "A004" in err
    assert err.count("draft chapter 'Draft chapter' has no file yet; skipped") == 1
    assert main([*args, "--ignore", "A004"]) == 0
    epub = tmp_path / "mdbook-guide.epub"
    assert "command-line-tool.xhtml" in documents(epub)
    assert ">mdBook Documentation</dc:title>" in package(epub)
