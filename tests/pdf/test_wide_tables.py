"""Tables wider than the print text block: smaller type, a landscape page, then stacked, with
nothing lost (issue 21); the lint says which, and large print still stacks them."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from lxml import html as lxml_html
from pdf_text import pdftotext

from publish import tables
from publish.check.parity import word_parity
from publish.check.pdftext import read_pdf
from publish.cli import main
from publish.html import render_book
from publish.lint import lint
from publish.model import Margins, PageSetup
from publish.options import Options
from publish.pagination import TextIndex, countable
from publish.pdf.print_page import print_markup
from publish.pdf.render import print_page_map
from publish.readers import read

BOOK_PAGE = PageSetup("6in 9in", Margins("0.72in", "0.9in", "0.8in", "0.62in"))


def table_markdown(columns: int, rows: int) -> str:
    """A GitHub table whose every cell says where it is: `r3c17`."""
    head = "|" + "".join(f" Column{c} |" for c in range(1, columns + 1))
    rule = "|" + "---|" * columns
    body = ["|" + "".join(f" r{r}c{c} |" for c in range(1, columns + 1)) for r in range(rows)]
    return "\n".join([head, rule, *body])


def html_table(columns: int) -> object:
    cells = "".join(f"<td>r0c{c}</td>" for c in range(1, columns + 1))
    heads = "".join(f"<th>Column{c}</th>" for c in range(1, columns + 1))
    return lxml_html.fragment_fromstring(
        f"<table><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table>")


@pytest.mark.parametrize(("columns", "form"), [
    (5, tables.FITS), (9, tables.SMALLER), (14, tables.LANDSCAPE), (40, tables.STACKED)])
def test_forms_in_order_of_preference(columns: int, form: str) -> None:
    fit = tables.fit(html_table(columns), BOOK_PAGE, 10.5)
    assert fit.form == form
    assert fit.size_pt >= tables.FLOOR_PT


def test_measure_uses_the_faces_widths() -> None:
    narrow = lxml_html.fragment_fromstring("<table><tr><td>iiii</td></tr></table>")
    wide = lxml_html.fragment_fromstring("<table><tr><td>MMMM</td></tr></table>")
    code = lxml_html.fragment_fromstring("<table><tr><td><code>iiii</code></td></tr></table>")
    assert tables.measure(narrow)[0] < tables.measure(code)[0] < tables.measure(wide)[0]
    assert tables.advance("\U0001d11e", "regular") == 1.0  # in no face: a whole em


def test_landscape_block_is_the_page_turned() -> None:
    portrait, turned = tables.text_block(BOOK_PAGE), tables.text_block(BOOK_PAGE, True)
    assert round(portrait.width) == round(6 * 72 - 1.42 * 72)
    assert round(turned.width) == round(9 * 72 - 1.42 * 72)


def _build(write, tmp_path: Path, text: str, *editions: str) -> Path:
    source = write("wide.md", text)
    out = tmp_path / "out"
    chosen = [arg for edition in editions for arg in ("--edition", edition)]
    assert main(["build", str(source), "-o", str(out), "-q", *chosen]) == 0
    return out


def _cells(text: str) -> set[str]:
    return {word for word in text.split() if word.startswith("r") and "c" in word}


def _all_cells(columns: int, rows: int) -> set[str]:
    return {f"r{r}c{c}" for r in range(rows) for c in range(1, columns + 1)}


def test_forty_columns_reach_the_print_reader(write, tmp_path: Path) -> None:
    text = ("---\ntitle: Wide\nlanguage: en\nlayout: article\n---\n\n# Wide\n\nBefore.\n\n"
            + table_markdown(40, 8) + "\n\nAfter.\n")
    out = _build(write, tmp_path, text, "print", "epub")
    pdf = out / "wide.pdf"
    shown = pdftotext(pdf)
    assert _cells(shown) == _all_cells(40, 8)
    assert all(f"Column{c}" in shown for c in range(1, 41))
    assert read_pdf(pdf).strays == ()
    assert word_parity({"epub": out / "wide.epub", "print": pdf}) == []
    findings = lint(write("wide.md", text))
    assert [(f.code, f.line) for f in findings] == [("A011", 11)]
    assert "as a list" in findings[0].message


def test_smaller_and_landscape_tables_keep_every_cell(write, tmp_path: Path) -> None:
    text = ("---\ntitle: Tables\nlanguage: en\nlayout: book\n---\n\n# One\n\nText.\n\n"
            + table_markdown(9, 5) + "\n\nBetween.\n\n" + table_markdown(14, 40)
            + "\n\nAfter.\n\n# Two\n\nMore text.\n")
    out = _build(write, tmp_path, text, "print", "epub")
    pdf = out / "wide.pdf"
    assert _cells(pdftotext(pdf)) == _all_cells(9, 5) | _all_cells(14, 40)
    assert read_pdf(pdf).strays == ()
    assert word_parity({"epub": out / "wide.epub", "print": pdf}) == []
    with pikepdf.open(pdf) as opened:
        sizes = [tuple(round(float(v)) for v in page.TrimBox[2:]) for page in opened.pages]
    assert (648, 432) in sizes and sizes[0] == (432, 648)  # a landscape page, 6 x 9 in turned
    assert sizes[-1] == (432, 648)  # and back
    messages = [f.message for f in lint(write("wide.md", text))]
    assert "landscape" not in messages[0] and "pt type (floor 7 pt)" in messages[0]
    assert "landscape page" in messages[1] and len(messages) == 2


def test_large_print_still_stacks_and_keeps_everything(write, tmp_path: Path) -> None:
    text = ("---\ntitle: Wide\nlanguage: en\nlayout: article\n---\n\n# Wide\n\n"
            + table_markdown(40, 3) + "\n")
    out = _build(write, tmp_path, text, "large-print", "epub")
    pdf = out / "wide-large-print.pdf"
    assert _cells(pdftotext(pdf)) == _all_cells(40, 3)
    assert "Column40: r2c40" in " ".join(pdftotext(pdf).split())
    assert word_parity({"epub": out / "wide.epub", "large-print": pdf}) == []


def test_print_pages_after_a_stacked_table_are_found_in_the_other_editions(
        write, tmp_path: Path) -> None:
    def paragraph(n: int) -> str:  # words found once in the book: where a page starts
        return " ".join(f"entry{n}word{k}" for k in range(40))

    text = ("---\ntitle: Log\nlanguage: en\nlayout: book\n---\n\n# Log\n\n"
            + "\n\n".join(paragraph(n) for n in range(3)) + "\n\n" + table_markdown(40, 6)
            + "\n\n" + "\n\n".join(paragraph(n) for n in range(3, 40)) + "\n")
    source = write("log.md", text)
    out = _build(write, tmp_path, text, "print")
    book = read(source)
    starts = print_page_map(book)
    unstacked = TextIndex(lxml_html.document_fromstring(render_book(book, "print", ("print",))))
    pages = [countable(page) for page in pdftotext(out / "wide.pdf").split("\f")]
    after_table = [n for n, page in enumerate(pages) if "entry39" in "".join(pages[n:])
                   and "r5c40" not in "".join(pages[n:])]
    assert len(after_table) >= 3
    for number in after_table:
        position = unstacked.position_of(starts[number])
        assert position is not None
        assert unstacked.stream[position:position + 12] in pages[number][:80]


def test_lint_and_print_agree_on_nested_tables(write) -> None:
    wide = table_markdown(14, 3)
    quoted = "\n".join("> " + line for line in wide.split("\n"))
    listed = "- An item:\n\n" + "\n".join("    " + line for line in wide.split("\n"))
    nine = table_markdown(9, 2)
    source = write("nested.md", "---\ntitle: Nested\nlanguage: en\nlayout: book\n---\n\n"
                   f"# One\n\n{quoted}\n\n{listed}\n\n{nine}\n")
    said = [f.message for f in lint(source) if f.code == "A011"]
    markup = lxml_html.document_fromstring(print_markup(read(source), Options()))
    done = [table.get("class") for table in markup.iter("table")]
    assert done == ["table-landscape", "table-landscape", "table-smaller"]
    assert ["landscape page" in m for m in said] == [True, True, False]
    narrower = [float(t.get("style").split()[-1][:-2]) for t in markup.iter("table")]
    assert narrower[0] < narrower[1]  # a quotation is indented more than a list
