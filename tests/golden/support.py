"""Golden files: each edition's text for a manuscript, made behind one adapter so a move of
the renderer modules changes `edition_texts` and nothing else."""

from __future__ import annotations

import difflib
import io
import os
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from publish.editions import EDITIONS, page_map_maker
from publish.model import Book
from publish.options import Options
from publish.readers import read

GOLDEN = Path(__file__).resolve().parent
EXPECTED = GOLDEN / "expected"
SMALL = GOLDEN / "manuscripts"
ROOT = GOLDEN.parent.parent
SAMPLES = ROOT / "manuscript"
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH, so the EPUB's modification date never moves
MARKUP = "markup.html"  # the one file of an edition set from a single HTML document
EPUB_TEXTS = (".xhtml", ".opf", ".html")  # EPUB documents and package; web edition pages
DIFF_LINES = 80
UPDATE_HINT = ("if the change is intended, rewrite the golden files with `make golden` "
               "(pytest tests/golden --update-golden) and review them in the diff")


def manuscripts() -> dict[str, Path]:
    """Every manuscript with golden files, by stem: the shipped samples, then the small ones."""
    found = {"lighthouse": SAMPLES / "lighthouse",
             "harbour-article": SAMPLES / "harbour-article.md"}
    found |= {path.stem: path for path in sorted(SMALL.glob("*.md"))}
    return found


def edition_names() -> list[str]:
    """The editions the golden files cover: every one in the registry, in build order."""
    return list(EDITIONS)


@cache
def inputs(source: Path) -> tuple[Book, Options]:
    """A manuscript's book and default options holding its print page map, laid out once for
    every edition that carries print page numbers (the slowest step by far)."""
    book = read(source)
    return book, Options(print_pages=page_map_maker().hook("page_map")(book))


def edition_texts(book: Book, edition: str, options: Options) -> dict[str, str]:
    """An edition's text by golden file name: the HTML a PDF edition is set from, the
    XHTML and package documents inside the EPUB, or a text file and its companions (the
    braille edition's PEF and BRF)."""
    entry = EDITIONS[edition]
    if entry.markup is not None:
        return {MARKUP: entry.hook("markup")(book, options)}
    with source_date(EPOCH):
        data: bytes = entry.hook("render")(book, options)
    if entry.companions:
        made = entry.companion_files(Path(f"{edition}{entry.suffix}"), data)
        return {f"{edition}{entry.suffix}": data.decode("utf-8"),
                **{path.name: text.decode("utf-8") for path, text in made}}
    return zip_texts(data)


@contextmanager
def source_date(epoch: str) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for one render, the caller's value put back after."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def zip_texts(data: bytes) -> dict[str, str]:
    """The text documents of an EPUB by their path in the zip, stylesheets and images left
    out (styles have their own tests; images are bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith(EPUB_TEXTS)}


def stored(folder: Path) -> dict[str, str]:
    """The golden files under a folder, by path relative to it, exactly as written."""
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path.read_bytes().decode("utf-8")
            for path in sorted(folder.rglob("*")) if path.is_file()}


def mismatches(folder: Path, texts: dict[str, str]) -> list[str]:
    """How the made texts differ from the golden files: missing, extra and changed files,
    each changed one as the start of a unified diff."""
    expected = stored(folder)
    shown = folder.relative_to(ROOT)
    found = [f"missing golden file {shown / name}" for name in texts if name not in expected]
    found += [f"golden file no longer made: {shown / name}" for name in expected
              if name not in texts]
    found += [diff(shown / name, expected[name], text) for name, text in texts.items()
              if name in expected and expected[name] != text]
    return found


def diff(path: Path, old: str, new: str) -> str:
    """The first lines of a unified diff from a golden file to what is made now."""
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"{path} (golden)",
                                      f"{path} (made now)", lineterm=""))
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... {len(lines) - DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def rewrite(folder: Path, texts: dict[str, str]) -> list[str]:
    """Make the golden files under a folder exactly the made texts; what changed, a line each."""
    before = stored(folder)
    changed = [name for name in sorted(before.keys() | texts.keys())
               if before.get(name) != texts.get(name)]
    for name in changed:
        path = folder / name
        if name in texts:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(texts[name].encode("utf-8"))
        else:
            path.unlink()
    _prune(folder)
    return [f"{'wrote' if name in texts else 'removed'} {_shown(folder / name)}"
            for name in changed]


def stale(cases: list[tuple[str, str]]) -> list[Path]:
    """Golden folders of a manuscript or an edition that no longer has a case."""
    known = {EXPECTED / stem / edition for stem, edition in cases}
    stems = {folder.parent for folder in known}
    found: list[Path] = []
    for entry in sorted(EXPECTED.iterdir()) if EXPECTED.is_dir() else []:
        if entry in stems:
            found += [child for child in sorted(entry.iterdir()) if child not in known]
        else:
            found.append(entry)
    return found


def remove(path: Path) -> str:
    """Delete a stale golden folder or file; a line for the list of changes."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    return f"removed {_shown(path)}"


def _shown(path: Path) -> str:
    """A golden path as the list of changes shows it, from the repository root."""
    return path.relative_to(ROOT).as_posix()


def _prune(folder: Path) -> None:
    """Remove the folders a rewrite left empty."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
