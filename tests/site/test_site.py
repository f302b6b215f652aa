"""The web edition's site, read as files: pages in order, landmarks, notes both ways, the
print page list, languages, images, nothing from the network, the folder beside the zip,
the cache, and parity with the EPUB."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html

from publish.build import build
from publish.check.epubtree import read_semantics as epub_semantics
from publish.check.parity import compare
from publish.check.web import structure
from publish.check.webtree import page_order, read_semantics, site_files
from publish.model import Book
from publish.options import Options
from publish.readers import read

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(sample_build: Callable[[str], Path]) -> tuple[Book, Path]:
    """The sample book's web and EPUB editions, among its others (built once for the run:
    read only)."""
    return read(ROOT / "manuscript" / "lighthouse"), sample_build("lighthouse")


def pages(site: Path) -> dict[str, lxml_html.HtmlElement]:
    """Every page of the unpacked site, parsed."""
    return {p.name: lxml_html.document_fromstring(p.read_bytes()) for p in site.glob("*.html")}


def test_the_folder_holds_the_zip_unpacked(built: tuple[Book, Path]) -> None:
    _book, outdir = built
    with zipfile.ZipFile(outdir / "lighthouse-web.zip") as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
    on_disk = {p.relative_to(outdir / "lighthouse-web").as_posix()
               for p in (outdir / "lighthouse-web").rglob("*") if p.is_file()}
    assert names == on_disk
    assert {"index.html", "assets/web.css", "assets/reader.js",
            "assets/fonts/OFL-AtkinsonHyperlegible.txt"} <= names


def test_every_page_is_in_the_reading_order_with_one_main_and_a_skip_link(
        built: tuple[Book, Path]) -> None:
    book, outdir = built
    site = outdir / "lighthouse-web"
    parsed = pages(site)
    order = page_order(site_files(site))
    assert order[0] == "index.html" and set(order) == set(parsed)
    chapters = [d for d in book.all_divisions() if d.kind == "chapter"]
    assert len(order) >= len(chapters) + 1
    for name, document in parsed.items():
        assert document.get("lang") == "en-GB"
        assert len(document.findall(".//main")) == 1, name
        skip = document.xpath("//body/a[1]")[0]
        assert skip.get("href") == "#text" and document.get_element_by_id("text").tag == "main"
        assert document.findall(".//header") and document.findall(".//footer")
        assert len(document.xpath("//main//h1")) <= 1 or name == "index.html"


def test_notes_link_both_ways(built: tuple[Book, Path]) -> None:
    _book, outdir = built
    parsed = pages(outdir / "lighthouse-web")
    refs = [(name, a) for name, doc in parsed.items()
            for a in doc.xpath("//a[@role='doc-noteref']")]
    assert refs
    for name, ref in refs:
        target_page, _, note_id = (ref.get("href") or "").partition("#")
        note = parsed[target_page or name].get_element_by_id(note_id)
        back = note.xpath(".//a[@role='doc-backlink']")[0].get("href")
        back_page, _, ref_id = back.partition("#")
        assert ref_id == ref.get("id") and (back_page or target_page or name) == name


def test_the_page_list_and_every_link_resolve_and_nothing_comes_from_the_network(
        built: tuple[Book, Path]) -> None:
    _book, outdir = built
    index = pages(outdir / "lighthouse-web")["index.html"]
    listed = index.xpath("//nav[@role='doc-pagelist']//a")
    assert len(listed) > 20 and listed[0].text_content() == "i"
    for path in (outdir / "lighthouse-web", outdir / "lighthouse-web.zip"):
        run = structure(path)
        assert run.issues == [], run.issues


def test_languages_and_alt_texts_are_kept(built: tuple[Book, Path]) -> None:
    _book, outdir = built
    parsed = pages(outdir / "lighthouse-web")
    langs = {e.get("lang") for doc in parsed.values() for e in doc.xpath("//main//*[@lang]")}
    assert langs
    images = [img for doc in parsed.values() for img in doc.xpath("//img")]
    assert images and all(img.get("alt") is not None for img in images)
    assert all((outdir / "lighthouse-web" / str(img.get("src"))).is_file() for img in images)


def test_it_says_what_the_epub_says(built: tuple[Book, Path]) -> None:
    _book, outdir = built
    web = read_semantics(outdir / "lighthouse-web.zip")
    epub = epub_semantics(outdir / "lighthouse.epub")
    assert compare("lighthouse.epub", epub, "lighthouse-web.zip", web) == []
    assert web.notes and web.alts and web.languages


def test_a_second_build_keeps_it_and_a_missing_folder_is_made_again(tmp_path: Path) -> None:
    book = read(ROOT / "manuscript" / "harbour-article.md")
    first = build(book, tmp_path, ["web"], Options())
    assert first[0].ok and not first[0].cached
    assert build(book, tmp_path, ["web"], Options())[0].cached
    shutil.rmtree(tmp_path / f"{book.stem}-web")
    again = build(book, tmp_path, ["web"], Options())
    assert not again[0].cached and (tmp_path / f"{book.stem}-web" / "index.html").is_file()
    assert structure(tmp_path / f"{book.stem}-web").issues == []
