"""mammoth's block markup (paragraphs, headings, lists, tables, quotes, code) as model blocks,
each read with the place a Word user would look for it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from lxml import html

from publish.ids import IdRegistry, slugify
from publish.model import (
    NO_ATTRS,
    Attrs,
    Block,
    BlockQuote,
    CodeBlock,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
    TableCell,
    Text,
    plain_text,
)
from publish.readers.docx.inlines import InlineContext, inlines_of
from publish.readers.docx.marks import ASSUMED_HEADER, DROP_CAP, clean, item_number
from publish.readers.docx.styles import CAPTION

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = ("ul", "ol")
_FIRST_WORDS = 4


def place(under: str, element: html.HtmlElement) -> str:
    """`under "Chapter 3", paragraph starting "The harbour at dusk..."`: findable in Word."""
    cells = [cell.text_content() for cell in element.iter("td", "th")]
    words = clean(" ".join(cells) if cells else element.text_content()).split()
    if not words and any(True for _ in element.iter("img")):
        return f'{heading_of(under)}paragraph holding only a picture'

    start = " ".join(words[:_FIRST_WORDS]) + ("..." if len(words) > _FIRST_WORDS else "")
    heading = heading_of(under)
    kind = "table" if element.tag == "table" else "paragraph"
    return f'{heading}{kind} starting "{start}"' if start else f"{heading}an empty {kind}"


def heading_of(under: str) -> str:
    """The first half of a place: the heading a block is under."""
    return f'under "{under}", ' if under else "before the first heading, "


class BlockConverter:
    """Converts the top-level elements of one division, keeping ids unique in the book."""

    def __init__(self, ctx: InlineContext, ids: IdRegistry, shift: int, under: str) -> None:
        self.ctx = ctx
        self.ids = ids
        self.shift = shift  # Word heading level minus this is the model's level
        self.under = under  # the last heading's words, for places

    def convert(self, elements: list[html.HtmlElement]) -> list[Block]:
        """Blocks for `elements`, captions attached to the figure or table they name."""
        blocks: list[Block] = []
        pending_caption: tuple[Inline, ...] = ()
        drop_cap = ""
        for element in elements:
            if element.tag == "p" and element.text_content().rstrip().endswith(DROP_CAP):
                drop_cap = clean(element.text_content()).strip()  # it begins the next one
                continue
            if drop_cap and element.tag == "p":
                element.text = drop_cap + (element.text or "")
                drop_cap = ""
            self.ctx.where = place(self.under, element)
            if element.tag == "p" and CAPTION in element.get("class", "").split():
                caption = inlines_of(element, self.ctx)
                if blocks and isinstance(blocks[-1], Figure | Table) and not blocks[-1].caption:
                    blocks[-1] = _captioned(blocks[-1], caption)
                else:
                    pending_caption = caption
                continue
            if element.tag in _LISTS:
                pending_caption = self._flush(blocks, pending_caption)
                blocks += self._lists(element, self._attrs(element))
                continue
            block = self.block(element, self.bookmark_id(element))
            if block is None:
                continue
            if pending_caption and isinstance(block, Figure | Table):
                block = _captioned(block, pending_caption)
                pending_caption = ()
            pending_caption = self._flush(blocks, pending_caption)
            blocks.append(block)
        self._flush(blocks, pending_caption)
        return blocks

    @staticmethod
    def _flush(blocks: list[Block], caption: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """A caption that found no figure or table is a paragraph after all."""
        if caption:
            blocks.append(Paragraph(caption))
        return ()

    def _attrs(self, element: html.HtmlElement) -> Attrs:
        ident = self.bookmark_id(element)
        return Attrs(id=ident) if ident else NO_ATTRS

    def block(self, element: html.HtmlElement, ident: str | None) -> Block | None:
        """One block; None for an empty paragraph."""
        tag = element.tag
        attrs = Attrs(id=ident) if ident else NO_ATTRS
        if tag in _HEADINGS:
            return self.heading(element, ident)
        if tag == "table":
            return self._table(element, attrs)
        if tag == "blockquote":
            quoted = self.convert(list(element))
            return BlockQuote(tuple(quoted), attrs) if quoted else None
        if tag == "pre":
            return CodeBlock(clean(element.text_content()), attrs=attrs)
        return self._paragraph(element, attrs)

    def heading(self, element: html.HtmlElement, ident: str | None) -> Heading | None:
        """A heading at its level in the division; the places after it are under it."""
        children = inlines_of(element, self.ctx)
        words = " ".join(plain_text(children).split())
        self.under = words
        if not words:
            return None
        level = max(2, _HEADINGS[element.tag] - self.shift)
        return Heading(min(level, 6), children, Attrs(id=ident or self.ids.claim(slugify(words))))

    def _paragraph(self, element: html.HtmlElement, attrs: Attrs) -> Block | None:
        children = _trimmed(inlines_of(element, self.ctx))
        if not children:
            return None
        if len(children) == 1 and isinstance(children[0], Image):
            return Figure(children[0], attrs=attrs)
        return Paragraph(children, attrs)

    def _lists(self, element: html.HtmlElement, attrs: Attrs) -> list[Block]:
        """A Word list, cut where its numbers restart (mammoth joins neighbouring lists)."""
        runs: list[list[tuple[int | None, ListItem]]] = [[]]
        for item in element.iterchildren("li"):
            number = item_number(item.text_content())
            last = runs[-1][-1][0] if runs[-1] else None
            if number is not None and last is not None and number != last + 1:
                runs.append([])
            runs[-1].append((number, self._item(item)))
        ordered = element.tag == "ol"
        return [ListBlock(ordered=ordered, items=tuple(item for _, item in run),
                          start=run[0][0] or 1, attrs=attrs if at == 0 else NO_ATTRS)
                for at, run in enumerate(runs) if run]

    def _item(self, item: html.HtmlElement) -> ListItem:
        nested = [child for child in item if child.tag in _LISTS or child.tag == "table"]
        for child in nested:
            item.remove(child)  # after their tails, which stay in the item's text
        own = _trimmed(inlines_of(item, self.ctx))
        blocks: list[Block] = [Paragraph(own)] if own else []
        for child in nested:
            blocks += self._lists(child, NO_ATTRS) if child.tag in _LISTS else \
                [b for b in [self.block(child, None)] if b is not None]
        return ListItem(tuple(blocks))

    def _table(self, element: html.HtmlElement, attrs: Attrs) -> Table | None:
        if ASSUMED_HEADER in element.text_content():
            self.ctx.report("W004", "table without a header row: its first row is read as "
                            "the header; in Word, select the row > Table Properties > Row > "
                            "Repeat as header row")
        head: list[tuple[TableCell, ...]] = []
        body: list[tuple[TableCell, ...]] = []
        for row in element.iter("tr"):
            cells = tuple(self._cell(cell) for cell in row if cell.tag in ("td", "th"))
            if not cells:
                continue
            in_head = row.getparent() is not None and row.getparent().tag == "thead"
            (head if in_head and not body else body).append(cells)
        if not head and not body:
            return None
        while body and len(head) < _header_reach(head):  # a header cell spanning rows below
            head.append(tuple(replace(cell, header=True) for cell in body.pop(0)))
        if head and not head[0][0].children:  # an empty corner: the first column heads rows
            body = [(replace(row[0], header=True), *row[1:]) for row in body]
        rows = _closed(head + body)
        return Table(head=tuple(rows[:len(head)]), body=tuple(rows[len(head):]), attrs=attrs)

    def _cell(self, cell: html.HtmlElement) -> TableCell:
        """A cell's paragraphs as lines of one cell; merged cells keep their span."""
        lines: list[tuple[Inline, ...]] = []
        for part in (list(cell) if len(cell) and cell[0].tag == "p" else [cell]):
            if part.tag in _LISTS or part.tag == "table":
                text = " ".join(clean(part.text_content()).split())
                line: tuple[Inline, ...] = (Text(text),) if text else ()
            else:
                line = _trimmed(inlines_of(part, self.ctx))
            if line:
                lines.append(line)
        children: list[Inline] = []
        for number, line in enumerate(lines):
            children += [LineBreak()] if number else []
            children += line
        return TableCell(tuple(children), header=cell.tag == "th",
                         colspan=_span(cell, "colspan"), rowspan=_span(cell, "rowspan"))

    def bookmark_id(self, element: html.HtmlElement) -> str | None:
        """The id of a block holding bookmarks that links point at (one id for all of them)."""
        names = [a.get("id") for a in element.iter("a")
                 if a.get("id") and a.get("id") in self.ctx.anchors]
        return self.ctx.anchors[names[0]] if names else None


