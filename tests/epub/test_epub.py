"""The EPUB edition: package metadata, navigation, documents, notes, determinism, validators."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import MANUSCRIPTS, png
from lxml import etree

from publish.epub import render as epub_renderer
from publish.epub.documents import plan_layout, relative
from publish.epub.render import render_epub
from publish.errors import BuildError
from publish.model import Book
from publish.options import Options
from publish.readers import read

NS = {
    "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
    "svg": "http://www.w3.org/2000/svg",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = "1700000000"

SAMPLE = """---
title: The Test of Tides
subtitle: A Sampler of Every Feature
creators:
  - {name: Ada Lane, role: aut, file-as: "Lane, Ada"}
  - {name: Bo Reed, role: ill}
language: en-GB
date: 2026-03-14
publisher: Harbour Lane Press
rights: © 2026 Ada Lane. All rights reserved.
identifier: urn:isbn:9780000000001
description: A short book that uses every feature the manuscript format has.
subjects: [Testing, Tides]
---

# Dedication {.dedication}

For everyone who checks twice.

# Preface {.preface}

Why this book exists.[^why] The chart is in [the first chapter](#chart).

[^why]: Because every feature needs a page.

# Part One: Water

The part about water.

## The Harbour {#harbour}

Text with a note[^a], the same note again[^a], *emphasis*, **strong**, `code` and a
Gaelic word, [An Sgeir]{lang=gd}.

### The Chart

![A chart of the bay with the harbour in the south](images/chart.png "The bay at low water")
{#chart}

| Tide | Height |
|------|-------:|
| High | 4.2 m  |
| Low  | 0.6 m  |

***

::: verse
The sea came in,
the sea went out.

And all the while
the light went round.
:::

Keeper
: One who keeps the light.

> A letter, quoted.

1. First
2. Second

```python
print("tides")
```

![](images/rule.png){.decorative}

[^a]: A note that links [back to the harbour](#harbour).

## The Lamp

Lamp text, with a second note.[^lamp]

[^lamp]: About the lamp.

# Part Two: Air

## The Gale

Wind.

# Glossary {.glossary}

Skerry
: A rocky islet.

# Acknowledgements {.acknowledgements}

Thanks to all.
"""

PLAIN = """---
title: A Plain Tale
author: Cy Moss
language: en
---

# One

Only words here.

# Two

And here.
"""


# ---------------------------------------------------------------- fixtures


# No print pagination: most tests here look at the package, not the page-list (tested in
# test_page_list.py), and laying out the print edition for each would triple their time.
UNPAGED = Options(print_pages=())


@pytest.fixture
def sample_book(write: Callable[[str, str | bytes], Path]) -> Book:
    """The feature-rich sample: parts, notes, a figure, a table, verse, front and back matter."""
    write("images/chart.png", png())
    write("images/rule.png", png(8, 1))
    return read(write("sample.md", SAMPLE))


@pytest.fixture
def plain_book(write: Callable[[str, str | bytes], Path]) -> Book:
    """A book of words only: no images, no cover."""
    return read(write("plain.md", PLAIN))


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fixed SOURCE_DATE_EPOCH for reproducible renders."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return EPOCH


class Epub:
    """An EPUB opened for assertions: its files, package document and navigation."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.opf = self.xml("EPUB/content.opf")
        self.nav = self.xml("EPUB/nav.xhtml")

    def xml(self, name: str) -> etree._Element:
        """A file of the package parsed as XML (parsing also proves it well-formed)."""
        return etree.fromstring(self.zip.read(name))

    def meta(self, prop: str) -> list[str]:
        """Values of `<meta property=prop>` in the package document."""
        return [m.text for m in self.opf.xpath(f"//opf:meta[@property='{prop}']", namespaces=NS)]

    def dc(self, name: str) -> list[str]:
        """Values of a Dublin Core element, in order."""
        return [e.text for e in self.opf.xpath(f"//dc:{name}", namespaces=NS)]

    def spine(self) -> list[str]:
        """The reading order as package paths."""
        hrefs = {i.get("id"): i.get("href") for i in self.opf.xpath("//opf:item", namespaces=NS)}
        return [hrefs[r.get("idref")] for r in self.opf.xpath("//opf:itemref", namespaces=NS)]


@pytest.fixture
def sample(sample_book: Book, epoch: str) -> Epub:
    """The sample rendered once for a test."""
    return Epub(render_epub(sample_book, UNPAGED))


@pytest.fixture
def plain(plain_book: Book, epoch: str) -> Epub:
    """The text-only book rendered once for a test."""
    return Epub(render_epub(plain_book, UNPAGED))


# ---------------------------------------------------------------- package document


def test_package_has_language_identifier_and_fixed_modified_date(sample: Epub) -> None:
    assert sample.opf.get(XML_LANG) == "en-GB"
    assert sample.dc("language") == ["en-GB"]
    assert sample.dc("identifier") == ["urn:isbn:9780000000001"]
    assert sample.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]
    assert sample.opf.get("unique-identifier") == sample.opf.xpath(
        "//dc:identifier/@id", namespaces=NS)[0]


def test_dublin_core_metadata(sample: Epub) -> None:
    assert sample.dc("title") == ["The Test of Tides", "A Sampler of Every Feature"]
    assert sample.dc("creator") == ["Ada Lane"]
    assert sample.dc("contributor") == ["Bo Reed"]
    assert sample.dc("date") == ["2026-03-14"]
    assert sample.dc("publisher") == ["Harbour Lane Press"]
    assert sample.dc("rights") == ["© 2026 Ada Lane. All rights reserved."]
    assert sample.dc("subject") == ["Testing", "Tides"]
    assert sample.dc("description")[0].startswith("A short book")


def test_creators_are_refined_with_marc_roles(sample: Epub) -> None:
    for name, role in (("Ada Lane", "aut"), ("Bo Reed", "ill")):
        ident = sample.opf.xpath(f"//*[text()='{name}']/@id", namespaces=NS)[0]
        refined = sample.opf.xpath(f"//opf:meta[@refines='#{ident}'][@property='role']",
                                   namespaces=NS)
        assert [(m.text, m.get("scheme")) for m in refined] == [(role, "marc:relators")]
    assert "Lane, Ada" in sample.meta("file-as")


def test_image_makes_the_book_visual_and_described(sample: Epub) -> None:
    assert sample.meta("schema:accessMode") == ["textual", "visual"]
    assert sample.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    features = sample.meta("schema:accessibilityFeature")
    assert {"structuralNavigation", "tableOfContents", "readingOrder",
            "displayTransformability", "alternativeText"} <= set(features)
    assert not {"pageBreakMarkers", "printPageNumbers", "MathML"} & set(features)
    summary = sample.meta("schema:accessibilitySummary")[0]
    assert "image has a text description" in summary
    assert "does not include page numbers" in summary


def test_text_only_book_is_textual_without_alt_text_claim(plain: Epub) -> None:
    assert plain.meta("schema:accessMode") == ["textual"]
    assert plain.meta("schema:accessModeSufficient") == ["textual"]
    assert "alternativeText" not in plain.meta("schema:accessibilityFeature")
    assert "visual" not in " ".join(plain.meta("schema:accessModeSufficient"))
    assert sorted(plain.meta("schema:accessibilityHazard")) == [
        "noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard"]
    assert "All of its content is text." in plain.meta("schema:accessibilitySummary")[0]
    assert not plain.opf.xpath("//opf:meta[@property='dcterms:conformsTo']", namespaces=NS)


def test_identifier_is_derived_from_the_book_never_random(plain_book: Book, epoch: str) -> None:
    first = Epub(render_epub(plain_book, UNPAGED)).dc("identifier")
    assert first == [plain_book.metadata.identifier]
    assert Epub(render_epub(plain_book, UNPAGED)).dc("identifier") == first


# ---------------------------------------------------------------- documents


def test_one_document_per_division_in_reading_order(sample_book: Book, sample: Epub) -> None:
    spine = sample.spine()
    expected = [f"text/{d.id}.xhtml" for d in sample_book.all_divisions()]
    assert [s for s in spine if s not in ("text/cover.xhtml", "nav.xhtml")] == expected
    assert spine[0] == "text/cover.xhtml"
    assert spine.index("nav.xhtml") == spine.index("text/preface.xhtml") - 1


def test_chapters_in_parts_keep_print_heading_levels(sample: Epub) -> None:
    part = sample.xml("EPUB/text/part-one-water.xhtml")
    chapter = sample.xml("EPUB/text/harbour.xhtml")
    assert part.xpath("//x:section[@role='doc-part']/x:h1/text()", namespaces=NS) == [
        "Part One: Water"]
    assert chapter.xpath("//x:section[@id='harbour']/x:h2/text()", namespaces=NS) == [
        "The Harbour"]
    assert chapter.xpath("//x:h3/text()", namespaces=NS) == ["The Chart"]
    assert not part.xpath("//x:section[@id='harbour']", namespaces=NS)


def test_documents_keep_language_head_and_stylesheets(sample: Epub) -> None:
    for name in sample.spine():
        doc = sample.xml(f"EPUB/{name}")
        assert doc.get("lang") == doc.get(XML_LANG) == "en-GB", name
        links = doc.xpath("//x:head/x:link[@rel='stylesheet']/@href", namespaces=NS)
        assert links and all(link.endswith(".css") for link in links), name
        for link in links:
            base = name.rpartition("/")[0]
            target = os.path.normpath(os.path.join("EPUB", base, link))
            assert target in sample.zip.namelist(), (name, link)
    assert "EPUB/styles/epub.css" in sample.zip.namelist()


def test_images_are_packaged_once_and_linked_relatively(sample: Epub) -> None:
    chapter = sample.xml("EPUB/text/harbour.xhtml")
    assert chapter.xpath("//x:figure/x:img/@src", namespaces=NS) == ["../images/chart.png"]
    decorative = chapter.xpath("//x:img[@class='decorative']", namespaces=NS)[0]
    assert decorative.get("alt") == "" and decorative.get("role") == "presentation"
    images = [n for n in sample.zip.namelist() if n.startswith("EPUB/images/")]
    assert sorted(images) == ["EPUB/images/chart.png", "EPUB/images/cover.svg",
                              "EPUB/images/rule.png"]


def test_part_document_holds_its_title_and_intro_only(sample: Epub) -> None:
    part = sample.xml("EPUB/text/part-one-water.xhtml")
    assert part.xpath("//x:section/x:p/text()", namespaces=NS) == ["The part about water."]
    assert part.xpath("//x:body/@epub:type", namespaces=NS) == ["bodymatter"]


def test_same_image_name_in_two_folders_is_kept_apart(
    write: Callable[[str, str | bytes], Path],
) -> None:
    write("a/map.png", png())
    write("b/map.png", png(2, 2))
    text = "# One\n\n![First map](a/map.png)\n\n# Two\n\n![Second map](b/map.png)\n"
    layout = plan_layout(read(write("maps.md", text)))
    assert sorted(layout.images.values()) == ["images/map-2.png", "images/map.png"]


def test_relative_paths_between_package_folders() -> None:
    assert relative("text/a.xhtml", "text") == "a.xhtml"
    assert relative("images/a.png", "text") == "../images/a.png"
    assert relative("text/a.xhtml", "") == "text/a.xhtml"


def test_notes_link_both_ways(sample: Epub) -> None:
    chapter = sample.xml("EPUB/text/harbour.xhtml")
    refs = chapter.xpath("//x:a[@role='doc-noteref']", namespaces=NS)
    assert [r.get(EPUB_TYPE) for r in refs] == ["noteref"] * 2
    ids = set(chapter.xpath("//@id"))
    for ref in refs:
        target = ref.get("href").partition("#")
        assert target[0] == "harbour.xhtml" and target[2] in ids
    note = chapter.xpath("//x:li[@id='harbour-note-1']", namespaces=NS)[0]
    assert note.get(EPUB_TYPE) == "endnote" and note.get("role") is None
    back = note.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
    assert back == ["harbour.xhtml#harbour-note-1-ref"]
    assert chapter.xpath("//x:section[@role='doc-endnotes']", namespaces=NS)


def test_links_to_ids_in_other_documents_name_the_file(sample: Epub) -> None:
    preface = sample.xml("EPUB/text/preface.xhtml")
    hrefs = preface.xpath("//x:p/x:a[not(@role)]/@href", namespaces=NS)
    assert hrefs == ["harbour.xhtml#chart"]


# ---------------------------------------------------------------- navigation and cover


def test_toc_nests_parts_chapters_and_sections(sample: Epub) -> None:
    toc = sample.nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0]
    assert toc.get("role") == "doc-toc"
    top = [a.text for a in toc.xpath("x:ol/x:li/x:a", namespaces=NS)]
    assert top == ["Dedication", "Preface", "Part One: Water", "Part Two: Air", "Glossary",
                   "Acknowledgements"]
    part = toc.xpath("x:ol/x:li[x:a='Part One: Water']", namespaces=NS)[0]
    assert [a.text for a in part.xpath("x:ol/x:li/x:a", namespaces=NS)] == [
        "The Harbour", "The Lamp"]
    sections = part.xpath("x:ol/x:li[1]/x:ol/x:li/x:a", namespaces=NS)
    assert [(a.text, a.get("href")) for a in sections] == [
        ("The Chart", "text/harbour.xhtml#the-chart")]


def test_landmarks_name_what_exists(sample: Epub, plain: Epub) -> None:
    def marks(book: Epub) -> dict[str, str]:
        links = book.nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
        return {a.get(EPUB_TYPE): a.get("href") for a in links}

    assert marks(sample) == {
        "cover": "text/cover.xhtml", "titlepage": "text/titlepage.xhtml",
        "copyright-page": "text/copyright.xhtml", "dedication": "text/dedication.xhtml",
        "toc": "nav.xhtml#toc", "preface": "text/preface.xhtml",
        "bodymatter": "text/part-one-water.xhtml", "glossary": "text/glossary.xhtml",
        "acknowledgments": "text/acknowledgements.xhtml",
    }
    assert "preface" not in marks(plain) and marks(plain)["bodymatter"] == "text/one.xhtml"


def test_no_page_list_without_print_pagination(sample: Epub) -> None:
    assert not sample.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)


