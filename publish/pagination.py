"""The print edition's page map: where each print page begins, found again in any edition.

A page start is named by the nearest element id around the page's first character and by a
count of characters from that element's start. Only characters that are neither whitespace
nor soft hyphens count, and each image counts as one character, so the same count finds the
same place in the print document, the large-print document and the EPUB's content
documents: they all come from the same templates. A page with nothing on it but its folio
starts where the next page does (at the very end, for blank pages closing the book).
`map_pages` reads what `publish.pdf.engine` reports of the laid-out pages (this module does
not import WeasyPrint); `insert_markers` puts an element at each page start in an lxml tree.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Text set apart from the flow: at the foot of the page in print, elsewhere an endnote.
# Text one edition repeats (a stacked table's column headings before each row's cells) is
# not counted either: the other editions have it once.
REPEATED = "repeated"
APART = frozenset({"footnote", REPEATED})
IMAGE = "\ufffc"  # an image stands in the character stream as one object character
# A figure the print layout moved later (`publish.pdf.floats`) carries its number in
# FLOATED; the elements it was moved past carry that number in FLOAT_HOME. It is counted
# where its author put it, before the first of them, as in every other edition.
FLOATED = "data-float"
FLOAT_HOME = "data-float-home"
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
    (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where one print page begins: its folio and the place of its first character."""

    label: str  # the folio as printed on that page: "vii", "37"
    anchor: str  # id of the nearest element around the first character ("" for the body)
    offset: int  # counted characters from the anchor's start to the first character


PageMap = tuple[PageStart, ...]


def to_rows(pages: PageMap) -> list[list[str | int]]:
    """A page map as plain JSON rows, for the build cache."""
    return [[page.label, page.anchor, page.offset] for page in pages]


def from_rows(rows: Any) -> PageMap:
    """Rows read back; damaged ones raise TypeError or ValueError."""
    return tuple(PageStart(str(label), str(anchor), int(offset)) for label, anchor, offset in rows)
# Makes the element to insert: (page start, whether it goes before a heading as a block).
MarkerFactory = Callable[[PageStart, bool], Any]


def countable(text: str) -> str:
    """The characters every edition keeps in the same order: no whitespace, no soft hyphens."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "\u00ad")


def is_apart(element: Any) -> bool:
    """Whether an element's text is set apart from the flow or repeated, so never counted."""
    return not APART.isdisjoint((element.get("class") or "").split())


def moved_figures(root: Any) -> dict[str, Any]:
    """The figures a layout moved away from their authored place, by number."""
    homes = {number for element in root.iter() if isinstance(element.tag, str)
             for number in (element.get(FLOAT_HOME) or "").split()}
    if not homes:
        return {}
    return {number: element for element in root.iter()
            if isinstance(element.tag, str) and (number := element.get(FLOATED)) in homes}


def local_name(element: Any) -> str:
    """`h2` for both `h2` and `{http://www.w3.org/1999/xhtml}h2`."""
    return str(element.tag).rpartition("}")[2]


@dataclass(frozen=True, slots=True)
class _Segment:
    start: int  # stream position of its first counted character
    node: Any  # element whose .text, or whose .tail, holds the characters (or an image)
    attr: str  # "text", "tail", or "image" for an image's one character
    owner: Any  # the element the characters are inside


