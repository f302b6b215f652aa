"""The manuscript model: plain frozen data that readers make and renderers only read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

# Division kinds, in the order a book presents them, grouped by where they belong.
FRONT_KINDS = (
    "titlepage", "copyright", "dedication", "epigraph", "foreword", "preface",
    "introduction", "prologue",
)
BODY_KINDS = ("part", "chapter", "article")
BACK_KINDS = (
    "epilogue", "afterword", "appendix", "acknowledgements", "glossary", "bibliography",
    "colophon",
)


@dataclass(frozen=True, slots=True)
class Attrs:
    """Identity, classes, language and direction a writer attached with
    `{#id .class lang=xx dir=rtl}`."""

    id: str | None = None
    classes: tuple[str, ...] = ()
    lang: str | None = None
    dir: str | None = None


NO_ATTRS = Attrs()


# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """Running text, already typographically corrected."""

    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Stress emphasis (italic in print, bold in large print)."""

    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong importance."""

    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Inline computer code."""

    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; `href` is an absolute URL or a `#fragment` inside the book."""

    kind: ClassVar[str] = "link"
    children: tuple[Inline, ...]
    href: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A footnote reference; `number` counts per division from 1."""

    kind: ClassVar[str] = "noteref"
    note_id: str
    number: int
    ref_id: str  # unique per citation: a note cited twice has two references


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with its own language or classes."""

    kind: ClassVar[str] = "span"
    children: tuple[Inline, ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break the writer asked for."""

    kind: ClassVar[str] = "linebreak"


@dataclass(frozen=True, slots=True)
class Image:
    """An image; `path` is the checked file inside the manuscript folder."""

    kind: ClassVar[str] = "image"
    src: str
    path: Path
    alt: str
    decorative: bool = False
    title: str | None = None
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class RawInline:
    """Inline HTML from the manuscript, sanitized before it reaches any output."""

    kind: ClassVar[str] = "rawinline"
    html: str


Inline = Text | Emphasis | Strong | Code | Link | NoteRef | Span | LineBreak | Image | RawInline


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The words of some inlines without markup, for titles, alt text and tests."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(" ")
        elif isinstance(node, Emphasis | Strong | Span | Link):
            parts.append(plain_text(node.children))
    return "".join(parts)


