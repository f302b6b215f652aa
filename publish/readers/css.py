"""CSS cleaned of what would load from elsewhere: an SVG's styles and a manuscript's EPUB sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import tinycss2  # type: ignore[import-untyped]  # WeasyPrint's CSS tokenizer, no types
import tinycss2.ast  # type: ignore[import-untyped]

_URL_FUNCTIONS = frozenset({"url", "src"})

Removed = dict[str, int]  # what went, described, with the line it first went from


def clean_css(text: str, stays: Callable[[str], bool], removed: Removed) -> str | None:
    """CSS without `@import` and with `none` for every `url()` that `stays` refuses; what
    went is added to `removed`; None when nothing had to change."""
    tokens = tinycss2.parse_component_value_list(text)
    cleaned, changed = _clean_tokens(tokens, stays, removed)
    return tinycss2.serialize(cleaned) if changed else None


def describe(url: str) -> str:
    """A reference as a finding names it: short, and `javascript:` called what it is."""
    value = url.strip()
    if value.lower().startswith(("javascript:", "vbscript:")):
        return "javascript: links"
    shown = value if len(value) <= 60 else f"{value[:57]}..."
    return f"the outside reference '{shown}'"


def _clean_tokens(tokens: list[object], stays: Callable[[str], bool],
                  removed: Removed) -> tuple[list[object], bool]:
    out: list[object] = []
    changed = False
    skipping = False  # inside an `@import ...;` statement
    for token in tokens:
        if skipping:
            skipping = not (isinstance(token, tinycss2.ast.LiteralToken) and token.value == ";")
            continue
        if isinstance(token, tinycss2.ast.AtKeywordToken) and token.lower_value == "import":
            removed.setdefault("a CSS @import", token.source_line)
            skipping = changed = True
            continue
        target = _css_url(token)
        if target is not None and not stays(target):
            removed.setdefault(describe(target), _line(token))
            out.append(_none_like(token))
            changed = True
            continue
        if target is None and _clean_inside(token, stays, removed):
            changed = True
        out.append(token)
    return out, changed


def _clean_inside(token: object, stays: Callable[[str], bool], removed: Removed) -> bool:
    """Clean a block's or function's own tokens in place; True when any went."""
    changed = False
    for field in ("content", "arguments"):
        inner = getattr(token, field, None)
        if isinstance(inner, list):
            cleaned, inner_changed = _clean_tokens(inner, stays, removed)
            if inner_changed:
                setattr(token, field, cleaned)
                changed = True
    return changed


def _line(token: object) -> int:
    return int(getattr(token, "source_line", 0))


def _none_like(token: Any) -> object:
    """The keyword `none` where `token` stood."""
    return tinycss2.ast.IdentToken(token.source_line, token.source_column, "none")


def _css_url(token: object) -> str | None:
    """The URL a `url(...)` or `src(...)` token names, else None."""
    if isinstance(token, tinycss2.ast.URLToken):
        return str(token.value)
    if isinstance(token, tinycss2.ast.FunctionBlock) and token.lower_name in _URL_FUNCTIONS:
        values = [t for t in token.arguments if isinstance(t, tinycss2.ast.StringToken)]
        return str(values[0].value) if values else ""
    return None


OWN_SHEETS = ("epub.css", "web.css")  # the writer's sheets that travel inside an edition


def own_sheet(root: Path, name: str) -> tuple[bytes, Removed] | None:
    """The writer's `styles/<name>` as an EPUB or web edition carries it, with what went:
    neither holds the files a sheet names, and a reader's device must not fetch any from the
    web (a tracking pixel in every copy); None when the manuscript has no such sheet."""
    path = root / "styles" / name
    if not path.is_file():
        return None
    data = path.read_bytes()
    removed: Removed = {}
    cleaned = clean_css(data.decode("utf-8", errors="replace"), _travels, removed)
    return (data if cleaned is None else cleaned.encode("utf-8")), removed


def _travels(url: str) -> bool:
    """A reference that goes wherever the sheet goes: a place in the page, or inline data."""
    return url.strip().lower().startswith(("#", "data:"))
