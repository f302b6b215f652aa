"""The print edition as a reader and a screen reader get it: tag tree, catalog, fonts, checkers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import MANUSCRIPTS
from lxml import html as lxml_html
from pdf_text import folio, pdffonts, pdftotext

from publish.check.model import ERROR
from publish.check.pdf import outloud, page_validation
from publish.check.pdftree import read_semantics
from publish.check.pdftree import struct_elements as elements
from publish.check.tools import INSTALL_HINT, locate
from publish.cli import main
from publish.html import render_book
from publish.readers import read

BOOK = MANUSCRIPTS / "lighthouse"
ARTICLE = MANUSCRIPTS / "harbour-article.md"
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii")


def build_print(source: Path, out: Path) -> Path:
    """The print edition of `source`, built through the command line."""
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print"]) == 0
    stem = source.name if source.is_dir() else source.stem
    return out / f"{stem}.pdf"


@pytest.fixture(scope="module")
def validators() -> None:
    """The PDF checkers must be installed: a missing checker fails, it never skips."""
    missing = [name for name in ("page-validation", "outloud") if locate(name) is None]
    assert not missing, f"{', '.join(missing)} not found: {INSTALL_HINT}"


@pytest.fixture(scope="module")
def book_pdf(sample_build: Callable[[str], Path]) -> Path:
    """The sample book's print edition, built once for the run (read only)."""
    return sample_build(BOOK.name) / "lighthouse.pdf"


@pytest.fixture(scope="module")
def article_pdf(sample_build: Callable[[str], Path]) -> Path:
    """The sample article's print edition (read only)."""
    return sample_build(ARTICLE.name) / "harbour-article.pdf"


@pytest.fixture(scope="module")
def tree(book_pdf: Path) -> Iterator[list[pikepdf.Dictionary]]:
    """Every structure element of the sample book, in reading order."""
    with pikepdf.open(book_pdf) as pdf:
        yield list(elements(pdf.Root.StructTreeRoot))


@pytest.fixture(scope="module")
def markup() -> lxml_html.HtmlElement:
    """The HTML the sample book's print edition is made from."""
    return lxml_html.document_fromstring(render_book(read(BOOK), "print", ("print",)))


def role(element: pikepdf.Dictionary) -> str:
    """An element's structure type without the slash."""
    return str(element.S)[1:]


