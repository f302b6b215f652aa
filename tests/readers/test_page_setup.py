"""The `print` settings: trim, margins, bleed and crop marks, read and checked at the edge."""

from __future__ import annotations

import pytest

from publish.errors import ManuscriptError
from publish.model import Margins, PageSetup
from publish.pdf.print_page import page_setup
from publish.readers import read

HEAD = "---\ntitle: T\nlanguage: en\nlayout: book\n"


def settings(write, lines: str) -> PageSetup:
    """The page setup a front matter `print:` mapping reads as."""
    return read(write("book.md", f"{HEAD}print:\n{lines}---\n\n# One\n\nText.\n")).page


@pytest.mark.parametrize(("trim", "css"), [
    ("6x9in", "6in 9in"), ("5.5in 8.5in", "5.5in 8.5in"), ("148mm 210mm", "148mm 210mm"),
    ("A5", "A5"), ("letter", "letter"), ("5 × 8 in", "5in 8in"),
])
def test_trim_sizes_become_css_page_sizes(write, trim: str, css: str) -> None:
    assert settings(write, f"  trim: {trim}\n").trim == css


def test_margins_one_length_or_four_sides(write) -> None:
    assert settings(write, "  margins: 2cm\n").margins == Margins("2cm", "2cm", "2cm", "2cm")
    four = "  margins: {top: 18mm, bottom: 20mm, inner: 22mm, outer: 15mm}\n"
    assert settings(write, four).margins == Margins("18mm", "20mm", "22mm", "15mm")


def test_bleed_and_crop_marks(write) -> None:
    page = settings(write, "  bleed: 0.125in\n  crop-marks: true\n")
    assert (page.bleed, page.crop_marks) == ("0.125in", True)


@pytest.mark.parametrize(("lines", "line", "words"), [
    ("  trim: huge\n", 6, "not a size such as '6x9in'"),
    ("  trim: 6x90in\n", 6, "outside 50-600 mm"),
    ("  margins: {top: 1in}\n", 6, "needs exactly top, bottom, inner and outer"),
    ("  bleed: 3\n", 6, "not a length such as '0.75in'"),
    ("  crop-marks: yes please\n", 6, "'crop-marks' must be true or false"),
    ("  paper: A4\n", 6, "unknown print setting 'paper'"),
])
def test_bad_settings_are_errors_at_their_line(write, lines: str, line: int, words: str) -> None:
    with pytest.raises(ManuscriptError) as caught:
        settings(write, lines)
    assert caught.value.line == line and words in caught.value.message


def test_book_toml_print_table(write) -> None:
    write("one.md", "# One\n\nText.\n")
    manifest = write("book.toml", 'title = "T"\nlanguage = "en"\n[contents]\nfiles = ["one.md"]\n'
                                  '[print]\ntrim = "A5"\ncrop-marks = true\n')
    page = read(manifest.parent).page
    assert (page.trim, page.crop_marks) == ("A5", True)


def test_defaults_by_layout_and_language(write) -> None:
    book = read(write("novel.md", f"{HEAD}---\n\n# One\n\nText.\n"))
    assert page_setup(book).trim == "6in 9in"
    article = read(write("news.md", "---\ntitle: News\nlanguage: en-US\n---\n\n# News\n\nText.\n"))
    assert article.layout == "article" and page_setup(article).trim == "letter"
    asked = read(write("a5.md", f"{HEAD}print:\n  trim: A5\n---\n\n# One\n\nText.\n"))
    assert page_setup(asked).trim == "A5" and page_setup(asked).margins is not None
