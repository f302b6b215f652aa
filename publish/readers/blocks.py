"""Turn a run of markdown-it block tokens into model blocks."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from publish.errors import ManuscriptError
from publish.ids import slugify
from publish.model import (
    NO_ATTRS,
    Attrs,
    Block,
    BlockQuote,
    CodeBlock,
    Container,
    Definition,
    DefinitionList,
    Figure,
    Heading,
    Image,
    Inline,
    LineBlock,
    ListBlock,
    ListItem,
    Paragraph,
    RawBlock,
    SceneBreak,
    Table,
    TableCell,
    Text,
    plain_text,
    split_at_breaks,
)
from publish.readers.attributes import (
    from_token_attrs,
    merge,
    parse_attrs,
    split_trailing_attrs,
)
from publish.readers.inlines import ReadContext, check_language, convert_inlines
from publish.typography import smarten

# Layout time grows faster than linearly with paragraph length; a real paragraph is never
# near this, a hostile one would hold a render for minutes.
MAX_PARAGRAPH_WORDS = 50_000
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
_ATTR_LINE = re.compile(r"^\{[^{}]*\}$")


class BlockReader:
    """Reads block tokens from a cursor; one instance per division."""

    def __init__(self, tokens: list[Token], ctx: ReadContext, level_shift: int = 0) -> None:
        self.tokens = tokens
        self.pos = 0
        self.ctx = ctx
        self.level_shift = level_shift
        self._handlers: dict[str, Callable[[Token], Block | None]] = {
            "paragraph_open": self._paragraph,
            "heading_open": self._heading,
            "blockquote_open": self._blockquote,
            "bullet_list_open": self._list,
            "ordered_list_open": self._list,
            "table_open": self._table,
            "dl_open": self._deflist,
            "fence": self._code,
            "code_block": self._code,
            "hr": lambda _t: SceneBreak(),
            "html_block": lambda t: RawBlock(t.content),
            "container_div_open": self._container,
        }

    def read_until(self, closing: str | None = None, verse: bool = False) -> tuple[Block, ...]:
        """Blocks up to the token of type `closing` (or the end), consuming it."""
        blocks: list[Block] = []
        while self.pos < len(self.tokens):
            token = self._next()
            if token.type == closing:
                break
            handler = self._handlers.get(token.type)
            if handler is None:
                continue
            block = self._verse_stanza(token) if verse and token.type == "paragraph_open" \
                else handler(token)
            if block is not None:
                check_language(getattr(block, "attrs", NO_ATTRS).lang, self.ctx)
                blocks.append(block)
        return tuple(blocks)

    def _next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        if token.map:
            self.ctx.line = token.map[0] + 1
        return token

    def _inline(self) -> tuple[Inline, ...]:
        token = self._next()
        return convert_inlines(token.children or [], self.ctx)

    def _inline_with_attr_line(self) -> tuple[tuple[Inline, ...], Attrs]:
        token = self._next()
        children, attrs = _strip_attr_line(token.children or [])
        return convert_inlines(children, self.ctx), attrs

    def _close(self) -> None:
        self.pos += 1

    def _paragraph(self, opening: Token) -> Block:
        words = len(self.tokens[self.pos].content.split())
        if words > MAX_PARAGRAPH_WORDS:
            raise ManuscriptError(
                self.ctx.path, self.ctx.line,
                f"a paragraph of {words:,} words; split it (the limit is "
                f"{MAX_PARAGRAPH_WORDS:,} words, far beyond any real paragraph)",
            )
        children, trailing = self._inline_with_attr_line()
        self._close()
        attrs = merge(from_token_attrs(opening.attrs), trailing)
        if len(children) == 1 and isinstance(children[0], Image):
            image = children[0]
            caption = (Text(smarten(image.title)),) if image.title else ()
            return Figure(image=image, caption=caption, attrs=attrs)
        return Paragraph(children, attrs)

    def _heading(self, opening: Token) -> Block:
        children, attrs = _heading_attrs(self._inline())
        self._close()
        attrs = merge(from_token_attrs(opening.attrs), attrs)
        ident = claim_id(self.ctx, attrs.id, plain_text(children))
        level = max(1, int(opening.tag[1]) - self.level_shift)
        return Heading(level, children, Attrs(ident, attrs.classes, attrs.lang, attrs.dir))

    def _blockquote(self, opening: Token) -> Block:
        return BlockQuote(self.read_until("blockquote_close"), from_token_attrs(opening.attrs))

    def _list(self, opening: Token) -> Block:
        closing = opening.type.replace("_open", "_close")
        items: list[ListItem] = []
        tight = True
        while self.tokens[self.pos].type != closing:
            self._next()  # list_item_open
            start = self.pos
            items.append(ListItem(self.read_until("list_item_close")))
            tight = tight and all(t.hidden for t in self.tokens[start:self.pos]
                                  if t.type == "paragraph_open")
        self._close()
        start_at = int(opening.attrs.get("start", 1) or 1)
        return ListBlock(
            ordered=opening.type.startswith("ordered"),
            items=tuple(items),
            start=start_at,
            tight=tight,
            attrs=from_token_attrs(opening.attrs),
        )

    def _table(self, opening: Token) -> Block:
        head: list[tuple[TableCell, ...]] = []
        body: list[tuple[TableCell, ...]] = []
        section = head
        while (token := self._next()).type != "table_close":
            if token.type == "tbody_open":
                section = body
            elif token.type == "tr_open":
                section.append(self._row())
        return Table(head=tuple(head), body=tuple(body), attrs=from_token_attrs(opening.attrs))

    def _row(self) -> tuple[TableCell, ...]:
        cells: list[TableCell] = []
        while (token := self._next()).type != "tr_close":
            if token.type in ("th_open", "td_open"):
                align = _ALIGN.search(str(token.attrs.get("style", "")))
                cells.append(TableCell(
                    children=self._inline(),
                    header=token.type == "th_open",
                    align=align.group(1) if align else None,
                ))
                self._close()
        return tuple(cells)

    def _deflist(self, opening: Token) -> Block:
        items: list[Definition] = []
        while (token := self._next()).type != "dl_close":
            if token.type == "dt_open":
                term = self._inline()
                self._close()
                items.append(Definition(term=term, definitions=()))
            elif token.type == "dd_open" and items:
                last = items[-1]
                items[-1] = Definition(last.term, (*last.definitions, self.read_until("dd_close")))
        return DefinitionList(tuple(items), from_token_attrs(opening.attrs))

    def _code(self, token: Token) -> Block:
        language = token.info.split()[0] if token.info.strip() else None
        return CodeBlock(token.content, language)

    def _container(self, opening: Token) -> Block:
        info = opening.info.strip()
        attrs = parse_attrs(info[1:-1]) if info.startswith("{") and info.endswith("}") else None
        if attrs is None:
            attrs = from_token_attrs({"class": info})
        blocks = self.read_until("container_div_close", verse="verse" in attrs.classes)
        return Container(blocks, attrs)

    def _verse_stanza(self, opening: Token) -> Block:
        for child in self.tokens[self.pos].children or []:
            if child.type == "softbreak":
                child.type = "hardbreak"
        children, attrs = self._inline_with_attr_line()
        self._close()
        lines = split_at_breaks(children)
        return LineBlock(tuple(line for line in lines if line), attrs)


def _strip_attr_line(children: list[Token]) -> tuple[list[Token], Attrs]:
    """Split off an attribute line `{lang=fr}` written just under a paragraph."""
    if len(children) >= 2 and children[-2].type in ("softbreak", "hardbreak"):
        last = children[-1]
        candidate = last.content.strip()
        if last.type == "text" and _ATTR_LINE.match(candidate):
            attrs = parse_attrs(candidate[1:-1])
            if attrs is not None:
                return children[:-2], attrs
    return children, NO_ATTRS


def _heading_attrs(children: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], Attrs]:
    """Split `{#id .class}` off the end of a heading."""
    if children and isinstance(children[-1], Text):
        text, attrs = split_trailing_attrs(children[-1].text)
        if attrs != NO_ATTRS:
            rest = (Text(text.rstrip()),) if text.strip() else ()
            return (*children[:-1], *rest), attrs
    return children, NO_ATTRS


def claim_id(ctx: ReadContext, wanted: str | None, title: str) -> str:
    """The writer's id if free (a duplicate is an error), else one made from the title."""
    if wanted is None:
        return ctx.ids.claim(slugify(title))
    if ctx.ids.is_taken(wanted):
        raise ManuscriptError(ctx.path, ctx.line, f"duplicate id '{wanted}'")
    return ctx.ids.claim(wanted)
