"""liblouis as the braille edition reaches it: loaded from Debian's copy alone, a table for
each language, back-translation, and the BRF characters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publish import cache
from publish.braille.cells import to_ascii, to_unicode
from publish.braille.louis import load
from publish.braille.tables import ITALIC, NoTable, Untranslatable, translator


def test_the_binding_is_debians_module_alone() -> None:
    louis = load()
    assert louis.version().startswith("3.")
    assert "/usr/lib/python3/dist-packages" not in sys.path  # only the one package


def test_the_installed_liblouis_is_part_of_every_builds_identity() -> None:
    assert "liblouis=liblouis.so.20." in cache.identity()


def test_a_missing_binding_is_one_clear_line(tmp_path: Path) -> None:
    script = ("import sys\nfrom pathlib import Path\nfrom publish.braille.louis import load, "
              "LouisMissing\ntry:\n    load(Path(sys.argv[1]))\nexcept LouisMissing as e:\n"
              "    print(e)\n")
    shown = subprocess.run([sys.executable, "-c", script, str(tmp_path / "louis.py")],
                           capture_output=True, text=True, check=True).stdout
    assert "apt-get install liblouis20 liblouis-data python3-louis" in shown


def test_english_is_unified_english_braille_in_either_grade() -> None:
    assert translator("en-GB", 2).tables == ("en-ueb-g2.ctb",)
    assert translator("en", 1).tables == ("en-ueb-g1.ctb",)
    contracted = translator("en", 2).translate("the light of the lamp")
    spelled = translator("en", 1).translate("the light of the lamp")
    assert to_ascii(contracted) == "! LI<T ( ! LAMP"  # "the", "gh" and "of" contracted
    assert to_ascii(spelled) == "THE LIGHT OF THE LAMP"


def test_other_languages_by_their_tag_and_none_without_a_table() -> None:
    assert translator("de", 2).tables == ("de-g2.ctb",)
    assert translator("fr-CA", 2).tables[0].startswith("fr-")
    with pytest.raises(NoTable, match="'xx-Latn'"):
        translator("xx-Latn", 2)


def test_back_translation_gives_the_words_back() -> None:
    english = translator("en", 2)
    text = "The keeper wrote the weather down every three hours for thirty years."
    assert english.back(english.translate(text)) == text


def test_emphasis_gets_its_indicator() -> None:
    text = "a grey word"
    kinds = ["", "", ITALIC, ITALIC, ITALIC, ITALIC, "", "", "", "", ""]
    # "word" is one of the contractions
    assert to_ascii(translator("en", 2).translate(text, kinds)) == "A .1GREY ^W"


def test_a_character_no_table_has_is_named() -> None:
    with pytest.raises(Untranslatable) as raised:
        translator("en", 2).translate("a \u2e3a b")
    assert raised.value.characters == {"\u2e3a"}


def test_brf_characters_round_trip_every_six_dot_cell() -> None:
    cells = "".join(chr(0x2800 + bits) for bits in range(64))
    assert to_unicode(to_ascii(cells)) == cells
    assert to_unicode(to_ascii(cells).lower()) == cells
