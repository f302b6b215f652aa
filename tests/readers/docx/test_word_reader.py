"""The Word reader on small files written for each behaviour: what it infers, what it warns
of and where, and what it refuses."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import png
from make import core, docx, image_relationship, para, picture, styles

from publish.errors import ManuscriptError
from publish.lint import lint
from publish.model import (
    Figure,
    Heading,
    Image,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    Span,
    Table,
    plain_text,
)
from publish.readers import read
from publish.readers.docx import read_word


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pictures are taken out into a cache folder: each test has its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _file(tmp_path: Path, data: bytes, name: str = "manuscript.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_metadata_from_title_paragraphs_and_core_properties(tmp_path: Path) -> None:
    body = para("The Harbour", "Title") + para("A novella", "Subtitle") + \
        para("By Ana Ruiz", "Author") + para("Chapter 1", "heading1") + para("Text one.") + \
        para("Chapter 2", "heading1") + para("Text two.")
    path = _file(tmp_path, docx(body, style_part=styles("heading 1", "Title", "Subtitle",
                                                         "Author"),
                                parts={"docProps/core.xml": core("Document1", "Tom Lee", "fr",
                                                                 "A tale of boats.")}))
    book = read(path)
    meta = book.metadata
    assert (meta.title, meta.subtitle, meta.authors, meta.language, meta.description) == \
        ("The Harbour", "A novella", ("Ana Ruiz",), "fr", "A tale of boats.")
    assert book.layout == "book"
    chapters = [d for d in book.divisions if d.kind == "chapter"]
    assert [plain_text(d.title) for d in chapters] == ["Chapter 1", "Chapter 2"]
    assert "The Harbour" not in " ".join(plain_text(b.children) for d in chapters
                                         for b in d.blocks if isinstance(b, Paragraph))


def test_language_from_styles_and_localised_heading_names(tmp_path: Path) -> None:
    body = para("Kapitel eins", "Überschrift1") + para("Ein Absatz.") + \
        para("Abschnitt", "Überschrift2") + para("Noch einer.")
    path = _file(tmp_path, docx(body, style_part=styles("Überschrift 1", "Überschrift 2",
                                                         language="de-DE")))
    book = read(path)
    assert book.metadata.language == "de-DE"
    article = book.divisions[0]
    assert plain_text(article.title) == "Kapitel eins"
    assert [type(b).__name__ for b in article.blocks] == ["Paragraph", "Heading", "Paragraph"]
    assert isinstance(article.blocks[1], Heading) and article.blocks[1].level == 2


def test_a_run_in_another_language_is_a_span(tmp_path: Path) -> None:
    run = '<w:r><w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t>bonjour</w:t></w:r>'
    body = f'<w:p><w:r><w:t xml:space="preserve">She said </w:t></w:r>{run}</w:p>'
    book = read(_file(tmp_path, docx(body)))
    paragraph = book.divisions[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    span = paragraph.children[1]
    assert isinstance(span, Span) and span.attrs.lang == "fr-FR" and \
        plain_text(span.children) == "bonjour"


def _numbered(text: str, num: int, level: int = 0) -> str:
    return para(text, extra=f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/>'
                            "</w:numPr>")


_NUMBERING = (
    f'<w:numbering xmlns:w="{"http://schemas.openxmlformats.org/wordprocessingml/2006/main"}">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
    '<w:startOverride w:val="7"/></w:lvlOverride></w:num></w:numbering>'
)


def test_lists_keep_word_numbers_across_paragraphs_and_overrides(tmp_path: Path) -> None:
    body = _numbered("one", 1) + _numbered("two", 1) + para("An aside.") + \
        _numbered("three", 1) + _numbered("seven", 2)
    book = read(_file(tmp_path, docx(body, parts={"word/numbering.xml": _NUMBERING},
                                     relationships=_numbering_rel())))
    lists = [b for b in book.divisions[0].blocks if isinstance(b, ListBlock)]
    assert [(lst.start, len(lst.items)) for lst in lists] == [(1, 2), (3, 1), (7, 1)]
    words = [plain_text(item.blocks[0].children) for lst in lists for item in lst.items  # type: ignore[union-attr]
             ]
    assert words == ["one", "two", "three", "seven"]


def _numbering_rel() -> str:
    return ('<Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/numbering" Target="numbering.xml"/>')


def test_header_rows_and_merged_cells(tmp_path: Path) -> None:
    def cell(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(text)}</w:tc>"

    header = '<w:tr><w:trPr><w:tblHeader/></w:trPr>' + cell("Name") + cell("Age") + "</w:tr>"
    merged = "<w:tr>" + cell("Both", '<w:gridSpan w:val="2"/>') + "</w:tr>"
    body = f"<w:tbl>{header}{merged}</w:tbl>"
    table = read(_file(tmp_path, docx(body))).divisions[0].blocks[0]
    assert isinstance(table, Table)
    assert [plain_text(c.children) for c in table.head[0]] == ["Name", "Age"]
    assert all(c.header for c in table.head[0])
    assert (table.body[0][0].colspan, plain_text(table.body[0][0].children)) == (2, "Both")


def test_a_row_that_skips_grid_columns_is_filled_up_so_the_grid_closes(tmp_path: Path) -> None:
    """Word's table_gridbefore: a row starting a grid column in (`gridBefore`) reaches mammoth
    one cell short, and PDF/UA's checkers refuse a table whose rows differ in width."""
    def cell(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(text)}</w:tc>"

    header = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + cell("Bit", '<w:gridSpan w:val="2"/>') \
        + cell("Name") + "</w:tr>"
    skipping = '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + cell("1") + cell("TEXT") \
        + "</w:tr>"
    body = f"<w:tbl><w:tblGrid>{'<w:gridCol/>' * 3}</w:tblGrid>{header}{skipping}</w:tbl>"
    table = read(_file(tmp_path, docx(body))).divisions[0].blocks[0]
    assert isinstance(table, Table)
    assert [sum(c.colspan for c in row) for row in table.head + table.body] == [3, 3]
    assert [plain_text(c.children) for c in table.body[0]] == ["1", "TEXT", ""]


