"""Large print beyond CSS: the profile's numbers, print page references, text a sans face can
set, and tables stacked when they cannot fit at the asked size. No WeasyPrint here."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from publish.editions import print_pages
from publish.editions.large_print import LARGE_PRINT
from publish.html import render_book
from publish.model import Book
from publish.options import Options
from publish.pagination import PageMap, PageStart, insert_markers
from publish.pdf.print_page import table_values
from publish.pdf.stacked import MARKER, lift_markers, stack
from publish.profiles import paper_size

PAPER_PT = {"A4": (595.28, 841.89), "letter": (612.0, 792.0)}  # width, height
_UNITS_PT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}
CHAR_EM = 0.6  # a generous average advance of Atkinson Hyperlegible Bold, in em
CELL_EM = 0.8  # a table cell's left and right padding together, in em
FIGURE_SHARE = 0.7  # of the text block's height, so a caption fits beside a figure
# Characters no vendored sans face has, set as the dashes they stand for.
_SUBSTITUTES = str.maketrans({
    "\u2e3a": "\u2014\u2014", "\u2e3b": "\u2014\u2014\u2014", "\u2010": "-", "\u2011": "-",
})
# The end-note back link: the caret readers know from Wikipedia's notes ("jump back up"), which
# Atkinson Hyperlegible has; the arrow the other editions draw (↩) is in no sans we bundle.
# The link's accessible name (its aria-label) says where it goes either way.
BACKLINK_MARK = "^"
# A hyphen inside a word: a word joiner after it keeps the word on one line.
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_VERBATIM = ("pre", "code")


def page_values(book: Book, options: Options) -> dict[str, Any]:
    """What the large-print stylesheet needs: the profile's numbers at the asked size."""
    profile, size = options.profile, options.large_print_size
    paper = paper_size(book.metadata.language)
    width, height = PAPER_PT[paper]
    margin = points(profile.margin)
    bottom = max(margin, size * 1.6)  # the folio is set at the body size below the text
    h1, h2, h3 = (round(size * max(scale, 1.0), 1) for scale in profile.headings)
    return {
        "profile": profile.name, "size": size, "leading": profile.leading,
        "h1": h1, "h2": h2, "h3": h3, "trim": paper, "margin": f"{margin:.1f}pt",
        "margin_inner": f"{margin:.1f}pt", "margin_outer": f"{margin:.1f}pt",
        "margin_top": f"{margin:.1f}pt", "margin_bottom": f"{bottom:.1f}pt",
        "body_size": f"{size:g}pt", "figure_max": round((height - margin - bottom) * FIGURE_SHARE),
        "measure_em": (width - 2 * margin) / size, **table_values(),
    }


def raw_markup(book: Book, layers: tuple[str, ...]) -> str:
    """The shared templates under the large-print layers, notes as end notes."""
    return render_book(book, LARGE_PRINT.name, layers, footnotes=False)


def edition_markup(book: Book, options: Options) -> str:
    """The large-print document, marked where the print pages begin (laid out here when
    the build did not hand the print page map over)."""
    measure = page_values(book, options)["measure_em"]
    return mark_up(raw_markup(book, LARGE_PRINT.layers), print_pages(book, options), measure)


def points(length: str) -> float:
    """A CSS length in pt, cm, mm or in, as points."""
    match = re.fullmatch(r"([\d.]+)(pt|in|cm|mm)", length.strip())
    if not match:
        raise ValueError(f"not a length in pt, in, cm or mm: {length!r}")
    return float(match[1]) * _UNITS_PT[match[2]]


def mark_up(markup: str, starts: PageMap, measure_em: float) -> str:
    """The large-print document: print page references, stacked wide tables, settable text."""
    root = lxml_html.document_fromstring(markup)
    # before any text changes (offsets count the text as it was)
    insert_markers(root, starts, page_marker, whole_words=True)
    join_stacked_markers(root)
    lift_markers(root)
    for table in list(root.iter("table")):
        if min_width_em(table) > measure_em:
            stack(table)
    set_text(root)
    for link in [a for a in root.iter("a") if "backlink" in (a.get("class") or "").split()]:
        mark_backlink(link)
    return str(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def mark_backlink(link: Any) -> None:
    """The back link drawn as a caret, tied to the note's last word by a no-break space so
    that it never starts a line (or a page) alone; a link on a line of its own after the
    note's last paragraph moves to that paragraph's end."""
    link.text = BACKLINK_MARK
    holder = link.getparent()
    alone = holder.tag == "p" and len(holder) == 1 and not (holder.text or "").strip()
    last = holder.getprevious()
    if alone and last is not None and last.tag == "p":
        holder.getparent().remove(holder)
        link.tail = None
        last.append(link)
    before = link.getprevious()
    if before is not None:
        before.tail = (before.tail or "").rstrip(" ") + "\u00a0"
    elif (link.getparent().text or "").strip():
        link.getparent().text = link.getparent().text.rstrip(" ") + "\u00a0"


def page_marker(start: PageStart, before_heading: bool) -> Any:
    """`[37]` where print page 37 begins; a line of its own before a heading."""
    element = etree.Element("div" if before_heading else "span")
    element.set("class", MARKER)
    element.set("role", "doc-pagebreak")
    element.text = f"[{start.label}]"
    element.tail = None if before_heading else " "
    return element


def join_stacked_markers(root: Any) -> None:
    """Pages beginning at one heading (a blank print page, then the next) share one line:
    `[iv] [v]`, not a column of references."""
    for marker in list(root.iter("div")):
        before = marker.getprevious()
        if _is_line_marker(marker) and before is not None and _is_line_marker(before) \
                and not (before.tail or "").strip():
            before.text = f"{before.text} {marker.text}"
            before.tail = marker.tail
            marker.getparent().remove(marker)


def _is_line_marker(element: etree._Element) -> bool:
    return element.tag == "div" and element.get("class") == MARKER


def min_width_em(table: Any) -> float:
    """How wide a table must be to set its longest word in each column without a break."""
    columns: dict[int, int] = {}
    for row in table.iter("tr"):
        for j, cell in enumerate(c for c in row if c.tag in ("td", "th")):
            longest = max((len(word) for word in cell.text_content().split()), default=0)
            columns[j] = max(columns.get(j, 0), longest)
    return sum(chars * CHAR_EM + CELL_EM for chars in columns.values())


def set_text(root: Any) -> None:
    """Dashes the faces lack become em dashes; hyphenated words stay on one line."""
    verbatim = {e for element in root.iter(*_VERBATIM) for e in element.iter()}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and element not in verbatim:
            element.text = settable(element.text)
        if element.tail and element.getparent() not in verbatim:
            element.tail = settable(element.tail)


def settable(text: str) -> str:
    """One run of text as the large-print faces can set it without breaking a word."""
    return _INNER_HYPHEN.sub("-\u2060", text.translate(_SUBSTITUTES))
