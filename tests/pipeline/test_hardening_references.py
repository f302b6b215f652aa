"""Hostile references: SVG images that script, fetch or read files, links to local files and
missing anchors, awkward image file names. Nothing leaks, nothing breaks, nothing is lost."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import png, png_header, validator
from PIL import Image as PILImage

from publish.check.epub import epubcheck_all
from publish.cli import main
from publish.errors import ManuscriptError
from publish.lint import lint
from publish.readers import read
from publish.readers.svg import clean_svg_bytes

EDITIONS = ("print", "epub", "large-print")
_SVG_HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' width="120" height="80" viewBox="0 0 120 80"')
# One hostile SVG per kind, each drawing one square of its own colour.
HOSTILE_SVGS = {
    "passwd": (f'{_SVG_HEAD}><rect width="120" height="80" fill="#d00000"/>'
               '<image xlink:href="file:///etc/passwd" width="9" height="9"/></svg>',
               (208, 0, 0), "file:///etc/passwd"),
    "tracker": ('<!DOCTYPE svg [<!ENTITY % remote SYSTEM "{base}/x.dtd"> %remote;]>\n'
                f'{_SVG_HEAD}><rect width="120" height="80" fill="#00a000"/>'
                '<image href="{base}/x.png" width="9" height="9"/></svg>',
                (0, 160, 0), "http://127.0.0.1"),
    "script": (f'{_SVG_HEAD} onload="alert(1)"><script>alert(2)</script>'
               '<style>@import url({base}/s.css); rect {{ stroke: url({base}/p.png) }}</style>'
               '<rect width="120" height="80" fill="#0000d0" onclick="steal()"/>'
               '<a xlink:href="javascript:alert(3)"><text x="9" y="40">Hi</text></a></svg>',
               (0, 0, 208), "event handler onload, <script>"),
    "xxe": ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f'{_SVG_HEAD}><rect width="120" height="80" fill="#e0e000"/>'
            '<text x="5" y="40">&xxe;</text></svg>',
            (224, 224, 0), "the DOCTYPE and its entity declarations"),
}
_LEAKS = ("<script", "onload", "onclick", "javascript:", "file:", "127.0.0.1", "DOCTYPE",
          "ENTITY", "@import", "root:")


def _build(source: Path, out: Path, *extra: str) -> int:
    return main(["build", str(source), "-o", str(out), "-q", *extra,
                 *(arg for name in EDITIONS for arg in ("--edition", name))])


def _epub_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()}


def _pdf_bytes(pdf: Path) -> bytes:
    """The whole PDF with its streams decompressed, so a leaked string shows in plain bytes."""
    buffer = io.BytesIO()
    with pikepdf.open(pdf) as document:
        document.save(buffer, compress_streams=False,
                      stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
                      object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return buffer.getvalue()


def _pdf_links(pdf: Path) -> tuple[list[str], set[str]]:
    """The web addresses a PDF's links open, and the named places its inner links go to."""
    with pikepdf.open(pdf) as document:
        annots = [annot for page in document.pages for annot in page.get("/Annots", ())]
        uris = [str(a.A.URI) for a in annots if "/A" in a and "/URI" in a.A]
        return uris, {str(a.Dest) for a in annots if "/Dest" in a}


def _colour_drawn(pdf: Path, colour: tuple[int, int, int], folder: Path) -> bool:
    """Whether poppler draws a patch of `colour` on the PDF's first page."""
    stem = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True)
    with PILImage.open(stem.with_suffix(".png")) as page:
        counts = page.convert("RGB").getcolors(1 << 24) or []
    near = sum(count for count, pixel in counts
               if all(abs(a - b) < 12 for a, b in zip(pixel, colour, strict=True)))
    return near > 100


@pytest.fixture
def hostile_svgs(write, server) -> tuple[Path, list[str]]:
    """A manuscript showing each hostile SVG, and the requests the web server got."""
    base, hits = server
    lines = ["---", "language: en", "---", "# Images", ""]
    for name, (svg, _colour, _removed) in HOSTILE_SVGS.items():
        write(f"{name}.svg", svg.replace("{base}", base).replace("{{", "{").replace("}}", "}"))
        lines += [f"![A square drawn by {name}.svg]({name}.svg)", ""]
    return write("images.md", "\n".join(lines)), hits


def test_hostile_svgs_build_with_nothing_leaked_or_lost(hostile_svgs, tmp_path: Path) -> None:
    source, hits = hostile_svgs
    out = tmp_path / "out"
    assert _build(source, out) == 0
    assert hits == []
    for name, text in _epub_files(out / "images.epub").items():
        if name.endswith(".svg") and not name.endswith("cover.svg"):
            assert "<rect" in text, name  # what draws stays
            assert not [leak for leak in _LEAKS if leak in text], (name, text)
    for pdf in (out / "images.pdf", out / "images-large-print.pdf"):
        assert b"root:" not in _pdf_bytes(pdf)
    for name, (_svg, colour, _removed) in HOSTILE_SVGS.items():
        assert _colour_drawn(out / "images.pdf", colour, tmp_path), f"{name}.svg not drawn"


