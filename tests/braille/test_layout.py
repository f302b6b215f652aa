"""The BANA layout on small documents: where headings, paragraphs, lists, quotes, notes,
images and tables start; how pages are filled and numbered."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from publish.braille.blocks import BLANK, Block, Transcriber
from publish.braille.cells import to_ascii
from publish.braille.fmt import Indent, read_format
from publish.braille.inline import MARKER_CLASS, TN_CLOSE, TN_OPEN
from publish.braille.pages import Paginator, continuation, fill, framed
from publish.braille.tables import translator

ENGLISH = translator("en", 2)
NUMBERS = translator("en", 1)


def _rows(html: str, cells: int = 40, lines: int = 25) -> list[list[str]]:
    """The pages' rows as BRF text, page numbers included."""
    transcriber = Transcriber(ENGLISH, read_format(Path("/nonexistent")))
    pages = Paginator(cells, lines)
    pages.add(transcriber.blocks(lxml_html.document_fromstring(html)), _number)
    return [[to_ascii(row) for row in framed(page, cells, lines, _number)]
            for page in pages.finish()]


def _number(label: str) -> str:
    return NUMBERS.translate(label).replace(BLANK, "")


def _lead(row: str) -> int:
    """The cell a row's text starts in, counted from 1."""
    return len(row) - len(row.lstrip(" ")) + 1


def test_headings_by_depth_centred_then_cell_5_then_cell_7() -> None:
    rows = _rows('<body><section class="division chapter"><h2 class="title">Fog</h2>'
                 "<h3>The horn</h3><h4>Its note</h4><p>Grey.</p></section></body>")[0]
    text = [row for row in rows[1:-1] if row]
    assert text[0].strip() == ",FOG" and _lead(text[0]) == (40 - 4) // 2 + 1
    assert (text[1], _lead(text[1])) == ("    ,! HORN", 5)
    assert _lead(text[2]) == 7
    assert _lead(text[3]) == 3  # the paragraph, in cell 3


def test_paragraph_runs_over_to_cell_1_and_no_row_is_longer_than_the_page() -> None:
    words = " ".join(["lighthouse"] * 40)
    for cells in (40, 32, 20):
        pages = _rows(f"<body><p>{words}</p></body>", cells=cells, lines=10)
        text = [row for page in pages for row in page[1:-1] if row]
        assert _lead(text[0]) == 3 and _lead(text[1]) == 1
        assert all(len(row) <= cells for page in pages for row in page)
        assert all(len(page) == 10 for page in pages)


def test_lists_quotes_notes_images_and_tables_as_the_format_says() -> None:
    rows = _rows(
        "<body><ol><li>First</li><li>Second<ul><li>Inner</li></ul></li></ol>"
        "<blockquote><p>Quoted words</p></blockquote>"
        '<figure><img src="a.png" alt="A chart of the rock"/><figcaption>The chart'
        "</figcaption></figure>"
        "<table><tr><th>Date</th><th>Vessel</th></tr><tr><td>March</td><td>Kittiwake</td>"
        "</tr></table>"
        '<section class="notes"><ol><li class="note"><p>A note.</p></li></ol></section>'
        "</body>")
    text = [row for page in rows for row in page[1:-1] if row]
    assert [_lead(row) for row in text[:3]] == [1, 1, 3]  # items 1-3, a nested one 3-5
    assert text[0].startswith("#A4 ")
    quoted = next(row for row in text if "QUOT$" in row)
    assert _lead(quoted) == 5  # displayed material two cells in
    note = next(row for row in text if "IMAGE" in row)
    assert note.strip().startswith(to_ascii(TN_OPEN)) and _lead(note) == 7
    assert to_ascii(TN_CLOSE) in " ".join(text)
    assert any(",DATE3 ,M>*2 ,VESSEL3 ,KITTIWAKE" in row for row in text)  # linearised
    assert any(row.startswith(";9#A ,A NOTE4") for row in text)  # the note, its number raised


def test_print_pages_top_right_with_continuation_letters_and_indicator_lines() -> None:
    paragraph = "<p>" + " ".join(["weather"] * 60) + "</p>"
    marker = f'<span class="{MARKER_CLASS}" data-label="{{}}"></span>'
    pages = _rows(f"<body>{marker.format('7')}{paragraph}{paragraph}{marker.format('8')}"
                  f"{paragraph}</body>", lines=8)
    tops = [page[0].strip() for page in pages]
    indicator = next(row for page in pages for row in page if row.endswith("#H"))
    assert indicator == "-" * 38 + "#H" and len(indicator) == 40
    where = next(i for i, page in enumerate(pages) if indicator in page)
    assert where >= 2 and tops[:where + 1] == \
        ["#G", *(continuation(n).upper() + "#G" for n in range(1, where + 1))]
    assert tops[where + 1] == "A#H"
    assert [page[-1].strip() for page in pages[:3]] == ["#A", "#B", "#C"]


def test_a_print_page_beginning_a_braille_page_shows_only_top_right() -> None:
    rows = Paginator(40, 25)
    rows.add([Block(page="12"), Block(ENGLISH.translate("Text"), Indent(2, 0))], _number)
    page = rows.finish()[0]
    assert page.print_label == "12" and len(page.rows) == 1


def test_fill_cuts_only_a_word_longer_than_the_line() -> None:
    assert fill(BLANK.join(["ab", "cd", "ef"]), 5, 5) == ["ab" + BLANK + "cd", "ef"]
    assert fill("abcdefgh", 3, 3) == ["abc", "def", "gh"]


def test_continuation_letters_run_a_to_z_then_double() -> None:
    assert [continuation(n) for n in (0, 1, 2, 26, 27)] == ["", "a", "b", "z", "aa"]