class TextIndex:
    """The counted characters of a document's body in reading order, and where each lies;
    a figure a layout moved counts where its author put it."""

    def __init__(self, root: Any) -> None:
        self._chars: list[str] = []
        self.segments: list[_Segment] = []
        self.ids: dict[str, int] = {}
        self.elements: dict[Any, int] = {}  # element -> stream position of its start
        self.parents: dict[Any, Any] = {}
        self.moved: dict[int, int] = {}  # where a moved figure's characters start -> end
        self._away = moved_figures(root)  # those not counted yet
        self._moved = set(self._away)
        body = next((e for e in root.iter() if local_name(e) == "body"), root)
        self._walk(body)
        self.stream = "".join(self._chars)
        self._starts = [segment.start for segment in self.segments]

    def _walk(self, element: Any) -> None:
        self.elements[element] = len(self._chars)
        if (ident := element.get("id")) and ident not in self.ids:
            self.ids[ident] = len(self._chars)
        if local_name(element) == "img":
            self.segments.append(_Segment(len(self._chars), element, "image", element))
            self._chars.append(IMAGE)
        self._add(element, "text", element)
        for child in element:
            self.parents[child] = element
            if isinstance(child.tag, str) and not is_apart(child):  # comments hold no text
                self._walk_home(child)
                if child.get(FLOATED) not in self._moved:
                    self._walk(child)
            self._add(child, "tail", element)

    def _walk_home(self, element: Any) -> None:
        """The figures moved past `element` that start here, each counted once."""
        for number in (element.get(FLOAT_HOME) or "").split():
            figure = self._away.pop(number, None)
            if figure is not None:
                start = len(self._chars)
                self._walk(figure)
                self.moved[start] = len(self._chars)

    def past_moved(self, position: int) -> int:
        """The position after any moved figures counted at `position`: the layout sets
        them elsewhere, so no page's text starts inside them."""
        while position in self.moved and self.moved[position] > position:
            position = self.moved[position]
        return position

    def _add(self, node: Any, attr: str, owner: Any) -> None:
        if text := countable(getattr(node, attr) or ""):
            self.segments.append(_Segment(len(self._chars), node, attr, owner))
            self._chars.extend(text)

    def segment_at(self, position: int) -> _Segment:
        """The text node holding the character at a stream position."""
        return self.segments[bisect.bisect_right(self._starts, position) - 1]

    def anchor_of(self, position: int) -> tuple[str, int]:
        """The nearest id around a character and the character's offset from its start."""
        element = self.segment_at(position).owner
        while element is not None:
            if (ident := element.get("id")) and self.ids.get(ident) is not None:
                return ident, position - self.ids[ident]
            element = self.parents.get(element)
        return "", position

    def position_of(self, start: PageStart) -> int | None:
        """Where a page start falls in this document, if its anchor is here."""
        base = self.ids.get(start.anchor) if start.anchor else 0
        if base is None or not 0 <= base + start.offset <= len(self.stream):
            return None
        return base + start.offset


# ---------------------------------------------------------------- reading the print layout


def map_pages(root: Any, texts: list[list[tuple[str, bool]]], counters: list[int],
              styles: list[str | None]) -> PageMap:
    """Every page's folio and first character, from each laid-out page's texts (flagged if
    a table may repeat them), page counter and folio style; `root` is the laid-out HTML."""
    index = TextIndex(root)
    if not texts or not index.stream:
        return ()
    firsts: list[int | None] = []
    position = 0
    for page_texts in texts:
        first = None
        for text, repeatable in page_texts:
            position = index.past_moved(position)
            found, position = _align(index.stream, position, text, repeatable)
            if first is None and found is not None:
                first = found
        firsts.append(first)
    return _starts(index, folios(counters, styles), firsts)


def _starts(index: TextIndex, labels: list[str], firsts: list[int | None]) -> PageMap:
    """Page starts; a page without text or images starts where the next one does."""
    starts: list[PageStart] = []
    following = len(index.stream)
    for label, first in zip(reversed(labels), reversed(firsts), strict=True):
        following = following if first is None else first
        starts.append(PageStart(label, *index.anchor_of(following)))
    return tuple(reversed(starts))


def _align(stream: str, position: int, text: str, repeatable: bool) -> tuple[int | None, int]:
    """Where a laid-out text starts in the stream, and where the stream goes on after it."""
    if stream.startswith(text, position):
        return position, position + len(text)
    if len(text) > 1 and stream.startswith(text[:-1], position):
        return position, position + len(text) - 1  # a hyphen added where a word was broken
    if repeatable:
        return None, position  # a table header or footer repeated on a continuation page
    found = stream.find(text, position)  # text that was not laid out (display: none) comes first
    if found < 0:
        return None, position
    return found, found + len(text)


