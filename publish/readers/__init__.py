"""Readers turn a manuscript on disk into a `Book`; `read` picks the right one."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from publish.errors import ManuscriptError
from publish.ids import IdRegistry
from publish.model import Book, Division, Text, plain_text
from publish.readers.infer import take_byline
from publish.readers.links import Targets, resolve_links
from publish.readers.markdown import read_document
from publish.readers.metadata import MetadataSource, build_metadata
from publish.readers.page_setup import read_page_setup
from publish.walk import division_ids

MANIFEST = "book.toml"


def read(source: Path) -> Book:
    """Read a Markdown file or a book folder holding `book.toml`."""
    if source.is_dir():
        return read_folder(source)
    if not source.is_file():
        raise ManuscriptError(source, None, "no such manuscript file or folder")
    return read_file(source)


def load_text(path: Path) -> str:
    """The file's text; not UTF-8 or empty is an error naming the line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ManuscriptError(path, None, f"cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ManuscriptError(
            path, line, f"not UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise ManuscriptError(path, None, "the manuscript is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: Path) -> Book:
    """A single Markdown file: a book, or an article when it has one headline."""
    path = path.resolve()
    text = load_text(path)
    document = read_document(text, path, path.parent, IdRegistry(), book=True)
    source = MetadataSource(document.front_matter, path, text, first_line=1)
    divisions = _linked({path: list(document.divisions)})
    layout = source.text("layout") or _guess_layout(divisions)
    inferred: dict[str, Any] = {}
    if layout == "article" and divisions:
        divisions = [replace(divisions[0], kind="article"), *divisions[1:]]
        if divisions[0].title:
            inferred["title"] = plain_text(divisions[0].title)
        if not document.has_front_matter:
            divisions[0], byline = take_byline(divisions[0])
            inferred.update(authors=byline.authors, date=byline.date)
    metadata = build_metadata(source, path.parent, path.stem, inferred)
    book = _assemble(metadata, divisions, layout, path.parent, path.stem)
    return replace(book, page=read_page_setup(source), sources=(path,))


def _guess_layout(divisions: list[Division]) -> str:
    titled = [d for d in divisions if d.title]
    return "article" if len(titled) <= 1 and all(d.kind == "chapter" for d in divisions) \
        else "book"


def read_folder(folder: Path) -> Book:
    """A book folder: `book.toml` names the metadata and the chapter files in order."""
    folder = folder.resolve()
    manifest, text, data = load_manifest(folder)
    source = MetadataSource(data, manifest, text, first_line=1)
    ids = IdRegistry()
    chapters: dict[Path, list[Division]] = {}
    for name in _content_files(source):
        chapter = (folder / name).resolve()
        if not chapter.is_relative_to(folder) or not chapter.is_file():
            raise source.fail_at(name, f"chapter file '{name}' not found in {folder.name}/")
        document = read_document(load_text(chapter), chapter, folder, ids, book=True)
        chapters.setdefault(chapter, []).extend(document.divisions)
    divisions = _linked(chapters)
    metadata = build_metadata(source, folder, folder.name, {})
    book = _assemble(metadata, divisions, source.text("layout") or "book", folder, folder.name)
    return replace(book, page=read_page_setup(source), sources=(manifest, *chapters))


def _linked(chapters: dict[Path, list[Division]]) -> list[Division]:
    """The chapters' divisions in order, every link leading into the book or to the web."""
    ids = frozenset(i for divisions in chapters.values() for d in divisions
                    for i in division_ids(d))
    targets = Targets(frozenset(chapters), ids)
    openings = {path: divisions[0].id for path, divisions in chapters.items() if divisions}
    return [division for path, divisions in chapters.items()
            for division in resolve_links(divisions, path, targets, openings)]


def load_manifest(folder: Path) -> tuple[Path, str, dict[str, Any]]:
    """The folder's `book.toml`: its path, text and data; broken TOML names its line."""
    manifest = folder.resolve() / MANIFEST
    if not manifest.is_file():
        raise ManuscriptError(manifest, None, "a book folder needs a book.toml manifest")
    text = load_text(manifest)
    try:
        return manifest, text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManuscriptError(manifest, _toml_line(str(error)), f"not valid TOML: {error}") \
            from None


def _content_files(source: MetadataSource) -> list[str]:
    contents = source.data.get("contents", {})
    files = contents.get("files") if isinstance(contents, dict) else contents
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise source.fail("files", "book.toml needs `[contents]` with `files = [...]`")
    return files


def _toml_line(message: str) -> int | None:
    marker = "at line "
    if marker not in message:
        return None
    digits = message.split(marker, 1)[1].split(",", 1)[0].strip(" )")
    return int(digits) if digits.isdigit() else None


def _assemble(
    metadata: Any, divisions: list[Division], layout: str, root: Path, stem: str
) -> Book:
    """Add the title and copyright pages, nest chapters in parts and number chapters."""
    if layout not in ("book", "article"):
        raise ManuscriptError(root, None, f"layout '{layout}' is not 'book' or 'article'")
    if not divisions:
        divisions = [Division(kind="article", id="text", title=(Text(metadata.title),))]
    body = [_titled(d, metadata.title) for d in _numbered(divisions)]
    if layout == "book":
        generated = [
            Division(kind="titlepage", id="titlepage", title=(Text(metadata.title),)),
            Division(kind="copyright", id="copyright", title=(Text("Copyright"),)),
        ]
        body = generated + _nest_parts(body)
    return Book(metadata=metadata, divisions=tuple(body), layout=layout, root=root, stem=stem)


def _titled(division: Division, book_title: str) -> Division:
    """Text that came before any heading still needs a title for navigation."""
    if division.title:
        return division
    return replace(division, title=(Text(book_title),))


def _numbered(divisions: Iterable[Division]) -> list[Division]:
    numbered: list[Division] = []
    count = 0
    for division in divisions:
        if division.kind == "chapter" and "unnumbered" not in division.attrs.classes:
            count += 1
            division = replace(division, number=count)
        numbered.append(division)
    return numbered


def _nest_parts(divisions: list[Division]) -> list[Division]:
    """Chapters that follow a part heading belong to that part until the back matter."""
    nested: list[Division] = []
    for division in divisions:
        part = nested[-1] if nested and nested[-1].kind == "part" else None
        if part is not None and division.matter == "body" and division.kind != "part":
            nested[-1] = replace(part, children=(*part.children, division))
        else:
            nested.append(division)
    return nested
