"""The 57 Word files of pandoc's docx-reader test suite (in the shared corpus): each builds
into every edition carrying at least 99% of the words pandoc reads from it, or fails with a
clear message for a reason stated here; every edition of every file that builds passes every
validator. Each file is built once a session, whichever pytest worker asks first."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from conftest import CORPUS, book_words
from coverage import coverage, edition_words, epub_words, missing, pandoc_words, pdf_words

from publish.check import check_files
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
# Validator findings that are the validator's mistake, not the file's, each with its reason
_ROWSPAN_AT_ROW_END = ("outloud 0.2.1 counts a row's width after it has used up the row spans, "
                       "so a header spanning two rows at a row's end (F) is left out of the "
                       "second row: 7 columns against 8; page-validation finds the grid whole")
VALIDATORS_WRONG = {
    ("table_header_rowspan.pdf", "outloud", "TBL-004"): _ROWSPAN_AT_ROW_END,
    ("table_header_rowspan-large-print.pdf", "outloud", "TBL-004"): _ROWSPAN_AT_ROW_END,
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pictures are taken out into a cache folder: each test has its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def validators() -> None:
    """Every checker `publish check` runs must be installed: missing fails, never skips."""
    absent = [name for name in ("epubcheck", "epubcheck-batch", "ace", "ace-batch",
                                "page-validation", "outloud") if locate(name) is None]
    assert not absent, f"{', '.join(absent)} not found: {INSTALL_HINT}"


@dataclass(frozen=True)
class Build:
    """A Word file's build: its output folder, exit status and what it printed."""

    out: Path
    status: int
    err: str


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every Word file's build, shared by the pytest workers."""
    root = tmp_path_factory.getbasetemp()
    folder = (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "word-builds"
    folder.mkdir(exist_ok=True)
    return folder


def built(builds: Path, name: str) -> Build:
    """A Word file built into every compared edition once a session: the first worker to ask
    builds it, another asking meanwhile waits for it and reads the same result."""
    out, record = builds / name, builds / f"{name}.json"
    with _locked(builds / f"{name}.lock"):
        if not record.exists():
            err = io.StringIO()
            with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": str(builds / f"{name}.cache")}), \
                    contextlib.redirect_stderr(err):
                status = main(["build", str(CORPUS / "docx" / f"{name}.docx"), "-o", str(out),
                               "-q", *EDITIONS])
            record.write_text(json.dumps({"status": status, "err": err.getvalue()}), "utf-8")
        done = json.loads(record.read_text("utf-8"))
    return Build(out, done["status"], done["err"])


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        corpus: Path, name: str, builds: Path) -> None:
    source = corpus / "docx" / f"{name}.docx"
    build = built(builds, name)
    out, err = build.out, build.err
    if name in REFUSED:
        assert build.status == 1 and REFUSED[name] in err, err
        assert "Traceback" not in err and not any(out.glob(f"{name}*"))
        return
    assert build.status == 0, err
    expected = _reference_words(source)
    found = {"epub": epub_words(out / f"{name}.epub"), "print": pdf_words(out / f"{name}.pdf"),
             "large print": pdf_words(out / f"{name}-large-print.pdf")}
    for edition, words in found.items():
        assert coverage(expected, words) >= SHARE, (edition, missing(expected, words))


@pytest.mark.slow
def test_every_word_file_that_builds_passes_every_validator(
        corpus: Path, builds: Path, validators: None) -> None:
    """`publish check` on all of them at once, so each validator starts once for all files
    (EPUBCheck and Ace in two or so starts, not one a book)."""
    done = {name: built(builds, name) for name in NAMES}
    assert sorted(name for name, build in done.items() if build.status != 0) == sorted(REFUSED)
    files = [file for build in done.values() if build.status == 0
             for file in sorted(build.out.iterdir())]
    reports = check_files(files)
    assert sorted(f.name for r in reports for f in r.files) == sorted(
        f"{name}{suffix}" for name in NAMES if name not in REFUSED
        for suffix in (".epub", ".pdf", "-large-print.pdf"))
    found = {(i.file, i.tool, i.code): i.line() for r in reports for i in r.issues
             if i.severity == "error"}
    assert [line for key, line in found.items() if key not in VALIDATORS_WRONG] == []
    assert set(VALIDATORS_WRONG) <= set(found), "a validator's mistake listed here is gone"
