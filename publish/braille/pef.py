"""The Portable Embosser Format (PEF 1.0) file, and the BRF derived from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from publish.braille.cells import to_ascii
from publish.model import Metadata

PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class Volume:
    """The laid-out braille: each section a list of pages, each page its rows of cells."""

    cells: int
    lines: int
    sections: tuple[tuple[tuple[str, ...], ...], ...]


def write_pef(volume: Volume, meta: Metadata, identifier: str, source: str | None) -> bytes:
    """The PEF document: Dublin Core metadata, one volume, its sections, pages and rows."""
    root = etree.Element(f"{{{PEF_NS}}}pef", version="2008-1",
                         nsmap={None: PEF_NS})  # type: ignore[dict-item]
    head = etree.SubElement(root, f"{{{PEF_NS}}}head")
    described = etree.SubElement(head, f"{{{PEF_NS}}}meta", nsmap={"dc": DC_NS})
    fields = [("format", "application/x-pef+xml"), ("identifier", identifier),
              ("title", meta.title), *(("creator", name) for name in meta.authors),
              ("language", meta.language)]
    if meta.publisher:
        fields.append(("publisher", meta.publisher))
    if meta.date and _ISO_DATE.fullmatch(meta.date):
        fields.append(("date", meta.date))
    if source:
        fields.append(("source", source))
    for name, value in fields:
        etree.SubElement(described, f"{{{DC_NS}}}{name}").text = value
    body = etree.SubElement(root, f"{{{PEF_NS}}}body")
    shelf = etree.SubElement(body, f"{{{PEF_NS}}}volume", cols=str(volume.cells),
                             rows=str(volume.lines), rowgap="0", duplex="false")
    for pages in volume.sections:
        section = etree.SubElement(shelf, f"{{{PEF_NS}}}section")
        for rows in pages:
            page = etree.SubElement(section, f"{{{PEF_NS}}}page")
            for row in rows:
                etree.SubElement(page, f"{{{PEF_NS}}}row").text = row
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 pretty_print=True)
    return data


def page_size(pef: bytes) -> tuple[int, int]:
    """The cells per row and rows per page the PEF's first volume declares."""
    volume = etree.fromstring(pef, _PARSER).find(f".//{{{PEF_NS}}}volume")
    if volume is None:
        raise ValueError("a PEF without a volume")
    return int(volume.get("cols", "0")), int(volume.get("rows", "0"))


def read_pages(pef: bytes) -> list[list[str]]:
    """Every page's rows of Unicode cells, in order, from a PEF document."""
    root = etree.fromstring(pef, _PARSER)
    return [[row.text or "" for row in page.iter(f"{{{PEF_NS}}}row")]
            for page in root.iter(f"{{{PEF_NS}}}page")]


def brf_from_pef(pef: bytes) -> bytes:
    """The BRF: the same pages in braille ASCII, rows ending CR LF, pages separated by
    form feeds."""
    pages = ["".join(f"{to_ascii(row)}\r\n" for row in rows) for rows in read_pages(pef)]
    return "\f".join(pages).encode("ascii")
