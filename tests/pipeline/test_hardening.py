"""Hostile and broken manuscripts: no network, no escaping the folder, clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS, png, png_header

from publish.cli import main
from publish.errors import ManuscriptError
from publish.html import sanitize
from publish.readers import read
from publish.safety import RefusedResource, allowed_path


def test_rendering_never_touches_the_network(write, server, tmp_path: Path) -> None:
    base, hits = server
    write("styles/print.css", f'@import url("{base}/import.css");\n'
                              f'body {{ background: url("{base}/bg.png"); }}\n'
                              f'@font-face {{ font-family: X; src: url("{base}/f.woff"); }}\n')
    write("styles/large-print.css", f'h1 {{ background-image: url("{base}/lp.png"); }}\n')
    source = write("book.md", "---\nlanguage: en\n---\n# Title\n\n"
                              f'<p><img src="{base}/raw.png" alt="x"></p>\n\n'
                              f'<iframe src="{base}/frame"></iframe>\n\n'
                              f'<link rel="stylesheet" href="{base}/link.css">\n\n'
                              f'[a link]({base}/page) stays a link.\n')
    code = main(["build", str(source), "-o", str(tmp_path / "out"), "-q",
                 "--edition", "print", "--edition", "large-print", "--edition", "epub"])
    assert code == 0
    assert hits == []


def test_remote_markdown_image_is_refused(write, server) -> None:
    base, hits = server
    source = write("a.md", f"# T\n\n![A chart]({base}/chart.png)\n")
    with pytest.raises(ManuscriptError, match="never fetched"):
        read(source)
    assert hits == []


def test_fetcher_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    inside = tmp_path / "book"
    inside.mkdir()
    (inside / "ok.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("secret")
    (inside / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert allowed_path((inside / "ok.css").as_uri(), [inside]) == inside / "ok.css"
    for url in [(tmp_path / "secret.txt").as_uri(), f"{inside.as_uri()}/../secret.txt",
                (inside / "link.txt").as_uri(), "file:///etc/passwd", "http://127.0.0.1/x",
                "file://otherhost/etc/passwd"]:
        with pytest.raises(RefusedResource):
            allowed_path(url, [inside])


def test_symlinked_image_leaving_the_folder_is_refused(write, tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(png(1, 1))
    source = write("book/a.md", "# T\n\n![A map](map.png)\n")
    (source.parent / "map.png").symlink_to(outside)
    with pytest.raises(ManuscriptError, match="outside the manuscript folder"):
        read(source)


@pytest.mark.parametrize(
    "raw",
    [
        '<script>alert(1)</script>',
        '<p onclick="steal()">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<object data="x.swf"></object><embed src="y.swf">',
        '<p style="background: url(https://example.org/x.png)">x</p>',
        '<img src="https://example.org/x.png" alt="x">',
    ],
)
def test_raw_html_is_sanitized(raw: str) -> None:
    cleaned = str(sanitize(raw)).lower()
    for banned in ("<script", "onclick", "javascript:", "<iframe", "<object", "<embed",
                   "url(", "<img", "style="):
        assert banned not in cleaned


def test_sanitized_html_is_well_formed_xhtml() -> None:
    from lxml import etree

    cleaned = sanitize('<p>one<br>two<hr><b>bold <i>both</b></i> & more</p>')
    etree.fromstring(f"<div>{cleaned}</div>")


@pytest.mark.parametrize(
    ("files", "message", "line"),
    [
        ({"big.png": png_header(30_000, 30_000)}, "megapixels", 3),
        ({"fake.png": b"<html>not an image</html>"}, "is not a PNG", 3),
    ],
)
def test_images_that_cannot_be_typeset_are_refused(write, files, message, line) -> None:
    for name, data in files.items():
        write(name, data)
        source = write("a.md", f"# T\n\n![A picture]({name})\n")
    with pytest.raises(ManuscriptError) as caught:
        read(source)
    assert message in str(caught.value) and caught.value.line == line


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("# T\n\n" + "> " * 3000 + "deep\n", "nested more than", 3),
        ("# T\n\n" + "- " * 3000 + "deep\n", "nested more than", 3),
        ("# T\n\nword " * 1 + "word " * 60_000 + "\n", "a paragraph of", 3),
        ("# T\n\nData: " + "QUJD" * 2_501 + " end.\n", "10,004 characters with no space", 3),
        ("# T\n\nText[^missing] here.\n", "[^missing] is cited but never defined", 3),
        ("# T\n\n[texte]{lang=zz}\n", "unknown language code 'zz'", 3),
        ("# T\n\nParagraphe.\n{lang=xx-yy}\n", "unknown language code", 3),
        ("---\nlanguage: klingon-ish\n---\n# T\n", "not a known language code", 2),
    ],
)
def test_pathological_and_broken_text_gets_a_clear_error(write, text, message, line) -> None:
    with pytest.raises(ManuscriptError) as caught:
        read(write("a.md", text))
    assert message in str(caught.value)
    assert caught.value.line == line


def test_escaped_note_syntax_is_text(write) -> None:
    book = read(write("a.md", "# T\n\nNot a note: \\[^1\\] stays.\n"))
    assert "[^1]" in str(book.divisions[0].blocks[0])


def test_stale_temporary_files_are_cleaned(write, tmp_path: Path) -> None:
    source = write("book.md", "# A Book\n\nText.\n")
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".book.pdf.abc123.part"
    stale.write_bytes(b"half a PDF")
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print"]) == 0
    assert not stale.exists()
    assert (out / "book.pdf").read_bytes().startswith(b"%PDF")


def test_interrupted_build_keeps_previous_outputs(
        sample_build: Callable[[str], Path], tmp_path: Path) -> None:
    sample = MANUSCRIPTS / "lighthouse"
    out = tmp_path / "out"
    shutil.copytree(sample_build(sample.name), out)  # the previous outputs
    argv = [sys.executable, "-m", "publish.cli", "build", str(sample), "-o", str(out), "-q",
            "--edition", "print", "--edition", "large-print"]
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    process = subprocess.Popen([*argv, "--fresh"], start_new_session=True,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in stderr
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