def test_without_a_page_list_no_page_navigation_is_claimed(sample: Epub, plain: Epub) -> None:
    for book in (sample, plain):
        features = set(book.meta("schema:accessibilityFeature"))
        assert not {"pageNavigation", "pageBreakMarkers", "printPageNumbers"} & features
        assert book.dc("source") == []
        assert not book.opf.xpath("//opf:meta[@property='pageBreakSource' or "
                                  "@property='source-of']", namespaces=NS)
        assert "does not include page numbers" in book.meta("schema:accessibilitySummary")[0]


def test_print_source_is_the_print_edition_never_the_epub(plain_book: Book) -> None:
    meta = plain_book.metadata
    source = epub_renderer.print_source(meta)
    assert source.startswith("urn:uuid:") and source != meta.identifier
    assert source == epub_renderer.print_source(replace(meta, description="edited"))
    isbn = "urn:isbn:9780000000019"
    assert epub_renderer.print_source(replace(meta, print_identifier=isbn)) == isbn


def test_generated_cover_is_text_with_a_description(sample: Epub) -> None:
    item = sample.opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)[0]
    assert item.get("href") == "images/cover.svg"
    svg = sample.xml("EPUB/images/cover.svg")
    assert svg.get("role") == "img"
    texts = " ".join(svg.xpath("//svg:tspan/text()", namespaces=NS))
    assert "The Test of Tides" in texts and "ADA LANE" in texts
    assert svg.xpath("//svg:title/text()", namespaces=NS) == [
        "Cover of The Test of Tides by Ada Lane"]
    page = sample.xml("EPUB/text/cover.xhtml")
    assert page.xpath("//x:img/@alt", namespaces=NS) == ["Cover of The Test of Tides by Ada Lane"]


