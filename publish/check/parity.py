"""Cross-format parity (EN 301 549 5.4): the editions carry the same accessibility information."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from publish import __version__
from publish.check import pdftree
from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.semantics import ASPECTS, STACKED, Semantics, key
from publish.check.words import describe, missing
from publish.editions import EDITIONS

_SHOWN = 5  # differences shown per aspect and pair before a count of the rest
_LABEL = re.compile(r"^\d+")


def parity(editions: dict[str, Path]) -> Run:
    """Compare each edition with the EPUB (or the print PDF when there is no EPUB)."""
    run = Run("parity", ", ".join(path.name for path in editions.values()), __version__)
    read: dict[str, Semantics] = {}
    for kind, path in editions.items():
        try:
            read[kind] = EDITIONS[kind].hook("semantics")(path)
        except pdftree.Untagged:
            run.issues.append(Issue(path.name, run.tool, ERROR, "P000", "the PDF has no "
                                    "structure tree: nothing in it reaches assistive technology"))
    kinds = sorted(read, key=lambda kind: (not EDITIONS[kind].whole_text,
                                           EDITIONS[kind].compare is not None))
    for other in kinds[1:]:
        first, second = editions[kinds[0]], editions[other]
        comparing = EDITIONS[other].hook("compare") if EDITIONS[other].compare else compare
        run.issues.extend(comparing(first.name, read[kinds[0]], second.name, read[other]))
    run.issues.extend(word_parity(editions))
    return run


def word_parity(editions: dict[str, Path]) -> list[Issue]:
    """P008 for each edition whose text lacks words of the book's text (the edition whose
    words are the whole text, the EPUB; without it there is nothing to hold them to)."""
    whole = next((kind for kind in editions if EDITIONS[kind].whole_text), None)
    if whole is None:
        return []
    text = EDITIONS[whole].hook("words")(editions[whole])
    issues = []
    for kind, path in editions.items():
        if kind != whole and EDITIONS[kind].words:
            lacking = missing(text, EDITIONS[kind].hook("words")(path))
            if lacking:
                issues.append(Issue(path.name, "parity", ERROR, "P008",
                                    f"{describe(lacking)} (as {editions[whole].name} has them)"))
    return issues


@dataclass(frozen=True)
class _Item:
    """One compared item: its language (for spans), its text as compared, as shown."""

    prefix: str
    body: str
    shown: str


def compare(name_a: str, a: Semantics, name_b: str, b: Semantics) -> list[Issue]:
    """Every difference in what two editions tell assistive technology."""
    issues: list[Issue] = []
    for aspect, (code, label) in ASPECTS.items():
        left, right = _items(aspect, getattr(a, aspect)), _items(aspect, getattr(b, aspect))
        if aspect == "notes" and bool(left) != bool(right):
            left, right, warnings = _notes_as_items(name_a, a, name_b, b)
            issues.extend(warnings)
        if aspect == "headers":
            left, right, warnings = _stacked_tables(name_a, left, a, name_b, right, b)
            issues.extend(warnings)
        left, right = _rejoin(left, right), _rejoin(right, left)
        issues.extend(_differences(code, label, name_a, left, name_b, right))
    if not name_a.endswith(".epub") and not name_b.endswith(".epub"):
        issues.extend(_level_differences(name_a, a, name_b, b))
    return issues


def _items(aspect: str, values: tuple[str, ...]) -> list[_Item]:
    """Items ready to compare: a span's language apart from its text, a note without label."""
    if aspect == "languages":
        pairs = [value.split(": ", 1) for value in values]
        return [_Item(lang, key(text), value) for (lang, text), value in zip(pairs, values,
                                                                             strict=True)]
    if aspect == "notes":  # a PDF's list label ("1.") is not part of the note
        return [_Item("", _LABEL.sub("", key(value)), value) for value in values]
    return [_Item("", key(value), value) for value in values]


def _rejoin(items: list[_Item], reference: list[_Item]) -> list[_Item]:
    """Join the pieces of an element a page break split in two, as the other side has it."""
    wanted = [(r.prefix, r.body) for r in reference]
    joined: list[_Item] = []
    at = 0
    while at < len(items):
        current, at = items[at], at + 1
        while (current.prefix, current.body) not in wanted and at < len(items) \
                and items[at].prefix == current.prefix:
            body = current.body + items[at].body
            if not any(p == current.prefix and b.startswith(body) for p, b in wanted):
                break
            current, at = _Item(current.prefix, body, f"{current.shown} {items[at].shown}"), at + 1
        joined.append(current)
    return joined


