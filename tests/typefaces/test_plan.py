"""Font stacks chosen for a book's text: its language's faces first, a face made for each
other script it holds, the emoji it uses, and a stack of its own for each marked language."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from publish.layers import STYLES
from publish.typefaces.plan import declared_faces, font_codes, plan_fonts
from publish.typefaces.table import SANS, SERIF, script_of

SHEETS = [(STYLES / "print" / "fonts.css").read_text("utf-8"),
          (STYLES / "large-print" / "fonts.css").read_text("utf-8")]
DECLARED = declared_faces(SHEETS, STYLES, (STYLES,))


def _families(stack: str) -> list[str]:
    return [name.strip().strip('"') for name in stack.split(",")]


def test_an_english_book_needs_no_world_face() -> None:
    plan = plan_fonts(SERIF, "en", "<p>Plain words.</p>", DECLARED)
    assert plan.faces == ()
    assert _families(plan.text) == ["Libertine", "Gentium Fallback", "Symbols Fallback", "serif"]


def test_an_arabic_book_opens_with_its_face_and_declares_regular_and_bold() -> None:
    plan = plan_fonts(SERIF, "ar", "<p>صباح الخير</p>", DECLARED)
    assert _families(plan.text)[0] == "Arabic Serif"
    assert {(face.family, face.bold) for face in plan.faces} == {
        ("Arabic Serif", False), ("Arabic Serif", True)}


def test_large_print_sets_greek_in_a_sans_with_greek() -> None:
    plan = plan_fonts(SANS, "el", "<p>Καλημέρα</p>", DECLARED)
    assert _families(plan.text)[:2] == ["World Sans", "Atkinson Hyperlegible"]
    assert "Noto Sans Math" in _families(plan.text)  # arrows and list circles, after every script


def test_unmarked_scripts_fall_back_to_a_face_made_for_them() -> None:
    plan = plan_fonts(SANS, "en", "<p>Hello שלום नमस्ते 😀</p>", DECLARED)
    families = _families(plan.text)
    assert {"Hebrew Sans", "Devanagari Sans"} <= set(families)
    assert any(name.startswith("Emoji ") for name in families)
    assert families.index("Hebrew Sans") < families.index("Noto Sans Math")


def test_a_marked_language_gets_its_own_stack() -> None:
    markup = '<p>Read <span lang="ja">直す</span> and <span lang="zh-Hans">直接</span>.</p>'
    plan = plan_fonts(SERIF, "en", markup, DECLARED)
    stacks = dict(plan.languages)
    assert _families(stacks["ja"])[0] == "CJK JP Serif"
    assert _families(stacks["zh-Hans"])[0] == "CJK SC Serif"


def test_scripts_of_languages() -> None:
    assert [script_of(tag) for tag in ("ar", "ur", "he", "hi", "th", "ja", "ko", "en")] == [
        "arabic", "arabic", "hebrew", "devanagari", "thai", "cjk-jp", "cjk-kr", None]
    assert script_of("zh-Hant-TW") == "cjk-tc" and script_of("zh") == "cjk-sc"


def test_a_latin_passage_in_a_vietnamese_book_keeps_the_books_sans() -> None:
    """The name in an English byline of a Vietnamese book stays in one face, not split
    between Atkinson (no Vietnamese) and Noto Sans inside a word."""
    plan = plan_fonts(SANS, "vi", '<p><span lang="en">By Nguyễn</span> Một</p>', DECLARED)
    assert _families(plan.text)[0] == "World Sans" and plan.languages == ()


def test_a_fonts_code_points_are_kept_per_version_of_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    regular, bold = STYLES / "fonts" / "GentiumBookPlus-Regular.ttf", \
        STYLES / "fonts" / "GentiumBookPlus-Bold.ttf"
    font = tmp_path / "face.ttf"
    shutil.copy(regular, font)
    font_codes.cache_clear()
    read = font_codes(font)
    assert ord("é") in read and len(list((tmp_path / "cache").rglob("*.u32"))) == 1
    font_codes.cache_clear()
    assert font_codes(font) == read  # from the cache
    shutil.copy(bold, font)  # another version of the file: read again
    os.utime(font, ns=(1, 1))
    font_codes.cache_clear()
    assert font_codes(font) == frozenset(TTFont(bold).getBestCmap())
    font.write_bytes(b"not a font")
    font_codes.cache_clear()
    assert font_codes(font) == frozenset()
    font_codes.cache_clear()
