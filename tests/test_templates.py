"""Shared templates: semantic HTML for every edition, overridable from the manuscript folder."""

from __future__ import annotations

from lxml import etree

from publish.editions.print_edition import PRINT
from publish.epub.render import render_epub
from publish.html import render_book
from publish.options import Options
from publish.pdf.print_page import table_values
from publish.pdf.render import stylesheets
from publish.readers import read

BOOK = """---
title: Templates
language: en-GB
rights: All rights reserved.
layout: book
---
# One

Some *text* and a [voisin]{lang=fr} word.

| Head | Other |
|------|-------|
| a    | b     |
"""


def test_book_html_is_semantic_and_well_formed(write) -> None:
    book = read(write("t.md", BOOK))
    html = render_book(book, "print", PRINT.layers)
    tree = etree.fromstring(html.split("\n", 1)[1].encode())  # drop the doctype line
    assert tree.get("lang") == "en-GB"
    assert tree.xpath("//section[@role='doc-chapter']/h1[@id='one-title']")
    assert tree.xpath("//span[@lang='fr']/text()") == ["voisin"]
    assert tree.xpath("//table/thead/tr/th[@scope='col']/text()") == ["Head", "Other"]
    assert tree.xpath("//nav[@role='doc-toc']//a[@href='#one']")


def test_a_template_in_the_manuscript_folder_wins(write, tmp_path) -> None:
    write("styles/copyright.html.j2",
          '<section id="copyright" class="division copyright"><h2 id="copyright-title">'
          "Rights</h2><p>House notice for {{ book.metadata.title }}</p></section>")
    book = read(write("t.md", BOOK))
    assert "House notice for Templates" in render_book(book, "print", PRINT.layers)
    epub = tmp_path / "t.epub"
    epub.write_bytes(render_epub(book, Options()))
    import zipfile

    with zipfile.ZipFile(epub) as archive:
        copyright_page = next(n for n in archive.namelist() if n.endswith("copyright.xhtml"))
        assert "House notice for Templates" in archive.read(copyright_page).decode()


def test_a_stylesheet_in_the_manuscript_folder_comes_last(write) -> None:
    write("styles/print.css", "h1 { letter-spacing: 0.3em; }")
    book = read(write("t.md", BOOK))
    sheets = stylesheets(book, PRINT.layers, {"trim": "6in 9in", "margin_inner": "1in",
                                               "margin_outer": "1in", "margin_top": "1in",
                                               "margin_bottom": "1in", "body_size": "10pt",
                                               **table_values()},
                         "<p>text</p>")
    assert sheets[-1] == "h1 { letter-spacing: 0.3em; }"


def test_a_table_of_header_rows_alone_sets_them_in_its_body(write) -> None:
    """Word's table_one_row: a THead with no TBody fails PDF/UA (and outloud TBL-005); its
    cells stay headers, as a table without one fails outloud TBL-001."""
    book = read(write("t.md", "# One\n\n| One | Row | Table |\n|-----|-----|-------|\n"))
    html = render_book(book, "print", PRINT.layers)
    tree = etree.fromstring(html.split("\n", 1)[1].encode())
    assert not tree.xpath("//table/thead")
    assert tree.xpath("//table/tbody/tr/th[@scope='col']/text()") == ["One", "Row", "Table"]