def test_lint_says_what_each_svg_lost(hostile_svgs) -> None:
    source, _hits = hostile_svgs
    findings = {f.line: f.message for f in lint(source) if f.code == "R001"}
    assert sorted(findings) == [6, 8, 10, 12]
    for line, (name, (_svg, _colour, removed)) in zip(sorted(findings), HOSTILE_SVGS.items(),
                                                     strict=True):
        assert f"image '{name}.svg'" in findings[line] and removed in findings[line]


@pytest.mark.validators
def test_hostile_svgs_and_links_pass_epubcheck(hostile_svgs, links_book, tmp_path: Path) -> None:
    for source, ignore in ((hostile_svgs[0], ()), (links_book, ("--ignore", "R003"))):
        assert _build(source, tmp_path / source.stem, *ignore) == 0
    epubs = sorted(tmp_path.glob("*/*.epub"))
    assert len(epubs) == 2
    runs = epubcheck_all(epubs)  # one Java start for both
    assert [issue.line() for run in runs for issue in run.issues] == []


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "cannot be read as SVG (line 1"),
        ("<html xmlns='http://www.w3.org/2000/svg'><svg/></html>", "is not an SVG image"),
        ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">'
         + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                   for i in range(7))
         + ']><svg xmlns="http://www.w3.org/2000/svg"><text>&h;</text></svg>',
         "cannot be read as SVG"),
    ],
)
def test_svg_that_cannot_be_made_safe_is_refused_at_its_line(write, svg: str, message: str,
                                                            ) -> None:
    write("bad.svg", svg)
    source = write("a.md", "# T\n\nText.\n\n![A chart](bad.svg)\n")
    with pytest.raises(ManuscriptError) as caught:
        read(source)
    assert message in str(caught.value) and caught.value.line == 5


def test_pixels_embedded_in_an_svg_are_held_to_the_image_limit() -> None:
    def embedding(picture: bytes) -> bytes:
        uri = "data:image/png;base64," + base64.b64encode(picture).decode()
        return f'{_SVG_HEAD}><rect width="9" height="9"/><image href="{uri}"/></svg>'.encode()

    small = clean_svg_bytes(embedding(png(2, 2)))
    assert small.removed == () and b"<image" in small.data
    bomb = clean_svg_bytes(embedding(png_header(30_000, 30_000)))
    assert b"<image" not in bomb.data and b"<rect" in bomb.data
    assert bomb.removed == ("an embedded image that has far more than the limit of 40 "
                            "megapixels",)


# ---------------------------------------------------------------- links


@pytest.fixture
def links_book(write) -> Path:
    """A book whose chapters link to each other, to files outside it, and to nothing."""
    write("docs/spec.md", "# Spec\n")
    write("book/notes.txt", "notes\n")
    write("book/one.md", "# One\n\n"
          "See [the spec](../docs/spec.md), [the passwords](/etc/passwd) and "
          "[my notes](notes.txt).\n"
          "Also [a file URL](file:///etc/passwd), [a script](javascript:alert(1)) and\n"
          "[nothing](#missing-anchor).\n\n"
          "Go to [chapter two](two.md), to [its storm](two.md#the-storm), [the start](#one) or\n"
          "[the web](https://example.org/).\n")
    write("book/two.md", "# Two\n\n## The storm\n\nBack to [chapter one](one.md#one).\n\n"
          '<p>Raw: <a href="#one">one</a>, <a href="#gone">gone</a>.</p>\n')
    return write("book/book.toml", 'title = "Links"\nlanguage = "en"\nauthor = "A. Writer"\n'
                 '[contents]\nfiles = ["one.md", "two.md"]\n').parent


def test_local_links_are_findings_at_their_lines(links_book) -> None:
    found = [(f.path.name, f.line, f.code) for f in lint(links_book)]
    assert found == [("one.md", 3, "R002"), ("one.md", 3, "R002"), ("one.md", 3, "R002"),
                     ("one.md", 4, "R002"), ("one.md", 4, "R002"), ("one.md", 5, "R003")]


def test_missing_anchor_stops_the_build(links_book, tmp_path: Path, capsys) -> None:
    assert _build(links_book, tmp_path / "out") == 1
    assert "one.md:5: R003 link to '#missing-anchor'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.epub"))


def test_no_output_names_a_local_file_and_chapters_link_inside(links_book, tmp_path: Path,
                                                               ) -> None:
    out = tmp_path / "out"
    assert _build(links_book, out, "--ignore", "R003") == 0
    machine = str(tmp_path).encode()
    for pdf in (out / "book.pdf", out / "book-large-print.pdf"):
        data = _pdf_bytes(pdf)
        assert b"file:" not in data and machine not in data and b"passwd" not in data
        uris, places = _pdf_links(pdf)
        assert uris == ["https://example.org/"]
        assert {"two", "the-storm", "one"} <= places  # the chapter links lead inside
    files = _epub_files(out / "book.epub")
    for name, text in files.items():
        assert "file:" not in text and str(tmp_path) not in text, name
        for gone in ("spec.md", "notes.txt", "/etc/passwd", "javascript:", "#missing-anchor"):
            assert gone not in text, (name, gone)
    one = files["EPUB/text/one.xhtml"]
    for href in ("two.xhtml#two", "two.xhtml#the-storm", "one.xhtml#one",
                 "https://example.org/"):
        assert f'href="{href}"' in one
    assert "See the spec, the passwords and my notes." in one  # the words stay, as text
    two = files["EPUB/text/two.xhtml"]
    assert two.count('href="one.xhtml#one"') == 2  # raw HTML's anchors are placed too
    assert "gone" in two and "#gone" not in two


