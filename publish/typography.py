"""Typographic corrections that Markdown's smart quotes leave to us."""

from __future__ import annotations

import re

_DASHES = (("---", "\u2014"), ("--", "\u2013"))
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def smarten(text: str) -> str:
    """Turn ASCII dashes and three-dot ellipses into real ones, leaving curly text alone."""
    for ascii_form, real in _DASHES:
        text = text.replace(ascii_form, real)
    return _ELLIPSIS.sub("\u2026", text)
