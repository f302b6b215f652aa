"""Rebuilds reuse only what nothing changed: each kind of input invalidates the editions
made from it, and a kept file must still be the one the cache recorded."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import png

from publish import cache, layers
from publish.build import build
from publish.cache import BuildCache, edition_key
from publish.layers import STYLES
from publish.options import Options
from publish.readers import read

EDITIONS = ("print", "epub", "large-print")
TEXT = ("---\ntitle: Cached\nlanguage: en\n---\n# One\n\nA first sentence.\n\n"
        "![A chart](chart.png)\n")
DEFAULTS = Options()


@pytest.fixture
def manuscript(write) -> Path:
    """A small manuscript with an image and a stylesheet of its own."""
    write("chart.png", png())
    write("styles/print.css", "p { color: black; }\n")
    return write("book.md", TEXT)


def keys(source: Path, options: Options = DEFAULTS) -> dict[str, str]:
    """Each edition's key for the manuscript as it is now."""
    book = read(source)
    return {name: edition_key(book, name, options) for name in EDITIONS}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in EDITIONS if before[name] != after[name]}


def test_same_inputs_same_keys(manuscript: Path) -> None:
    assert keys(manuscript) == keys(manuscript)


def test_manuscript_text_invalidates_every_edition(manuscript: Path) -> None:
    before = keys(manuscript)
    manuscript.write_text(TEXT.replace("first sentence.", "first sentence. And one more."))
    assert changed(before, keys(manuscript)) == set(EDITIONS)


def test_an_image_file_invalidates_every_edition(manuscript: Path) -> None:
    before = keys(manuscript)
    (manuscript.parent / "chart.png").write_bytes(png(6, 3))
    assert changed(before, keys(manuscript)) == set(EDITIONS)


def test_the_writers_stylesheet_invalidates_every_edition(manuscript: Path) -> None:
    before = keys(manuscript)
    (manuscript.parent / "styles" / "print.css").write_text("p { color: navy; }\n")
    assert changed(before, keys(manuscript)) == set(EDITIONS)


@pytest.mark.parametrize(("file", "affected"), [
    ("base/book.html.j2", set(EDITIONS)),
    ("print/print.css.j2", set(EDITIONS)),  # the EPUB and large print carry print's pages
    ("epub/epub.css", {"epub"}),
    ("large-print/large-print.css.j2", {"large-print"}),
    ("fonts/LinLibertine_R.otf", set(EDITIONS)),
])
def test_a_template_stylesheet_or_font_invalidates_what_uses_it(
    manuscript: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str,
    affected: set[str],
) -> None:
    styles = tmp_path / "styles-copy"
    shutil.copytree(STYLES, styles)
    monkeypatch.setattr(layers, "STYLES", styles)
    before = keys(manuscript)
    with (styles / file).open("ab") as stream:
        stream.write(b"\n")
    assert changed(before, keys(manuscript)) == affected


