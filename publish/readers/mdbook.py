"""mdBook projects as they stand: `book.toml` with a `[book]` table and `src/SUMMARY.md`."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from publish.errors import NOTICE, ManuscriptError
from publish.model import BACK_KINDS, FRONT_KINDS
from publish.readers.markdown import parser

log = logging.getLogger("publish")

SUMMARY = "SUMMARY.md"
MAX_INCLUDE_DEPTH = 10  # mdBook's own limit on includes within includes
_INCLUDE = re.compile(r"(\\?)\{\{#(?:include|rustdoc_include)\s+([^}\s]+)\s*\}\}")
_FIRST_WORD = re.compile(r"^[A-Za-z]+")


def is_mdbook(data: Mapping[str, Any]) -> bool:
    """mdBook's manifest has a `[book]` table; ours lists `[contents]` and has none."""
    return isinstance(data.get("book"), Mapping) and "contents" not in data


@dataclass(frozen=True)
class Entry:
    """One line of SUMMARY.md: a chapter (a draft has no file), or a part title."""

    title: str
    path: Path | None
    depth: int  # 0 for a top-level chapter, 1 for its sub-chapter...
    role: str  # "prefix", "numbered", "suffix" or "part"
    line: int


def source_folder(folder: Path, book: Mapping[str, Any], manifest: Path) -> Path:
    """The `src` folder (`[book] src`), which must lie inside the book folder."""
    src = (folder / str(book.get("src", "src"))).resolve()
    if not src.is_relative_to(folder) or not (src / SUMMARY).is_file():
        raise ManuscriptError(manifest, None, f"an mdBook folder needs {src.name}/{SUMMARY}")
    return src


def summary_entries(summary: Path, text: str, folder: Path) -> list[Entry]:
    """The chapters and part titles SUMMARY.md lists, in order, with their nesting."""
    entries: list[Entry] = []
    depth = -1
    numbered_seen = False
    tokens = parser().parse(text)
    for at, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "heading_open" and token.tag == "h1":
            if entries or numbered_seen:
                title = tokens[at + 1].content.strip()
                entries.append(Entry(title, None, 0, "part", _line(token)))
        elif token.type == "inline" and tokens[at - 1].type != "heading_open":
            role = "numbered" if depth >= 0 else ("suffix" if numbered_seen else "prefix")
            numbered_seen = numbered_seen or depth >= 0
            entries.extend(_links(token, summary, folder, max(depth, 0), role))
    return entries


def _links(token: Token, summary: Path, folder: Path, depth: int, role: str) -> list[Entry]:
    found: list[Entry] = []
    children = token.children or []
    for at, child in enumerate(children):
        if child.type != "link_open":
            continue
        title = _link_text(children, at)
        href = str(child.attrs.get("href", "")).split("#", 1)[0]
        path = (summary.parent / href).resolve() if href else None
        if path is not None and (not path.is_relative_to(folder) or not path.is_file()):
            raise ManuscriptError(summary, _line(token),
                                  f"chapter file '{href}' not found in {folder.name}/")
        found.append(Entry(title, path, depth, role, _line(token)))
    return found


def _link_text(children: list[Token], at: int) -> str:
    """The words between a link's opening and closing tokens."""
    words: list[str] = []
    for child in children[at + 1:]:
        if child.type == "link_close":
            break
        words.append(child.content)
    return "".join(words).strip()


def _line(token: Token) -> int:
    return (token.map or [0])[0] + 1


def chapter_files(entries: list[Entry]) -> list[Path]:
    """The files the book reads, in order, each once; drafts are noted and skipped."""
    files: list[Path] = []
    for entry in entries:
        if entry.role == "part":
            continue
        if entry.path is None:
            log.log(NOTICE, "%s: draft chapter '%s' has no file yet; skipped", SUMMARY,
                    entry.title)
        elif entry.path not in files:
            files.append(entry.path)
    return files


def matter_kind(entry: Entry) -> str:
    """Prefix chapters are front matter and suffix chapters back matter, named by title
    when it names a kind (`Foreword`, `Glossary`)."""
    if entry.role == "numbered":
        return "chapter"
    match = _FIRST_WORD.match(entry.title)
    named = match.group(0).lower() if match else ""
    kinds = FRONT_KINDS[2:] if entry.role == "prefix" else BACK_KINDS
    if named in kinds:
        return named
    return "preface" if entry.role == "prefix" else "appendix"


def expand_includes(text: str, path: Path, folder: Path, used: list[Path], depth: int = 0) -> str:
    """`{{#include file}}` (with `:from:to` lines or `:anchor`) replaced by that part of a
    file inside the book folder, which joins `used`; `\\{{#include}}` stays as written,
    without the backslash."""

    def include(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(0)[1:]
        line = text.count("\n", 0, match.start()) + 1
        return _included(match.group(2), path, folder, line, used, depth)

    return _INCLUDE.sub(include, text)


def _included(
    argument: str, path: Path, folder: Path, line: int, used: list[Path], depth: int,
) -> str:
    name, _, selector = argument.partition(":")
    target = (path.parent / name).resolve()
    if not target.is_relative_to(folder):
        raise ManuscriptError(path, line, f"{{{{#include {name}}}}}: outside the book folder; "
                                          "only files inside it are read")
    if not target.is_file():
        raise ManuscriptError(path, line, f"{{{{#include {name}}}}}: no such file")
    if depth >= MAX_INCLUDE_DEPTH:
        raise ManuscriptError(path, line, f"includes nested more than {MAX_INCLUDE_DEPTH} deep")
    try:
        content = target.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ManuscriptError(target, None, f"cannot read as UTF-8 text: {error}") from None
    used.append(target)
    chosen = _selected(content, selector, path, line)
    return expand_includes(chosen, target, folder, used, depth + 1)


def _selected(content: str, selector: str, path: Path, line: int) -> str:
    """The lines a selector asks for: `2`, `2:`, `:10`, `2:10`, or an anchor's name."""
    lines = content.split("\n")
    if not selector:
        return content.rstrip("\n")
    if re.fullmatch(r"\d*(:\d*)?", selector):
        start_text, colon, end_text = selector.partition(":")
        start = int(start_text) if start_text else 1
        end = int(end_text) if end_text else (len(lines) if colon else start)
        return "\n".join(lines[max(start, 1) - 1:end])
    inside = False
    kept: list[str] = []
    for text in lines:
        if re.search(rf"ANCHOR_END:\s*{re.escape(selector)}\b", text):
            return "\n".join(kept)
        if re.search(rf"ANCHOR:\s*{re.escape(selector)}\b", text):
            inside = True
        elif inside and "ANCHOR" not in text:
            kept.append(text)
    if not inside:
        raise ManuscriptError(path, line, f"{{{{#include}}}}: no anchor '{selector}'")
    return "\n".join(kept)
