"""Large print on demand: profiles, print page references, and the promises measured back
from the PDF itself (glyph sizes, faces, ragged right, no broken words, nothing cut off)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS
from lxml import html as lxml_html

from publish.check.largeprint import JUSTIFIED_SHARE
from publish.check.tools import locate
from publish.cli import main
from publish.html import render_book
from publish.measure import Measurement, measure_pdf
from publish.options import Options
from publish.pagination import IMAGE, PageStart, TextIndex, countable, insert_markers, roman
from publish.pdf import large_print
from publish.pdf.render import print_page_map
from publish.profiles import DEFAULT_PROFILE, PROFILES, paper_size
from publish.readers import read

ARTICLE = MANUSCRIPTS / "harbour-article.md"
BOOK = MANUSCRIPTS / "lighthouse"
# Every face a large-print PDF may embed: vendored, OFL, sans serif (Noto Sans Math is also
# the print layer's "Symbols Fallback": one file, embedded under either name).
SANS_FACES = re.compile(
    r"^(Atkinson-Hyperlegible(-Mono)?(-Ext)?(-Bold)?|Noto-Sans-Math|Symbols-Fallback)$")


def build(source: Path, out: Path, size: float, *extra: str) -> Path:
    """Build the large-print edition and return its path."""
    argv = ["build", str(source), "-o", str(out), "-q", "--edition", "large-print",
            "--size", f"{size:g}", *extra]
    assert main(argv) == 0
    stem = source.stem if source.is_file() else source.name
    return out / f"{stem}-large-print.pdf"


def pdf_text(path: Path, page: int | None = None) -> str:
    """The text of a PDF, or of one page, as pdftotext reads it."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def assert_keeps_promises(measured: Measurement, size: float) -> None:
    """What the issue asks of every large-print PDF, read from the file."""
    assert measured.smallest_size >= size - 0.01, measured.smallest
    assert all(SANS_FACES.match(font) for font in measured.fonts), measured.fonts
    assert not measured.serif_fonts and not measured.italic_fonts
    assert measured.flush_right_share < 0.25, "justified, not ragged right"
    assert not measured.hyphenated_line_ends, measured.hyphenated_line_ends[:5]
    assert measured.off_page == 0


# ---------------------------------------------------------------- profiles and options


def test_profiles_are_data_with_floors_and_leading() -> None:
    assert {"ukaaf", "aph", "acb", "custom"} <= set(PROFILES)
    assert PROFILES["ukaaf"].floor == 16 and PROFILES["aph"].floor == 18
    assert all(p.leading >= 1.4 and p.default_size >= p.floor for p in PROFILES.values())
    acb = large_print.page_values(read(ARTICLE), Options(18, "acb"))
    assert (acb["h1"], acb["h2"], acb["margin"]) == (22.0, 20.0, "72.0pt")


def test_default_is_ukaaf_18_on_a4_or_letter() -> None:
    assert Options.requested(None) == Options(18.0, "ukaaf")
    assert paper_size("en-GB") == paper_size("en") == paper_size("fr") == "A4"
    assert paper_size("en-US") == paper_size("es-MX") == "letter"


