"""What mammoth does not carry (a run's language, a drop cap, a list's number) written into
the text it does carry, as Unicode noncharacters, and read back out of its markup.

Noncharacters are reserved for a program's internal use, so no document holds them (any found
are removed first) and mammoth passes them through untouched.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from publish.readers.docx.numbering import Numbering
from publish.readers.docx.properties import W

DROP_CAP = "\ufdd0"  # ends a drop cap's paragraph: it joins the next one
LANG_START, LANG_END, SPAN_END = "\ufdd1", "\ufdd2", "\ufdd3"  # LANG_START lang LANG_END ...
NUMBER_START, NUMBER_END = "\ufdd4", "\ufdd5"  # NUMBER_START n NUMBER_END at an item's start
ASSUMED_HEADER = "\ufdd6"  # in a table's first cell: Word marks no header row, the first is read
DECORATIVE = "\ufdd7"  # a picture's alt text when Word's "Mark as decorative" is ticked
_ALL = re.compile("[\ufdd0-\ufdd7]")
# Word 365 keeps "Mark as decorative" in an extension of the picture's properties (docPr)
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_NUMBER = re.compile(f"{NUMBER_START}(\\d+){NUMBER_END}")
_TEXT = f"{{{W}}}t"


def clean(text: str) -> str:
    """Text without any mark, for places, titles and code."""
    return _ALL.sub("", _NUMBER.sub("", text))


def item_number(text: str) -> int | None:
    """The number Word shows on the list item whose text this is."""
    found = _NUMBER.search(text)
    return int(found.group(1)) if found else None


def mark(document: etree._Element, language: str | None, numbering: Numbering) -> None:
    """Write the marks into the main document part, in place."""
    for text in document.iter(_TEXT):
        if text.text and _ALL.search(text.text):
            text.text = clean(text.text)
    for paragraph in document.iter(f"{{{W}}}p"):
        frame = paragraph.find(f"{{{W}}}pPr/{{{W}}}framePr")
        if frame is not None and frame.get(f"{{{W}}}dropCap") in ("drop", "margin"):
            _append(paragraph, DROP_CAP)
        number = numbering.next_number(paragraph)
        if number is not None:
            _prepend(paragraph, f"{NUMBER_START}{number}{NUMBER_END}")
    for table in document.iter(f"{{{W}}}tbl"):
        _mark_header(table)
    for properties in document.iter(_DOC_PR):
        if any(flag.get("val") in ("1", "true") for flag in properties.iter(_DECORATIVE)):
            properties.set("descr", DECORATIVE)  # mammoth hands it on as the alt text
    own = primary(language or "")
    for run in document.iter(f"{{{W}}}r"):
        lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
        value = lang.get(f"{{{W}}}val") if lang is not None else None
        if value and primary(value) != own:
            texts = list(run.iter(_TEXT))
            if texts:
                texts[0].text = f"{LANG_START}{value}{LANG_END}{texts[0].text or ''}"
                texts[-1].text = f"{texts[-1].text or ''}{SPAN_END}"


def _mark_header(table: etree._Element) -> None:
    """A table's first row as its header row when Word marks none as "Repeat as header row":
    a header row styled as one (Table Design > Header Row) is read so silently, any other
    first row with the ASSUMED_HEADER mark, for the lint to say so."""
    rows = table.findall(f"{{{W}}}tr")
    if not rows or any(row.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None for row in rows):
        return
    first = rows[0]
    properties = first.find(f"{{{W}}}trPr")
    if properties is None:
        properties = etree.Element(f"{{{W}}}trPr")
        first.insert(_after_row_exceptions(first), properties)
    etree.SubElement(properties, f"{{{W}}}tblHeader")
    look = table.find(f"{{{W}}}tblPr/{{{W}}}tblLook")
    if look is None or not _header_look(look):
        text = next(first.iter(_TEXT), None)
        if text is not None:
            text.text = f"{ASSUMED_HEADER}{text.text or ''}"


def _after_row_exceptions(row: etree._Element) -> int:
    """Where a row's properties go: after its optional table-property exceptions."""
    return 1 if len(row) and row[0].tag == f"{{{W}}}tblPrEx" else 0


def _header_look(look: etree._Element) -> bool:
    """Whether the table's style formats its first row as a header row."""
    flag = look.get(f"{{{W}}}firstRow")
    if flag is not None:
        return flag in ("1", "true", "on")
    value = look.get(f"{{{W}}}val") or "0"
    return bool(int(value, 16) & 0x0020) if re.fullmatch(r"[0-9A-Fa-f]{1,4}", value) else False


def primary(tag: str) -> str:
    """A language tag's language alone: en-US and en-GB are both English to a reader."""
    return tag.split("-")[0].lower()


def _texts(paragraph: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's own text elements, not those of a text box inside it."""
    for text in paragraph.iter(_TEXT):
        owner = next((a for a in text.iterancestors(f"{{{W}}}p")), None)
        if owner is paragraph:
            yield text


def _append(paragraph: etree._Element, mark_text: str) -> None:
    texts = list(_texts(paragraph))
    if texts:
        texts[-1].text = f"{texts[-1].text or ''}{mark_text}"


def _prepend(paragraph: etree._Element, mark_text: str) -> None:
    first = next(_texts(paragraph), None)
    if first is not None:
        first.text = f"{mark_text}{first.text or ''}"


def repack(parts: dict[str, bytes], name: str, document: etree._Element) -> bytes:
    """The Word file again, with the marked main part (stored, not compressed: it is read
    once, at once)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for part, data in parts.items():
            archive.writestr(part, etree.tostring(document) if part == name else data)
    return out.getvalue()
