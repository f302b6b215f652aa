"""Which face sets which script, in a serif (print) and a sans (large print) edition.

Each world family is declared under a name of ours ("Arabic Serif"), so no font of the
machine that happens to share Noto's name can stand in for it. Debian's CJK faces come in
collections (`.ttc`): `index` names the face, which `files` extracts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish.layers import STYLES

NOTO = Path("/usr/share/fonts/truetype/noto")  # Debian fonts-noto-core
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")  # Debian fonts-noto-cjk
PACKAGES = {NOTO: "fonts-noto-core", NOTO_CJK: "fonts-noto-cjk"}
SERIF, SANS = "serif", "sans"


@dataclass(frozen=True, slots=True)
class Family:
    """A family we declare: a regular and a bold file (a face inside a collection when
    `index` is set)."""

    name: str
    regular: Path
    bold: Path
    index: int | None = None


@dataclass(frozen=True, slots=True)
class Style:
    """The faces a kind of edition opens its stacks with, and what closes them."""

    text: tuple[str, ...]  # families declared by the layer's own fonts.css
    mono: tuple[str, ...]
    symbols: tuple[str, ...]  # always in the stacks, after the scripts' faces
    generic: str
    mono_generic: str


STYLES_ = {
    SERIF: Style(text=("Libertine", "Gentium Fallback"),
                 mono=("Print Mono", "Print Mono Ext", "Gentium Fallback"),
                 symbols=("Symbols Fallback",), generic="serif", mono_generic="monospace"),
    SANS: Style(text=("Atkinson Hyperlegible", "Atkinson Hyperlegible Ext"),
                mono=("Atkinson Hyperlegible Mono", "Atkinson Hyperlegible Mono Ext",
                      "Atkinson Hyperlegible", "Atkinson Hyperlegible Ext"),
                symbols=("Noto Sans Math",), generic="sans-serif", mono_generic="sans-serif"),
}


def _noto(name: str, stem: str) -> Family:
    return Family(name, NOTO / f"{stem}-Regular.ttf", NOTO / f"{stem}-Bold.ttf")


def _cjk(name: str, kind: str, index: int) -> Family:
    return Family(name, NOTO_CJK / f"Noto{kind}CJK-Regular.ttc",
                  NOTO_CJK / f"Noto{kind}CJK-Bold.ttc", index)


# Faces inside Debian's CJK collections, in their order: JP, KR, SC, TC, HK.
_CJK_INDEX = {"jp": 0, "kr": 1, "sc": 2, "tc": 3}

# A script's faces: (serif, sans). None: the style's own Latin faces already set it well.
SCRIPTS: dict[str, tuple[Family | None, Family]] = {
    "greek-cyrillic": (None, _noto("World Sans", "NotoSans")),
    "hebrew": (_noto("Hebrew Serif", "NotoSerifHebrew"), _noto("Hebrew Sans", "NotoSansHebrew")),
    "arabic": (_noto("Arabic Serif", "NotoNaskhArabic"), _noto("Arabic Sans", "NotoSansArabic")),
    "devanagari": (_noto("Devanagari Serif", "NotoSerifDevanagari"),
                   _noto("Devanagari Sans", "NotoSansDevanagari")),
    "thai": (_noto("Thai Serif", "NotoSerifThai"), _noto("Thai Sans", "NotoSansThai")),
    **{f"cjk-{region}": (_cjk(f"CJK {region.upper()} Serif", "Serif", index),
                         _cjk(f"CJK {region.upper()} Sans", "Sans", index))
       for region, index in _CJK_INDEX.items()},
}

# Monochrome Noto Emoji (npm @fontsource/noto-emoji), one family per unicode-range subset:
# WeasyPrint 70 mixes up glyphs when one family spreads over files by unicode-range.
EMOJI = tuple(
    Family(f"Emoji {chr(ord('A') + n)}", STYLES / "fonts" / f"noto-emoji-{n}-400-normal.ttf",
           STYLES / "fonts" / f"noto-emoji-{n}-700-normal.ttf") for n in range(11))

# The script a language is written in, by its primary subtag (and script subtag for Chinese).
LANGUAGE_SCRIPTS = {
    **dict.fromkeys(("ar", "fa", "ur", "ps", "sd", "ug", "ckb"), "arabic"),
    **dict.fromkeys(("he", "yi", "lad"), "hebrew"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "kok", "mai", "bho"), "devanagari"),
    "th": "thai", "ja": "cjk-jp", "ko": "cjk-kr", "zh": "cjk-sc",
    **dict.fromkeys(("el", "grc", "ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn",
                     "vi"), "greek-cyrillic"),
}
_TRADITIONAL = ("hant", "tw", "hk", "mo")


def script_of(language: str) -> str | None:
    """The script whose faces open a language's stacks; None for Latin-script languages."""
    subtags = language.lower().split("-")
    if subtags[0] == "zh" and any(tag in _TRADITIONAL for tag in subtags[1:]):
        return "cjk-tc"
    return LANGUAGE_SCRIPTS.get(subtags[0])


def script_family(script: str, style: str) -> Family | None:
    """The family that sets a script in a style; None where the style's Latin faces do."""
    serif, sans = SCRIPTS[script]
    return serif if style == SERIF else sans
