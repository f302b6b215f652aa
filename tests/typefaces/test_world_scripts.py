"""Arabic, Hebrew, Hindi, Japanese, Chinese, Korean, Thai and Greek, and an English book
quoting six of them, built into every edition: each character comes back out of the PDFs,
each large-print glyph from a sans face (bold where bold is asked), and the validators pass."""

from __future__ import annotations

import shutil
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html
from pdf_text import pdftotext
from world import LANGUAGES, MANUSCRIPTS, SUFFIXES, built_folder, drawn

from publish.check import check
from publish.check.model import Report
from publish.check.tools import locate
from publish.cli import main
from publish.measure import measure_pdf
from publish.options import Options
from publish.pdf.print_page import print_markup
from publish.readers import read

RTL = ("ar", "he")
SANS_FACES = ("Atkinson-Hyperlegible", "World-Sans", "Arabic-Sans", "Hebrew-Sans",
              "Devanagari-Sans", "Thai-Sans", "CJK-JP-Sans", "CJK-SC-Sans", "CJK-KR-Sans",
              "Emoji-")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of every world-script manuscript, built once a session."""
    return built_folder(tmp_path_factory)


def _paragraphs(stem: str) -> list[str]:
    """The text of each paragraph and heading the print edition's markup shows (a heading
    only screen readers get is clipped out of sight, and out of poppler's reach)."""
    book = read(MANUSCRIPTS / f"{stem}.md")
    root = lxml_html.document_fromstring(print_markup(book, Options()))
    return [drawn(element.text_content())
            for element in root.iter("p", "h1", "h2", "h3", "li")
            if drawn(element.text_content()) and "quiet" not in element.classes]


@pytest.mark.parametrize("stem", LANGUAGES)
@pytest.mark.parametrize("suffix", [".pdf", "-large-print.pdf"])
def test_every_character_comes_back_out(world: Path, stem: str, suffix: str) -> None:
    extracted = Counter(drawn(pdftotext(world / f"{stem}{suffix}")))
    wanted = Counter("".join(_paragraphs(stem)))
    assert not wanted - extracted, f"lost: {''.join(sorted((wanted - extracted).elements()))}"
    assert not {"\ufffd", "\u200b"} & set(extracted)


@pytest.mark.parametrize("stem", [s for s in LANGUAGES if s != "ar"])
def test_paragraphs_come_out_in_reading_order(world: Path, stem: str) -> None:
    """Large print sets no hyphen, so each paragraph's words come out whole and in order
    (poppler places the punctuation around a left-to-right phrase in Hebrew by its own
    guess, and splits Arabic lines at raised marks: Arabic is compared by character above)."""
    extracted = _letters(pdftotext(world / f"{stem}-large-print.pdf"))
    missing = [text for text in map(_letters, _paragraphs(stem))
               if text not in extracted and not any(unicodedata.bidirectional(ch) == "AL"
                                                    for ch in text)]
    assert not missing


