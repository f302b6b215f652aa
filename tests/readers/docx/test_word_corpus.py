"""The 57 Word files of pandoc's docx-reader test suite (in the shared corpus): each builds
into every edition carrying at least 99% of the words pandoc reads from it, or fails with a
clear message for a reason stated here; a representative few pass the validators."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, book_words
from coverage import coverage, edition_words, epub_words, missing, pandoc_words, pdf_words

from publish.check import check
from publish.check.tools import INSTALL_HINT, locate
from publish.cli import main
from publish.readers import read
from publish.readers.docx import read_word

DOCX = CORPUS / "docx"
NAMES = sorted(p.stem for p in DOCX.glob("*.docx")) if DOCX.is_dir() else ["corpus-absent"]
SHARE = 0.99
# The editions whose text is compared with pandoc's (braille's words are its own checks')
EDITIONS = ("--edition", "print", "--edition", "epub", "--edition", "large-print")
# Files that stop with a clear message, and the words it says
REFUSED = {
    "unicode": "U+F028 unnamed character '\uf028' is in none of the edition's fonts",  # private use
    "image_vml_as_object": "W001 picture is in a format no edition can show",  # an EMF drawing
    "textbox_image": "A001 image without alt text",  # a picture nobody described
}
# Validated: tables (header rows, merged cells, captions), lists, notes, languages, links
VALIDATED = ("tables", "table_captions_no_field", "lists_restart_8367", "notes",
             "i18n_blocks", "nested_anchors_in_header", "image_vml", "inline_formatting",
             "link_in_notes", "drop_cap")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pictures are taken out into a cache folder: each test has its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def validators() -> None:
    """Every checker `publish check` runs must be installed: missing fails, never skips."""
    absent = [name for name in ("epubcheck", "ace", "page-validation", "outloud")
              if locate(name) is None]
    assert not absent, f"{', '.join(absent)} not found: {INSTALL_HINT}"


def test_every_word_file_reads_and_says_what_stops_it(corpus: Path) -> None:
    stopping = {}
    for name in NAMES:
        problems = read_word(corpus / "docx" / f"{name}.docx").problems
        codes = [p.code for p in problems if p.code in ("A001", "W001")]
        if codes:
            stopping[name] = codes
    assert len(NAMES) == 57
    assert stopping == {"image_vml_as_object": ["W001"], "textbox_image": ["A001"]}


def _reference_words(source: Path) -> list[str]:
    """pandoc's words; for the one file pandoc cannot open (ns0-reference), our reading's."""
    if shutil.which("pandoc") is None:
        pytest.fail("pandoc not found: install it with `make system`")
    try:
        return pandoc_words(source)
    except Exception:  # pandoc's DocxError: compare the editions with what we read instead
        return edition_words(" ".join(book_words(read(source))))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_word_file_builds_with_pandocs_words_or_fails_clearly(
        corpus: Path, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = corpus / "docx" / f"{name}.docx"
    out = tmp_path / "out"
    status = main(["build", str(source), "-o", str(out), "-q", *EDITIONS])
    err = capsys.readouterr().err
    if name in REFUSED:
        assert status == 1 and REFUSED[name] in err, err
        assert "Traceback" not in err and not any(out.glob(f"{name}*"))
        return
    assert status == 0, err
    expected = _reference_words(source)
    found = {"epub": epub_words(out / f"{name}.epub"), "print": pdf_words(out / f"{name}.pdf"),
             "large print": pdf_words(out / f"{name}-large-print.pdf")}
    for edition, words in found.items():
        assert coverage(expected, words) >= SHARE, (edition, missing(expected, words))


@pytest.mark.slow
@pytest.mark.parametrize("name", VALIDATED)
def test_word_editions_pass_the_validators(corpus: Path, name: str, tmp_path: Path,
                                           validators: None) -> None:
    out = tmp_path / "out"
    assert main(["build", str(corpus / "docx" / f"{name}.docx"), "-o", str(out), "-q",
                 *EDITIONS]) == 0
    reports = check(out)
    failures = [f"{i.file}: {i.tool} {i.code} {i.message}" for r in reports for i in r.issues
                if i.severity == "error"]
    assert [len(r.files) for r in reports] == [3] and not failures, failures
