"""Language tags are checked against the IANA registry, so a typo never reaches an output."""

from __future__ import annotations

import langcodes


def is_known_language(tag: str) -> bool:
    """Whether `tag` is a well-formed BCP 47 tag made of registered subtags."""
    try:
        return bool(langcodes.tag_is_valid(tag))
    except ValueError:
        return False
