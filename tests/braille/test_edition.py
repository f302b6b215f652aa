"""The braille edition of the samples, built through the command line: PEF 1.0 valid, the
BRF the same pages, every row and page within the asked size, the print page numbers those
of the print edition's page map, and liblouis reading back the manuscript's words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS, book_words
from lxml import etree

from publish.braille import proofread
from publish.braille.cells import to_ascii
from publish.braille.pef import brf_from_pef, page_size, read_pages
from publish.braille.tables import translator
from publish.cache import BuildCache, edition_key
from publish.check.braille import braille
from publish.cli import main
from publish.options import Options
from publish.readers import read

SCHEMA = Path(__file__).parent / "pef" / "pef-2008-1.rng"
SAMPLES = (MANUSCRIPTS / "harbour-article.md", MANUSCRIPTS / "lighthouse")


Built = Callable[[Path], Path]  # a sample's build folder


@pytest.fixture(scope="module")
def built(sample_build: Callable[[str], Path]) -> Built:
    """Each sample's braille edition, with the print and EPUB editions beside it (shared
    with other modules: read only)."""
    return lambda sample: sample_build(sample.name)


def pef_of(built: Built, sample: Path) -> Path:
    return built(sample) / f"{read(sample).stem}.pef"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_pef_is_valid_pef_1_0_and_the_brf_holds_its_pages(built: Built,
                                                              sample: Path) -> None:
    pef = pef_of(built, sample)
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(etree.parse(str(pef))), schema.error_log
    brf = pef.with_suffix(".brf").read_bytes()
    assert brf == brf_from_pef(pef.read_bytes())
    assert brf.count(b"\f") == len(read_pages(pef.read_bytes())) - 1


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_row_and_page_fits_40_by_25(built: Built, sample: Path) -> None:
    data = pef_of(built, sample).read_bytes()
    assert page_size(data) == (40, 25)
    pages = read_pages(data)
    assert all(len(rows) <= 25 for rows in pages)
    assert all(len(row) <= 40 for rows in pages for row in rows)
    for page in pef_of(built, sample).with_suffix(".brf").read_text("ascii").split("\f"):
        rows = page.split("\r\n")[:-1]
        assert len(rows) <= 25 and all(len(row) <= 40 for row in rows)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_print_page_numbers_are_the_print_page_maps(built: Built, sample: Path) -> None:
    book = read(sample)
    cache = BuildCache.beside(built(sample))
    kept = cache.page_map(book.stem, edition_key(book, "print", Options()))
    assert kept  # the map the build laid out and handed to the braille edition
    labels = [start.label for start in kept]
    pages = read_pages(pef_of(built, sample).read_bytes())
    assert list(proofread.page_number_problems(pages, labels, translator("en", 1))) == []
    started = [n.text for n in proofread.print_numbers(pages, translator("en", 1))
               if n.text in labels]
    assert started == labels  # each print page starts once, in order


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_back_translation_gives_the_manuscripts_words(built: Built, sample: Path) -> None:
    wanted = Counter(proofread.words(" ".join(book_words(read(sample)))))
    found = proofread.words_back(read_pages(pef_of(built, sample).read_bytes()),
                                 translator("en", 2))
    assert proofread.recall(wanted, found) >= proofread.RECALL_FLOOR


def test_title_page_contents_and_body_as_bana_lays_them_out(built: Built) -> None:
    pages = [[to_ascii(row) for row in rows]
             for rows in read_pages(pef_of(built, MANUSCRIPTS / "lighthouse").read_bytes())]
    title, contents = pages[0], pages[1]
    assert title[-1].strip() == "P#A" and contents[-1].strip() == "P#B"
    assert any(",LI<T AT ,SK]R[" in row for row in title)
    assert any("UNIFI$ ,5GLI%" in row for row in title)  # "Unified English Braille"
    entry = next(row for row in contents if row.startswith(",PREFACE"))
    assert '"""' in entry and len(entry) == 40  # guide dots to the braille page number
    body = [row for rows in pages[2:] for row in rows]
    assert body[-1].strip().startswith("#")  # braille page numbers, bottom right
    assert any(row.endswith("@.>") or "@.<,IMAGE" in row for row in body)  # an image's note
    assert any(".1,KITTIWAKE" in row for row in body)  # emphasis indicators


