"""Accessibility rules (A codes): what a reader with a screen reader or low vision would miss."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html
from markdown_it.token import Token

from publish import tables as print_tables
from publish.lint.core import Doc, Hit, inline_blocks, text_of
from publish.readers.attributes import split_trailing_attrs
from publish.readers.markdown import parser
from publish.readers.page_setup import body_pt, with_defaults

_FILE_NAME = re.compile(
    r"^[\w.~/-]*\.(?:png|jpe?g|gif|svg|webp|tiff?|bmp|heic)$|^(?:img|dsc|dscn|pxl|scan)[_-]?\d+$",
    re.IGNORECASE,
)
_REDUNDANT_ALT = re.compile(
    r"^(?:an?\s+|the\s+)?(?:image|picture|photo|photograph|graphic|illustration)\s+of\b",
    re.IGNORECASE,
)
_VAGUE_LINKS = frozenset({
    "click here", "here", "click", "read more", "more", "link", "this link", "this",
    "this page", "learn more", "continue", "go", "more info", "more information",
    "details", "see here", "click this", "tap here",
})
_URL = re.compile(r"^(?:https?://|ftp://|mailto:|www\.)\S+$", re.IGNORECASE)
_COLOURS = r"(?:red|green|blue|yellow|orange|purple|pink|grey|gray|violet|brown)"
_COLOUR_CUES = (
    re.compile(rf"\b(?:in|with)\s+{_COLOURS}\s+(?:below|above|here)\b", re.IGNORECASE),
    re.compile(rf"\b(?:shown|marked|highlighted|printed|coloured|colored|labelled|labeled)"
               rf"\s+in\s+{_COLOURS}\b", re.IGNORECASE),
    re.compile(rf"\bthe\s+{_COLOURS}\s+(?:items?|ones|entries|rows|columns|cells|text|words"
               r"|lines|boxes|sections|areas|bars|links|options|fields)\b", re.IGNORECASE),
)


def images(doc: Doc) -> Iterator[Hit]:
    """A001-A003: alt text is how an image reaches someone who cannot see it."""
    for _, inline in inline_blocks(doc):
        for child in inline.children or []:
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            alt = child.content.strip()
            line = doc.locate(inline, src)
            if not alt and "decorative" not in str(child.attrs.get("class", "")).split():
                yield ("A001", line, f"image '{src}' has no alt text: describe it, or mark it "
                       "{.decorative} if it carries no information")
            elif _FILE_NAME.match(alt) or alt == src.rsplit("/", 1)[-1]:
                yield ("A002", line, f"alt text of image '{src}' is a file name ('{alt}'): "
                       "describe what the image shows")
            elif _REDUNDANT_ALT.match(alt):
                yield ("A003", line, f"alt text of image '{src}' starts with '{alt.split()[0]} "
                       "of...': screen readers already say it is an image")


def headings(doc: Doc) -> Iterator[Hit]:
    """A004-A005: headings are how a reader navigates; gaps and extra titles confuse it."""
    previous = 0
    titles: list[int] = []
    for token in doc.tokens:
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        line = doc.locate(token)
        if previous and level > previous + 1:
            yield ("A004", line, f"heading level {level} follows level {previous}: "
                   f"use level {previous + 1} (`{'#' * (previous + 1)} `)")
        previous = level
        if level == 1:
            titles.append(line)
    if doc.layout == "article" and len(titles) > 1:
        for line in titles[1:]:
            yield ("A005", line, f"a second title heading (`# `) in an article, whose title "
                   f"is at line {titles[0]}: use `## ` for its sections")


def links(doc: Doc) -> Iterator[Hit]:
    """A006-A007: a link read out of context must still say where it goes."""
    for _, inline in inline_blocks(doc):
        children = inline.children or []
        for at, child in enumerate(children):
            if child.type != "link_open":
                continue
            text = " ".join(text_of(until_close(children, at)).split())
            line = doc.locate(inline, text or str(child.attrs.get("href", "")))
            words = re.sub(r"[^\w\s]", "", text.lower()).strip()
            if words in _VAGUE_LINKS:
                yield ("A006", line, f"link text '{text}' does not say where the link goes: "
                       "name the destination")
            elif _URL.match(text):
                yield ("A007", line, f"link text is a bare URL ('{text}'): screen readers "
                       "spell it out; name the destination instead")


def until_close(children: list[Token], at: int) -> list[Token]:
    """The tokens between a `link_open` and its `link_close`."""
    inside: list[Token] = []
    for child in children[at + 1:]:
        if child.type == "link_close":
            break
        inside.append(child)
    return inside


def tables(doc: Doc) -> Iterator[Hit]:
    """A008: header cells are what a screen reader announces with every data cell."""
    for at, token in enumerate(doc.tokens):
        if token.type != "thead_open":
            continue
        cells = []
        for inner in doc.tokens[at + 1:]:
            if inner.type == "thead_close":
                break
            if inner.type == "inline":
                cells.append(inner.content.strip())
        if not any(cells):
            yield ("A008", doc.locate(token), "table has an empty header row: "
                   "give each column a header")


def colour_cues(doc: Doc) -> Iterator[Hit]:
    """A010: a cue given by colour alone is lost in large print, mono print and speech."""
    for block, inline in inline_blocks(doc):
        if block.type == "heading_open":
            continue
        text = text_of(inline.children or [])
        for pattern in _COLOUR_CUES:
            match = pattern.search(" ".join(text.split()))
            if match:
                phrase = match.group(0)
                yield ("A010", doc.locate(inline, phrase.split()[-1]),
                       f"'{phrase}' points at something by its colour alone: name it too")
                break


def empty_headings(doc: Doc) -> Iterator[Hit]:
    """H007: an empty heading is a navigation stop with nothing to announce."""
    for block, inline in inline_blocks(doc):
        if block.type == "heading_open" and not split_trailing_attrs(inline.content)[0].strip():
            yield ("H007", doc.locate(inline), "empty heading: give it a title or remove it")


def wide_tables(doc: Doc) -> Iterator[Hit]:
    """A011: a table wider than the print text block is set smaller, turned or stacked;
    the writer should know which (`publish.tables` decides, for print too)."""
    layout = doc.layout or _guessed_layout(doc)
    page = with_defaults(doc.page, layout, doc.language)
    md = parser()
    containers: list[str] = []  # the blocks open around the current token
    for at, token in enumerate(doc.tokens):
        if token.type == "table_open":
            close = next(k for k in range(at, len(doc.tokens))
                         if doc.tokens[k].type == "table_close")
            markup = md.renderer.render(doc.tokens[at:close + 1], md.options, doc.env)
            fit = print_tables.fit(lxml_html.fragment_fromstring(markup), page,
                                   body_pt(layout, doc.language), containers)
            if fit.form != print_tables.FITS:
                yield "A011", doc.locate(token), fit.describe()
        if token.nesting == 1:
            containers.append(token.tag)
        elif token.nesting == -1 and containers:
            containers.pop()


def _guessed_layout(doc: Doc) -> str:
    """A file without a layout is an article when it has one title heading at most, as the
    reader guesses."""
    titles = sum(token.type == "heading_open" and token.tag == "h1" for token in doc.tokens)
    return "article" if titles <= 1 else "book"
