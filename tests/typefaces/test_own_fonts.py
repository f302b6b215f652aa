"""A writer's own fonts: declared in the manuscript's stylesheet or named by `fonts:`, they
count for the coverage check; an EPUB, which embeds no font, is never refused for coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from pdf_text import pdffonts, pdftotext

from publish.cli import main

PRIVATE = "\ue123"
TEXT = ("---\ntitle: Glyphs\nlanguage: en\n{settings}---\n\n# Glyphs\n\n"
        f"A private {PRIVATE} mark.\n")


def _font(path: Path, family: str = "Private Mark") -> Path:
    """A one-glyph TrueType font drawing U+E123 as a square."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "square"])
    builder.setupCharacterMap({ord(PRIVATE): "square"})
    pen = TTGlyphPen(None)
    for x, y in ((100, 0), (100, 600), (600, 600), (600, 0)):
        (pen.lineTo if x != 100 or y != 0 else pen.moveTo)((x, y))
    pen.closePath()
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": empty, "square": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "square": (700, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(usWeightClass=400)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def _build(source: Path, out: Path, *editions: str) -> int:
    flags = [arg for edition in editions for arg in ("--edition", edition)]
    return main(["build", str(source), "-o", str(out), "-q", *flags])


def test_an_epub_is_never_refused_for_a_character_no_font_has(write, tmp_path: Path) -> None:
    source = write("glyph.md", TEXT.format(settings=""))
    assert _build(source, tmp_path / "out", "epub") == 0
    assert (tmp_path / "out" / "glyph.epub").is_file()
    assert _build(source, tmp_path / "out", "print") == 1


def test_a_font_face_in_the_writers_stylesheet_counts(write, tmp_path: Path) -> None:
    source = write("glyph.md", TEXT.format(settings=""))
    _font(source.parent / "styles" / "fonts" / "mark.ttf")
    write("styles/print.css", '@font-face { font-family: "Mark"; src: url(fonts/mark.ttf); }\n'
                              'p { font-family: "Libertine", "Mark"; }\n')
    assert _build(source, tmp_path / "out", "print") == 0
    pdf = tmp_path / "out" / "glyph.pdf"
    assert PRIVATE in pdftotext(pdf) and any("Mark" in row[0] for row in pdffonts(pdf))


@pytest.mark.parametrize("edition", ["print", "large-print"])
def test_fonts_setting_adds_a_fallback_to_every_stack(write, tmp_path: Path,
                                                      edition: str) -> None:
    source = write("glyph.md", TEXT.format(settings="fonts: [fonts/mark.ttf]\n"))
    _font(source.parent / "fonts" / "mark.ttf")
    assert _build(source, tmp_path / "out", edition) == 0
    pdf = next((tmp_path / "out").glob("*.pdf"))
    assert any("Private-Mark" in row[0] for row in pdffonts(pdf))


def test_a_font_outside_the_folder_is_refused_at_its_line(write, tmp_path: Path,
                                                          capsys) -> None:
    source = write("book/glyph.md", TEXT.format(settings="fonts: [../mark.ttf]\n"))
    _font(tmp_path / "mark.ttf")
    assert _build(source, tmp_path / "out", "print") != 0
    assert f"{source}:4: font '../mark.ttf' is outside the manuscript folder" \
        in capsys.readouterr().err


def test_a_stylesheet_cannot_make_the_check_read_outside_the_folder(write, tmp_path: Path,
                                                                    capsys) -> None:
    source = write("glyph.md", TEXT.format(settings=""))
    write("notes.txt", "not a font")
    write("styles/print.css", '@font-face { font-family: "A"; src: url(../../../etc/hosts); }\n'
                              '@font-face { font-family: "B"; src: url(../notes.txt); }\n')
    assert _build(source, tmp_path / "out", "print") == 1
    err = capsys.readouterr().err
    assert "U+E123" in err and "Traceback" not in err
