"""A book's font stacks: the faces of its language first, then its style's Latin faces,
then a face made for each other script its text holds, symbols and emoji last.

Pango draws each character from the first family in a stack that has it, so the order is
the fallback chain; a text marked with another language (`lang="ja"` in an English book)
gets a stack of its own that opens with that language's faces. Only the faces the text needs
are declared: a CJK face is 16 MB that WeasyPrint copies for every layout.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from publish import user_cache
from publish.typefaces.files import face_file
from publish.typefaces.table import EMOJI, SCRIPTS, STYLES_, Family, script_family, script_of

NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Mn"})  # controls, joiners, marks on a base
_LANG_ATTR = re.compile(r'\slang="([^"]+)"')
_FACE_RULE = re.compile(r"@font-face\s*\{([^}]*)\}")
_FACE_FAMILY = re.compile(r"""font-family\s*:\s*["']?([^"';]+?)["']?\s*;""")
_CODES_FORMAT = 1  # bumped if the kept code points change meaning
_FACE_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


@dataclass(frozen=True, slots=True)
class Face:
    """One `@font-face` rule to declare."""

    family: str
    url: str
    bold: bool


@dataclass(frozen=True, slots=True)
class FontPlan:
    """What a PDF edition's stylesheets declare and set for one book."""

    faces: tuple[Face, ...]
    text: str  # the font-family list of running text
    mono: str  # of code
    languages: tuple[tuple[str, str], ...]  # (a lang tag in the text, its font-family list)


def plan_fonts(style: str, language: str, markup: str, declared: Mapping[str, Sequence[Path]],
               own: Sequence[str] = ()) -> FontPlan:
    """The stacks for a book's markup in a style (`serif` or `sans`); `declared` maps the
    families the stylesheets already declare to their files, `own` names the manuscript's."""
    chars = frozenset(ch for ch in set(markup) if unicodedata.category(ch) not in NOT_DRAWN)
    tags = sorted(set(_LANG_ATTR.findall(markup)) - {language})
    chooser = _Chooser(style, chars, declared, _cjk_script(language, tags))
    settings = STYLES_[style]
    book_head = [*_opening(language, style), *settings.text, *own]
    heads = {tag: [*_opening(tag, style), *book_head] for tag in [language, *tags]}
    text = chooser.stack(heads[language], settings.symbols)
    mono = chooser.stack([*settings.mono, *own], settings.symbols)
    languages = [(tag, chooser.stack(heads[tag], settings.symbols)) for tag in tags]
    languages = [(tag, stack) for tag, stack in languages if stack != text]
    return FontPlan(
        faces=tuple(chooser.faces()),
        text=_css(text, settings.generic), mono=_css(mono, settings.mono_generic),
        languages=tuple((tag, _css(stack, settings.generic)) for tag, stack in languages),
    )


def declared_faces(sheets: Iterable[str], base: Path,
                   allowed: Sequence[Path]) -> dict[str, list[Path]]:
    """The files each family declared by `@font-face` in these stylesheets loads (relative
    URLs resolved against `base`), of those inside the `allowed` folders."""
    found: dict[str, list[Path]] = {}
    for sheet in sheets:
        for rule in _FACE_RULE.findall(sheet):
            family = _FACE_FAMILY.search(rule)
            if family:
                files = [_local(url, base) for url in _FACE_URL.findall(rule)]
                found.setdefault(family.group(1).strip(), []).extend(
                    path for path in files if path is not None and path.is_file()
                    and any(path.resolve().is_relative_to(f.resolve()) for f in allowed))
    return found


def _local(url: str, base: Path) -> Path | None:
    if url.startswith("file://"):
        return Path(url.removeprefix("file://"))
    if ":" in url:
        return None
    return base / url


def _opening(language: str, style: str) -> list[str]:
    """The family a language's own script opens its stacks with, if any."""
    script = script_of(language)
    family = script_family(script, style) if script else None
    return [family.name] if family else []


