"""Cross-format parity: what each edition tells assistive technology, compared."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS, ROOT

from publish.check import editions_of
from publish.check.epubtree import read_semantics as epub_semantics
from publish.check.model import CODES
from publish.check.parity import compare
from publish.check.pdftree import read_semantics as pdf_semantics
from publish.check.semantics import Semantics
from publish.cli import main

BASE = Semantics(
    headings=("The Crossing", "The Relief Boat"), levels=(1, 2),
    alts=("A chart of the sea",), languages=("fr: le phare",),
    headers=("Date | Vessel",), notes=("The Kittiwake was built at Buckie in 1958.",),
)


def _codes(a: Semantics, b: Semantics, name_b: str = "b.pdf") -> list[str]:
    return [issue.code for issue in compare("a.epub", a, name_b, b)]


def test_identical_editions_agree() -> None:
    assert _codes(BASE, BASE) == []


@pytest.mark.parametrize(("field", "value", "code"), [
    ("headings", ("The Crossing", "The Relief"), "P001"),
    ("alts", (), "P002"),
    ("languages", ("fr: le bateau",), "P003"),
    ("headers", ("Date | Ship",), "P004"),
    ("notes", ("The Kittiwake was built at Wick.",), "P005"),
])
def test_each_difference_has_its_code(field: str, value: tuple[str, ...], code: str) -> None:
    assert _codes(BASE, replace(BASE, **{field: value})) == [code]


def test_line_breaks_hyphens_and_case_do_not_count() -> None:
    other = replace(BASE, headings=("THE CROSS-\u00adING", "The  Relief\nBoat"))
    assert _codes(BASE, other) == []


def test_an_element_split_by_a_page_break_is_joined() -> None:
    other = replace(BASE, languages=("fr: le", "fr: phare"))
    assert _codes(BASE, other) == []


def test_print_page_markers_of_large_print_do_not_count() -> None:
    other = replace(BASE, languages=("fr: le [26] phare",), notes=(
        "The Kittiwake was [xii] built at Buckie in 1958.",))
    assert _codes(BASE, other) == []


def test_a_table_stacked_as_a_list_keeps_its_headers_as_labels() -> None:
    stacked = replace(BASE, headers=(), items=("Date: 14 Oct Vessel: Kittiwake",))
    issues = compare("a.epub", BASE, "b.pdf", stacked)
    assert [(i.code, i.severity) for i in issues] == [("P007", "warning")]
    unlabelled = replace(BASE, headers=(), items=("14 Oct Kittiwake",))
    assert _codes(BASE, unlabelled) == ["P004"]


def test_heading_levels_compared_between_pdfs_only() -> None:
    deeper = replace(BASE, levels=(2, 3))
    assert _codes(BASE, deeper, "b.pdf") == []
    assert [i.code for i in compare("a.pdf", BASE, "b.pdf", deeper)] == ["P001", "P001"]


def test_notes_tagged_as_list_items_are_found_with_a_warning() -> None:
    listed = replace(BASE, notes=(), items=("1. The Kittiwake was built", "at Buckie in 1958."))
    issues = compare("a.epub", BASE, "b.pdf", listed)
    assert [(i.code, i.severity) for i in issues] == [("P006", "warning")]


def test_every_check_code_is_documented() -> None:
    text = (ROOT / "docs" / "lint-codes.md").read_text("utf-8")
    assert set(re.findall(r"^\| ([CPLBTSK]\d{3}) \|", text, re.MULTILINE)) == set(CODES)


def test_editions_are_grouped_by_book() -> None:
    files = [Path(n) for n in ("a.pdf", "a.epub", "a-large-print.pdf", "b.epub", "notes.txt")]
    assert editions_of(files) == {
        "a": {"epub": Path("a.epub"), "large-print": Path("a-large-print.pdf"),
              "print": Path("a.pdf")},
        "b": {"epub": Path("b.epub")},
    }


def test_a_braille_file_and_its_companion_are_one_edition() -> None:
    files = [Path(n) for n in ("a.brf", "a.pef", "b.brf")]
    assert editions_of(files) == {"a": {"braille": Path("a.pef")}, "b": {"braille": Path("b.brf")}}


def test_trees_read_from_a_real_build(tmp_path: Path) -> None:
    assert main(["build", str(MANUSCRIPTS / "harbour-article.md"), "-o", str(tmp_path), "-q",
                 "--edition", "print", "--edition", "epub"]) == 0
    pdf = pdf_semantics(tmp_path / "harbour-article.pdf")
    epub = epub_semantics(tmp_path / "harbour-article.epub")
    assert pdf.headings == epub.headings
    assert pdf.headings[1:] == ("A breach that changed the harbour", "How the work will be done",
                                "Fishermen count the cost", "What happens next")
    assert pdf.levels == (1, 2, 2, 2, 2)
    assert compare("harbour-article.epub", epub, "harbour-article.pdf", pdf) == []
