"""The EPUB's page-list comes from the real print pagination: one marker per print page,
right before the first words printed on it, proved against the print PDF's own text."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from conftest import EPOCH, MANUSCRIPTS
from lxml import etree
from lxml import html as lxml_html

from publish.cli import main
from publish.pagination import IMAGE, PageStart, countable, insert_markers
from publish.pdf import large_print

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
WINDOW = 14  # counted characters compared on each side of a marker, at most
SHORTEST = 6  # text nodes are joined until this long, so a note number is not alone
SOURCES = {"article": MANUSCRIPTS / "harbour-article.md", "book": MANUSCRIPTS / "lighthouse",
           "outside-article": MANUSCRIPTS.parent / "tests" / "lint" / "broken-article.md",
           # a figure the print layout moves after the paragraphs that fill its page
           "floated-figure": MANUSCRIPTS.parent / "tests" / "pdf" / "floated" / "floated.md"}


def comparable(text: str) -> str:
    """Counted characters without hyphens (print breaks words at line ends), images, or the
    EPUB notes' back-link arrows (print notes sit at the page foot)."""
    return re.sub("[-\u2010\u21a9\ufe0e]", "", countable(text))


@dataclass(frozen=True)
class Marker:
    """A page-break marker and the text of the EPUB's reading order around it."""

    label: str
    ident: str
    before: str  # comparable text just before it, from one element or a few
    after: str  # comparable text just after it; a layout may reorder elements, not words


class Built:
    """One manuscript built into print and EPUB, read back for comparison."""

    def __init__(self, pdf: Path, epub: Path) -> None:
        reader = pypdf.PdfReader(pdf)
        self.labels = list(reader.page_labels)
        raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        self.pages = [comparable(page) for page in raw.split("\f")][:len(self.labels)]
        self.pictured = [bool(page.images) for page in reader.pages]
        self.zip = zipfile.ZipFile(io.BytesIO(epub.read_bytes()))
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))
        self.nav = etree.fromstring(self.zip.read("EPUB/nav.xhtml"))

    def page_list(self) -> list[tuple[str, str]]:
        """The page-list's (label, href) entries in order."""
        links = self.nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
        return [(a.text, a.get("href")) for a in links]

    def spine(self) -> list[str]:
        """Package paths of the reading order."""
        items = {i.get("id"): i.get("href") for i in self.opf.xpath("//opf:item", namespaces=NS)}
        return [items[r.get("idref")] for r in self.opf.xpath("//opf:itemref", namespaces=NS)]

    def markers(self) -> list[Marker]:
        """Every page-break marker in reading order, with the text around it."""
        pieces: list[str | tuple[str, str]] = []
        for name in self.spine():
            body = etree.fromstring(self.zip.read(f"EPUB/{name}")).find("x:body", NS)
            pieces += _reading(body)
        found = []
        for i, piece in enumerate(pieces):
            if isinstance(piece, tuple):
                found.append(Marker(piece[0], piece[1], _text_back(pieces, i),
                                    _text_on(pieces, i)))
        return found


def _reading(element: etree._Element) -> list[str | tuple[str, str]]:
    """Text and (label, id) markers in document order; hidden navigation left out."""
    out: list[str | tuple[str, str]] = []
    if element.get("hidden") is not None:
        return out
    if element.get("role") == "doc-pagebreak":
        out.append((element.get("aria-label"), element.get("id")))
    elif etree.QName(element).localname == "img":
        out.append(IMAGE)
    else:
        out.append(comparable(element.text or ""))
        for child in element:
            if isinstance(child.tag, str):
                out += _reading(child)
            out.append(comparable(child.tail or ""))
    return out


def _text_on(pieces: list[str | tuple[str, str]], at: int) -> str:
    text = ""
    for piece in pieces[at + 1:]:
        if isinstance(piece, tuple) or len(text) >= SHORTEST:
            break
        text += piece
    return text[:WINDOW]


def _text_back(pieces: list[str | tuple[str, str]], at: int) -> str:
    text = ""
    for piece in reversed(pieces[:at]):
        if isinstance(piece, tuple) or len(text) >= SHORTEST:
            break
        text = piece + text
    return text[-WINDOW:]