def test_footnotes_are_numbered_in_their_division(tmp_path: Path) -> None:
    notes = (f'<w:footnotes xmlns:w="{"http://schemas.openxmlformats.org/wordprocessingml/2006/main"}">'
             '<w:footnote w:id="1"><w:p><w:r><w:t>Where it comes from.</w:t></w:r></w:p>'
             "</w:footnote></w:footnotes>")
    body = ('<w:p><w:r><w:t>A claim.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
            "</w:p>")
    rel = ('<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/'
           '2006/relationships/footnotes" Target="footnotes.xml"/>')
    division = read(_file(tmp_path, docx(body, parts={"word/footnotes.xml": notes},
                                         relationships=rel))).divisions[0]
    paragraph = division.blocks[0]
    assert isinstance(paragraph, Paragraph) and isinstance(paragraph.children[-1], NoteRef)
    assert [plain_text(n.blocks[0].children) for n in division.notes] == ["Where it comes from."]  # type: ignore[union-attr]


def test_picture_keeps_its_description_and_caption(tmp_path: Path) -> None:
    body = f"<w:p>{picture('rIdP', 'The harbour wall at dusk')}</w:p>" + \
        para("Figure 1: The wall", "Caption")
    path = _file(tmp_path, docx(body, style_part=styles("Caption"),
                                parts={"word/media/wall.png": png()},
                                relationships=image_relationship("rIdP", "media/wall.png")))
    figure = read(path).divisions[0].blocks[0]
    assert isinstance(figure, Figure)
    assert figure.image.alt == "The harbour wall at dusk" and figure.image.path.is_file()
    assert plain_text(figure.caption) == "Figure 1: The wall"


def test_picture_without_alt_text_is_found_where_a_word_user_looks(tmp_path: Path) -> None:
    body = para("Chapter 3", "heading1") + \
        f"<w:p><w:r><w:t xml:space=\"preserve\">The harbour at dusk was quiet and grey. </w:t>" \
        f"</w:r>{picture('rIdP', '')}</w:p>"
    path = _file(tmp_path, docx(body, parts={"word/media/a.png": png()},
                                relationships=image_relationship("rIdP", "media/a.png")))
    expected = ('manuscript.docx: under "Chapter 3", paragraph starting "The harbour at '
                'dusk...": A001 image without alt text')
    findings = lint(path)
    assert [f.code for f in findings] == ["A001"]
    assert findings[0].format(tmp_path).startswith(expected)
    with pytest.raises(ManuscriptError, match="A001 image without alt text"):
        read(path)


def test_a_picture_marked_as_decorative_needs_no_alt_text(tmp_path: Path) -> None:
    body = f"<w:p>{picture('rIdP', '', decorative=True)}</w:p>" + para("After the rule.")
    path = _file(tmp_path, docx(body, parts={"word/media/rule.png": png()},
                                relationships=image_relationship("rIdP", "media/rule.png")))
    assert lint(path) == []
    block = read(path).divisions[0].blocks[0]
    image = block.image if isinstance(block, Figure) else next(
        n for n in block.children if isinstance(n, Image))  # type: ignore[union-attr]
    assert image.decorative and image.alt == "" and image.path.is_file()


def test_tracked_changes_are_accepted_and_comments_dropped_with_warnings(tmp_path: Path) -> None:
    body = ('<w:p><w:r><w:t xml:space="preserve">The </w:t></w:r>'
            '<w:del w:id="1" w:author="A"><w:r><w:delText>old </w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">new </w:t></w:r></w:ins>'
            '<w:r><w:t>pier.</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>')
    comments = (f'<w:comments xmlns:w="{"http://schemas.openxmlformats.org/wordprocessingml/2006/main"}">'
                '<w:comment w:id="0"><w:p><w:r><w:t>Check this.</w:t></w:r></w:p></w:comment>'
                "</w:comments>")
    path = _file(tmp_path, docx(body, parts={"word/comments.xml": comments}))
    paragraph = read(path).divisions[0].blocks[0]
    assert isinstance(paragraph, Paragraph) and plain_text(paragraph.children) == "The new pier."
    assert [(f.code, f.severity) for f in lint(path)] == [("W002", "warning"), ("W003", "warning")]