def test_a_link_to_the_file_itself_reaches_its_heading(write) -> None:
    source = write("a.md", "# Top\n\n## Later\n\nSee [later](a.md#later) and [top](a.md).\n")
    paragraph = read(source).divisions[0].blocks[1]
    assert [link.href for link in paragraph.children[1::2]] == ["#later", "#top"]


# ---------------------------------------------------------------- image file names


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Öl & Wasser #1 (ä).png", "<img/Öl & Wasser #1 (ä).png>"),
        ("a#1.png", "img/a%231.png"),  # percent escapes are decoded, as in any Markdown link
        ("what?.png", "img/what?.png"),
    ],
)
def test_image_file_names_are_file_names(write, tmp_path: Path, name: str, written: str) -> None:
    write(f"img/{name}", png(40, 30))
    source = write("a.md", f"---\nlanguage: en\n---\n# T\n\n![A grey block]({written})\n")
    assert read(source).divisions[0].blocks[0].image.path.name == name
    out = tmp_path / "out"
    assert _build(source, out) == 0
    for pdf in (out / "a.pdf", out / "a-large-print.pdf"):
        with pikepdf.open(pdf) as document:
            assert len(document.pages[0].get_images()) == 1, pdf
    assert any(n.endswith(".png") for n in _epub_files(out / "a.epub"))


def test_a_decompression_bomb_is_one_message(write, tmp_path: Path) -> None:
    write("bomb.png", png_header(10_000, 10_000))  # over Pillow's own warning threshold
    source = write("a.md", "# T\n\n![A bomb](bomb.png)\n")
    result = subprocess.run([sys.executable, "-m", "publish.cli", "build", str(source), "-o",
                             str(tmp_path / "out"), "-q", "--edition", "epub"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {source}:3: image 'bomb.png' is 10000 x 10000 pixels; the limit is 40 megapixels"
    ]



_OWN_SHEET = ('@import url("{base}/track.css");\n'
              'body {{ background: url("{base}/pixel.png"); }}\n'
              '@font-face {{ font-family: Own; src: url("../fonts/own.ttf"); }}\n'
              'h1 {{ color: #333; background: url("data:image/png;base64,iVBORw0KGgo="); }}\n')


@pytest.fixture
def own_sheets(write, server) -> Path:
    """An article whose own EPUB and web stylesheets import, fetch and name local files."""
    base, _hits = server
    for name in ("epub.css", "web.css"):
        write(f"styles/{name}", _OWN_SHEET.format(base=base))
    return write("sheets.md", "---\nlanguage: en\n---\n# Sheets\n\nA paragraph.\n")


def test_own_epub_and_web_sheets_carry_no_outside_reference(own_sheets, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(own_sheets), "-o", str(out), "-q", "--edition", "epub",
                 "--edition", "web"]) == 0
    with zipfile.ZipFile(out / "sheets-web.zip") as archive:
        web = next(archive.read(n) for n in archive.namelist() if n.endswith("manuscript.css"))
    for sheet in (_epub_files(out / "sheets.epub")["EPUB/styles/manuscript.css"],
                  web.decode()):
        assert not [leak for leak in ("127.0.0.1", "@import", "own.ttf") if leak in sheet]
        assert "color: #333" in sheet and "data:image/png" in sheet  # what stays inside stays


def test_lint_names_each_sheet_reference_removed_at_its_line(own_sheets) -> None:
    findings = [(f.path.name, f.line) for f in lint(own_sheets) if f.code == "R004"]
    assert findings == [(sheet, line) for sheet in ("epub.css", "web.css") for line in (1, 2, 3)]


@pytest.mark.validators
def test_own_epub_sheet_passes_epubcheck(own_sheets, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(own_sheets, out) == 0
    result = subprocess.run([str(validator("epubcheck")), str(out / "sheets.epub")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_says_what_a_cover_svg_lost_where_the_cover_is_set(write) -> None:
    write("cover.svg", HOSTILE_SVGS["script"][0].replace("{base}", "https://example.com")
          .replace("{{", "{").replace("}}", "}"))
    write("one.md", "# One\n\nText.\n")
    write("book.toml", 'title = "T"\nauthor = "A"\nlanguage = "en"\ncover = "cover.svg"\n\n'
          '[contents]\nfiles = ["one.md"]\n')
    book = write("one.md", "# One\n\nText.\n").parent
    findings = [(f.path.name, f.line, f.message) for f in lint(book) if f.code == "R001"]
    assert [(name, line) for name, line, _ in findings] == [("book.toml", 4)]
    assert "cover 'cover.svg'" in findings[0][2] and "<script>" in findings[0][2]