def test_a_kept_folder_hash_follows_a_rewrite_of_the_same_size_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process keeps a folder's hash while its files' stat is unchanged (a service worker
    hashes the fonts for every job); rewriting a file to the same size and putting its
    modification time back still changes the hash (its change time moved)."""
    monkeypatch.setattr(cache, "_SETTLED_NS", 20_000_000)  # 20 ms, not the 2 s a build waits
    hashed: list[Path] = []
    real = cache._hash_files
    monkeypatch.setattr(cache, "_hash_files",
                        lambda paths, root: (hashed.append(root), real(paths, root))[1])
    styles = tmp_path / "styles"
    styles.mkdir()
    css = styles / "print.css"
    css.write_text("p { color: black; }\n")
    time.sleep(0.05)
    first = cache.folder_hash(styles)
    assert cache.folder_hash(styles) == first
    assert len(hashed) == 1  # kept, not hashed again
    before = css.stat()
    css.write_text("p { color: white; }\n")
    os.utime(css, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.folder_hash(styles) != first


def test_package_version_and_code_invalidate_every_edition(
    manuscript: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = keys(manuscript)
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert changed(before, keys(manuscript)) == set(EDITIONS)
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_code_hash", lambda: "other code")
    assert changed(before, keys(manuscript)) == set(EDITIONS)


def test_options_invalidate_only_the_editions_they_touch(
    manuscript: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = keys(manuscript)
    assert changed(before, keys(manuscript, Options(24.0))) == {"large-print"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert changed(before, keys(manuscript)) == {"epub"}


# ---------------------------------------------------------------- builds


def test_unchanged_rebuild_keeps_every_file(manuscript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(read(manuscript), out, EDITIONS, Options())
    assert all(o.ok and not o.cached for o in first)
    stamps = {o.path: o.path.stat().st_mtime_ns for o in first}
    again = build(read(manuscript), out, EDITIONS, Options())
    assert all(o.ok and o.cached for o in again)
    assert {o.path: o.path.stat().st_mtime_ns for o in again} == stamps


def test_an_edit_rebuilds_and_the_page_map_follows(manuscript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(read(manuscript), out, EDITIONS, Options())
    manuscript.write_text(TEXT.replace("A first sentence.", "A first sentence, now longer."))
    book = read(manuscript)
    again = build(book, out, EDITIONS, Options())
    assert all(o.ok and not o.cached for o in again)
    pages = BuildCache.beside(out).page_map(book.stem, edition_key(book, "print", Options()))
    assert pages is not None and pages[0].label == "1"


def test_a_changed_or_missing_output_is_rebuilt(manuscript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = {o.edition: o for o in build(read(manuscript), out, EDITIONS, Options())}
    first["print"].path.write_bytes(b"%PDF-1.7 tampered")
    first["epub"].path.unlink()
    again = {o.edition: o for o in build(read(manuscript), out, EDITIONS, Options())}
    assert not again["print"].cached and not again["epub"].cached
    assert again["large-print"].cached
    assert first["print"].path.read_bytes().startswith(b"%PDF") and first["epub"].path.is_file()
    assert first["print"].path.stat().st_size > 1000


def test_fresh_renders_everything(manuscript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(read(manuscript), out, EDITIONS, Options())
    again = build(read(manuscript), out, EDITIONS, Options(), fresh=True)
    assert not any(o.cached for o in again)


def test_a_damaged_cache_is_ignored(manuscript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = read(manuscript)
    build(book, out, ("print",), Options())
    for record in (out / cache.CACHE_DIR).iterdir():
        record.write_text("{not json")
    assert BuildCache.beside(out).page_map(book.stem, "any") is None
    again = build(book, out, ("print",), Options())
    assert again[0].ok and not again[0].cached


# ---------------------------------------------------------------- reusing unchanged pages

PDFS = ("print", "large-print")


def frames(source: Path) -> dict[str, str]:
    """Each PDF edition's frame key: what its pages are made from besides division text."""
    book = read(source)
    return {name: cache.frame_key(book, name, DEFAULTS, ["<body/>"]) for name in PDFS}


def test_division_text_leaves_the_frame_alone(manuscript: Path) -> None:
    before = frames(manuscript)
    manuscript.write_text(TEXT.replace("A first sentence.", "A first sentence, longer."))
    assert frames(manuscript) == before


@pytest.mark.parametrize("change", ["title", "image", "template", "font", "version", "code"])
def test_everything_but_division_text_changes_the_frame(
    manuscript: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str,
) -> None:
    styles = tmp_path / "styles-copy"
    shutil.copytree(STYLES, styles)
    monkeypatch.setattr(layers, "STYLES", styles)
    before = frames(manuscript)
    if change == "title":
        manuscript.write_text(TEXT.replace("title: Cached", "title: Kept"))
    elif change == "image":
        (manuscript.parent / "chart.png").write_bytes(png(3))
    elif change in ("template", "font"):
        file = "base/book.html.j2" if change == "template" else "fonts/LinLibertine_R.otf"
        with (styles / file).open("ab") as stream:
            stream.write(b"\n")
    elif change == "version":
        monkeypatch.setattr(cache, "__version__", "999.0")
    else:
        monkeypatch.setattr(cache, "_code_hash", lambda: "other code")
    after = frames(manuscript)
    assert all(after[name] != before[name] for name in PDFS)