def folios(counters: list[int], styles: list[str | None]) -> list[str]:
    """Each page's folio: its page counter in the style of the page's own folio or, on a
    page printed without one, of the page it continues (a blank verso closing the front
    matter is `viii`, as the PDF's page labels say) or else of the next folio (a title page)."""
    resolved = list(styles)
    for index in range(1, len(resolved)):
        if resolved[index] is None and counters[index] == counters[index - 1] + 1:
            resolved[index] = resolved[index - 1]
    style = "decimal"
    for index in reversed(range(len(resolved))):
        style = resolved[index] = resolved[index] or style
    return [_format(value, str(style)) for value, style in zip(counters, resolved, strict=True)]


def _format(value: int, style: str) -> str:
    """A page counter as its folio prints it."""
    if style == "lower-roman":
        return roman(value)
    return roman(value).upper() if style == "upper-roman" else str(value)


def roman(value: int) -> str:
    """Lower-case roman numerals, as front-matter folios are printed."""
    out = []
    for number, letters in _ROMAN:
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)


# ---------------------------------------------------------------- marking another edition


def insert_markers(root: Any, starts: PageMap, marker: MarkerFactory,
                   whole_words: bool = False) -> int:
    """Insert `marker(start, before_heading)` at every page start found in an lxml tree;
    pages starting at one place (a blank page, then the next) get their markers in order.
    With `whole_words`, a page that begins inside a word (hyphenated in print) is marked
    before the word: a marker a reader sees must not split it (`testi[196] mony`)."""
    index = TextIndex(root)
    groups: dict[int, list[PageStart]] = {}
    for start in starts:
        if (position := index.position_of(start)) is not None:
            groups.setdefault(position, []).append(start)
    for position in sorted(groups, reverse=True):  # from the end: earlier positions stay valid
        _insert(index, position, groups[position], marker, whole_words)
    return sum(len(group) for group in groups.values())


def _insert(index: TextIndex, position: int, group: list[PageStart],
            marker: MarkerFactory, whole_words: bool) -> None:
    """Put the group's markers before the heading, image or character at `position`."""
    heading = _heading_starting_at(index, position)
    if heading is not None:
        for start in group:
            heading.addprevious(marker(start, True))
        return
    elements = [marker(start, False) for start in group]
    segment = index.segment_at(min(position, len(index.stream) - 1))
    if segment.attr == "image":
        if position == segment.start:
            for element in elements:
                segment.node.addprevious(element)
        else:  # the end of the stream, just after a closing image
            _chain(segment.node, elements)
        return
    text = getattr(segment.node, segment.attr)
    cut = _raw_index(text, position - segment.start)
    cut = _word_start(text, cut) if whole_words else cut
    setattr(segment.node, segment.attr, text[:cut])
    elements[-1].tail = (elements[-1].tail or "") + text[cut:]
    if segment.attr == "text":
        segment.node.insert(0, elements[0])
        _chain(elements[0], elements[1:])
    else:
        _chain(segment.node, elements)


def _chain(previous: Any, elements: list[Any]) -> None:
    """Place elements one after another, right after `previous`."""
    for element in elements:
        previous.addnext(element)
        previous = element


def _heading_starting_at(index: TextIndex, position: int) -> Any:
    """The heading whose first character is at `position`: its marker goes before it."""
    element = index.segment_at(position).owner
    while element is not None:
        if local_name(element) in HEADINGS:
            return element if index.elements.get(element) == position else None
        element = index.parents.get(element)
    return None


def _word_start(text: str, cut: int) -> int:
    """The start of the word `cut` falls in (within this run of text)."""
    while 0 < cut < len(text) and not text[cut - 1].isspace():
        cut -= 1
    return cut


def _raw_index(text: str, counted: int) -> int:
    """The index in `text` of its counted character number `counted`."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace() and ch != "\u00ad":
            if seen == counted:
                return i
            seen += 1
    return len(text)
