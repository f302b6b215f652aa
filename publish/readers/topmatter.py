"""Title, authors and date written as text at the top of a one-file manuscript, taken out
of the body so they are not printed twice or listed in the contents."""

from __future__ import annotations

from dataclasses import replace

from publish.model import Division, plain_text
from publish.readers.infer import TitleLine, take_title_lines
from publish.readers.shape import Shape, looks_like_chapter

_NAMING_KEYS = ("title", "authors", "translators", "subtitle")


def take_top_matter(
    divisions: list[Division], layout: str, shape: Shape,
) -> tuple[list[Division], TitleLine]:
    """The divisions without their title lines, and what those lines said."""
    rest = list(divisions)
    found: TitleLine = {}
    if rest and not rest[0].title:
        blocks, lines = take_title_lines(rest[0].blocks, bare_names=False)
        if any(key in lines for key in _NAMING_KEYS):  # a lone date is not a title page
            found.update(lines)
            rest[0] = replace(rest[0], blocks=blocks)
            if not blocks and not rest[0].notes:
                rest.pop(0)
    if not rest or not rest[0].title:
        return rest, found
    if layout == "article":
        blocks, lines = take_title_lines(rest[0].blocks, bare_names=True, limit=2)
        rest[0] = replace(rest[0], blocks=blocks)
        return rest, {**lines, **found}
    return _take_title_heading(rest, shape, found)


def _take_title_heading(
    rest: list[Division], shape: Shape, found: TitleLine,
) -> tuple[list[Division], TitleLine]:
    """A book's first heading is its title when it stands alone above `##` chapters, or
    when an author line follows it."""
    first = rest[0]
    # Above `#` chapters only an explicit author line (`By ...`, `Author: ...`) makes the first
    # heading a title: a chapter's first line may well be a bare name ("Mr. Bennet").
    blocks, lines = take_title_lines(first.blocks, bare_names=shape.title_heading)
    is_title = shape.title_heading or (
        "authors" in lines and not looks_like_chapter(plain_text(first.title)))
    if first.kind not in ("chapter", "part") or not is_title:
        return rest, found
    lines = {**lines, "title": plain_text(first.title), **found}
    if not blocks and not first.notes:
        return rest[1:], lines
    classes = (*first.attrs.classes, "unnumbered")
    rest[0] = replace(first, kind="chapter", title=(), blocks=blocks,
                      attrs=replace(first.attrs, classes=classes))
    return rest, lines
