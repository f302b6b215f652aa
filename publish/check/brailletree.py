"""A braille edition's PEF read back as comparable semantics: braille has no markup, so what
a braille reader takes for a heading, an image, a note or a change of language is read from
the layout BANA's Braille Formats gives them, and the words from liblouis's back-translation.

Headings are centred, or start in cell 5 or cell 7 (block quotes and nested lists may start
there too, so these are candidates: parity looks for each heading of the other editions
among them); an image is a transcriber's note "Image: ..."; a note starts in cell 1 with the
note reference indicator, its runover lines in cell 3; a change of language is a
transcriber's note naming the language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from publish.braille import proofread
from publish.braille.blocks import BLANK, SUPERSCRIPT
from publish.braille.inline import TN_OPEN
from publish.braille.pef import DC_NS, PEF_NS
from publish.braille.proofread import INDICATOR
from publish.braille.tables import Translator, language_name, named_language, translator
from publish.check.model import ERROR, Issue
from publish.check.semantics import Collector, Semantics

IMAGE = "Image:"  # how the transcription opens an image's transcriber's note
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_MINOR, _SUBORDINATE = 4, 6  # blank cells before a heading in cell 5, in cell 7
_NOTE_RUNOVER = 2  # blank cells before a note's runover lines (cell 3)
_ALIKE = 0.75  # the share of words two texts must have in common to be the same item


@dataclass(frozen=True)
class Row:
    """One row of text: the blank cells before it (None for a blank row or a page's top),
    its cells after them."""

    lead: int | None
    cells: str = ""
    top: bool = False


def read_semantics(path: Path) -> Semantics:
    """The headings, alt texts, notes and changes of language a braille reader finds."""
    root = etree.parse(str(path), _PARSER).getroot()
    language = root.findtext(f".//{{{DC_NS}}}language") or "en"
    width = int(root.find(f".//{{{PEF_NS}}}volume").get("cols", "40"))  # type: ignore[union-attr]
    back = translator(language, 2)
    rows = list(_rows(root))
    found = Collector()
    for cells in _heading_candidates(rows, width):
        found.heading(0, _back(back, cells))
    reading = [language_name(language)]  # the languages read, outermost first
    text = BLANK.join(row.cells for row in rows if row.lead is not None)
    for note in proofread.TRANSCRIBERS_NOTE.findall(text):
        said = _back(back, note)
        if said.startswith(IMAGE):
            found.alts.append(said[len(IMAGE):].strip())
        elif named_language(said) and len(reading) > 1 and said == reading[-2]:
            reading.pop()  # the language around a passage, read again after it
        elif named_language(said):
            reading.append(said)
            if said != reading[0]:
                found.languages.append(f"{said}: ")
    found.notes.extend(_back(back, cells) for cells in _notes(rows))
    return replace(found.semantics(), language=language)


def _back(back: Translator, cells: str) -> str:
    """Cells as text, whitespace collapsed."""
    return " ".join(back.back(cells.strip(BLANK)).split())


def _rows(root: etree._Element) -> Iterator[Row]:
    """Every page's text rows in order, without its number rows and print page indicator
    lines; a page's top counts as a blank row."""
    for page in root.iter(f"{{{PEF_NS}}}page"):
        yield Row(None, top=True)
        for text in [row.text or "" for row in page.iter(f"{{{PEF_NS}}}row")][1:-1]:
            content = text.lstrip(BLANK)
            if not content:
                yield Row(None)
            elif not INDICATOR.match(text):
                yield Row(len(text) - len(content), content)


def _heading_candidates(rows: list[Row], width: int) -> Iterator[str]:
    """Runs of rows laid out as headings are: centred, or all in cell 5, or all in cell 7
    (a transcriber's note, which starts there too, left out)."""
    run: list[str] = []
    kind: object = None
    for row in [*rows, Row(None)]:
        current = _heading_kind(row, width)
        if run and current != kind:
            yield BLANK.join(run)
            run = []
        if current is not None:
            run.append(row.cells)
        kind = current


def _heading_kind(row: Row, width: int) -> str | None:
    """How a row could belong to a heading, None when it cannot."""
    if row.lead is None or row.cells.startswith(TN_OPEN):
        return None
    if row.lead and abs(row.lead - (width - len(row.cells)) // 2) <= 1:
        return "centred"
    return {_MINOR: "minor", _SUBORDINATE: "subordinate"}.get(row.lead)


def _notes(rows: list[Row]) -> Iterator[str]:
    """Each note: a row in cell 1 opening with the note reference indicator and its number,
    then its rows in cell 3; the indicator and number left out."""
    note: list[str] = []
    for row in [*rows, Row(None)]:
        if row.top:
            continue  # a note goes on over the page
        if note and row.lead == _NOTE_RUNOVER:
            note.append(row.cells)
            continue
        if note:
            yield BLANK.join(note)
            note = []
        if row.lead == 0 and row.cells.startswith(SUPERSCRIPT):
            note = [row.cells.split(BLANK, 1)[1] if BLANK in row.cells else ""]


def compare(name_a: str, a: Semantics, name_b: str, b: Semantics) -> list[Issue]:
    """Where the braille edition `b` lacks what edition `a` tells assistive technology:
    each heading of `a` among its heading candidates, in order; alt texts, notes and changes
    of language one for one. Words are compared, not letters, so a contraction read back
    another way does not count as a loss."""
    spoken = language_name(b.language)
    languages = [name for name in (language_name(item.split(": ", 1)[0])
                                   for item in a.languages) if name != spoken]
    issues = [_issue(name_a, name_b, "P001", "heading", text)
              for text in _unmatched(a.headings, b.headings)]
    for code, label, wanted, found in (("P002", "alt text", a.alts, b.alts),
                                       ("P005", "note", a.notes, b.notes),
                                       ("P003", "change of language to", tuple(languages),
                                        tuple(item.split(": ", 1)[0] for item in b.languages))):
        issues += [_issue(name_a, name_b, code, label, text)
                   for text in _unmatched(wanted, found)]
        issues += [Issue(name_b, "parity", ERROR, code, f"{label} '{_short(text)}' in "
                         f"{name_b} is not in {name_a}") for text in _unmatched(found, wanted)]
    return issues


def _unmatched(wanted: tuple[str, ...], found: tuple[str, ...]) -> list[str]:
    """The wanted texts found nowhere among `found`, each matched once: at the first place
    after the last match whose words are alike enough, else anywhere (braille moves the
    contents to the front)."""
    words = [Counter(proofread.words(text)) for text in found]
    missing, used, at = [], set(), 0
    for text in wanted:
        sought = Counter(proofread.words(text))
        places = [*range(at, len(found)), *range(at)]
        hit = next((i for i in places if i not in used and _alike(sought, words[i])), None)
        if hit is None:
            missing.append(text)
        else:
            used.add(hit)
            at = hit + 1 if hit >= at else at
    return missing


def _alike(a: Counter[str], b: Counter[str]) -> bool:
    """Whether two texts share enough of their words (Dice's coefficient)."""
    total = sum(a.values()) + sum(b.values())
    return total > 0 and 2 * sum((a & b).values()) / total >= _ALIKE


def _issue(name_a: str, name_b: str, code: str, label: str, text: str) -> Issue:
    return Issue(name_b, "parity", ERROR, code, f"{label} '{_short(text)}' in {name_a} is "
                 f"missing from {name_b}")


def _short(text: str, limit: int = 80) -> str:
    """Long texts cut for a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