def test_publish_check_runs_the_braille_checks(built: Built) -> None:
    run = braille(pef_of(built, MANUSCRIPTS / "lighthouse"))
    assert run.ok, [issue.line() for issue in run.issues]
    assert run.issues == []  # the EPUB and the print PDF were beside it: nothing skipped


def test_a_changed_brf_fails_the_check(built: Built, tmp_path: Path) -> None:
    pef = pef_of(built, MANUSCRIPTS / "harbour-article.md")
    copy = tmp_path / pef.name
    copy.write_bytes(pef.read_bytes())
    copy.with_suffix(".brf").write_bytes(pef.with_suffix(".brf").read_bytes() + b"\fAB\r\n")
    codes = {issue.code for issue in braille(copy).issues}
    assert "B006" in codes


def test_grade_1_and_a_smaller_page(tmp_path: Path) -> None:
    assert main(["build", str(SAMPLES[0]), "-o", str(tmp_path), "-q", "--edition", "braille",
                 "--braille-grade", "1", "--cells", "32", "--lines", "20"]) == 0
    data = (tmp_path / "harbour-article.pef").read_bytes()
    pages = read_pages(data)
    assert page_size(data) == (32, 20)
    assert all(len(row) <= 32 for rows in pages for row in rows)
    assert all(len(rows) <= 20 for rows in pages)
    text = " ".join(to_ascii(row) for rows in pages for row in rows)
    assert " THE " in text and " ! " not in text  # uncontracted


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--cells", "8", "braille cells must be 12-80, not 8"),
    ("--lines", "90", "braille lines must be 4-50, not 90"),
    ("--braille-grade", "3", "braille grade must be 1 or 2, not 3"),
])
def test_page_and_grade_are_checked_at_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, said: str,
) -> None:
    assert main(["build", str(SAMPLES[0]), "-o", str(tmp_path), option, value]) == 2
    assert capsys.readouterr().err.strip() == f"publish: error: {said}"
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_a_language_without_a_table_is_named(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "book.md"
    source.write_text("---\ntitle: Test\nlanguage: tlh\n---\n# One\n\nqaStaH nuq?\n")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-q",
                 "--edition", "braille"]) == 1
    error = capsys.readouterr().err
    assert f"{source}:3: no braille table for language 'tlh'" in error
    assert not (tmp_path / "out" / "book.pef").exists()


def test_an_unchanged_braille_edition_is_kept_and_a_lost_brf_made_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["build", str(SAMPLES[0]), "-o", str(tmp_path), "--edition", "braille"]
    assert main(argv) == 0
    assert main(argv) == 0
    assert "braille: unchanged" in capsys.readouterr().out
    (tmp_path / "harbour-article.brf").unlink()
    assert main(argv) == 0
    assert "braille: wrote" in capsys.readouterr().out
    assert (tmp_path / "harbour-article.brf").is_file()


WORLD = Path(__file__).resolve().parents[1] / "typefaces" / "manuscripts"


@pytest.mark.parametrize("stem", ["ja", "zh", "th"])
def test_every_edition_of_a_book_liblouis_cannot_transcribe_leaves_braille_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stem: str,
) -> None:
    source = WORLD / f"{stem}.md"
    assert main(["build", str(source), "-o", str(tmp_path)]) == 0
    said = capsys.readouterr()
    left_out = [line for line in said.err.splitlines() if line.startswith("braille:")]
    assert len(left_out) == 1 and "left out of this build: no braille table for language" \
        in left_out[0] and "--edition braille" in left_out[0]
    assert not list(tmp_path.glob("*.pef")) and not list(tmp_path.glob("*.brf"))
    for suffix in (".pdf", ".epub", "-large-print.pdf", "-web.zip"):
        assert (tmp_path / f"{stem}{suffix}").is_file(), suffix
    assert main(["build", str(source), "-o", str(tmp_path)]) == 0  # answered from its record
    again = capsys.readouterr()
    assert "print: unchanged" in again.out and left_out[0] in again.err
    assert main(["build", str(source), "-o", str(tmp_path), "--edition", "braille"]) == 1
    assert f"{source}:4: no braille table for language" in capsys.readouterr().err
