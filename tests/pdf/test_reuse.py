"""A rebuild after an edit lays out only the divisions that changed and splices their pages
into the previous PDFs: the result must be the PDF a full build makes, page for page and tag
for tag, and pass the same validators; anything that could make it differ is laid out in
full."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import MANUSCRIPTS
from pdf_text import page_pixels, pdf_facts, pdffonts, pdftotext

from publish.build import Outcome, build
from publish.cache import BuildCache
from publish.check.tools import locate
from publish.cli import main
from publish.options import Options
from publish.pdf import engine
from publish.pdf import render as pdf_renderer
from publish.pdf.incremental.chunks import chunk
from publish.pdf.incremental.markup import cut, links_inside
from publish.pdf.incremental.record import LayoutRecord, Placed, previous_from
from publish.pdf.incremental.reuse import NotReusable, fits, to_redo
from publish.pdf.incremental.splice import SpliceError, splice
from publish.readers import read

EDITIONS = ("print", "epub", "large-print")
PDFS = ("print", "large-print")
EDITED = "21-the-january-gale.md"  # in part two: its folios do not start at 1
SENTENCE = "it began to fall."
VALIDATORS = ("epubcheck", "ace", "page-validation", "outloud")


def _build(source: Path, out: Path, fresh: bool = False,
           editions: tuple[str, ...] = EDITIONS) -> dict[str, Outcome]:
    outcomes = build(read(source), out, editions, Options(), fresh=fresh)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return {o.edition: o for o in outcomes}


def _add(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Outcome], Path]:
    """The sample book built, one sentence added to one chapter, built again; and a fresh
    build of the edited book for comparison."""
    work = tmp_path_factory.mktemp("reuse")
    source = work / "lighthouse"
    shutil.copytree(MANUSCRIPTS / "lighthouse", source)
    _build(source, work / "out", editions=PDFS)  # the EPUB is made anew after any edit
    _add(source / EDITED, SENTENCE, f"{SENTENCE} She said nothing more that evening.")
    again = _build(source, work / "out")
    _build(source, work / "fresh", fresh=True)
    return again, work / "fresh"


def test_only_the_edited_division_is_laid_out_again(edited) -> None:
    again, _fresh = edited
    for name in PDFS:
        assert again[name].redone == ("part-two-the-weather",), name
    assert again["epub"].redone is None


def test_spliced_pdfs_are_the_full_builds_page_for_page_and_tag_for_tag(edited) -> None:
    again, fresh = edited
    for name in PDFS:
        spliced, full = again[name].path, fresh / again[name].path.name
        assert pdf_facts(spliced) == pdf_facts(full), name
        for page in range(1, int(pdf_facts(full)["pages"]) + 1):  # type: ignore[call-overload]
            assert pdftotext(spliced, page) == pdftotext(full, page), (name, page)
        joined = "".join(re.sub(r"-\n\s*", "", pdftotext(spliced)).split())
        assert "Shesaidnothingmorethatevening." in joined


def test_spliced_pdfs_look_exactly_like_the_full_builds(edited, tmp_path: Path) -> None:
    again, fresh = edited
    for name in PDFS:
        spliced, full = again[name].path, fresh / again[name].path.name
        pixels = page_pixels(spliced, tmp_path / f"{name}-a")
        assert pixels == page_pixels(full, tmp_path / f"{name}-b")


def test_a_spliced_pdf_is_no_bigger_than_the_full_build(edited) -> None:
    again, fresh = edited
    for name in PDFS:
        spliced, full = again[name].path, fresh / again[name].path.name
        assert spliced.stat().st_size <= full.stat().st_size * 1.03, name
        fonts = [row[0] for row in pdffonts(spliced)]
        assert sorted(fonts) == sorted(row[0] for row in pdffonts(full)), name


def test_the_epub_page_list_follows_the_spliced_print_pages(edited) -> None:
    again, fresh = edited
    nav = "EPUB/nav.xhtml"
    import zipfile

    with zipfile.ZipFile(again["epub"].path) as ours, zipfile.ZipFile(
            fresh / again["epub"].path.name) as theirs:
        assert ours.read(nav) == theirs.read(nav)


@pytest.mark.validators
def test_spliced_editions_pass_the_validators(edited, tmp_path: Path, capsys) -> None:
    missing = [name for name in VALIDATORS if locate(name) is None]
    assert not missing, f"validators missing: {missing}; run `make validators`"
    again, _fresh = edited
    folder = tmp_path / "spliced"
    folder.mkdir()
    for outcome in again.values():
        shutil.copy(outcome.path, folder / outcome.path.name)
    status = main(["check", str(folder), "--json"])
    runs = json.loads(capsys.readouterr().out)["reports"][0]["runs"]
    assert status == 0, "\n".join(issue["message"] for run in runs for issue in run["issues"]
                                   if not run["ok"])
    assert {run["tool"] for run in runs} >= {"page-validation", "outloud", "epubcheck", "ace"}


# ---------------------------------------------------------------- laid out in full instead


BOOK = ("---\ntitle: Three Rooms\nauthor: A. Writer\nlanguage: en\n---\n"
        "# One {#one}\n\nThe first room is small.\n\n"
        "# Two {#two}\n\nThe second room is wide.\n\n"
        "# Three {#three}\n\nThe third room is empty.\n")


@pytest.fixture
def small(write, tmp_path: Path) -> tuple[Path, Path]:
    """A three-chapter book, built once."""
    source = write("rooms.md", BOOK)
    _build(source, tmp_path / "out")
    return source, tmp_path / "out"


def test_a_small_edit_reuses_the_other_chapters(small) -> None:
    source, out = small
    _add(source, "is wide.", "is wide and bright.")
    again = _build(source, out)
    assert again["print"].redone == again["large-print"].redone == ("two",)


def test_edits_to_two_chapters_splice_both(small, tmp_path: Path) -> None:
    source, out = small
    _add(source, "is small.", "is small and low.")
    _add(source, "is empty.", "is empty and cold.")
    again = _build(source, out)
    assert again["print"].redone == again["large-print"].redone == ("one", "three")
    fresh = _build(source, tmp_path / "fresh", fresh=True)
    for name in PDFS:
        assert pdf_facts(again[name].path) == pdf_facts(fresh[name].path)
        assert pdftotext(again[name].path) == pdftotext(fresh[name].path)


def test_an_edit_that_adds_pages_is_laid_out_in_full(small) -> None:
    source, out = small
    _add(source, "is wide.", "is wide.\n\n" + "It has a long window. " * 400)
    again = _build(source, out)
    assert again["print"].redone is None and again["large-print"].redone is None
    assert "long window" in pdftotext(again["print"].path)


def test_a_link_to_another_chapter_is_laid_out_in_full(small) -> None:
    source, out = small
    _add(source, "is wide.", "is wide, unlike [the first](#one).")
    again = _build(source, out)
    assert again["print"].redone is None


def test_a_new_heading_is_laid_out_in_full(small) -> None:
    source, out = small
    _add(source, "is wide.", "is wide.\n\n## A corner\n\nIt has a corner.")
    again = _build(source, out)
    assert again["print"].redone is None
    assert "A corner" in pdftotext(again["print"].path)


def test_a_stylesheet_change_is_laid_out_in_full(small, write) -> None:
    source, out = small
    write("styles/print.css", "p { letter-spacing: 0.01em; }\n")
    _add(source, "is wide.", "is wide and bright.")
    assert _build(source, out)["print"].redone is None


def test_a_tampered_previous_pdf_is_not_reused(small) -> None:
    source, out = small
    pdf = out / "rooms.pdf"
    with pikepdf.open(pdf, allow_overwriting_input=True) as opened:
        opened.docinfo["/Title"] = "Someone else's"
        opened.save(pdf)
    _add(source, "is wide.", "is wide and bright.")
    again = _build(source, out)
    assert again["print"].redone is None and again["large-print"].redone == ("two",)


# ---------------------------------------------------------------- the parts


MARKUP = ('<html><body><nav id="toc" class="division toc"><a href="#a">A</a></nav>'
          '<div class="mainmatter"><section id="a" class="division chapter"><p>One '
          '<a href="#a-n1" id="a-r1">1</a></p><p id="a-n1">Note</p></section>'
          '<section id="b" class="division chapter"><p>Two</p></section></div></body></html>')


def test_cut_separates_the_frame_from_each_division() -> None:
    before = cut(MARKUP)
    assert list(before.divisions) == ["toc", "a", "b"]
    after = cut(MARKUP.replace("<p>Two</p>", "<p>Two, changed</p>"))
    assert after.frame == before.frame
    assert after.digest("b") != before.digest("b") and after.digest("a") == before.digest("a")


def test_alone_keeps_one_division_in_its_frame() -> None:
    markup = chunk(MARKUP, ["b"], None)
    assert 'id="b"' in markup and 'id="a"' not in markup and 'id="toc"' not in markup
    assert 'class="mainmatter"' in markup


def test_links_inside_a_division() -> None:
    divisions = cut(MARKUP).divisions
    assert links_inside(divisions["a"]) and links_inside(divisions["b"])
    assert not links_inside(divisions["toc"])


def _layout(frame: str, alone_: bool = True) -> LayoutRecord:
    now = cut(MARKUP)
    return LayoutRecord(frame, tuple(Placed(i, now.digest(i), 2 * k, 1, 2, k + 1, alone_)
                               for k, i in enumerate(now.divisions)))


def test_to_redo_names_the_changed_divisions_or_refuses() -> None:
    changed = cut(MARKUP.replace("<p>Two</p>", "<p>Two, changed</p>"))
    assert [d.id for d in to_redo(_layout("f"), "f", changed)] == ["b"]
    assert to_redo(_layout("f"), "f", cut(MARKUP)) == []
    with pytest.raises(NotReusable):
        to_redo(_layout("f"), "other frame", changed)
    with pytest.raises(NotReusable):
        to_redo(_layout("f", alone_=False), "f", changed)
    with pytest.raises(NotReusable):
        to_redo(_layout("f"), "f", cut(MARKUP.replace("A</a>", 'A</a><a href="#b">B</a>')))


def test_fits_only_the_same_pages_or_the_blank_filler() -> None:
    division = Placed("a", "", 4, pages=3, span=4, counter=5, alone=True)
    assert fits(division, 3) and fits(division, 4)
    assert not fits(division, 2) and not fits(division, 5)
    assert not fits(Placed("a", "", 4, pages=4, span=4, counter=5, alone=True), 3)


def test_layout_record_round_trips() -> None:
    layout = _layout("f")
    assert LayoutRecord.from_json(json.loads(json.dumps(layout.to_json()))) == layout


def test_splice_refuses_more_pages_than_the_span(small) -> None:
    _source, out = small
    data = (out / "rooms.pdf").read_bytes()
    with pytest.raises(SpliceError):
        splice(data, data, 0, 1)


def test_a_chapter_grown_onto_its_blank_filler_page_is_spliced(write, tmp_path: Path) -> None:
    sentence = "The window looks over the sea. "
    source = write("rooms.md", BOOK.replace("is wide.", "is wide. " + sentence * 40))
    _build(source, tmp_path / "out")
    _add(source, "is wide. ", "is wide. " + sentence * 40)
    again = _build(source, tmp_path / "out")
    assert again["print"].redone == ("two",)  # one page and a blank before, two pages now
    assert again["large-print"].redone is None  # no blank pages there: laid out in full
    fresh = _build(source, tmp_path / "fresh", fresh=True)
    assert pdf_facts(again["print"].path) == pdf_facts(fresh["print"].path)
    assert pdftotext(again["print"].path) == pdftotext(fresh["print"].path)


def test_the_epub_built_alone_gets_its_pages_from_the_changed_division_only(
    write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sentence = "The window looks over the sea. "
    source = write("rooms.md", BOOK.replace("is wide.", "is wide. " + sentence * 40))
    _build(source, tmp_path / "out")
    _add(source, "is wide. ", "is wide. " + sentence * 40)
    log = tmp_path / "laid-out.txt"
    original = engine.Typesetter.lay_out

    def logging(self, markup, extra=()):  # type: ignore[no-untyped-def]
        with log.open("a") as stream:  # the build's workers are other processes
            stream.write(" ".join(cut(markup).divisions) + "\n")
        return original(self, markup, extra)

    monkeypatch.setattr(engine.Typesetter, "lay_out", logging)
    alone_epub = build(read(source), tmp_path / "out", ["epub"], Options())[0].path
    assert log.read_text().splitlines() == ["two"]
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    fresh = build(read(source), tmp_path / "fresh", ["epub"], Options(), fresh=True)[0].path
    assert alone_epub.read_bytes() == fresh.read_bytes()


def test_a_fault_while_reusing_costs_time_not_the_edition(
    small, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    source, out = small
    _add(source, "is wide.", "is wide and bright.")
    caplog.set_level(logging.WARNING, logger="publish")  # a `-q` build earlier may have raised it

    def broken(*_args: object) -> bytes:
        raise RuntimeError("a bug in the splice")

    monkeypatch.setattr(pdf_renderer, "splice", broken)
    book = read(source)
    previous = previous_from(BuildCache.beside(out).previous(out / "rooms.pdf"))
    assert previous is not None
    rendition = pdf_renderer.render_edition("print", book, Options(), previous)
    assert rendition.redone is None and "a bug in the splice" in caplog.text
    laid_out = out / "laid-out.pdf"
    laid_out.write_bytes(rendition.data)
    assert "wide and bright" in pdftotext(laid_out)