@pytest.mark.parametrize(("argv", "message"), [
    (["--size", "15"], "below the ukaaf profile's floor of 16 pt"),
    (["--size", "17", "--profile", "aph"], "below the aph profile's floor of 18 pt"),
    (["--size", "50"], "14-48 pt"),
])
def test_size_below_the_floor_is_a_clear_error(argv, message, tmp_path: Path, capsys) -> None:
    assert main(["build", str(ARTICLE), "-o", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_custom_profile_allows_14pt() -> None:
    assert Options.requested(14, "custom").large_print_size == 14


# ---------------------------------------------------------------- the print page map


def test_markers_go_before_the_counted_word_or_before_a_heading() -> None:
    root = lxml_html.document_fromstring(
        '<html><body><section id="s"><h2>Title</h2><p>One <em>two</em> three four.</p>'
        '</section></body></html>')
    starts = (PageStart("7", "s", 0), PageStart("8", "s", len("Title" "One" "two" "thr")))
    assert insert_markers(root, starts, large_print.page_marker, whole_words=True) == 2
    out = lxml_html.tostring(root, encoding="unicode")
    assert '<div class="print-page" role="doc-pagebreak">[7]</div><h2>' in out
    # a page beginning inside a word (hyphenated in print) is marked before the word
    assert '<em>two</em> <span class="print-page" role="doc-pagebreak">[8]</span> three' in out


def test_pages_beginning_at_one_heading_share_a_line() -> None:
    root = lxml_html.document_fromstring(
        '<html><body><section id="s"><h2>Title</h2><p>Text.</p></section></body></html>')
    starts = (PageStart("iv", "s", 0), PageStart("v", "s", 0))
    markup = large_print.mark_up(lxml_html.tostring(root, encoding="unicode"), starts, 30.0)
    assert '<div class="print-page" role="doc-pagebreak">[iv] [v]</div><h2>' in markup
    assert markup.count("print-page") == 1


TABLE = ('<html><body><section id="s"><p>Before.</p><table><thead><tr><th>Year</th>'
         '<th>Ships</th></tr></thead><tbody>'
         + "".join(f"<tr><td>{1514 + n}</td><td>{n}</td></tr>" for n in range(4))
         + "</tbody></table></section></body></html>")


def _marked(starts: tuple[PageStart, ...], measure_em: float = 30.0) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(large_print.mark_up(TABLE, starts, measure_em))


def test_a_marker_inside_a_table_goes_before_its_row() -> None:
    at_third_row = len("Before." "Year" "Ships" "1514" "0" "1515" "1")
    root = _marked((PageStart("39", "s", at_third_row),))
    rows = root.findall(".//tbody/tr")
    assert rows[2].get("class") == "print-page-row"
    assert rows[2].findall("td")[0].get("colspan") == "2"
    assert rows[2].text_content() == "[39]" and rows[3].text_content() == "15162"
    assert all("[" not in cell.text_content() for row in rows if row is not rows[2]
               for cell in row)


def test_a_marker_at_a_tables_first_row_goes_before_the_table() -> None:
    root = _marked((PageStart("39", "s", len("Before.")),))
    table = root.find(".//table")
    assert table.getprevious().text == "[39]" and table.getprevious().tag == "div"
    assert "[" not in table.text_content()


def test_a_marker_in_a_stacked_table_opens_its_rows_item() -> None:
    at_third_row = len("Before." "Year" "Ships" "1514" "0" "1515" "1")
    root = _marked((PageStart("39", "s", at_third_row),), measure_em=1.0)
    items = root.findall(".//ul[@class='stacked-rows']/li")
    assert len(items) == 4
    assert items[2][0].tag == "div" and items[2][0].text == "[39]"
    assert items[2].text_content() == "[39]Year: 1516Ships: 2"  # a line break before Ships


def test_long_table_markers_are_rows_of_their_own(write, tmp_path: Path) -> None:
    rows = "\n".join(f"| {1000 + n} | Item {n} | {n * 3} |" for n in range(120))
    source = write("long.md", "---\ntitle: Long\nlanguage: en\n---\n\n# Long\n\n"
                   f"| Number | Name | Count |\n|---|---|---|\n{rows}\n")
    text = pdf_text(build(source, tmp_path / "out", 18))
    markers = [line.strip() for line in text.splitlines() if "[" in line]
    assert len(markers) >= 2 and all(re.fullmatch(r"\[\d+\]", m) for m in markers), markers


def test_roman_folios() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1994)] == ["i", "iv", "ix", "xiv", "xl", "mcmxciv"]


@pytest.fixture(scope="module")
def book_print(sample_build: Callable[[str], Path]) -> Path:
    """The sample book's print edition (built once for the run: read only)."""
    return sample_build(BOOK.name) / "lighthouse.pdf"


def test_page_map_finds_each_print_page_first_line(book_print: Path) -> None:
    book = read(BOOK)
    starts = print_page_map(book)
    index = TextIndex(lxml_html.document_fromstring(render_book(book, "print", ("print",))))
    pages = [countable(page)[:80] for page in pdf_text(book_print).split("\f")]
    assert len(starts) == len(pages) - 1  # one start per page, blank pages too; "" after \f
    assert starts[0].label == "i" and starts[-1].label.isdigit()
    hits = 0
    for start in starts:
        position = index.position_of(start)
        assert position is not None, start
        wanted = index.stream[position:position + 11].replace(IMAGE, "")[:10]
        hits += any(wanted in page for page in pages)
    assert hits >= len(starts) - 6  # hidden headings and table columns read out of order


# ---------------------------------------------------------------- measured from the PDF


@pytest.mark.parametrize(("source", "size"), [
    (ARTICLE, 18), (ARTICLE, 28), (BOOK, 18), (BOOK, 28), (BOOK, 48),
])
def test_large_print_keeps_its_promises(source: Path, size: int,
                                        large_print_build: Callable[[str, float], Path]) -> None:
    pdf = large_print_build(source.name, size)
    assert_keeps_promises(measure_pdf(pdf), size)
    references = re.findall(r"\[(\d+)\]", pdf_text(pdf))  # where each print page begins
    assert references[:1] == ["1"] and len(references) >= 2
    assert [int(n) for n in references] == sorted(int(n) for n in references)


