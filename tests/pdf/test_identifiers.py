"""Each edition names itself, and the EPUB and large print name the print edition their page
numbers come from: the print PDF's XMP identifier is the EPUB's `dc:source` and
`pageBreakSource`, never the EPUB's own identifier."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from conftest import MANUSCRIPTS
from lxml import etree

from publish.readers import read

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
SOURCES = {"lighthouse": MANUSCRIPTS / "lighthouse",
           "harbour-article": MANUSCRIPTS / "harbour-article.md"}
PRINT_ISBNS = {"lighthouse": "urn:isbn:9780000000019"}  # `print-isbn`, as a URN; the article
# has none


def derived(book_identifier: str, edition: str) -> str:
    """The documented recipe: uuid5 (URL namespace) of the book's identifier and the edition."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book_identifier}|{edition}')}"


@dataclass(frozen=True)
class Xmp:
    """The identifying properties of a PDF's XMP."""

    identifier: str | None
    identifiers: set[str]  # xmp:Identifier, a bag
    source: str | None

    @classmethod
    def of(cls, path: Path) -> Xmp:
        with pikepdf.open(path) as pdf:
            xmp = pdf.open_metadata()
            return cls(xmp.get("dc:identifier"), set(xmp.get("xmp:Identifier", ())),
                       xmp.get("dc:source"))


@dataclass(frozen=True)
class Editions:
    """One sample built into every edition: the book's identifier and what each file says."""

    name: str
    book_identifier: str
    print: Xmp
    large_print: Xmp
    opf: etree._Element

    def opf_texts(self, xpath: str) -> list[str]:
        return [str(text) for text in self.opf.xpath(xpath, namespaces=NS)]


@pytest.fixture(scope="module", params=sorted(SOURCES))
def built(request: pytest.FixtureRequest, sample_build: Callable[[str], Path]) -> Editions:
    source = SOURCES[request.param]
    out = sample_build(source.name)
    stem = request.param
    with zipfile.ZipFile(out / f"{stem}.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
    return Editions(stem, str(read(source).metadata.identifier), Xmp.of(out / f"{stem}.pdf"),
                    Xmp.of(out / f"{stem}-large-print.pdf"), opf)


def test_print_pdf_carries_its_own_identifier(built: Editions) -> None:
    """The print ISBN when the book gives one, else a URN derived from the book's identifier."""
    expected = PRINT_ISBNS.get(built.name) or derived(built.book_identifier, "print")
    assert built.print.identifier == expected
    assert built.print.identifiers == {expected}
    assert built.print.identifier != built.book_identifier
    assert built.print.source is None


def test_epub_names_the_print_pdf_as_its_page_source(built: Editions) -> None:
    assert built.opf_texts("//dc:identifier/text()") == [built.book_identifier]
    assert built.opf_texts("//dc:source/text()") == [built.print.identifier]
    assert built.opf_texts("//opf:meta[@refines='#print-source']"
                           "[@property='pageBreakSource']/text()") == [built.print.identifier]
    assert built.opf_texts("//opf:meta[@refines='#print-source']"
                           "[@property='source-of']/text()") == ["pagination"]


def test_epub_with_a_page_list_declares_page_navigation(built: Editions) -> None:
    features = built.opf_texts("//opf:meta[@property='schema:accessibilityFeature']/text()")
    assert {"pageNavigation", "pageBreakMarkers", "printPageNumbers"} <= set(features)


def test_large_print_has_its_own_identifier_and_names_print_as_source(built: Editions) -> None:
    expected = derived(built.book_identifier, "large-print")
    assert built.large_print.identifier == expected
    assert built.large_print.identifiers == {expected}
    assert built.large_print.source == built.print.identifier
