"""Cross-format parity with braille in it: the samples' braille and web editions tell their
readers the same headings, alt texts, notes and changes of language as the EPUB; a braille
edition that lost a heading or an image's transcriber's note is caught; a passage in
another language is transcribed with that language's table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS
from lxml import etree

from publish.braille.blocks import BLANK, Transcriber
from publish.braille.fmt import read_format
from publish.braille.inline import TN_CLOSE, TN_OPEN
from publish.braille.louis import load
from publish.braille.pef import PEF_NS
from publish.braille.tables import translator
from publish.check.brailletree import read_semantics
from publish.check.model import ERROR
from publish.check.parity import parity
from publish.cli import main
from publish.readers import read

SAMPLES = (MANUSCRIPTS / "harbour-article.md", MANUSCRIPTS / "lighthouse")
ROW = f"{{{PEF_NS}}}row"


@pytest.fixture(scope="module")
def built(sample_build: Callable[[str], Path]) -> dict[str, Path]:
    """Each sample's build folder by its stem, its EPUB, braille and web editions among the
    others (shared with other modules: read only)."""
    return {read(sample).stem: sample_build(sample.name) for sample in SAMPLES}


def editions(out: Path, stem: str, pef: Path | None = None) -> dict[str, Path]:
    return {"braille": pef or out / f"{stem}.pef", "epub": out / f"{stem}.epub",
            "web": out / f"{stem}-web.zip"}


def errors(found: dict[str, Path]) -> list[str]:
    return [f"{i.code} {i.file}: {i.message}" for i in parity(found).issues
            if i.severity == ERROR]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_samples_braille_and_web_editions_are_in_parity(built: dict[str, Path],
                                                            sample: Path) -> None:
    stem = read(sample).stem
    assert errors(editions(built[stem], stem)) == []


def test_the_braille_reading_finds_what_the_sample_carries(built: dict[str, Path]) -> None:
    read_back = read_semantics(built["lighthouse"] / "lighthouse.pef")
    assert "The Lamp Room" in read_back.headings and "Letters from Karreg Hir" in \
        read_back.headings
    assert len(read_back.alts) == 1 and read_back.alts[0].startswith("Chart of the sea")
    assert len(read_back.notes) == 17
    assert [item.split(":")[0] for item in read_back.languages] == [
        "Scottish Gaelic", "French", "French", "French", "French", "Old Norse",
        "Scottish Gaelic"]


def _planted(pef: Path, target: Path, drop: Callable[[list[str]], set[int]]) -> Path:
    """A copy of the PEF with the rows `drop` picks (by index over all rows) left blank."""
    tree = etree.parse(str(pef))
    rows = list(tree.iter(ROW))
    for index in drop([row.text or "" for row in rows]):
        rows[index].text = ""
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


def _heading(title: str) -> Callable[[list[str]], set[int]]:
    cells = translator("en", 2).translate(title)

    def drop(rows: list[str]) -> set[int]:
        return {i for i, row in enumerate(rows) if row.strip(BLANK) == cells}
    return drop


def _image_note(rows: list[str]) -> set[int]:
    """The rows of the image's transcriber's note, from its opening to its closing."""
    start = next(i for i, row in enumerate(rows)
                 if row.lstrip(BLANK).startswith(TN_OPEN) and "Image" in
                 translator("en", 2).back(row.strip(BLANK)))
    end = next(i for i in range(start, len(rows)) if TN_CLOSE in rows[i])
    return set(range(start, end + 1))


@pytest.mark.parametrize(("drop", "code", "lost"), [
    (_heading("The Lamp Room"), "P001", "The Lamp Room"),
    (_image_note, "P002", "Chart of the sea"),
], ids=["heading", "alt text"])
def test_a_braille_edition_that_lost_a_heading_or_an_image_is_caught(
    built: dict[str, Path], tmp_path: Path, drop: Callable[[list[str]], set[int]], code: str,
    lost: str,
) -> None:
    pef = _planted(built["lighthouse"] / "lighthouse.pef", tmp_path / "lighthouse.pef", drop)
    found = errors(editions(built["lighthouse"], "lighthouse", pef))
    assert len(found) == 1 and found[0].startswith(f"{code} lighthouse.pef") and lost in found[0]


def test_a_passage_in_another_language_gets_its_own_table(tmp_path: Path) -> None:
    source = tmp_path / "book.md"
    source.write_text("---\ntitle: Quotes\nlanguage: en\n---\n# Quotes\n\n"
                      "He said [bonjour tout le monde]{lang=fr} and [An Sgeir]{lang=gd}.\n")
    assert main(["build", str(source), "-o", str(tmp_path), "-q", "--edition", "braille"]) == 0
    rows = etree.parse(str(tmp_path / "book.pef")).iter(ROW)
    text = "".join(row.text or "" for row in rows).replace(BLANK, "")  # blanks aside
    english, french = translator("en", 2), translator("fr", 2)
    assert french.translate("bonjour") != english.translate("bonjour")
    for language, passage, table in (("French", "bonjour tout le monde", french),
                                     ("Scottish Gaelic", "An Sgeir", english)):
        cells = (f"{TN_OPEN}{english.translate(language)}{TN_CLOSE}"
                 f"{table.translate(passage)}{TN_OPEN}{english.translate('English')}{TN_CLOSE}")
        assert cells.replace(BLANK, "") in text


def test_a_language_liblouis_has_no_table_for_keeps_the_books_table_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="publish")  # as a build without -q logs
    english = translator("en", 2)
    transcriber = Transcriber(english, read_format(Path("/nonexistent")), "en", 2)
    assert transcriber.translator_for("fr") == translator("fr", 2)
    assert transcriber.translator_for("gd") == english
    assert transcriber.translator_for("gd") == english
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert said == ["braille: passages in Scottish Gaelic are translated with the book's table "
                    "(en-ueb-g2.ctb): no braille table for language 'gd' in liblouis "
                    f"{load().version()}"]