def _letters(text: str) -> str:
    """Letters, marks and digits only."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMN")


@pytest.mark.parametrize("stem", LANGUAGES)
def test_large_print_is_set_in_sans_faces_only(world: Path, stem: str) -> None:
    measured = measure_pdf(world / f"{stem}-large-print.pdf")
    letters = [font for font in measured.fonts if font != "Symbols-Fallback"]  # the ↩ only
    assert all(font.startswith(SANS_FACES) for font in letters), measured.fonts
    assert not measured.serif_fonts and not measured.italic_fonts


@pytest.mark.parametrize("stem", [s for s in LANGUAGES if s != "quotes"])
def test_large_print_headings_are_bold_in_their_script(world: Path, stem: str) -> None:
    with pdfplumber.open(world / f"{stem}-large-print.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
    biggest = max(c["size"] for c in chars)
    title = [c for c in chars if c["size"] == biggest]
    assert title and all("Bold" in c["fontname"] for c in title), \
        {c["fontname"] for c in title}


@pytest.mark.parametrize("stem", RTL)
def test_right_to_left_books_run_right_to_left(world: Path, stem: str) -> None:
    with zipfile.ZipFile(world / f"{stem}.epub") as epub:
        opf = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".opf"))
        chapter = next(epub.read(n).decode() for n in epub.namelist()
                       if "epub:type=\"bodymatter\"" in epub.read(n).decode()
                       and "<nav" not in epub.read(n).decode())
    assert 'page-progression-direction="rtl"' in opf
    assert chapter.count('dir="rtl"') >= 2  # on html and on body
    with pdfplumber.open(world / f"{stem}.pdf") as pdf:
        page = next(p for p in pdf.pages if len(p.extract_text_lines()) > 3)
        lines = page.extract_text_lines()[1:-1]
        right = max(line["x1"] for line in lines)
        left = min(line["x0"] for line in lines)
        flush_right = sum(right - line["x1"] < 1 for line in lines)
        flush_left = sum(line["x0"] - left < 1 for line in lines)
    assert flush_right > flush_left  # paragraphs start at the right, the last line ragged


def test_a_japanese_book_gets_an_a5_page_and_no_line_starts_with_closing_punctuation(
        world: Path) -> None:
    with pdfplumber.open(world / "ja.pdf") as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (420, 595)
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    assert lines and not [line for line in lines if line[0] in "、。」』）ゃゅょっ"]


def test_an_english_book_sets_each_quotation_in_a_face_made_for_it(world: Path) -> None:
    faces = set(measure_pdf(world / "quotes.pdf").fonts)
    assert {"Arabic-Serif", "CJK-JP-Serif", "Devanagari-Serif", "Hebrew-Serif",
            "CJK-KR-Serif"} <= faces
    assert not any(face.startswith(("DejaVu", "Noto")) for face in faces)


@pytest.fixture(scope="module")
def checked(world: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    """`publish check` over every manuscript's editions in one folder, as a folder of
    builds is checked: each validator starts once for all the books, not once a book."""
    missing = [name for name in ("epubcheck", "ace", "page-validation", "outloud")
               if locate(name) is None]
    assert not missing, f"validators missing: {missing}; run `make validators`"
    folder = tmp_path_factory.mktemp("checked")
    for stem in LANGUAGES:
        for suffix in SUFFIXES:
            shutil.copy(world / f"{stem}{suffix}", folder)
    reports = check(folder)
    return {stem: next(r for r in reports if folder / f"{stem}.pdf" in r.files)
            for stem in LANGUAGES}


@pytest.mark.validators
@pytest.mark.parametrize("stem", LANGUAGES)
def test_validators_pass(checked: dict[str, Report], stem: str) -> None:
    report = checked[stem]
    assert sorted(file.name for file in report.files) == sorted(f"{stem}{s}" for s in SUFFIXES)
    assert report.ok, [[issue.line() for issue in run.issues] for run in report.runs
                       if not run.ok]


@pytest.mark.slow
@pytest.mark.parametrize(("stem", "outcome"), [
    ("ar", 0), ("he", 0), ("hi", 0), ("ko", 0), ("el", 0),
    ("zh", "no braille table for language 'zh-Hans'"),
    ("th", "no braille table for language 'th'"),
    ("ja", "no braille table for language 'ja'"),  # only an 8-dot one; BRF and PEF are 6-dot
])
def test_braille_is_made_or_refused_naming_the_language(
        stem: str, outcome: int | str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["build", str(MANUSCRIPTS / f"{stem}.md"), "-o", str(tmp_path), "-q",
                   "--edition", "braille"])
    err = capsys.readouterr().err
    if outcome == 0:
        assert status == 0, err
        assert (tmp_path / f"{stem}.brf").stat().st_size > 0
    else:
        assert status == 1 and isinstance(outcome, str) and outcome in err, err
        assert "Traceback" not in err and not any(tmp_path.glob(f"{stem}.*"))
