"""Print pages and glyphs: trim, bleed and crop marks; fonts that have every character."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pdf_text import pdffonts, pdftotext
from test_print import build_print

from publish.cli import main


def test_two_em_dash_is_drawn_from_an_embedded_fallback(write, tmp_path: Path) -> None:
    source = write("dash.md", "---\ntitle: Dashes\nlanguage: en\n---\n\n# Dashes\n\n"
                              "Mr. D\u2e3a said nothing; the \u2e3b was worse.\n")
    pdf = build_print(source, tmp_path / "out")
    assert "D\u2e3a said" in pdftotext(pdf) and "\u2e3b" in pdftotext(pdf)
    assert any("Gentium" in row[0] for row in pdffonts(pdf))
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in pdffonts(pdf))


def test_a_character_no_font_has_fails_naming_it_and_its_line(write, tmp_path: Path,
                                                              capsys) -> None:
    source = write("glyph.md", "---\ntitle: Glyphs\nlanguage: en\n---\n\n# Glyphs\n\n"
                               "Fine text.\n\nA private \ue123 character.\n")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "--edition", "print"]) == 1
    err = capsys.readouterr().err
    assert f"{source}:10: U+E123" in err
    assert "none of the edition's fonts" in err
    assert not (tmp_path / "out" / "glyph.pdf").exists()


def test_print_settings_set_trim_bleed_and_crop_marks(write, tmp_path: Path) -> None:
    source = write("trim.md", "---\ntitle: Trim\nlanguage: en\nlayout: book\nprint:\n"
                              "  trim: 5x8in\n  bleed: 3mm\n  crop-marks: true\n---\n\n"
                              "# One\n\nText.\n\n# Two\n\nMore.\n")
    pdf = build_print(source, tmp_path / "out")
    with pikepdf.open(pdf) as document:
        page = document.pages[0].obj
        trim = [round(float(v), 1) for v in page.TrimBox]
        bleed = [round(float(v), 1) for v in page.BleedBox]
    assert trim == [0, 0, 360.0, 576.0]
    assert bleed == [-8.5, -8.5, 368.5, 584.5]


def test_same_manuscript_same_bytes(write, tmp_path: Path) -> None:
    source = write("same.md", "---\ntitle: Same\nlanguage: en\n---\n\n# Same\n\nText.[^n]\n\n"
                              "[^n]: A note.\n")
    first = build_print(source, tmp_path / "one").read_bytes()
    assert build_print(source, tmp_path / "two").read_bytes() == first