def test_wide_tables_are_stacked_only_when_they_do_not_fit(
        large_print_build: Callable[[str, float], Path]) -> None:
    narrow = pdf_text(large_print_build(BOOK.name, 18))
    wide = pdf_text(large_print_build(BOOK.name, 48))
    assert "Vessel: Silver Harvest" in narrow  # five columns do not fit at 18 pt
    assert "Particular: Established" not in narrow  # two columns do
    assert "Particular: Established" in " ".join(wide.split())


def test_rows_of_a_table_are_not_justified_text_but_justified_text_is(
        write, tmp_path: Path) -> None:
    """Word's table_header_rowspan: rows of digits, the widest text of its page and all
    ending at the table's last column, were counted as lines set flush right (L001)."""
    rows = "".join("| 1 | 2 | 3 | 4 | 5 |\n" for _ in range(12))
    table = write("t.md", f"# One\n\nA short line.\n\n| A | B | C | D | E |\n"
                          f"|--|--|--|--|--|\n{rows}")
    assert measure_pdf(build(table, tmp_path / "table", 18)).flush_right_share < JUSTIFIED_SHARE
    prose = " ".join(["The harbour wall ran out into the grey water beyond the boats."] * 12)
    write("styles/large-print.css", "p { text-align: justify !important; }")
    justified = measure_pdf(build(write("p.md", f"# One\n\n{prose}\n"), tmp_path / "p", 18))
    assert justified.flush_right_share > JUSTIFIED_SHARE, justified


def test_latin_ext_face_letter_paper_and_no_fallback(write, tmp_path: Path) -> None:
    source = write("polish.md", "---\ntitle: Łódź\nlanguage: en-US\n---\n# Łódź\n\n"
                   "To Łódź — “café” \u2e3a *so* `x-y`; a thin\u2009space.\n\n- a\n    - b\n")
    pdf = build(source, tmp_path / "out", 18)
    measured = measure_pdf(pdf)
    assert_keeps_promises(measured, 18)
    assert "Atkinson-Hyperlegible-Ext" in measured.fonts
    assert "To Łódź — “café” —— so x-y" in pdf_text(pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(letter)" in info


def test_text_is_settable_in_the_vendored_faces() -> None:
    assert large_print.settable("a\u2e3ab\u2e3bc") == "a\u2014\u2014b\u2014\u2014\u2014c"
    assert large_print.settable("radio-telephone -- 1-2") == "radio-\u2060telephone -- 1-\u20602"


@pytest.mark.validators
def test_large_print_passes_the_pdf_validators(tmp_path: Path) -> None:
    tools = {name: locate(name) for name in ("page-validation", "outloud")}
    assert all(tools.values()), f"validators missing: {tools}; run `make validators`"
    pdf = build(BOOK, tmp_path, 18)
    for name, command in tools.items():
        result = subprocess.run([str(command), str(pdf)], capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, f"{name}: {result.stdout[-2000:]}"


@pytest.mark.slow
def test_corpus_novel_in_large_print(corpus_build: Callable[[str], Path]) -> None:
    pdf = corpus_build("pride-and-prejudice.md") / "pride-and-prejudice-large-print.pdf"
    assert_keeps_promises(measure_pdf(pdf), PROFILES[DEFAULT_PROFILE].default_size)  # 18 pt


@pytest.mark.slow
def test_corpus_novel_in_larger_print(corpus: Path, tmp_path: Path) -> None:
    # What 28 pt adds to the whole novel at 18 pt (above) is the size, not the length: five
    # chapters of it (a tenth) with the novel's front matter, the letters set as block
    # quotes, both scene breaks of these chapters and its one hard line break
    text = chapters(corpus / "pride-and-prejudice.md", "XLVI", "LI")
    assert text.count("\n> ") > 15 and text.count("\n* * *\n") == 2 and "\\\n" in text
    source = tmp_path / "pride-and-prejudice-xlvi-l.md"
    source.write_text(text, "utf-8")
    pdf = build(source, tmp_path / "out", 28)
    assert_keeps_promises(measure_pdf(pdf), 28)


def chapters(novel: Path, first: str, stop: str) -> str:
    """A novel's front matter and its chapters from `# Chapter {first}` up to the one
    headed `# Chapter {stop}`."""
    text = novel.read_text("utf-8")
    front = text[:text.index("\n# Chapter ") + 1]
    return front + text[text.index(f"\n# Chapter {first}\n") + 1:
                        text.index(f"\n# Chapter {stop}\n") + 1]

