"""The print page map's folios: each page named as the print edition numbers it."""

from __future__ import annotations

from publish.pagination import folios


def test_a_blank_page_closing_the_front_matter_keeps_its_roman_folio() -> None:
    counters = [1, 2, 3, 4, 1, 2]
    styles = [None, None, "lower-roman", None, "decimal", None]
    assert folios(counters, styles) == ["i", "ii", "iii", "iv", "1", "2"]


def test_pages_printed_without_a_folio_before_any_take_the_next_one() -> None:
    assert folios([1, 2, 3], [None, None, "upper-roman"]) == ["I", "II", "III"]


def test_a_page_that_restarts_the_count_takes_the_next_folio_style() -> None:
    assert folios([3, 1, 2], ["lower-roman", None, "decimal"]) == ["iii", "1", "2"]
