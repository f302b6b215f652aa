"""Readers turn a manuscript on disk into a `Book`; `read` picks the right one."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from publish.errors import NOTICE, ManuscriptError
from publish.ids import IdRegistry, slugify
from publish.model import Book, Division, Text, plain_text
from publish.readers.fonts import read_fonts
from publish.readers.links import Targets, resolve_links
from publish.readers.markdown import read_document
from publish.readers.mdbook import (
    SUMMARY,
    Entry,
    chapter_files,
    expand_includes,
    is_mdbook,
    matter_kind,
    source_folder,
    summary_entries,
)
from publish.readers.metadata import MetadataSource, build_metadata
from publish.readers.nesting import nested, one_chapter
from publish.readers.page_setup import read_page_setup
from publish.readers.shape import Shape
from publish.readers.titleblock import take_title_block
from publish.readers.topmatter import take_top_matter
from publish.walk import division_ids

MANIFEST = "book.toml"
WORD_SUFFIX = ".docx"
METADATA_FILES = ("metadata.yaml", "metadata.yml")
log = logging.getLogger("publish")


def read(source: Path) -> Book:
    """Read a Markdown file, a Word file or a book folder holding `book.toml`."""
    if source.is_dir():
        return read_folder(source)
    if not source.is_file():
        raise ManuscriptError(source, None, "no such manuscript file or folder")
    if source.suffix.lower() == WORD_SUFFIX:
        from publish.readers.docx import read_docx  # mammoth loads only for Word files

        return read_docx(source)
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


def read_file(path: Path, defaults: Mapping[str, Any] | None = None) -> Book:
    """A single Markdown file: a book when its chapter headings repeat, else an article;
    `defaults` is metadata from beside it, which its own front matter overrides."""
    path = path.resolve()
    text, title_block = take_title_block(load_text(path))
    document = read_document(text, path, path.parent, IdRegistry(), book=True, judge_shape=True)
    source = MetadataSource({**(defaults or {}), **document.front_matter}, path, text, 1)
    divisions = _linked({path: list(document.divisions)})
    layout = source.text("layout") or _decide_layout(path, document.shape, divisions)
    inferred: dict[str, Any] = {}
    if not document.has_front_matter:
        divisions, inferred = take_top_matter(divisions, layout, document.shape)
    inferred.update(title_block)
    if layout == "article" and divisions:
        divisions = [replace(divisions[0], kind="article"), *divisions[1:]]
        if divisions[0].title:
            inferred.setdefault("title", plain_text(divisions[0].title))
    metadata = build_metadata(source, path.parent, path.stem, inferred)
    book = _assemble(metadata, divisions, layout, path.parent, path.stem)
    return replace(book, page=read_page_setup(source), fonts=read_fonts(source, path.parent),
                   sources=(path,))


def _decide_layout(path: Path, shape: Shape, divisions: list[Division]) -> str:
    """The layout the structure calls for, said in one line so the writer can override it."""
    named = next((d.kind for d in divisions if d.kind not in ("chapter", "article")), None)
    if shape.layout == "article" and named is not None:
        log.log(NOTICE, "%s: read as a book: it has a %s; set layout: article to override",
                path.name, named)
        return "book"
    log.log(NOTICE, "%s: %s", path.name, shape.reason)
    return shape.layout


def read_folder(folder: Path) -> Book:
    """A book folder: `book.toml` names the metadata and the chapter files in order (or it
    is an mdBook's); a folder with one Markdown file and `metadata.yaml` is that file."""
    folder = folder.resolve()
    if not (folder / MANIFEST).is_file() and (lone := lone_manuscript(folder)) is not None:
        text_file, metadata_yaml = lone
        book = read_file(text_file, load_metadata_file(metadata_yaml))
        return replace(book, sources=(*book.sources, metadata_yaml))
    manifest, text, data = load_manifest(folder)
    if is_mdbook(data):
        return read_mdbook(folder, manifest, text, data)
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
    return replace(book, page=read_page_setup(source), fonts=read_fonts(source, folder),
                   sources=(manifest, *chapters))


def _linked(chapters: dict[Path, list[Division]]) -> list[Division]:
    """The chapters' divisions in order, every link leading into the book or to the web."""
    return [division for divisions in _linked_by_file(chapters).values()
            for division in divisions]


def _linked_by_file(chapters: dict[Path, list[Division]]) -> dict[Path, list[Division]]:
    ids = frozenset(i for divisions in chapters.values() for d in divisions
                    for i in division_ids(d))
    targets = Targets(frozenset(chapters), ids)
    openings = {path: divisions[0].id for path, divisions in chapters.items() if divisions}
    return {path: resolve_links(divisions, path, targets, openings)
            for path, divisions in chapters.items()}


def read_mdbook(folder: Path, manifest: Path, text: str, data: dict[str, Any]) -> Book:
    """An mdBook project: metadata from `[book]`, structure from SUMMARY.md."""
    source = MetadataSource(data["book"], manifest, text, first_line=1)
    summary = source_folder(folder, data["book"], manifest) / SUMMARY
    entries = summary_entries(summary, load_text(summary), folder)
    ids = IdRegistry()
    files: dict[Path, list[Division]] = {}
    included: list[Path] = []
    for path in chapter_files(entries):
        expanded = expand_includes(load_text(path), path, folder, included)
        files[path] = list(read_document(expanded, path, folder, ids, book=True).divisions)
    divisions = _summary_divisions(entries, _linked_by_file(files), ids)
    metadata = build_metadata(source, folder, folder.name, {})
    book = _assemble(metadata, divisions, "book", folder, folder.name)
    read_files = dict.fromkeys((manifest, summary, *files, *included))  # a change to any
    return replace(book, page=read_page_setup(source), sources=tuple(read_files))  # rebuilds


def _summary_divisions(
    entries: list[Entry], files: dict[Path, list[Division]], ids: IdRegistry,
) -> list[Division]:
    """Parts and chapters as SUMMARY.md lists them; sub-chapters become their chapter's
    sections, so the contents keep the nesting the writer gave."""
    divisions: list[Division] = []
    for entry in entries:
        if entry.role == "part":
            divisions.append(Division(kind="part", id=ids.claim(slugify(entry.title)),
                                      title=(Text(entry.title),)))
        elif entry.path is not None and files.get(entry.path):
            chapter = one_chapter(files.pop(entry.path), entry.title, matter_kind(entry))
            if entry.depth and divisions and divisions[-1].kind == "chapter":
                divisions[-1] = nested(divisions[-1], chapter, by=entry.depth)
            else:
                divisions.append(chapter)
    return divisions


def lone_manuscript(folder: Path) -> tuple[Path, Path] | None:
    """The one Markdown file of a folder (README aside) and the `metadata.yaml` (pandoc's
    `--metadata-file`) beside it; None when the folder is not like that."""
    metadata = next((folder / name for name in METADATA_FILES if (folder / name).is_file()),
                    None)
    texts = [p for p in sorted(folder.glob("*.md")) if p.stem.upper() != "README"]
    return (texts[0], metadata) if metadata is not None and len(texts) == 1 else None


def load_metadata_file(path: Path) -> dict[str, Any]:
    """`metadata.yaml` as a mapping; broken YAML names its line."""
    try:
        data = yaml.safe_load(load_text(path))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ManuscriptError(path, mark.line + 1 if mark else None, "not valid YAML") from None
    if not isinstance(data, dict):
        raise ManuscriptError(path, 1, "metadata must be a mapping of `key: value` lines")
    return data


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
