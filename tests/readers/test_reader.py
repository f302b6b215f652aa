"""Reader rules: metadata inference, structure, notes, attributes and clear errors."""

from __future__ import annotations

import logging

import pytest

from publish.errors import ManuscriptError
from publish.model import (
    Container,
    Emphasis,
    Figure,
    LineBlock,
    ListBlock,
    NoteRef,
    Paragraph,
    SceneBreak,
    Span,
    Table,
    Text,
    plain_text,
)
from publish.readers import read

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

HARD_BREAK = "  \n"
ARTICLE = (
    "# Harbour Wall to Be Rebuilt After Storm\n\n"
    f"By Ana Ruiz{HARD_BREAK}28 March 2012\n\n"
    "The council voted on Tuesday to rebuild the wall.\n"
)


def test_article_without_front_matter_infers_metadata(write, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="publish"):
        book = read(write("article.md", ARTICLE))
    meta = book.metadata
    assert book.layout == "article"
    assert meta.title == "Harbour Wall to Be Rebuilt After Storm"
    assert meta.authors == ("Ana Ruiz",)
    assert meta.date == "2012-03-28"
    assert meta.language == "en"
    assert "assuming 'en'" in caplog.text
    (division,) = book.divisions
    assert division.kind == "article"
    assert plain_text(division.blocks[0].children).startswith("The council")  # byline consumed


@pytest.mark.parametrize(
    ("lines", "author", "date"),
    [
        ("By Tom Lee\n\nMarch 28, 2012", "Tom Lee", "2012-03-28"),
        ("Maria de la Cruz  \nWednesday 4 July 2018", "Maria de la Cruz", "2018-07-04"),
        ("BY ANA RUIZ, Science Correspondent\n2012-03-28", "ANA RUIZ", "2012-03-28"),
    ],
)
def test_byline_shapes(write, lines: str, author: str, date: str) -> None:
    book = read(write("a.md", f"# Title\n\n{lines}\n\nBody text here.\n"))
    assert book.metadata.authors == (author,)
    assert book.metadata.date == date
    assert plain_text(book.divisions[0].blocks[0].children) == "Body text here."


def test_a_sentence_under_the_headline_is_not_a_byline(write) -> None:
    book = read(write("a.md", "# Title\n\nThe council met today.\n"))
    assert book.metadata.authors == ()
    assert len(book.divisions[0].blocks) == 1


def test_front_matter_metadata_and_book_structure(write) -> None:
    source = write("novel.md", """---
title: "A Test"
creators:
  - {name: Ann Writer, role: aut, file-as: "Writer, Ann"}
  - {name: Ed Itor, role: edt}
language: en-GB
date: 2020-05-01
subjects: [Sea, Light]
---
# Dedication {.dedication}

For M.

# Part One

## The First {#first}

"Hello," she said -- and left... It's 'fine'.[^a]

### A section

Text[^b] and [bonjour]{lang=fr} with *stress*.

***

::: verse
Line one
Line two
:::

| Tide | Height |
|------|-------:|
| High | 4.2 m  |

## The Second

More[^a2].

# Appendix {.appendix}

End.

[^a]: First note.
[^b]: Second note.
[^a2]: Again first in its chapter.
""")
    book = read(source)
    meta = book.metadata
    assert meta.title == "A Test" and meta.language == "en-GB" and meta.date == "2020-05-01"
    assert [(c.name, c.role) for c in meta.creators] == [("Ann Writer", "aut"), ("Ed Itor", "edt")]
    assert meta.subjects == ("Sea", "Light")
    kinds = [d.kind for d in book.divisions]
    assert kinds == ["titlepage", "copyright", "dedication", "part", "appendix"]
    part = book.divisions[3]
    assert [c.id for c in part.children] == ["first", "the-second"]
    first, second = part.children
    assert (first.number, second.number) == (1, 2)
    para = first.blocks[0]
    assert isinstance(para, Paragraph)
    assert plain_text(para.children) == "“Hello,” she said – and left… It’s ‘fine’."
    refs = [n for b in first.blocks if isinstance(b, Paragraph) for n in b.children
            if isinstance(n, NoteRef)]
    assert [r.number for r in refs] == [1, 2]
    assert [n.id for n in first.notes] == ["first-note-1", "first-note-2"]
    assert [n.number for n in second.notes] == [1]  # numbered per chapter
    heading = first.blocks[1]
    assert heading.level == 2  # `###` under a `##` chapter is the chapter's first level
    span = next(n for n in first.blocks[2].children if isinstance(n, Span))
    assert span.attrs.lang == "fr"
    assert any(isinstance(n, Emphasis) for n in first.blocks[2].children)
    assert isinstance(first.blocks[3], SceneBreak)
    verse = first.blocks[4]
    assert isinstance(verse, Container) and isinstance(verse.blocks[0], LineBlock)
    assert len(verse.blocks[0].lines) == 2
    table = first.blocks[5]
    assert isinstance(table, Table)
    assert all(cell.header for cell in table.head[0])
    assert table.body[0][1].align == "right"


