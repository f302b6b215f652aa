"""Where a manuscript's links lead: the web, a place in the book, or nowhere a reader can go.

A link to another chapter file of the book becomes a link to that chapter (`file.md#id` to
the heading); a link to any other local file, a `file:` URL, a script or an anchor the book
lacks keeps its text and loses its target, so no edition names a path of the machine it was
built on or carries a broken reference. The lint reports each with its line (R002, R003).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from publish.model import Attrs, Book, Division, Inline, Link, Text
from publish.walk import division_ids

_T = TypeVar("_T")
_LEAVES = (str, int, Path, Text, Attrs, type(None))  # nothing under these can hold a link
WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True, slots=True)
class Targets:
    """What a link inside the book may lead to: its chapter files and its fragment ids."""

    files: frozenset[Path]
    ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A link's fate: `href` to write (a web URL or `#id`), or a lint finding and no target.
    `chapter` is set for a link to a chapter file as a whole, which leads to its start."""

    href: str | None
    code: str | None = None
    problem: str = ""
    chapter: Path | None = None


def targets_of(book: Book) -> Targets:
    """A read book's chapter files and every id its documents carry."""
    files = frozenset(p for p in book.sources  # manifests and metadata are not chapters
                      if p.suffix.lower() == ".md" and p.name != "SUMMARY.md")
    return Targets(files, frozenset(i for d in book.all_divisions() for i in division_ids(d)))


def judge(href: str, source: Path, targets: Targets) -> Verdict:
    """Where `href`, written in `source`, leads."""
    shown = unquote(href)
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        return Verdict(href)
    if scheme == "file" or (not scheme and not parts.netloc and parts.path):
        return _local(parts.path, parts.fragment, shown, source, targets)
    if scheme or parts.netloc:
        return Verdict(None, "R002", f"link to '{shown}': a {scheme or 'network'} link cannot "
                       "be followed from a book; its text is kept without the link")
    if not parts.fragment:
        return Verdict(None, "R002", "link without a target; its text is kept without the link")
    return _anchor(unquote(parts.fragment), shown, targets)


def _local(path: str, fragment: str, shown: str, source: Path, targets: Targets) -> Verdict:
    """A link to a file: a chapter of this book, or a file no reader has."""
    file = (source.parent / unquote(path)).resolve()
    if file not in targets.files:
        return Verdict(None, "R002", f"link to '{shown}', a file that is not part of the "
                       "book (readers do not have it); its text is kept without the link")
    if not fragment:
        return Verdict(None, chapter=file)
    return _anchor(unquote(fragment), shown, targets)


def _anchor(fragment: str, shown: str, targets: Targets) -> Verdict:
    if fragment in targets.ids:
        return Verdict(f"#{fragment}")
    return Verdict(None, "R003", f"link to '{shown}': no heading or id '{fragment}' in the "
                   "book; its text is kept without the link")


def resolve_links(divisions: list[Division], source: Path, targets: Targets,
                  openings: Mapping[Path, str]) -> list[Division]:
    """`source`'s divisions with every link leading into the book or to the web, or unlinked;
    `openings` names each chapter file's first division."""

    def settle(link: Link) -> tuple[Inline, ...]:
        children: tuple[Inline, ...] = _rebuild(link.children, settle)
        verdict = judge(link.href, source, targets)
        href = verdict.href
        if verdict.chapter is not None and verdict.chapter in openings:
            href = f"#{openings[verdict.chapter]}"
        if href is None:
            return children
        return (replace(link, href=href, children=children),)

    return [_rebuild(division, settle) for division in divisions]


def _rebuild(value: _T, settle: Callable[[Link], tuple[Inline, ...]]) -> _T:
    """`value` with every link settled; untouched parts are the same objects."""
    if isinstance(value, _LEAVES):
        return value
    if isinstance(value, tuple):
        items: list[object] = []
        changed = False
        for item in value:
            new = settle(item) if isinstance(item, Link) else (_rebuild(item, settle),)
            changed = changed or len(new) != 1 or new[0] is not item
            items.extend(new)
        return _joined(items) if changed else value  # type: ignore[return-value]
    changes = {}
    kind: type = type(value)
    for name in _field_names(kind):
        old = getattr(value, name)
        new_value = _rebuild(old, settle)
        if new_value is not old:
            changes[name] = new_value
    return replace(value, **changes) if changes else value  # type: ignore[type-var]


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a model class (none for anything else), looked up once per class."""
    return tuple(f.name for f in fields(kind)) if is_dataclass(kind) else ()


def _joined(items: list[object]) -> tuple[object, ...]:
    """Neighbouring text runs as one, as the reader leaves them (an unlinked link's text
    joins the words around it)."""
    out: list[object] = []
    for item in items:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        else:
            out.append(item)
    return tuple(out)
