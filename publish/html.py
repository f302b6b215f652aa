"""Model -> semantic HTML through the shared, overridable Jinja2 templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import markupsafe
import nh3
from lxml import etree
from lxml import html as lxml_html

from publish import __version__, layers
from publish.languages import direction, long_date, term
from publish.layers import STYLES
from publish.model import Book, Division, Footnote, Image, plain_text
from publish.readers.links import WEB_SCHEMES
from publish.readers.runs import marked_long_runs
from publish.template_cache import template_cache

ROLES = {
    "part": "doc-part", "chapter": "doc-chapter", "dedication": "doc-dedication",
    "epigraph": "doc-epigraph", "foreword": "doc-foreword", "preface": "doc-preface",
    "introduction": "doc-introduction", "prologue": "doc-prologue",
    "epilogue": "doc-epilogue", "afterword": "doc-afterword", "appendix": "doc-appendix",
    "acknowledgements": "doc-acknowledgments", "glossary": "doc-glossary",
    "bibliography": "doc-bibliography", "colophon": "doc-colophon", "article": None,
}
EPUB_TYPES = {kind: kind for kind in ROLES} | {"acknowledgements": "acknowledgments"}
ROLE_NAMES = {
    "aut": "Author", "ill": "Illustrated by", "edt": "Edited by", "trl": "Translated by",
    "pht": "Photographs by", "aui": "Introduction by", "nrt": "Narrated by",
}
QUIET_TITLES = frozenset({"dedication", "epigraph"})


@dataclass(frozen=True)
class Links:
    """How one output addresses in-book fragments, notes and images."""

    fragment: Callable[[str], str]
    image: Callable[[Image], str]
    # whether an id is where `fragment` sends it (one HTML document: the renderer drops a
    # link to an id it lacks, so any id may be tried)
    known: Callable[[str], bool] = lambda _ident: True


def single_document_links(book: Book) -> Links:
    """Links inside one HTML document, images by path relative to the manuscript folder."""
    return Links(
        fragment=lambda ident: f"#{ident}",
        image=lambda image: quote(image.path.relative_to(book.root).as_posix()),
    )


@cache
def environment(root: Path, layer_names: tuple[str, ...]) -> jinja2.Environment:
    """Templates looked up most specific first: the manuscript's styles/, then our layers."""
    search = [root / "styles" / layer for layer in layer_names] + [root / "styles"]
    search += [layers.folder(layer) for layer in layer_names] + [STYLES / "base"]
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
        jinja2.PrefixLoader({
            name: jinja2.FileSystemLoader(str(layers.folder(name)))
            for name in ("base", *layer_names)
        }),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(("html.j2", "xhtml.j2"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=template_cache(),  # compiled once per user, not once per process
    )
    env.filters.update(sanitize=sanitize, long_date=long_date, identifier_label=identifier_label,
                       marked_long_runs=marked_long_runs)
    env.globals.update(say=say, say_plain=say_plain, text_direction=text_direction,
                       language_direction=direction)
    return env


def _context(book: Book, edition: str, links: Links, xhtml: bool) -> dict[str, Any]:
    return {
        "book": book, "edition": edition, "xhtml": xhtml, "version": __version__,
        "roles": ROLES, "epub_types": EPUB_TYPES, "role_names": ROLE_NAMES,
        "quiet_titles": QUIET_TITLES, "show_numbers": False,
        "link_href": lambda href: _link_href(href, links),
        "raw_fragment": lambda ident: links.fragment(ident) if links.known(ident) else None,
        "note_href": links.fragment,
        "note_ref_href": lambda note_id: links.fragment(f"{note_id}-ref"),
        "image_href": links.image,
        "foot_notes": {},
    }


def _link_href(href: str, links: Links) -> str | None:
    """Where a link goes in this output; None (its text alone) unless it leads into the book
    or to the web: the readers settle links, this holds for any model."""
    if href.startswith("#"):
        return links.fragment(href[1:])
    return href if urlsplit(href).scheme.lower() in WEB_SCHEMES else None


def render_book(
    book: Book, edition: str, layers: tuple[str, ...], footnotes: bool = True,
) -> str:
    """The whole book as one HTML document, for the PDF editions; without `footnotes`, every
    note is an endnote of its division (large print: a page's foot cannot hold them)."""
    env = environment(book.root, layers)
    context = _context(book, edition, single_document_links(book), xhtml=False)
    context["foot_notes"] = foot_notes(book) if footnotes else {}
    return env.get_template("book.html.j2").render(context, include_children=True)


def foot_notes(book: Book) -> dict[str, Footnote]:
    """Notes a page can hold at its foot: those made of paragraphs only, by id."""
    return {
        note.id: note for division in book.all_divisions() for note in division.notes
        if note.blocks and all(block.kind == "paragraph" for block in note.blocks)
    }


def render_division(
    book: Book, division: Division, depth: int, links: Links, stylesheets: tuple[str, ...],
) -> str:
    """One division as an XHTML content document, for the EPUB."""
    env = environment(book.root, ("epub",))
    context = _context(book, "epub", links, xhtml=True)
    return env.get_template("document.xhtml.j2").render(
        context, division=division, depth=depth, include_children=False,
        title=plain_text(division.title) or book.metadata.title, stylesheets=stylesheets,
        body_type="bodymatter" if division.matter == "body" else f"{division.matter}matter",
    )


def render_page(book: Book, name: str, layer_names: tuple[str, ...], edition: str,
                links: Links, **values: Any) -> str:
    """A page of an edition that splits the book into HTML pages (the web edition): any
    template given the macros' context, with divisions rendered alone."""
    context = _context(book, edition, links, xhtml=False)
    return environment(book.root, layer_names).get_template(name).render(
        context, include_children=False, **values)


def render_template(book: Book, name: str, layers: tuple[str, ...], **values: Any) -> str:
    """Any other template (stylesheets, navigation) with the book in its context."""
    return environment(book.root, layers).get_template(name).render(book=book, **values)


# Raw HTML may structure text but never load anything: images go through Markdown, where
# their alt text and location are checked.
_RAW_TAGS = nh3.ALLOWED_TAGS - {"img", "area", "map", "center", "strike", "acronym", "tt"}
_RAW_ATTRIBUTES = {
    tag: attrs - {"src", "align", "char", "charoff", "width", "height", "size"}
    for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in _RAW_TAGS
} | {"*": {"lang", "dir", "title", "class"}}


Place = Callable[[str], str | None]  # an id in the book -> the href that reaches it, or None


def _safe_href(place: Place | None, _tag: str, attribute: str, value: str) -> str | None:
    """Links in raw HTML may point at the web, a mail address or a place in the book (sent
    where `place` says it is, or dropped when the book lacks it)."""
    if attribute != "href":
        return value
    if value.startswith("#"):
        return value if place is None else place(value[1:])
    return value if value.startswith(("https://", "http://", "mailto:")) else None


def sanitize(fragment: str, place: Place | None = None) -> str:
    """Raw HTML from a manuscript, stripped of scripts and handlers, as well-formed XHTML;
    `place` addresses its links into the book."""
    cleaned = nh3.clean(
        fragment, tags=_RAW_TAGS, attributes=_RAW_ATTRIBUTES,
        attribute_filter=partial(_safe_href, place), link_rel=None,
        url_schemes={"http", "https", "mailto"},
    )
    if not cleaned.strip():
        return ""
    parts = lxml_html.fragments_fromstring(cleaned)
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(markupsafe.escape(part))
        else:
            out.append(etree.tostring(part, method="xml", encoding="unicode"))
    return markupsafe.Markup("".join(out))


@jinja2.pass_context
def say(context: Any, key: str, *values: str) -> markupsafe.Markup:
    """A toolkit word in the book's language; in English, marked as such, where we have no
    translation (a screen reader then speaks it as English)."""
    book = context["book"]
    found = term(key, book.metadata.language)
    text = markupsafe.escape(found.text)
    if values:
        text = text.replace("{}", "%s") % tuple(values)  # Markup's % escapes the values
    if found.language == book.metadata.language:
        return text
    lang = f' lang="{found.language}"'
    if context.get("xhtml"):
        lang += f' xml:lang="{found.language}"'
    return markupsafe.Markup(f'<span{lang} dir="ltr">{text}</span>')


@jinja2.pass_context
def say_plain(context: Any, key: str, *values: str) -> str:
    """A toolkit word for an attribute or a `<title>`, where no element can mark its
    language: the book's language where we have it, else English."""
    found = term(key, context["book"].metadata.language)
    return found.text.replace("{}", "%s") % tuple(values) if values else found.text


def text_direction(book: Book) -> str:
    """The direction a book's text runs: as its `direction` setting says, else as its
    language is written."""
    return book.metadata.direction or direction(book.metadata.language)


def identifier_label(identifier: str) -> str:
    """`urn:isbn:978...` shown as `ISBN 978...`; other identifiers as they are."""
    if identifier.lower().startswith("urn:isbn:"):
        return f"ISBN {identifier[9:]}"
    return identifier