def kid_roles(element: pikepdf.Dictionary) -> list[str]:
    """The structure types of an element's element children."""
    kids = element.get("/K", [])
    return [role(k) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def checker_errors(path: Path) -> dict[str, list[str]]:
    """The errors page-validation (PDF/UA-1 rules) and outloud find in a PDF."""
    return {run.tool: [f"{i.code}: {i.message}" for i in run.issues if i.severity == ERROR]
            for run in (page_validation(path), outloud(path))}


# ---------------------------------------------------------------- checkers


def test_sample_book_passes_both_checkers(validators: None, book_pdf: Path) -> None:
    assert checker_errors(book_pdf) == {"page-validation": [], "outloud": []}


def test_sample_article_passes_both_checkers(validators: None, article_pdf: Path) -> None:
    assert checker_errors(article_pdf) == {"page-validation": [], "outloud": []}


def test_notes_in_notes_and_notes_with_lists_pass_both_checkers(
    validators: None, write, tmp_path: Path,
) -> None:
    source = write("notes.md", "---\ntitle: Notes\nlanguage: en\nlayout: book\n---\n\n"
                               "# One\n\nA note.[^a] A list note.[^b]\n\n"
                               "[^a]: It cites another.[^c]\n\n[^b]: A list:\n\n    - one\n"
                               "    - two\n\n[^c]: The inner note.\n\n# Two\n\nMore.\n")
    pdf = build_print(source, tmp_path / "out")
    assert checker_errors(pdf) == {"page-validation": [], "outloud": []}
    assert len(read_semantics(pdf).notes) == 3
    assert "2. A list:" in pdftotext(pdf)  # an end note keeps its own number


@pytest.mark.slow
@pytest.mark.parametrize("novel", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_corpus_novel_passes_both_checkers(
    validators: None, corpus_build: Callable[[str], Path], novel: str,
) -> None:
    pdf = corpus_build(novel) / novel.replace(".md", ".pdf")
    assert checker_errors(pdf) == {"page-validation": [], "outloud": []}
    semantics = read_semantics(pdf)
    if novel.startswith("gulliver"):
        assert len(semantics.notes) == 7
        assert all(re.match(r"\d+ \S", note) for note in semantics.notes)
    else:
        assert not semantics.notes
        assert "\u2e3a" in pdftotext(pdf)


# ---------------------------------------------------------------- the tag tree


def test_headings_are_the_html_headings_in_order(book_pdf: Path, markup) -> None:
    expected = [(int(h.tag[1]), " ".join(h.text_content().split()))
                for h in markup.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    semantics = read_semantics(book_pdf)
    assert list(zip(semantics.levels, semantics.headings, strict=True)) == expected


def test_list_items_hold_a_label_and_a_body(tree: list[pikepdf.Dictionary]) -> None:
    items = [e for e in tree if role(e) == "LI"]
    assert items
    assert all(set(kid_roles(item)) <= {"Lbl", "LBody"} for item in items)
    assert all(kid_roles(item).count("LBody") == 1 for item in items)
    loose = [item for item in items for body in item.K
             if role(body) == "LBody" and kid_roles(body).count("P") >= 2]
    assert loose, "the January gale's loose list keeps its paragraphs in one body"


def test_figures_have_alt_and_ornaments_are_artifacts(book_pdf: Path, tree, markup) -> None:
    figures = [e for e in tree if role(e) == "Figure"]
    assert [str(f.Alt).split(".")[0] for f in figures] == [
        "Chart of the sea between Port Ardlin and Skerrow Rock"]
    with pikepdf.open(book_pdf) as pdf:
        drawn = [tag for page in pdf.pages for tag in image_marks(page)]
    ornaments = len(markup.xpath("//img[@alt='']"))
    assert ornaments and sorted(drawn) == ["/Artifact"] * ornaments + ["/Figure"]


def image_marks(page: pikepdf.Page) -> Iterator[str]:
    """The marked-content tag around each image a page draws."""
    stack: list[str] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) in ("BDC", "BMC"):
            stack.append(str(operands[0]))
        elif str(operator) == "EMC":
            stack.pop()
        elif str(operator) == "Do":
            yield stack[-1] if stack else ""


def test_notes_are_tagged_where_cited_and_linked_both_ways(tree) -> None:
    notes = [e for e in tree if role(e) == "Note"]
    ids = [str(n.ID) for n in notes]
    model = [note.id for d in read(BOOK).all_divisions() for note in d.notes]
    assert ids == model and len(set(ids)) == len(ids)
    for note in notes:
        parent_kids = list(note.P.K)
        at = [k.objgen for k in parent_kids].index(note.objgen)
        reference = parent_kids[at - 1]
        assert role(reference) == "Link"
        annots = [k.Obj for k in reference.K if isinstance(k, pikepdf.Dictionary)
                  and k.get("/Type") == "/OBJR"]
        assert [str(a.Dest) for a in annots] == [str(note.ID)]
        backlink = next(e for e in elements(note) if role(e) == "Link")
        back = next(k.Obj for k in backlink.K if isinstance(k, pikepdf.Dictionary))
        assert str(back.Dest) == f"{note.ID}-ref"
        number = str(annots[0].Contents).removeprefix("Note ")
        assert str(back.Contents) == f"Back to note {number} reference"


def test_links_have_descriptions_print_flags_and_link_elements(book_pdf: Path, tree) -> None:
    claimed = {k.Obj.objgen for e in tree if role(e) == "Link" for k in e.K
               if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"}
    with pikepdf.open(book_pdf) as pdf:
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert {a.objgen for a in annots} == claimed
        for annot in annots:
            target = str(annot.get("/Dest") or annot.A.URI)
            assert str(annot.Contents) not in ("", target), target
            assert int(annot.F) & 4
        contents = {str(a.Contents) for a in annots}
    assert {"The Crossing", "Note 1", "Back to note 1 reference",
            "photographs of Skerrow Rock held by the Coastal Lights Archive"} <= contents


def test_contents_entries_read_title_and_page_without_leader_dots(book_pdf: Path) -> None:
    items = read_semantics(book_pdf).items
    assert "Preface ix" in items and "The Crossing 3" in items
    assert not [item for item in items if ". ." in item]


def test_foreign_words_carry_their_language(book_pdf: Path) -> None:
    languages = read_semantics(book_pdf).languages
    assert "gd: An Sgeir" in languages
    assert any(entry.startswith("fr: ") for entry in languages)


def test_table_split_over_pages_is_one_table_with_its_header_once(book_pdf: Path, tree) -> None:
    tables = [e for e in tree if role(e) == "Table"]
    assert [kid_roles(t) for t in tables] == [["THead", "TBody"], ["THead", "TBody"]]
    rows = [len(t.K[1].K) for t in tables]
    assert rows == [10, 26]
    ids = {str(e.ID) for e in tree if role(e) == "TH"}
    headers = {str(h) for e in tree if role(e) == "TD" for h in e.A.Headers}
    assert headers <= ids
    with pikepdf.open(book_pdf) as pdf:
        assert {str(name) for name in pdf.Root.StructTreeRoot.IDTree.Names[::2]} >= ids


def test_running_heads_and_folios_are_artifacts(book_pdf: Path) -> None:
    with pdfplumber.open(book_pdf) as pdf:
        margins = [char for page in pdf.pages for char in page.chars
                   if char["top"] < 45 or char["top"] > page.height - 55]
        pages = len(pdf.pages)
    # most pages have them; title, part-title and blank pages do not
    assert len({char["page_number"] for char in margins}) > 0.6 * pages
    assert {char["tag"] for char in margins} == {"Artifact"}


# ---------------------------------------------------------------- catalog


def test_catalog_language_title_and_xmp(book_pdf: Path) -> None:
    with pikepdf.open(book_pdf) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert bool(pdf.Root.MarkInfo.Marked)
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == "The Light at Skerrow"
        assert xmp["dc:creator"] == ["Catriona Veale"]
        assert xmp["dc:language"] == {"en-GB"}
        assert xmp["dc:date"] == ["2026-04-21"]
        assert xmp["pdfuaid:part"] == "1"


def test_page_labels_match_the_printed_folios(book_pdf: Path) -> None:
    with pikepdf.open(book_pdf) as pdf:
        labels = [page.label for page in pdf.pages]
    body = labels.index("1")
    assert labels[:body] == list(ROMAN[:body])
    assert labels[body:] == [str(n) for n in range(1, len(labels) - body + 1)]
    assert "Part One" in pdftotext(book_pdf, body + 1)
    printed = [folio(book_pdf, page) for page in range(1, len(labels) + 1)]
    shown = [(label, text) for label, text in zip(labels, printed, strict=True) if text]
    assert len(shown) > len(labels) // 2 and all(label == text for label, text in shown)


def test_outline_holds_every_chapter_and_section(book_pdf: Path) -> None:
    with pikepdf.open(book_pdf) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in walk_outline(outline.root)]
    headings = read_semantics(book_pdf).headings
    assert titles == list(headings)
    assert {"The Crossing", "Landing on the Rock", "Glossary"} <= set(titles)


def walk_outline(items: list[pikepdf.OutlineItem]) -> Iterator[pikepdf.OutlineItem]:
    """Outline items depth first."""
    for item in items:
        yield item
        yield from walk_outline(item.children)


def test_every_font_embedded_and_subset(book_pdf: Path) -> None:
    rows = pdffonts(book_pdf)
    assert rows and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), rows


def test_article_has_no_title_page_and_sets_headline_byline_date(article_pdf: Path) -> None:
    first = " ".join(pdftotext(article_pdf, 1).split())
    order = [first.find(text) for text in ("Work to begin on Kelmouth", "By Ana Ruiz",
                                             "28 March 2012", "Repairs to the storm-damaged")]
    assert order[0] == 0 and order == sorted(order)
    with pikepdf.open(article_pdf) as pdf:
        width, height = (round(float(v)) for v in pdf.pages[0].MediaBox[2:])
    assert (width, height) == (595, 842)  # A4