def test_text_boxes_and_content_controls_keep_their_text(tmp_path: Path) -> None:
    box = ('<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>'
           f'{para("Inside the box.")}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')
    control = f"<w:sdt><w:sdtPr/><w:sdtContent>{para('Inside the control.')}</w:sdtContent></w:sdt>"
    book = read(_file(tmp_path, docx(box + control)))
    text = " ".join(plain_text(b.children) for b in book.divisions[0].blocks  # type: ignore[union-attr]
                    )
    assert "Inside the box." in text and "Inside the control." in text


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04 not really", "not a zip archive"),
    (_zip({"word/document.xml": b"<w:document/>" + b" " * (80 * 2**20)}), "zip bomb"),
    (docx(para("x"), parts={"word/settings.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}),
     "declares a DTD"),
    (docx(f"<w:p>{picture('rIdW', 'A map')}</w:p>",
          relationships=image_relationship("rIdW", "https://example.org/map.png", external=True)),
     "never fetched"),
    (_zip({"readme.txt": b"hello"}), "not a Word document"),
])
def test_hostile_or_broken_files_are_refused_clearly(tmp_path: Path, data: bytes,
                                                     message: str) -> None:
    path = _file(tmp_path, data)
    with pytest.raises(ManuscriptError, match=message) as caught:
        read_word(path)
    assert str(caught.value).startswith(str(path))


def test_a_picture_no_edition_can_show_is_an_error_at_its_place(tmp_path: Path) -> None:
    emf = b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 64  # a Windows drawing
    body = para("Maps", "heading1") + f"<w:p>{picture('rIdE', 'A map of the bay')}</w:p>"
    path = _file(tmp_path, docx(body, parts={"word/media/map.emf": emf},
                                relationships=image_relationship("rIdE", "media/map.emf")))
    findings = lint(path)
    assert [(f.code, f.place) for f in findings] == \
        [("W001", 'under "Maps", paragraph holding only a picture')]
    with pytest.raises(ManuscriptError, match="W001 picture is in a format no edition"):
        read(path)


def test_a_table_without_a_header_row_reads_its_first_row_as_one_and_says_so(
        tmp_path: Path) -> None:
    rows = "".join(f"<w:tr><w:tc>{para(a)}</w:tc><w:tc>{para(b)}</w:tc></w:tr>"
                   for a, b in (("Name", "Age"), ("Ana", "34")))
    styled = '<w:tblPr><w:tblLook w:val="04A0" w:firstRow="1"/></w:tblPr>'
    plain = _file(tmp_path, docx(para("Staff", "heading1") + f"<w:tbl>{rows}</w:tbl>"), "a.docx")
    looked = _file(tmp_path, docx(f"<w:tbl>{styled}{rows}</w:tbl>"), "b.docx")
    for path in (plain, looked):
        table = read(path).divisions[0].blocks[-1]
        assert isinstance(table, Table)
        assert [plain_text(c.children) for c in table.head[0]] == ["Name", "Age"]
    assert [(f.code, f.place) for f in lint(plain)] == \
        [("W004", 'under "Staff", table starting "Name Age Ana 34"')]
    assert lint(looked) == []


def test_markdown_rules_that_apply_to_a_word_file_are_placed_too(tmp_path: Path) -> None:
    link = ('<w:hyperlink r:id="rIdL"><w:r><w:t>click here</w:t></w:r></w:hyperlink>')
    body = para("Harbour", "heading1") + para("Boats", "heading3") + \
        f'<w:p><w:r><w:t xml:space="preserve">The timetable is </w:t></w:r>{link}</w:p>' + \
        f"<w:p>{picture('rIdP', 'IMG_0042.png')}</w:p>"
    rels = image_relationship("rIdP", "media/a.png") + (
        '<Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://example.org/t" TargetMode="External"/>')
    path = _file(tmp_path, docx(body, style_part=styles("heading 1", "heading 3"),
                                parts={"word/media/a.png": png()}, relationships=rels))
    assert [(f.code, f.place) for f in lint(path)] == [
        ("A004", 'heading "Boats"'),
        ("A006", 'under "Boats", paragraph starting "The timetable is click..."'),
        ("A002", 'under "Boats", paragraph holding only a picture'),
    ]


def test_a_hyperlink_field_to_a_place_in_a_page_links_to_that_place(tmp_path: Path) -> None:
    """Word's instrText_hyperlink: the field's quotes and switch became part of the address,
    which EPUBCheck refuses (RSC-020)."""
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
             ' HYPERLINK "https://example.org/book?id=7&amp;pg=19" \\l "v=onepage" </w:instrText>'
             '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the book</w:t>'
             '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    paragraph = read(_file(tmp_path, docx(f"<w:p>{field}</w:p>"))).divisions[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    (link,) = [node for node in paragraph.children if isinstance(node, Link)]
    assert link.href == "https://example.org/book?id=7&pg=19#v=onepage"
