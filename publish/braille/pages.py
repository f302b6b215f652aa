"""Braille blocks laid out on pages (BANA Braille Formats 2016): the braille page number at
the bottom right, the print page number at the top right with a continuation letter on each
further braille page of that print page, and a print page indicator line (dots 3-6 across,
the new number at the right margin) where a print page begins within the text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from publish.braille.blocks import BLANK, Block

NumberCells = Callable[[str], str]  # a page number or label as cells


@dataclass
class Page:
    """One braille page: its text rows (top and bottom rows excluded) and its numbers."""

    number: str  # "p1", "1": the braille page number as text
    rows: list[str] = field(default_factory=list)
    print_label: str | None = None  # as shown top right, continuation letter included


@dataclass
class ContentsEntry:
    """Where a listed heading landed, for the contents."""

    block: Block
    page: str


class Paginator:
    """Fills pages of `lines` rows of `cells` cells; rows 1 and `lines` hold the numbers."""

    def __init__(self, cells: int, lines: int, prefix: str = "", indicator: str = "\u2824",
                 margin: int = 3) -> None:
        self.cells, self.room = cells, lines - 2
        self.prefix, self.indicator, self.margin = prefix, indicator, margin
        self.pages: list[Page] = []
        self.placed: list[ContentsEntry] = []
        self.label: str | None = None  # the print page now running
        self.continued = 0  # braille pages it has gone on to
        self._open()

    def _open(self) -> None:
        """Start a page; a running print page shows with its next continuation letter."""
        page = Page(f"{self.prefix}{len(self.pages) + 1}")
        if self.label is not None:
            self.continued += 1
            page.print_label = continuation(self.continued) + self.label
        self.pages.append(page)
        self._top_free = True  # no print page has started on this page yet

    @property
    def page(self) -> Page:
        """The page being filled."""
        return self.pages[-1]

    def left(self) -> int:
        """Rows still free on this page."""
        return self.room - len(self.page.rows)

    def add(self, blocks: Iterable[Block], number_cells: NumberCells) -> None:
        """Lay out blocks in order."""
        for block in blocks:
            if block.page is not None:
                self._print_page(block.page, number_cells)
            else:
                self._text(block)

    def _print_page(self, label: str, number_cells: NumberCells) -> None:
        """A print page begins: on top of an empty page its number goes top right alone,
        elsewhere an indicator line marks the place."""
        if not self.page.rows and self._top_free:
            self.page.print_label = label
        else:
            if self.left() < 2:  # an indicator line never ends a page
                self._open()
            if not self.page.rows and self._top_free:
                self.page.print_label = label
            else:
                number = number_cells(label)
                self.page.rows.append(self.indicator * (self.cells - len(number)) + number)
        self._top_free = False
        self.label, self.continued = label, 0

    def _text(self, block: Block) -> None:
        lines = self.wrap(block)
        # a heading keeps the blank line after it and two lines of what follows
        keep = len(lines) + 3 if block.title else 1
        if block.space_before and self.page.rows:
            if self.left() < keep + 1:
                self._open()
            else:
                self.page.rows.append("")
        if self.left() < min(keep, self.room):
            self._open()
        if block.listed is not None:
            self.placed.append(ContentsEntry(block, self.page.number))
        for line in lines:
            if self.left() < 1:
                self._open()
            self.page.rows.append(line)
        if block.space_after and self.left() > 0:
            self.page.rows.append("")

    def wrap(self, block: Block) -> list[str]:
        """A block's lines on these pages."""
        return wrap(block, self.cells, self.margin)

    def rows(self, rows: list[str]) -> None:
        """Rows kept together, on a new page when they do not fit on this one."""
        if self.left() < len(rows):
            self._open()
        self.page.rows.extend(rows)

    def break_page(self) -> None:
        """End the page being filled, if anything is on it."""
        if self.page.rows:
            self._open()

    def finish(self) -> list[Page]:
        """The pages, an empty last one dropped."""
        if not self.page.rows and len(self.pages) > 1 and self._top_free:
            self.pages.pop()
        return self.pages


def wrap(block: Block, cells: int, margin: int = 3) -> list[str]:
    """A block's cells cut into lines at blank cells, no line longer than `cells`."""
    if block.centred:
        width = max(cells - 2 * margin, 1)
        return [_centre(line, cells) for line in fill(block.cells, width, width)]
    first, runover = block.indent.first, block.indent.runover
    lines = fill(block.cells, cells - first, cells - runover)
    return [BLANK * (first if i == 0 else runover) + line for i, line in enumerate(lines)]


def fill(cells: str, first: int, runover: int) -> list[str]:
    """Words (runs between blank cells) filled into lines of the given widths; a word
    longer than a line is cut across lines."""
    lines: list[str] = []
    line = ""
    for word in (w for w in cells.split(BLANK) if w):
        width = first if not lines else runover
        if line and len(line) + 1 + len(word) <= width:
            line += BLANK + word
            continue
        if line:
            lines.append(line)
            width = runover
        while len(word) > width:
            lines.append(word[:width])
            word, width = word[width:], runover
        line = word
    if line:
        lines.append(line)
    return lines


def _centre(line: str, cells: int) -> str:
    return BLANK * ((cells - len(line)) // 2) + line


def continuation(count: int) -> str:
    """The letter a print page number carries on its n-th further braille page: a..z, then
    aa, bb..."""
    if count <= 0:
        return ""
    letter = chr(ord("a") + (count - 1) % 26)
    return letter * ((count - 1) // 26 + 1)


def framed(page: Page, cells: int, lines: int, number_cells: NumberCells) -> list[str]:
    """A page's rows in full: the print page number top right, the text, the braille page
    number bottom right; trailing blank cells dropped."""
    top = _right(number_cells(page.print_label), cells) if page.print_label else ""
    body = page.rows + [""] * (lines - 2 - len(page.rows))
    bottom = _right(number_cells(page.number), cells)
    return [row.rstrip(BLANK) for row in [top, *body, bottom]]


def _right(cells: str, width: int) -> str:
    return BLANK * (width - len(cells)) + cells
