"""Direction and the toolkit's own words by language; `direction:` and `{dir=...}` read."""

from __future__ import annotations

import pytest

from publish.errors import ManuscriptError
from publish.html import render_book
from publish.languages import Term, direction, long_date, term
from publish.readers import read
from publish.readers.attributes import parse_attrs


def test_right_to_left_languages() -> None:
    assert [direction(tag) for tag in ("ar", "fa-IR", "ur", "he", "en", "ja")] == [
        "rtl", "rtl", "rtl", "rtl", "ltr", "ltr"]


def test_words_in_the_book_language_or_marked_english() -> None:
    assert term("Contents", "he").text == "תוכן העניינים"
    assert term("Contents", "zh-Hant-TW").text == "目錄"
    assert term("Contents", "sw") == Term("Contents", "en")
    assert term("Contents", "en-GB").language == "en-GB"


def test_dates_as_each_language_writes_them() -> None:
    assert long_date("2024-05-01", "ja") == "2024年5月1日"
    assert long_date("2024-05-01", "en-US") == "May 1, 2024"
    assert long_date("2024-05-01", "el") == "1 Μαΐου 2024"


def test_dir_attribute_is_read_and_a_wrong_one_stays_text() -> None:
    attrs = parse_attrs("#x dir=rtl")
    assert attrs is not None and attrs.dir == "rtl"
    assert parse_attrs("dir=sideways") is None


def test_markup_carries_direction_and_translated_words(write) -> None:
    source = write("he.md", "---\ntitle: בוקר\nauthor: נועה\nlanguage: he\n---\n\n# בוקר\n\n"
                            "טקסט [English words]{lang=en} כאן.\n\n## כותרת {dir=rtl}\n\nסוף.\n")
    markup = render_book(read(source), "print", ("print",))
    assert '<html lang="he" xml:lang="he" dir="rtl">' in markup
    assert '<span lang="en" dir="ltr">English words</span>' in markup
    assert 'dir="rtl">כותרת</h2>' in markup and "מאת נועה" in markup


def test_untranslated_words_are_marked_as_english(write) -> None:
    source = write("sw.md", "---\ntitle: Habari\nauthor: Amani\nlanguage: sw\n---\n\n# Habari\n\n"
                            "Maneno.\n")
    assert '<span lang="en" dir="ltr">By Amani</span>' in render_book(read(source), "print",
                                                                       ("print",))


def test_direction_setting_is_checked(write) -> None:
    source = write("d.md", "---\ntitle: T\nlanguage: en\ndirection: upward\n---\n\n# T\n\nx\n")
    with pytest.raises(ManuscriptError, match="direction 'upward' is not one of ltr, rtl, auto"):
        read(source)