def _cjk_script(language: str, tags: Sequence[str]) -> str:
    """The CJK faces that set Han characters nobody marked: the book's language's, else those
    of the first CJK language marked, else Simplified Chinese."""
    for tag in (language, *tags):
        script = script_of(tag)
        if script and script.startswith("cjk-"):
            return script
    return "cjk-sc"


class _Chooser:
    """Builds stacks, remembering every world family they use."""

    def __init__(self, style: str, chars: frozenset[str],
                 declared: Mapping[str, Sequence[Path]], cjk: str) -> None:
        self.style = style
        self.chars = chars
        self.declared = declared
        families = [script_family(script, style) for script in SCRIPTS
                    if not script.startswith("cjk-") or script == cjk]
        self.world = {f.name: f for f in [*families, *EMOJI] if f is not None}
        for script in SCRIPTS:  # a language's opening family, even when not a fallback
            family = script_family(script, style)
            if family is not None:
                self.world.setdefault(family.name, family)
        self.scripts = [f.name for f in families if f is not None]
        self.emoji = [f.name for f in EMOJI]
        self.used: dict[str, Family] = {}

    def stack(self, head: Sequence[str], symbols: Sequence[str]) -> list[str]:
        """`head`, each script face that draws a character no family before it does, the
        style's symbols, then the emoji faces the text needs."""
        chosen = list(dict.fromkeys(head))
        missing = set(self.chars) - self._covered(chosen)
        for name in self.scripts:
            missing = self._take(name, chosen, missing)
        chosen += [name for name in symbols if name not in chosen]
        missing -= self._covered(symbols)
        for name in self.emoji:
            missing = self._take(name, chosen, missing)
        self.used.update((name, self.world[name]) for name in chosen if name in self.world)
        return chosen

    def _take(self, name: str, chosen: list[str], missing: set[str]) -> set[str]:
        """Add a family to the stack if it draws something still missing."""
        covers = missing & self._cmap(name) if missing and name not in chosen else set()
        if covers:
            chosen.append(name)
        return missing - covers

    def faces(self) -> list[Face]:
        """The `@font-face` rules for the world families the stacks use."""
        return [Face(family.name, face_file(family, bold).as_uri(), bold)
                for family in self.used.values() for bold in (False, True)]

    def _covered(self, names: Sequence[str]) -> set[str]:
        covered: set[str] = set()
        for name in names:
            covered |= self._cmap(name)
        return covered

    def _cmap(self, name: str) -> frozenset[str]:
        if name in self.world:
            files: Sequence[Path] = (face_file(self.world[name], bold=False),)
        else:
            files = self.declared.get(name, ())
        return frozenset(ch for ch in self.chars if any(ord(ch) in font_codes(f) for f in files))


@cache
def font_codes(font: Path) -> frozenset[int]:
    """The code points a font file maps; none for a file that is not a font. Kept in the
    user's cache for each version of the file: fontTools names every glyph to read a cmap,
    0.1 s of CPU for the dozen faces of a book, in every worker of every build."""
    try:
        stat = font.stat()
    except OSError:
        return frozenset()
    kept_in = user_cache.folder("cmaps")
    if kept_in is None:
        return _read_codes(font)
    version = f"{_CODES_FORMAT}\0{font.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}"
    entry = kept_in / f"{hashlib.sha256(version.encode()).hexdigest()}.u32"
    kept = user_cache.recall(entry)
    if kept is not None and len(kept) % array("I").itemsize == 0:
        return frozenset(array("I", kept))
    codes = _read_codes(font)
    user_cache.keep(entry, array("I", sorted(codes)).tobytes())
    return codes


def _read_codes(font: Path) -> frozenset[int]:
    try:
        return frozenset(TTFont(font, lazy=True).getBestCmap())
    except (TTLibError, OSError, KeyError, AssertionError, struct.error):
        return frozenset()


def _css(families: Sequence[str], generic: str) -> str:
    return ", ".join([*(f'"{name}"' for name in families), generic])