@pytest.fixture(scope="module", params=sorted(SOURCES))
def built(request: pytest.FixtureRequest, sample_build: Callable[[str], Path],
          tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Each source built into print and EPUB: the samples once for the run, among their
    other editions (the EPUB's page list is the same whichever editions build with it)."""
    source = SOURCES[request.param]
    if source.parent == MANUSCRIPTS:
        out = sample_build(source.name)
    else:
        out = tmp_path_factory.mktemp(request.param)
        argv = ["build", str(source), "-o", str(out), "-q", "--edition", "print",
                "--edition", "epub"]
        assert main(argv) == 0
    stem = source.stem if source.is_file() else source.name
    return Built(out / f"{stem}.pdf", out / f"{stem}.epub")


def test_one_entry_per_print_page_with_its_folio(built: Built) -> None:
    assert [label for label, _ in built.page_list()] == built.labels
    markers = built.markers()
    assert [m.label for m in markers] == built.labels  # in reading order, once each
    targets = {href.partition("#")[2] for _, href in built.page_list()}
    assert targets == {m.ident for m in markers}


def test_every_marker_precedes_the_first_words_of_its_print_page(built: Built) -> None:
    checked = 0
    for number, marker in enumerate(built.markers()):
        page = built.pages[number]
        if marker.after.startswith(IMAGE):  # the page begins with a picture
            assert built.pictured[number], marker
        after, before = marker.after.strip(IMAGE), marker.before.strip(IMAGE)
        if not after:  # blank, or a picture alone: the next marker follows
            assert not page.strip("0123456789ivxlc") or built.pictured[number], (marker, page)
            continue
        assert after in page, (marker, page)  # the words after: on this page
        if before:  # the words before: on an earlier page, not at the top of this one
            assert before in "".join(built.pages[:number]), marker
            assert before not in page[:WINDOW * 4], marker
        checked += 1
    assert checked >= len(built.labels) * 2 // 3


def test_page_list_is_declared_with_its_source(built: Built) -> None:
    features = built.opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()",
                               namespaces=NS)
    assert {"pageBreakMarkers", "pageNavigation", "printPageNumbers"} <= set(features)
    summary = built.opf.xpath("//opf:meta[@property='schema:accessibilitySummary']/text()",
                              namespaces=NS)[0]
    assert "Page numbers from the print edition are included" in summary
    source = built.opf.xpath("//dc:source", namespaces=NS)[0]
    refines = {m.get("property"): m.text for m in built.opf.xpath(
        f"//opf:meta[@refines='#{source.get('id')}']", namespaces=NS)}
    assert refines == {"source-of": "pagination", "pageBreakSource": source.text}
    assert source.text not in built.opf.xpath("//dc:identifier/text()", namespaces=NS)
    assert not built.opf.xpath("//opf:meta[starts-with(@property, 'a11y:')]", namespaces=NS)


@pytest.fixture(scope="module")
def epub_alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book's EPUB built alone, stamped as the shared builds are."""
    out = tmp_path_factory.mktemp("alone")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["build", str(SOURCES["book"]), "-o", str(out), "-q",
                     "--edition", "epub"]) == 0
    return out / "lighthouse.epub"


def test_the_book_names_its_print_isbn_as_the_source(epub_alone: Path) -> None:
    opf = etree.fromstring(zipfile.ZipFile(epub_alone).read("EPUB/content.opf"))
    assert opf.xpath("//dc:source/text()", namespaces=NS) == ["urn:isbn:9780000000019"]


def test_epub_alone_lays_out_print_itself_and_matches(
    epub_alone: Path, sample_build: Callable[[str], Path],
) -> None:
    together = (sample_build(SOURCES["book"].name) / "lighthouse.epub").read_bytes()
    assert epub_alone.read_bytes() == together
    assert b"page-list" in zipfile.ZipFile(io.BytesIO(together)).read("EPUB/nav.xhtml")


def test_bad_print_isbn_is_located(write, capsys: pytest.CaptureFixture[str]) -> None:
    source = write("book.md", "---\ntitle: T\nlanguage: en\nprint-isbn: 978-0-00-000001-8\n"
                              "---\n# One\n\nText.\n")
    assert main(["build", str(source), "-o", str(source.parent / "out"), "-q"]) == 1
    assert f"{source}:4" in capsys.readouterr().err


# ---------------------------------------------------------------- placing markers


def _marked(markup: str, starts: tuple[PageStart, ...]) -> str:
    root = lxml_html.document_fromstring(f"<html><body>{markup}</body></html>")
    assert insert_markers(root, starts, large_print.page_marker) == len(starts)
    return re.sub(r'<(span|div) class="print-page" role="doc-pagebreak">\[(\w+)\]</\1> ?',
                  r"|\2|", lxml_html.tostring(root.find("body"), encoding="unicode"))


def test_blank_page_markers_come_in_page_order() -> None:
    two = (PageStart("2", "s", 0), PageStart("3", "s", 0))
    assert "|2||3|<h2>" in _marked('<section id="s"><h2>T</h2><p>x</p></section>', two)
    mid = (PageStart("4", "s", 3), PageStart("5", "s", 3))
    assert "<p>ab|4||5|c</p>" in _marked('<section id="s"><h2>T</h2><p>abc</p></section>', mid)


def test_an_image_counts_so_a_page_can_start_with_it() -> None:
    starts = (PageStart("8", "s", 2), PageStart("9", "s", 3))
    out = _marked('<section id="s"><p>ab</p><img src="x.png" alt="x"/><p>cd</p></section>',
                  starts)
    assert '|8|<img src="x.png" alt="x">' in out and "<p>|9|cd</p>" in out


def test_blank_pages_closing_the_book_go_at_its_end() -> None:
    out = _marked('<section id="s"><p>ab</p></section>', (PageStart("9", "s", 2),))
    assert out.endswith("<p>ab|9|</p></section></body>")
