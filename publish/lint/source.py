"""Find a manuscript's Markdown files and the lint settings that apply to each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from publish.errors import ManuscriptError
from publish.lint.core import RULES, Doc
from publish.model import PageSetup
from publish.readers import (
    MANIFEST,
    load_manifest,
    load_metadata_file,
    load_text,
    lone_manuscript,
)
from publish.readers.links import Targets
from publish.readers.markdown import parser
from publish.readers.mdbook import SUMMARY, is_mdbook, source_folder, summary_entries
from publish.readers.metadata import MetadataSource
from publish.readers.page_setup import read_page_setup


def documents(source: Path, ignore: Iterable[str] = (), targets: Targets | None = None,
              ) -> Iterator[Doc]:
    """The parsed files of a Markdown file or a book folder, in reading order; `targets`
    are what the book's links may lead to, when the book could be read."""
    cli_ignore = codes(ignore, source)
    if source.is_dir() and not (source / MANIFEST).is_file() \
            and (lone := lone_manuscript(source.resolve())) is not None:
        text_file, metadata = lone
        defaults = load_metadata_file(metadata)
        book = {"language": defaults.get("language") or defaults.get("lang"),
                "layout": defaults.get("layout"), "ignore": _ignored(defaults, metadata)}
        yield _placed(_document(text_file, book, cli_ignore), source.resolve(), targets)
    elif source.is_dir():
        for doc in _folder(source, cli_ignore):
            yield _placed(doc, source.resolve(), targets)
    elif source.is_file():
        path = source.resolve()
        yield _placed(_document(path, {}, cli_ignore), path.parent, targets)
    else:
        raise ManuscriptError(source, None, "no such manuscript file or folder")


def _placed(doc: Doc, root: Path, targets: Targets | None) -> Doc:
    doc.root, doc.targets = root, targets
    return doc


def codes(values: Iterable[str], where: Path) -> frozenset[str]:
    """Rule codes named in a setting or on the command line; an unknown code is an error."""
    found: set[str] = set()
    for value in values:
        for code in str(value).replace(",", " ").split():
            if code.upper() not in RULES:
                known = ", ".join(RULES)
                raise ManuscriptError(where, None, f"lint: unknown rule '{code}' (known: {known})")
            found.add(code.upper())
    return frozenset(found)


def _folder(folder: Path, cli_ignore: frozenset[str]) -> Iterator[Doc]:
    """The chapters `book.toml` lists, each with the book's language, layout and ignores."""
    manifest, text, data = load_manifest(folder)
    if is_mdbook(data):
        yield from _mdbook(folder.resolve(), manifest, data, cli_ignore)
        return
    book = {"language": data.get("language"), "layout": data.get("layout") or "book",
            "ignore": cli_ignore | _ignored(data, manifest),
            "page": _page(data, manifest, text)}
    contents = data.get("contents", {})
    files = contents.get("files", []) if isinstance(contents, dict) else contents
    for name in files if isinstance(files, list) else []:
        chapter = (manifest.parent / str(name)).resolve()
        if not chapter.is_relative_to(manifest.parent) or not chapter.is_file():
            raise MetadataSource(data, manifest, text, first_line=1).fail_at(
                str(name), f"chapter file '{name}' not found in {manifest.parent.name}/")
        yield _document(chapter, book, frozenset())


def _mdbook(folder: Path, manifest: Path, data: dict[str, Any], cli_ignore: frozenset[str],
            ) -> Iterator[Doc]:
    """The chapter files an mdBook's SUMMARY.md lists, with `[book] language`."""
    summary = source_folder(folder, data["book"], manifest) / SUMMARY
    book = {"language": data["book"].get("language"), "ignore": cli_ignore}
    entries = summary_entries(summary, load_text(summary), folder)
    for path in dict.fromkeys(e.path for e in entries if e.path is not None):  # the reader
        yield _document(path, book, frozenset())  # notes the drafts, once


def _document(path: Path, book: dict[str, Any], cli_ignore: frozenset[str]) -> Doc:
    """Parse one file; its own front matter adds to the book's settings."""
    text = load_text(path)
    env: dict[str, Any] = {}
    tokens = parser().parse(text, env)
    front = _front_matter(tokens)
    language = front.get("language") or front.get("lang") or book.get("language") or "en"
    return Doc(
        path=path, text=text, tokens=tokens, env=env, language=str(language),
        layout=front.get("layout") or book.get("layout"),
        ignore=cli_ignore | book.get("ignore", frozenset()) | _ignored(front, path),
        page=book.get("page") or _page(front, path, text),
    )


def _page(settings: dict[str, Any], path: Path, text: str) -> PageSetup:
    """The print settings the writer gave; broken ones are the reader's error to report."""
    try:
        return read_page_setup(MetadataSource(settings, path, text, first_line=1))
    except ManuscriptError:
        return PageSetup()


def _front_matter(tokens: list[Any]) -> dict[str, Any]:
    """The YAML header, or nothing: a broken header is the reader's error to report."""
    if not tokens or tokens[0].type != "front_matter":
        return {}
    try:
        data = yaml.safe_load(tokens[0].content)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _ignored(settings: dict[str, Any], path: Path) -> frozenset[str]:
    """Codes silenced by `lint: {ignore: [...]}` or `[lint] ignore = [...]`."""
    lint = settings.get("lint")
    if not isinstance(lint, dict):
        return frozenset()
    value = lint.get("ignore", [])
    return codes(value if isinstance(value, list) else [value], path)
