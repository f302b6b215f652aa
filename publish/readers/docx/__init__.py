"""Read a Word file (.docx) into the same model as a Markdown manuscript.

mammoth turns Word's semantic styles into plain markup (headings, lists, tables, notes,
pictures with their alt text); this package checks the zip first, reads what mammoth does
not (core properties, the language, tracked changes, comments) from the XML itself, and turns
mammoth's markup into divisions. Findings carry the place a Word user can find: the heading a
paragraph is under and the paragraph's first words.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import mammoth
from lxml import html

from publish.errors import ManuscriptError
from publish.ids import IdRegistry, slugify
from publish.model import Book
from publish.readers.docx.divisions import Sections, divisions_of
from publish.readers.docx.inlines import InlineContext, Problem
from publish.readers.docx.links import unlink_missing
from publish.readers.docx.marks import clean, mark, repack
from publish.readers.docx.media import MediaStore, extraction_folder
from publish.readers.docx.numbering import Numbering
from publish.readers.docx.package import Package, open_package
from publish.readers.docx.properties import (
    comments,
    core_properties,
    document_language,
    style_names,
    tracked_changes,
)
from publish.readers.docx.styles import ABSTRACT, AUTHOR, DATE, SUBTITLE, TITLE, style_map
from publish.readers.infer import parse_byline, parse_date
from publish.readers.language import is_known_language
from publish.readers.metadata import MetadataSource, build_metadata

ERRORS = ("A001", "W001")  # what stops a build; the lint reports them with the rest
_NOTES = re.compile(r"^(?:foot|end)note-\d+$")
_XML_ID = re.compile(r"^[A-Za-z_][\w.-]*$")
_META = (TITLE, SUBTITLE, AUTHOR, DATE, ABSTRACT)


@dataclass(frozen=True)
class WordReading:
    """A Word file read: the book, and what a writer should know about it."""

    book: Book
    problems: tuple[Problem, ...]


def read_docx(path: Path) -> Book:
    """The book in a Word file; the first problem that would spoil an edition is an error."""
    reading = read_word(path)
    for problem in reading.problems:
        if problem.code in ERRORS:
            where = f"{problem.where}: " if problem.where else ""
            raise ManuscriptError(path, None, f"{where}{problem.code} {problem.message}")
    return reading.book


def read_word(path: Path) -> WordReading:
    """Everything a Word file holds, with its problems listed rather than raised."""
    path = path.resolve()
    package = open_package(path)
    main = _main_part(package)
    document = package.xml(main)
    if document is None:
        raise ManuscriptError(path, None, "is not a Word document: its main part is missing")
    root = extraction_folder(package.data)
    store = MediaStore(root)
    language = _language(package, document)
    mark(document, language, Numbering.read(package.xml("word/numbering.xml"),
                                            package.xml("word/styles.xml")))
    tree = _convert(repack(package.parts, main, document), style_map(style_names(package)),
                    store)
    notes = _take_notes(tree)
    meta = _take_metadata(tree)
    ids = IdRegistry()
    ctx = InlineContext(root=root, anchors=_anchors(tree, ids))
    sections = Sections.of(list(tree))
    divisions = divisions_of(sections, ctx, ids, notes)
    problems = [*_revisions(package, document), *ctx.problems]
    source = MetadataSource(_metadata(package, meta, language), path, "", first_line=0)
    layout = "book" if sections.chapters >= 2 else "article"
    inferred = {"title": divisions[0].title_text} if layout == "article" and divisions and \
        divisions[0].title_text else {}
    metadata = build_metadata(source, path.parent, path.stem, inferred)
    from publish.readers import _assemble  # the Markdown readers' assembly, shared

    body = unlink_missing([d.division for d in divisions])
    book = _assemble(metadata, body, layout, root, path.stem)
    return WordReading(replace(book, sources=(path,)), tuple(problems))


def _main_part(package: Package) -> str:
    """The main document part the package relationships name (usually word/document.xml)."""
    rels = package.xml("_rels/.rels")
    if rels is not None:
        for rel in rels:
            if str(rel.get("Type", "")).endswith("/officeDocument"):
                return str(rel.get("Target", "")).lstrip("/")
    return "word/document.xml"


def _language(package: Package, document: Any) -> str | None:
    """The book's language: the core properties', else the styles' or the runs'."""
    stated = core_properties(package).language
    return stated if stated and is_known_language(stated) else \
        document_language(package, document)


def _convert(data: bytes, styles: str, store: MediaStore) -> html.HtmlElement:
    """mammoth's markup for the whole file, in one element: no network, no embedded style
    map (a file's own map could make anything of its text), pictures kept by `store`."""
    result = mammoth.convert_to_html(
        io.BytesIO(data), style_map=styles, include_embedded_style_map=False,
        external_file_access=False, convert_image=mammoth.images.img_element(store.keep))
    return html.fragment_fromstring(result.value or "<p></p>", create_parent="div")


def _take_notes(tree: html.HtmlElement) -> dict[str, html.HtmlElement]:
    """The footnotes and endnotes mammoth lists at the end, taken out of the text."""
    notes: dict[str, html.HtmlElement] = {}
    for listing in tree.findall("ol"):
        items = listing.findall("li")
        if items and all(_NOTES.match(item.get("id", "")) for item in items):
            for item in items:
                for back in item.iter("a"):
                    if back.get("href", "").startswith(("#footnote-ref-", "#endnote-ref-")):
                        back.drop_tree()
                        break
                notes[item.get("id", "")] = item
            tree.remove(listing)
    return notes


def _take_metadata(tree: html.HtmlElement) -> dict[str, list[str]]:
    """Title, subtitle, author, date and abstract paragraphs above the text, taken out of it
    (further down, they are text like any other)."""
    found: dict[str, list[str]] = {}
    for paragraph in list(tree):
        classes = paragraph.get("class", "").split() if paragraph.tag == "p" else []
        kind = next((name for name in _META if name in classes), None)
        if kind is None:
            break
        text = " ".join(clean(paragraph.text_content()).split())
        if text:
            found.setdefault(kind, []).append(text)
        tree.remove(paragraph)
    return found


def _anchors(tree: html.HtmlElement, ids: IdRegistry) -> dict[str, str]:
    """Each bookmark that a link points at, with the unique id its block will carry."""
    targets = {a.get("href", "")[1:] for a in tree.iter("a") if a.get("href", "").startswith("#")}
    anchors: dict[str, str] = {}
    holders: dict[html.HtmlElement, str] = {}  # bookmarks side by side share their block's id
    for bookmark in tree.iter("a"):
        name = bookmark.get("id")
        if name and name in targets and name not in anchors and not _NOTES.match(name):
            holder = bookmark.getparent()
            if holder not in holders:
                holders[holder] = ids.claim(name if _XML_ID.match(name) else
                                            slugify(name, "ref"))
            anchors[name] = holders[holder]
    return anchors


def _metadata(package: Package, meta: dict[str, list[str]], language: str | None,
              ) -> dict[str, Any]:
    """Metadata as front matter would give it: the paragraphs a reader sees first, then the
    file's core properties."""
    props = core_properties(package)
    data: dict[str, Any] = {
        "title": " ".join(meta.get(TITLE, [])) or props.title,
        "subtitle": " ".join(meta.get(SUBTITLE, [])) or None,
        "authors": _authors(meta.get(AUTHOR, [])) or ([props.creator] if props.creator else []),
        "language": language,
        "description": " ".join(meta.get(ABSTRACT, [])) or props.description or props.subject,
        "subjects": list(props.keywords) or ([props.subject] if props.subject else []),
    }
    dates = [parse_date(text) for text in meta.get(DATE, [])]
    data["date"] = next((d for d in dates if d), None)
    return {key: value for key, value in data.items() if value}


def _authors(lines: list[str]) -> list[str]:
    names: list[str] = []
    for line in lines:
        names += list(parse_byline(line)) or [line]
    return names


def _revisions(package: Package, document: Any) -> list[Problem]:
    """Warnings for tracked changes (read as accepted) and comments (left out)."""
    found: list[Problem] = []
    changes = tracked_changes(document)
    if changes:
        found.append(Problem("W002", "", f"the file still holds {changes} tracked change"
                             f"{'s' * (changes != 1)}; read as if all were accepted (Review > "
                             "Accept > Accept All Changes to make it so)"))
    remarks = comments(package, document)
    if remarks:
        found.append(Problem("W003", "", f"{remarks} comment{'s' * (remarks != 1)} left out of "
                             "the editions (Review > Delete > Delete All Comments to silence "
                             "this)"))
    return found
