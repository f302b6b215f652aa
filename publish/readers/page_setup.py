"""The `print` settings (trim, margins, bleed, crop marks), checked once at the edge."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from publish.model import Margins, PageSetup
from publish.readers.metadata import MetadataSource
from publish.typefaces.table import script_of

NAMED_SIZES = {
    "a3": "A3", "a4": "A4", "a5": "A5", "a6": "A6", "b5": "B5", "letter": "letter",
    "legal": "legal",
}
KEYS = ("trim", "margins", "bleed", "crop-marks")
MARGIN_SIDES = ("top", "bottom", "inner", "outer")
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(in|mm|cm|pt)$")
_PAIR = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:x|×|\s)\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt)$")
_MM = {"in": 25.4, "mm": 1.0, "cm": 10.0, "pt": 25.4 / 72}
_TRIM_MM = (50.0, 600.0)  # smaller than a matchbox or larger than a broadsheet is a typo
_MARGIN_MM = (0.0, 80.0)
_BLEED_MM = (0.0, 20.0)


def read_page_setup(source: MetadataSource) -> PageSetup:
    """The `[print]` table of book.toml or the `print:` mapping of front matter."""
    raw = source.data.get("print")
    if raw is None:
        return PageSetup()
    if not isinstance(raw, Mapping):
        raise source.fail("print", "'print' must be a table of settings: " + ", ".join(KEYS))
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise source.fail(unknown[0], f"unknown print setting '{unknown[0]}'; "
                                      f"known: {', '.join(KEYS)}")
    crop_marks = raw.get("crop-marks", False)
    if not isinstance(crop_marks, bool):
        raise source.fail("crop-marks", "'crop-marks' must be true or false")
    return PageSetup(
        trim=_trim(source, raw.get("trim")),
        margins=_margins(source, raw.get("margins")),
        bleed=_length(source, "bleed", raw.get("bleed"), _BLEED_MM),
        crop_marks=crop_marks,
    )


def _trim(source: MetadataSource, value: Any) -> str | None:
    """`6x9in`, `6in 9in`, `148mm 210mm` or a named size such as `A5` or `Letter`."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in NAMED_SIZES:
        return NAMED_SIZES[text]
    pair = _PAIR.match(text)
    if pair:
        width, height, unit = pair.groups()
        lengths = [f"{width}{unit}", f"{height}{unit}"]
    else:
        lengths = text.split()
    if len(lengths) != 2:
        raise source.fail("trim", f"trim '{value}' is not a size such as '6x9in', "
                                  f"'148mm 210mm' or one of {', '.join(NAMED_SIZES.values())}")
    width, height = (_length(source, "trim", length, _TRIM_MM) for length in lengths)
    return f"{width} {height}"


def _margins(source: MetadataSource, value: Any) -> Margins | None:
    """One length for every side, or a table of top, bottom, inner and outer."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        side = _given_length(source, "margins", value, _MARGIN_MM)
        return Margins(side, side, side, side)
    missing = [side for side in MARGIN_SIDES if side not in value]
    extra = sorted(set(value) - set(MARGIN_SIDES))
    if missing or extra:
        raise source.fail("margins", "'margins' needs exactly top, bottom, inner and outer")
    top, bottom, inner, outer = (
        _given_length(source, "margins", value[side], _MARGIN_MM) for side in MARGIN_SIDES)
    return Margins(top=top, bottom=bottom, inner=inner, outer=outer)


def _length(
    source: MetadataSource, key: str, value: Any, limits: tuple[float, float],
) -> str | None:
    """A CSS length in in, mm, cm or pt, within sane limits; None when not given."""
    if value is None:
        return None
    return _given_length(source, key, value, limits)


def _given_length(
    source: MetadataSource, key: str, value: Any, limits: tuple[float, float],
) -> str:
    """A CSS length in in, mm, cm or pt, within sane limits."""
    text = str(value).strip().lower()
    match = _LENGTH.match(text)
    if not match:
        raise source.fail(key, f"{key} '{value}' is not a length such as '0.75in' or '18mm'")
    number, unit = match.groups()
    millimetres = float(number) * _MM[unit]
    low, high = limits
    if not low <= millimetres <= high:
        raise source.fail(key, f"{key} '{value}' is outside {low:g}-{high:g} mm")
    return f"{number}{unit}"


# An article keeps one column, narrowed to a readable measure (about 66 characters at 11 pt
# on A4, 70 on Letter) by wide side margins: docs/manuscript-format.md says why.
_ARTICLE_MARGINS = Margins(top="2.5cm", bottom="2.5cm", inner="5cm", outer="5cm")
DEFAULT_PAGES = {
    "book": PageSetup("6in 9in", Margins(top="0.72in", bottom="0.9in", inner="0.8in",
                                         outer="0.62in")),
    "article": PageSetup("A4", _ARTICLE_MARGINS),
    "article-us": PageSetup("letter", _ARTICLE_MARGINS),
    "book-cjk": PageSetup("A5", Margins(top="18mm", bottom="22mm", inner="20mm", outer="16mm")),
}
# an article's long line on A4 reads better at 11; Chinese, Japanese and Korean books at 10
BODY_PT = {"book": 10.5, "article": 11.0, "book-cjk": 10.0}


def _cjk_book(layout: str, language: str) -> bool:
    """Whether a book is in Chinese, Japanese or Korean: an A5 page and a 10 pt body."""
    return layout == "book" and (script_of(language) or "").startswith("cjk-")


def body_pt(layout: str, language: str) -> float:
    """The print edition's body size for a layout in a language."""
    return BODY_PT["book-cjk" if _cjk_book(layout, language) else layout]


def with_defaults(asked: PageSetup, layout: str, language: str) -> PageSetup:
    """The writer's print settings over the layout's defaults (US English articles: Letter)."""
    us = layout == "article" and language.lower() == "en-us"
    default = DEFAULT_PAGES["article-us" if us else "book-cjk" if _cjk_book(layout, language)
                            else layout]
    return replace(asked, trim=asked.trim or default.trim,
                   margins=asked.margins or default.margins)