def _notes_as_items(
    name_a: str, a: Semantics, name_b: str, b: Semantics,
) -> tuple[list[_Item], list[_Item], list[Issue]]:
    """Where one side tags no notes, look for the other side's notes among its list items."""
    a_tagged = bool(a.notes)
    tagged, untagged = (a, b) if a_tagged else (b, a)
    notes = _items("notes", tagged.notes)
    wanted = {note.body for note in notes}
    found = [item for item in _rejoin(_items("notes", untagged.items), notes)
             if item.body in wanted]
    warnings = [Issue(name_b if a_tagged else name_a, "parity", WARNING, "P006",
                      "notes are tagged as list items, not as notes (Note): a reader cannot "
                      "tell them from the text")] if found else []
    return (notes, found, warnings) if a_tagged else (found, notes, warnings)


def _stacked_tables(
    name_a: str, left: list[_Item], a: Semantics, name_b: str, right: list[_Item], b: Semantics,
) -> tuple[list[_Item], list[_Item], list[Issue]]:
    """Accept a header row that one side sets as labels in a list, one item per table row."""
    warnings: list[Issue] = []
    kept: list[list[_Item]] = []
    for rows, others, items, name in ((left, right, b.items, name_b),
                                      (right, left, a.items, name_a)):
        present = {row.body for row in others}
        stacked = [row for row in rows if row.body not in present and _labels_in(row, items)]
        warnings += [Issue(name, "parity", WARNING, STACKED, f"table with header row "
                           f"'{_short(row.shown)}' is set as a list: each row repeats the "
                           "header cells as labels") for row in stacked]
        kept.append([row for row in rows if row not in stacked])
    return kept[0], kept[1], warnings


def _labels_in(row: _Item, items: tuple[str, ...]) -> bool:
    """Whether some list item starts with the row's first header and holds all, in order."""
    labels = [key(label) for label in row.shown.split(" | ")]
    pattern = re.compile(".*?".join(re.escape(label) for label in labels if label))
    return any(key(item).startswith(labels[0]) and pattern.match(key(item)) for item in items)


def _differences(
    code: str, label: str, name_a: str, left: list[_Item], name_b: str, right: list[_Item],
) -> list[Issue]:
    """One issue per differing run of items, the first few shown in full."""
    matcher = SequenceMatcher(a=[(i.prefix, i.body) for i in left],
                              b=[(i.prefix, i.body) for i in right], autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    issues = [
        Issue(name_b, "parity", ERROR, code, _describe(
            label, name_a, [i.shown for i in left[i1:i2]], name_b,
            [i.shown for i in right[j1:j2]]))
        for _, i1, i2, j1, j2 in changes[:_SHOWN]
    ]
    if len(changes) > _SHOWN:
        issues.append(Issue(name_b, "parity", ERROR, code, f"{len(changes) - _SHOWN} more "
                            f"difference(s) in {label} with {name_a}"))
    return issues


def _describe(label: str, name_a: str, gone: list[str], name_b: str, added: list[str]) -> str:
    """One difference in words: what changed, went missing or appeared."""
    quoted_gone = "; ".join(f"'{_short(x)}'" for x in gone)
    quoted_added = "; ".join(f"'{_short(x)}'" for x in added)
    if gone and added:
        return f"{label}: {quoted_gone} in {name_a} is {quoted_added} in {name_b}"
    if gone:
        return f"{label}: {quoted_gone} in {name_a} is missing from {name_b}"
    return f"{label}: {quoted_added} in {name_b} is not in {name_a}"


def _level_differences(name_a: str, a: Semantics, name_b: str, b: Semantics) -> list[Issue]:
    """Two PDFs of one book nest their headings alike."""
    if [key(h) for h in a.headings] != [key(h) for h in b.headings]:
        return []  # the text differences are reported already
    return [
        Issue(name_b, "parity", ERROR, "P001", f"heading '{_short(text)}' is H{level_a} in "
              f"{name_a} but H{level_b} in {name_b}")
        for text, level_a, level_b in zip(a.headings, a.levels, b.levels, strict=True)
        if level_a != level_b
    ][:_SHOWN]


def _short(text: str, limit: int = 80) -> str:
    """Long texts (alt texts, letters) cut for a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
