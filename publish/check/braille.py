"""The braille edition's checks: the PEF against the PEF 1.0 schema, the page size it
declares, the BRF against the PEF, the print page numbers against the print PDF's page
labels, and the words liblouis reads back against the EPUB's text (when those editions
are beside it)."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from lxml import etree
from lxml import html as lxml_html

from publish import __version__
from publish.braille import proofread
from publish.braille.cells import to_unicode
from publish.braille.louis import LouisMissing
from publish.braille.pef import page_size, read_pages
from publish.braille.tables import NoTable, Translator, translator
from publish.check.model import ERROR, WARNING, Issue, Run
from publish.editions import EDITIONS, page_map_maker, stem_of

SCHEMA = Path(__file__).resolve().parents[2] / "tests" / "braille" / "pef" / "pef-2008-1.rng"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def braille(path: Path) -> Run:
    """Every braille check on a PEF (or on a BRF given alone), each failure an error."""
    run = Run("braille", path.name, __version__)
    try:
        found = list(_problems(path))
    except (LouisMissing, NoTable) as error:
        found = [("B007", ERROR, f"the braille checks could not run: {error}")]
    run.issues.extend(Issue(path.name, run.tool, severity, code, message)
                      for code, severity, message in found)
    return run


def _problems(path: Path) -> Iterator[tuple[str, str, str]]:
    edition = EDITIONS["braille"]
    stem = stem_of(path, edition)
    pef = path.with_name(stem + edition.suffix)
    brf = path.with_name(stem + edition.companions[0].suffix)
    if not pef.is_file():
        yield "B007", ERROR, f"{pef.name} is not there: the BRF alone cannot be checked"
        return
    root = etree.parse(str(pef), _PARSER)
    yield from _schema(root)
    data = etree.tostring(root)
    pages = read_pages(data)
    yield from _size(pages, *page_size(data))
    if brf.is_file() and _brf_pages(brf) != pages:
        yield "B006", ERROR, f"{brf.name} does not hold the same pages as {pef.name}"
    language = root.findtext(".//{http://purl.org/dc/elements/1.1/}language") or "en"
    back = translator(language, 1)
    print_pdf = path.with_name(stem + page_map_maker().suffix)
    if print_pdf.is_file():
        labels = _page_labels(print_pdf)
        for problem in proofread.page_number_problems(pages, labels, back):
            yield "B004", ERROR, problem
    yield from _recall(path.with_name(stem + EDITIONS["epub"].suffix), pages,
                       translator(language, 2) if language else back)


def _schema(root: etree._ElementTree) -> Iterator[tuple[str, str, str]]:
    """The PEF 1.0 RELAX NG schema's verdict."""
    if not SCHEMA.is_file():
        yield "B007", ERROR, f"the PEF 1.0 schema is not at {SCHEMA}"
        return
    schema = etree.RelaxNG(etree.parse(str(SCHEMA), _PARSER))
    if not schema.validate(root):
        for entry in list(schema.error_log)[:5]:
            yield "B003", ERROR, f"line {entry.line}: {entry.message}"


def _size(pages: list[list[str]], cells: int, lines: int) -> Iterator[tuple[str, str, str]]:
    """Rows no longer than the declared cells, pages no longer than its lines."""
    for number, rows in enumerate(pages, start=1):
        if len(rows) > lines:
            yield "B002", ERROR, f"braille page {number} has {len(rows)} rows, over {lines}"
        for row_number, row in enumerate(rows, start=1):
            if len(row) > cells:
                yield "B001", ERROR, (f"braille page {number} row {row_number} has "
                                      f"{len(row)} cells, over {cells}")


def _brf_pages(brf: Path) -> list[list[str]]:
    """The BRF's pages as Unicode cells: form feeds between pages, CR LF after rows."""
    text = brf.read_bytes().decode("ascii", errors="replace")
    return [[to_unicode(row) for row in page.split("\r\n")[:-1]] for page in text.split("\f")]


def _page_labels(pdf: Path) -> list[str]:
    """The print edition's page labels, as its folios print them."""
    with pikepdf.open(pdf) as document:
        return [str(page.label) for page in document.pages]


def _recall(epub: Path, pages: list[list[str]], back: Translator,
            ) -> Iterator[tuple[str, str, str]]:
    """Back-translation gives back at least 98% of the words of the EPUB's text."""
    if not epub.is_file():
        yield "B005", WARNING, f"no {epub.name} beside it: the back-translation was not " \
                               "compared with the book's words"
        return
    wanted = Counter(proofread.words(_epub_text(epub)))
    share = proofread.recall(wanted, proofread.words_back(pages, back))
    if share < proofread.RECALL_FLOOR:
        yield "B005", ERROR, (f"back-translation gives back {share:.1%} of the book's words, "
                              f"under {proofread.RECALL_FLOOR:.0%}")


def _epub_text(epub: Path) -> str:
    """The text of the EPUB's content documents, the navigation document left out."""
    parts = []
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml") and not name.endswith(("nav.xhtml", "cover.xhtml")):
                root = lxml_html.fromstring(archive.read(name))
                parts.append(" ".join(str(text) for text in root.itertext()))
    return " ".join(parts)