def test_curly_text_is_left_alone(write) -> None:
    book = read(write("a.md", "# T\n\n“Already” ‘curly’ — yes.\n"))
    assert plain_text(book.divisions[0].blocks[0].children) == "“Already” ‘curly’ — yes."


def test_paragraph_attributes_on_the_line_below(write) -> None:
    book = read(write("a.md", "# T\n\nC'est la vie.\n{lang=fr .aside}\n\nNext.\n"))
    para = book.divisions[0].blocks[0]
    assert para.attrs.lang == "fr" and para.attrs.classes == ("aside",)
    assert plain_text(para.children) == "C’est la vie."


def test_figures_and_decorative_images(write) -> None:
    write("images/map.png", PNG)
    write("images/rule.png", PNG)
    book = read(write("a.md", '# T\n\n![A chart of the bay](images/map.png "The bay")\n\n'
                              "![](images/rule.png){.decorative}\n"))
    figure, ornament = book.divisions[0].blocks
    assert isinstance(figure, Figure) and figure.image.alt == "A chart of the bay"
    assert plain_text(figure.caption) == "The bay"
    assert isinstance(ornament, Figure) and ornament.image.decorative


def test_lists_know_if_they_are_loose(write) -> None:
    book = read(write("a.md", "# T\n\n- a\n- b\n\n1. x\n\n   y\n2. z\n"))
    tight, loose = book.divisions[0].blocks
    assert isinstance(tight, ListBlock) and tight.tight
    assert isinstance(loose, ListBlock) and not loose.tight and loose.ordered


def test_book_folder(write) -> None:
    write("book/book.toml", 'title = "Folder Book"\nlanguage = "fr"\n'
                            '[[creators]]\nname = "Jeanne"\n'
                            '[contents]\nfiles = ["one.md", "two.md"]\n')
    write("book/one.md", "# Un\n\nTexte.\n")
    source = write("book/two.md", "# Deux\n\nEncore.\n")
    book = read(source.parent)
    assert book.stem == "book" and book.layout == "book"
    assert [d.title for d in book.divisions[2:]] == [(Text("Un"),), (Text("Deux"),)]
    assert book.metadata.language == "fr"


@pytest.mark.parametrize(
    ("files", "message", "where"),
    [
        ({"a.md": "---\ntitle: [unclosed\nlanguage: en\n---\n# T\n"}, "front matter", "a.md:3"),
        ({"a.md": "# T\n\n![](missing.png)\n"}, "no alt text", "a.md:3"),
        ({"a.md": "# T\n\ntext\n\n![A map](missing.png)\n"}, "not found", "a.md:5"),
        ({"a.md": b"# T\n\ncaf\xe9\n"}, "not UTF-8", "a.md:3"),
        ({"a.md": "  \n\n"}, "empty", "a.md"),
        ({"a.md": "---\nlanguage: english!\n---\n# T\n"}, "language code", "a.md:2"),
        ({"a.md": "# T\n\n![A map](../outside.png)\n"}, "outside the manuscript", "a.md:3"),
        ({"a.md": "# T\n\n![A map](http://example.org/x.png)\n"}, "never fetched", "a.md:3"),
        ({"a.md": "# T {#x}\n\n## U {#x}\n"}, "duplicate id", "a.md:3"),
    ],
)
def test_errors_name_file_and_line(write, files, message: str, where: str) -> None:
    for name, text in files.items():
        source = write(name, text)
    with pytest.raises(ManuscriptError) as caught:
        read(source)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(source.parent / where.split(":")[0]))
    if ":" in where:
        assert f":{where.split(':')[1]}:" in str(caught.value)


@pytest.mark.parametrize(
    ("toml", "message", "line"),
    [
        ('title = "X"\nlanguage = \n', "not valid TOML", 2),
        ('title = "X"\n[contents]\nfiles = ["gone.md"]\n', "chapter file 'gone.md' not found", 3),
    ],
)
def test_manifest_errors(write, toml: str, message: str, line: int) -> None:
    manifest = write("book/book.toml", toml)
    with pytest.raises(ManuscriptError) as caught:
        read(manifest.parent)
    assert message in str(caught.value)
    assert caught.value.line == line