def test_cover_image_from_metadata(write: Callable[[str, str | bytes], Path], epoch: str) -> None:
    write("images/front.png", png())
    manuscript = PLAIN.replace("language: en", "language: en\ncover: images/front.png")
    book = read(write("b.md", manuscript))
    epub = Epub(render_epub(book, UNPAGED))
    item = epub.opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)[0]
    assert item.get("href") == "images/front.png"
    assert epub.meta("schema:accessMode") == ["textual", "visual"]
    page = epub.xml("EPUB/text/cover.xhtml")
    assert page.xpath("//x:img/@alt", namespaces=NS) == ["Cover of A Plain Tale by Cy Moss"]


# ---------------------------------------------------------------- the zip


def test_mimetype_first_and_stored(sample: Epub) -> None:
    first = sample.zip.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert sample.zip.read("mimetype") == b"application/epub+zip"


def test_two_renders_with_source_date_epoch_are_identical(sample_book: Book, epoch: str) -> None:
    first = render_epub(sample_book, Options())
    assert render_epub(sample_book, Options()) == first
    assert b'epub:type="page-list"' in zipfile.ZipFile(io.BytesIO(first)).read("EPUB/nav.xhtml")
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert stamps == {(2023, 11, 14, 22, 13, 20)}


def test_bad_source_date_epoch_is_an_error(plain_book: Book,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH"):
        render_epub(plain_book, UNPAGED)


def test_write_errors_raise_instead_of_returning_false(
    plain_book: Book, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(epub_renderer._FixedTimeZip, "writestr", fail)
    with pytest.raises(BuildError, match="disk full"):
        render_epub(plain_book, UNPAGED)


def test_metadata_xml_cannot_hold_is_refused_not_dropped(plain_book: Book) -> None:
    book = replace(plain_book, metadata=replace(plain_book.metadata, rights="© 2026\x0b"))
    with pytest.raises(BuildError, match="rights"):
        render_epub(book, UNPAGED)


def test_article_reads_without_a_contents_page(
    write: Callable[[str, str | bytes], Path], epoch: str,
) -> None:
    text = "# Storm hits the coast\n\nBy Ana Ruiz\n\nWind.\n\n## Damage\n\nSome.\n"
    article = Epub(render_epub(read(write("news.md", text)), UNPAGED))
    assert article.spine() == ["text/cover.xhtml", "text/storm-hits-the-coast.xhtml"]
    types = article.nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert types == ["cover", "bodymatter"]
    assert article.nav.xpath("//x:nav[@epub:type='toc']//x:a/text()", namespaces=NS) == [
        "Storm hits the coast", "Damage"]


def test_no_ebooklib_leftovers(sample: Epub) -> None:
    opf = etree.tostring(sample.opf, encoding="unicode")
    assert "Ebook-lib" not in opf and "toc.ncx" not in opf
    assert not sample.opf.xpath("//opf:guide", namespaces=NS)
    assert sample.opf.xpath("//opf:spine/@toc", namespaces=NS) == []


# ---------------------------------------------------------------- validators


@pytest.fixture(scope="session")
def validators() -> Path:
    """The folder holding EPUBCheck and Ace, each for many books in one start
    (`epubcheck-batch`, `ace-batch`); failing (never skipping) when absent."""
    home = os.environ.get("VAL_HOME")
    candidates = [Path(home) / "bin"] if home else []
    candidates.append(Path.home() / ".cache" / "validators" / "bin")
    for folder in candidates:
        if (folder / "epubcheck-batch").is_file() and (folder / "ace-batch").is_file():
            return folder
    pytest.fail("EPUBCheck and Ace not found in $VAL_HOME/bin or ~/.cache/validators/bin; "
                "install them with: bash ../shared/tools/install-validators.sh")


def epubcheck(folder: Path, epubs: list[Path]) -> list[list[str]]:
    """EPUBCheck's errors and warnings for each EPUB, as `ID severity: message (path)`
    lines: one Java start for all of them, its schemas loaded once."""
    reports = [epub.with_suffix(".epubcheck.json") for epub in epubs]
    pairs = [str(part) for pair in zip(epubs, reports, strict=True) for part in pair]
    subprocess.run([str(folder / "epubcheck-batch"), *pairs],
                   capture_output=True, check=False, timeout=600)
    return [[f"{m['ID']} {m['severity']}: {m['message']} "
             f"({', '.join(str(loc.get('path')) for loc in m['locations'][:2])})"
             for m in json.loads(report.read_text("utf-8"))["messages"]
             if m["severity"] in ("FATAL", "ERROR", "WARNING")] for report in reports]


def ace(folder: Path, epubs: list[Path]) -> list[list[str]]:
    """Ace's violations for each EPUB, as `[impact] rule in file: description` lines: one
    Node and one browser for all of them."""
    outs = [epub.parent / f"{epub.stem}-ace" for epub in epubs]
    pairs = [str(part) for pair in zip(epubs, outs, strict=True) for part in pair]
    subprocess.run([str(folder / "ace-batch"), *pairs], capture_output=True, check=False,
                   timeout=900)
    return [_ace_violations(json.loads((out / "report.json").read_text("utf-8")))
            for out in outs]


def _ace_violations(report: dict[str, Any]) -> list[str]:
    found = [f"[{a['earl:test']['earl:impact']}] {a['earl:test']['dct:title']} in "
             f"{doc['earl:testSubject']['url']}: {a['earl:result'].get('dct:description', '')}"
             for doc in report.get("assertions", []) for a in doc.get("assertions", [])]
    outcome = report["earl:result"]["earl:outcome"]
    return found if found or outcome == "pass" else [f"Ace outcome: {outcome}"]


def validate(validators: Path, books: dict[str, Book],
             folder: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Render each book to a file and run both validators on them all: each name's
    EPUBCheck problems and Ace violations."""
    epubs = []
    for name, book in books.items():
        epub = folder / name / f"{book.stem}.epub"
        epub.parent.mkdir(parents=True)
        epub.write_bytes(render_epub(book, Options()))
        epubs.append(epub)
    found = zip(epubcheck(validators, epubs), ace(validators, epubs), strict=True)
    return dict(zip(books, found, strict=True))


SHIPPED = ["lighthouse", "harbour-article.md", "../tests/lint/broken-article.md"]


@pytest.fixture(scope="module")
def validated(validators: Path, tmp_path_factory: pytest.TempPathFactory,
              ) -> dict[str, tuple[list[str], list[str]]]:
    """The feature-rich sample and the shipped manuscripts through both validators, in one
    start of each."""
    folder = tmp_path_factory.mktemp("validated")
    (folder / "sample" / "images").mkdir(parents=True)
    (folder / "sample" / "images" / "chart.png").write_bytes(png())
    (folder / "sample" / "images" / "rule.png").write_bytes(png(8, 1))
    (folder / "sample" / "sample.md").write_text(SAMPLE, "utf-8")
    books = {"sample": read(folder / "sample" / "sample.md")}
    for name in SHIPPED:
        source = MANUSCRIPTS / name
        if not source.exists():
            pytest.fail(f"sample manuscript {source} is missing")
        books[name] = read(source)
    return validate(validators, books, folder / "epubs")


def test_sample_passes_epubcheck_and_ace(validated: dict[str, tuple[list[str], list[str]]],
                                         ) -> None:
    problems, violations = validated["sample"]
    assert problems == []
    assert violations == []


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_manuscripts_pass_epubcheck_and_ace(
        validated: dict[str, tuple[list[str], list[str]]], name: str) -> None:
    problems, violations = validated[name]
    assert problems == []
    assert violations == []


@pytest.mark.slow
def test_corpus_novel_passes_epubcheck_and_ace(validators: Path, corpus: Path,
                                               tmp_path: Path) -> None:
    source = corpus / "gullivers-travels.md"
    problems, violations = validate(validators, {"novel": read(source)}, tmp_path)["novel"]
    assert problems == []
    assert violations == []

