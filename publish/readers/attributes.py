"""Parse Pandoc-style attribute blocks: `{#id .class key=value key="quoted value"}`."""

from __future__ import annotations

import re
from collections.abc import Mapping

from publish.languages import DIRECTIONS
from publish.model import NO_ATTRS, Attrs

_TRAILING = re.compile(r"\s*\{([^{}]*)\}\s*$")
_PART = re.compile(r'#([\w:.-]+)|\.([\w-]+)|([\w-]+)=(?:"([^"]*)"|\'([^\']*)\'|(\S+))|(\S+)')


def parse_attrs(body: str) -> Attrs | None:
    """The attributes inside the braces, or None when the text is not an attribute block."""
    ident, classes, lang, direction = None, [], None, None
    for match in _PART.finditer(body):
        id_, cls, key, dq, sq, bare, junk = match.groups()
        if junk:
            return None
        if id_:
            ident = id_
        elif cls:
            classes.append(cls)
        elif key == "lang":
            lang = dq or sq or bare
        elif key == "dir":
            direction = _direction(dq or sq or bare)
            if direction is None:
                return None
    return Attrs(id=ident, classes=tuple(classes), lang=lang, dir=direction)


def _direction(value: str | None) -> str | None:
    """`rtl`, `ltr` or `auto`; None for anything else."""
    lowered = (value or "").lower()
    return lowered if lowered in DIRECTIONS else None


def split_trailing_attrs(text: str) -> tuple[str, Attrs]:
    """Split `Title {#id .class}` into the title and its attributes."""
    match = _TRAILING.search(text)
    if match:
        attrs = parse_attrs(match.group(1))
        if attrs is not None:
            return text[: match.start()], attrs
    return text, NO_ATTRS


def from_token_attrs(attrs: Mapping[str, object]) -> Attrs:
    """Attributes as markdown-it's attrs plugins leave them on a token."""
    if not attrs:
        return NO_ATTRS
    classes = str(attrs.get("class", "")).split()
    ident = attrs.get("id")
    lang = attrs.get("lang")
    return Attrs(
        id=str(ident) if ident else None,
        classes=tuple(classes),
        lang=str(lang) if lang else None,
        dir=_direction(str(attrs.get("dir") or "")),
    )


def merge(first: Attrs, second: Attrs) -> Attrs:
    """Combine attributes given in two places, the second winning on id and language."""
    if first == NO_ATTRS:
        return second
    if second == NO_ATTRS:
        return first
    return Attrs(
        id=second.id or first.id,
        classes=first.classes + tuple(c for c in second.classes if c not in first.classes),
        lang=second.lang or first.lang,
        dir=second.dir or first.dir,
    )