def split_at_breaks(children: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], ...]:
    """Inlines cut at hard line breaks: verse lines, or the lines of a byline."""
    lines: list[tuple[Inline, ...]] = [()]
    for node in children:
        if isinstance(node, LineBreak):
            lines.append(())
        else:
            lines[-1] = (*lines[-1], node)
    return tuple(lines)


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; level 1 is the division title."""

    kind: ClassVar[str] = "heading"
    level: int
    children: tuple[Inline, ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    kind: ClassVar[str] = "paragraph"
    children: tuple[Inline, ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """Quoted material such as a letter or an extract."""

    kind: ClassVar[str] = "blockquote"
    blocks: tuple[Block, ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list, holding blocks (several paragraphs in a loose list)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """An ordered or unordered list."""

    kind: ClassVar[str] = "list"
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class Definition:
    """A term with its definitions."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class DefinitionList:
    """A glossary-style list of terms and definitions."""

    kind: ClassVar[str] = "deflist"
    items: tuple[Definition, ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class TableCell:
    """A table cell; header cells become `th` with a scope; merged cells span several."""

    children: tuple[Inline, ...]
    header: bool = False
    align: str | None = None
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose header rows repeat when it breaks across pages."""

    kind: ClassVar[str] = "table"
    head: tuple[tuple[TableCell, ...], ...]
    body: tuple[tuple[TableCell, ...], ...]
    caption: tuple[Inline, ...] = ()
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class Figure:
    """An image standing alone with an optional caption."""

    kind: ClassVar[str] = "figure"
    image: Image
    caption: tuple[Inline, ...] = ()
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted code; `language` is the programming language, if named."""

    kind: ClassVar[str] = "codeblock"
    text: str
    language: str | None = None
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Verse or any text whose line breaks are meaningful: a tuple of lines."""

    kind: ClassVar[str] = "lineblock"
    lines: tuple[tuple[Inline, ...], ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class Container:
    """A group of blocks with shared classes or language (`::: verse`, `::: letter`)."""

    kind: ClassVar[str] = "container"
    blocks: tuple[Block, ...]
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True)
class SceneBreak:
    """A change of scene, drawn as a centred ornament that survives a page break."""

    kind: ClassVar[str] = "scenebreak"


@dataclass(frozen=True, slots=True)
class RawBlock:
    """Block HTML from the manuscript, sanitized before it reaches any output."""

    kind: ClassVar[str] = "rawblock"
    html: str


Block = (
    Heading | Paragraph | BlockQuote | ListBlock | DefinitionList | Table | Figure | CodeBlock
    | LineBlock | Container | SceneBreak | RawBlock
)


@dataclass(frozen=True, slots=True)
class Footnote:
    """A note cited by `NoteRef`s with the same id, numbered in its division."""

    id: str
    number: int
    blocks: tuple[Block, ...]


# ---------------------------------------------------------------- divisions and book


@dataclass(frozen=True, slots=True)
class Division:
    """A chapter, part, article or piece of front or back matter."""

    kind: str
    id: str
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()
    notes: tuple[Footnote, ...] = ()
    children: tuple[Division, ...] = ()
    attrs: Attrs = NO_ATTRS
    number: int | None = None

    @property
    def matter(self) -> str:
        """Which part of the book holds this division: front, body or back."""
        if self.kind in FRONT_KINDS:
            return "front"
        if self.kind in BACK_KINDS:
            return "back"
        return "body"


@dataclass(frozen=True, slots=True)
class Creator:
    """A person or body credited with a MARC relator role (aut, edt, ill, trl...)."""

    name: str
    role: str = "aut"
    file_as: str | None = None


CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"  # what a certifier usually claims


@dataclass(frozen=True, slots=True)
class Certification:
    """Who vouches for the EPUB's accessibility, as the book's configuration names them."""

    certified_by: str
    conforms_to: str = CONFORMANCE
    credential: str | None = None
    report: bool = False  # embed `publish check`'s report in the EPUB as the certifier report


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a catalogue, a title page and a reading system need to know of the book."""

    title: str
    language: str
    subtitle: str | None = None
    creators: tuple[Creator, ...] = ()
    date: str | None = None
    publisher: str | None = None
    rights: str | None = None
    identifier: str | None = None
    print_identifier: str | None = None  # the print edition's ISBN: the page numbers' source
    description: str | None = None
    subjects: tuple[str, ...] = ()
    cover: Image | None = None
    certification: Certification | None = None
    direction: str | None = None  # "rtl", "ltr" or "auto" as the writer set it; None: by language

    @property
    def authors(self) -> tuple[str, ...]:
        """Names credited as authors, for title pages and running heads."""
        return tuple(c.name for c in self.creators if c.role == "aut")


@dataclass(frozen=True, slots=True)
class Margins:
    """Page margins as CSS lengths; inner is the spine side of a book page."""

    top: str
    bottom: str
    inner: str
    outer: str


@dataclass(frozen=True, slots=True)
class PageSetup:
    """The printed page the writer asked for; `None` keeps the layout's default."""

    trim: str | None = None  # a CSS page size: "6in 9in", "A4"
    margins: Margins | None = None
    bleed: str | None = None  # a CSS length, e.g. "3mm"
    crop_marks: bool = False


@dataclass(frozen=True, slots=True)
class Book:
    """A whole manuscript: metadata, divisions in reading order, and where it came from."""

    metadata: Metadata
    divisions: tuple[Division, ...]
    layout: str  # "book" or "article"
    root: Path  # the manuscript folder: nothing outside it is read
    stem: str  # output file names start with it
    page: PageSetup = PageSetup()
    fonts: tuple[Path, ...] = ()  # the writer's font files, for characters ours lack
    sources: tuple[Path, ...] = ()  # the files read, in order, so errors can name a line

    def all_divisions(self) -> tuple[Division, ...]:
        """Every division, parts before their chapters, in reading order."""
        flat: list[Division] = []
        for division in self.divisions:
            flat.append(division)
            flat.extend(division.children)
        return tuple(flat)
