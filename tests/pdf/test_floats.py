"""Figures float (issue 20): a figure that would leave its page short is shrunk a little or
moved after the text that fills the page, and is still read where its author put it."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest
from conftest import MANUSCRIPTS
from lxml import etree
from lxml import html as lxml_html
from pdf_text import pdf_facts, pdftotext

from publish.build import build
from publish.check.gaps import gaps
from publish.cli import main
from publish.options import Options
from publish.pagination import FLOAT_HOME, FLOATED
from publish.pdf.floats import MIN_SCALE, Short, _fix
from publish.readers import read

FLOATED_BOOK = Path(__file__).parent / "floated" / "floated.md"
WRITTEN_BEFORE = 5  # paragraphs of its chapter before the figure in floated.md
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def _roles(pdf: Path) -> list[str]:
    """The roles of the kids of the innermost Sect holding the book's figure, in order."""
    with pikepdf.open(pdf) as document:
        holders = [sect for sect in _walk(document.Root.StructTreeRoot)
                   if str(sect.get("/S")) == "/Sect"
                   and any(str(e.get("/S")) == "/Figure" for e in _walk(sect))]
        return [str(kid.S)[1:] for kid in _kids(holders[-1])]


def _walk(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    yield element
    for kid in _kids(element):
        yield from _walk(kid)


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    k = element.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
    return [item for item in items if isinstance(item, pikepdf.Dictionary) and "/S" in item]


def _page_of(pdf: Path, words: str) -> int:
    """The first page whose text holds `words`."""
    reader = pypdf.PdfReader(pdf)
    squeezed = "".join(words.split())
    return next(i for i, page in enumerate(reader.pages)
                if squeezed in "".join((page.extract_text() or "").split()))


def _picture_page(pdf: Path) -> int:
    """The first page that draws a picture taller than an ornament."""
    with pdfplumber.open(pdf) as document:
        return next(i for i, page in enumerate(document.pages)
                    if any(image["height"] > 100 for image in page.images))


@pytest.fixture(scope="module")
def floated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """floated.md in print and EPUB."""
    out = tmp_path_factory.mktemp("floated")
    assert main(["build", str(FLOATED_BOOK), "-o", str(out), "-q", "--edition", "print",
                 "--edition", "epub"]) == 0
    return out


def test_the_figure_moves_after_the_text_that_fills_its_page(floated: Path) -> None:
    pdf = floated / "floated.pdf"
    assert gaps(pdf) == []
    # laid out later than written: after the first words of the paragraph written after it
    assert _picture_page(pdf) > _page_of(pdf, "The drawing was wrong in three places")


def test_the_moved_figure_is_read_where_it_was_written(floated: Path) -> None:
    roles = _roles(floated / "floated.pdf")
    assert roles[:WRITTEN_BEFORE + 2] == ["H1", *["P"] * WRITTEN_BEFORE, "NonStruct"]
    with zipfile.ZipFile(floated / "floated.epub") as epub:
        name = next(n for n in epub.namelist() if b"The Gauge House" in epub.read(n)
                    and n.endswith(".xhtml") and "nav" not in n)
        body = etree.fromstring(epub.read(name)).find("x:body", XHTML)
    tags = [etree.QName(e).localname for e in body.iter() if etree.QName(e).localname
            in ("p", "figure")]
    assert tags[:WRITTEN_BEFORE + 1] == [*["p"] * WRITTEN_BEFORE, "figure"]
    assert b"data-float" not in Path(floated / "floated.epub").read_bytes()


@pytest.fixture(scope="module")
def larger(large_print_build: Callable[[str, float], Path]) -> tuple[Path, Path]:
    """The sample book's large print at the default size and at 28 pt (read only)."""
    return (large_print_build("lighthouse", 18), large_print_build("lighthouse", 28))


def test_large_print_floats_too_and_keeps_the_reading_order(larger: tuple[Path, Path]) -> None:
    default, bigger = larger
    assert gaps(default) == [] and gaps(bigger) == []
    assert _picture_page(bigger) > _page_of(bigger, "The crossing takes a little under")
    assert _roles(bigger) == _roles(default)


# ---------------------------------------------------------------- the decisions


def _chapter(*blocks: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><body><section>{''.join(blocks)}</section>"
                                         "</body></html>")


FIGURE = f'<figure {FLOATED}="0"><img src="a.png" alt="A"/></figure>'


def _order(root: lxml_html.HtmlElement) -> list[str]:
    return [e.get("id") or e.tag for e in root.find(".//section")]


def test_a_little_shrinking_is_preferred_to_moving() -> None:
    root = _chapter('<p id="a">A</p>', FIGURE, '<p id="b">B</p>')
    assert _fix(root, Short("0", gap=300, block=700, need=340, image=300, following=[80]))
    image = root.find(".//img")
    assert image.get("style") == "max-height: 260.0px"  # 40 px less: 87%
    assert _order(root) == ["a", "figure", "b"]


def test_a_figure_that_must_shrink_too_much_moves_past_what_fills_the_page() -> None:
    root = _chapter('<p id="a">A</p>', FIGURE, *(f'<p id="p{n}">P</p>' for n in range(4)))
    need = 400
    assert 1 - (need - 200) / 300 < MIN_SCALE
    assert _fix(root, Short("0", gap=200, block=700, need=need, image=300,
                            following=[90, 90, 90, 90]))
    assert _order(root) == ["a", "p0", "p1", "p2", "figure", "p3"]  # 270 px fill 200
    assert [root.get_element_by_id(f"p{n}").get(FLOAT_HOME) for n in range(4)] == \
        ["0", "0", "0", None]


def test_the_figure_goes_where_it_then_fits() -> None:
    root = _chapter(FIGURE, *(f'<p id="p{n}">P</p>' for n in range(3)))
    # after p0 the figure would start 100 px down a 700 px page and need 650: it waits
    # until p1 ends 30 px down the page after
    assert _fix(root, Short("0", gap=200, block=700, need=650, image=600,
                            following=[300, 630, 100]))
    assert _order(root) == ["p0", "p1", "figure", "p2"]


def test_nothing_is_done_when_nothing_can_help() -> None:
    root = _chapter('<p id="a">A</p>', FIGURE, '<hr class="scene-break"/>', '<p id="b">B</p>')
    assert not _fix(root, Short("0", gap=200, block=700, need=500, image=300, following=[]))
    assert _order(root) == ["a", "figure", "hr", "b"]


# ---------------------------------------------------------------- reusing the last layout


@pytest.mark.slow
def test_a_rebuild_reusing_the_layout_floats_as_a_full_build(tmp_path: Path) -> None:
    source = tmp_path / "lighthouse"
    shutil.copytree(MANUSCRIPTS / "lighthouse", source)
    editions = ("print", "epub", "large-print")
    build(read(source), tmp_path / "out", editions, Options())
    chapter = source / "11-the-crossing.md"
    chapter.write_text(chapter.read_text("utf-8").replace("quarter to seven", "quarter to eight"),
                       "utf-8")
    again = {o.edition: o for o in build(read(source), tmp_path / "out", editions, Options())}
    build(read(source), tmp_path / "fresh", editions, Options(), fresh=True)
    for name in ("print", "large-print"):
        assert again[name].redone == ("part-one-the-lamp",), name  # the figure's part alone
        spliced, full = again[name].path, tmp_path / "fresh" / again[name].path.name
        assert pdf_facts(spliced) == pdf_facts(full), name
        assert pdftotext(spliced) == pdftotext(full), name
        assert _roles(spliced) == _roles(full) and gaps(spliced) == []
