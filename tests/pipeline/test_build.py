"""End-to-end builds through the `publish` command: files, exit codes, words kept."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS, words
from markdown_words import reference_words
from pypdf import PdfReader

from publish.cli import main

ARTICLE = MANUSCRIPTS / "harbour-article.md"


def pdf_words(path: Path) -> list[str]:
    """The words a reader (or a screen reader) gets from a PDF."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return words(re.sub(r"[-\u2010\u00ad]\n", "", text))  # rejoin words hyphenated at line ends


def coverage(source_words: list[str], output_words: list[str]) -> float:
    """Share of the source's words found in the output, counted with multiplicity."""
    remaining: dict[str, int] = {}
    for word in output_words:
        remaining[word] = remaining.get(word, 0) + 1
    found = 0
    for word in source_words:
        if remaining.get(word, 0) > 0:
            remaining[word] -= 1
            found += 1
    return found / len(source_words)


def source_words(path: Path) -> list[str]:
    """The manuscript's words, Markdown syntax aside."""
    return reference_words(path.read_text("utf-8"))


def test_sample_article_builds_pdfs_with_its_words(
        sample_build: Callable[[str], Path]) -> None:
    built = sample_build(ARTICLE.name)  # every edition: it asserts the build succeeds
    expected = source_words(ARTICLE)
    for name in ("harbour-article.pdf", "harbour-article-large-print.pdf"):
        assert coverage(expected, pdf_words(built / name)) >= 0.995, name


def test_pdf_metadata_and_tagging(sample_build: Callable[[str], Path]) -> None:
    reader = PdfReader(sample_build(ARTICLE.name) / "harbour-article.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    headline = ARTICLE.read_text("utf-8").splitlines()[0].removeprefix("# ")
    assert reader.metadata.title == headline
    assert reader.metadata.author == "Ana Ruiz"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp or "pdfuaid" in xmp


def test_bad_manuscript_fails_cleanly_and_keeps_old_outputs(tmp_path: Path, capsys) -> None:
    good = tmp_path / "book.md"
    good.write_text("# A Book\n\nGood text.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(good), "-o", str(out), "-q", "--edition", "print"]) == 0
    before = (out / "book.pdf").read_bytes()
    good.write_text("---\ntitle: [broken\n---\n# A Book\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(good), "-o", str(out)]) == 1  # an exception would fail the test
    err = capsys.readouterr().err
    assert f"{good}:2:" in err and "front matter" in err
    assert "Traceback" not in err
    assert (out / "book.pdf").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_size_out_of_range_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["build", str(ARTICLE), "-o", str(tmp_path), "--size", "9"]) == 2
    assert "14-48 pt" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_summary_line_per_edition(tmp_path: Path, capsys) -> None:
    status = main(["build", str(ARTICLE), "-o", str(tmp_path),
                   "--edition", "print", "--edition", "large-print"])
    out, err = capsys.readouterr()
    assert status == 0, err
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["print", "large-print"]
    assert "assuming 'en'" in err


@pytest.mark.parametrize("sample", sorted(MANUSCRIPTS.glob("*/book.toml")))
def test_every_sample_book_builds_its_pdfs(sample: Path,
                                           sample_build: Callable[[str], Path]) -> None:
    stem = sample.parent.name
    built = sample_build(stem)  # every edition: it asserts the build succeeds
    assert (built / f"{stem}.pdf").stat().st_size > 10_000
    assert (built / f"{stem}-large-print.pdf").stat().st_size > 10_000


def epub_words(path: Path) -> list[str]:
    """The words of every content document in an EPUB, navigation aside."""
    import zipfile

    from lxml import html as lxml_html

    text = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml") and not name.endswith(("nav.xhtml", "cover.xhtml")):
                text.append(lxml_html.fromstring(archive.read(name)).text_content())
    return words(" ".join(text))


def test_sample_article_epub_has_its_words_and_metadata(tmp_path: Path) -> None:
    assert main(["build", str(ARTICLE), "-o", str(tmp_path), "-q", "--edition", "epub"]) == 0
    epub = tmp_path / "harbour-article.epub"
    assert coverage(source_words(ARTICLE), epub_words(epub)) >= 0.995
    import zipfile

    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/content.opf").decode()
    headline = ARTICLE.read_text("utf-8").splitlines()[0].removeprefix("# ")
    assert "<dc:title" in opf and headline.split()[0] in opf
    assert ">Ana Ruiz</dc:creator>" in opf
    assert ">2012-03-28</dc:date>" in opf
    assert ">en</dc:language>" in opf