def _closed(rows: list[tuple[TableCell, ...]]) -> list[tuple[TableCell, ...]]:
    """Rows filled up with empty cells to the widest, spans counted: Word's skipped grid
    columns (`gridBefore`, `gridAfter`) do not reach mammoth, and a grid that does not close
    leaves cells under the wrong headers or none (PDF/UA, outloud TBL-004)."""
    taken: set[tuple[int, int]] = set()
    for at, row in enumerate(rows):
        column = 0
        for cell in row:
            while (at, column) in taken:
                column += 1
            taken |= {(at + down, column + across) for down in range(cell.rowspan)
                      for across in range(cell.colspan)}
            column += cell.colspan
    counted = Counter(row for row, _ in taken)
    widths = [counted[at] for at in range(len(rows))]
    widest = max(widths, default=0)
    return [row + (TableCell(()),) * (widest - width) for row, width in zip(rows, widths,
                                                                          strict=True)]


def _header_reach(head: list[tuple[TableCell, ...]]) -> int:
    """How many rows the header rows cover, counting their cells' row spans."""
    return max((at + cell.rowspan for at, row in enumerate(head) for cell in row), default=0)


def _span(cell: html.HtmlElement, name: str) -> int:
    value = cell.get(name, "1")
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


def _captioned(block: Figure | Table, caption: tuple[Inline, ...]) -> Figure | Table:
    if isinstance(block, Figure):
        return Figure(block.image, caption, block.attrs)
    return Table(block.head, block.body, caption, block.attrs)


def _trimmed(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inlines without the spaces Word leaves at a paragraph's ends."""
    items = list(inlines)
    while items and isinstance(items[0], Text) and not items[0].text.strip():
        items.pop(0)
    while items and isinstance(items[-1], Text) and not items[-1].text.strip():
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(items)
