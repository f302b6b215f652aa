"""A web edition's pages read with lxml, index first and then each page's `rel=next`, as
comparable semantics: only each page's `main`, where the book's text is."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from lxml import etree
from lxml import html as lxml_html

from publish.check.semantics import Collector, Semantics, clean

INDEX = "index.html"
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def read_semantics(path: Path) -> Semantics:
    """The comparable semantics of a web edition's zip, or of its unpacked folder."""
    found = Collector()
    for main in _mains(path):
        for element in main.iter(etree.Element):
            if element.get("hidden") is None and not any(
                    a.get("hidden") is not None for a in element.iterancestors()):
                _sort(element, found)
    return found.semantics()


def page_order(read: dict[str, bytes]) -> list[str]:
    """The site's pages in reading order: the index, then `rel=next` to the end."""
    order: list[str] = []
    name: str | None = INDEX
    while name is not None and name in read and name not in order:
        order.append(name)
        document = lxml_html.document_fromstring(read[name])
        links = strings(document, "//head/link[@rel='next']/@href")
        name = links[0] if links else None
    return order


def strings(document: etree._Element, expression: str) -> list[str]:
    """What an XPath expression that selects attributes gives, as strings."""
    return [str(value) for value in cast(list[object], document.xpath(expression))]


def site_files(path: Path) -> dict[str, bytes]:
    """Every HTML page of the site by name, from its zip or its folder."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.glob("*.html"))}
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.endswith(".html") and "/" not in name}


def _mains(path: Path) -> Iterator[etree._Element]:
    """The `main` of each page, in reading order."""
    read = site_files(path)
    for name in page_order(read):
        main = lxml_html.document_fromstring(read[name]).find(".//main")
        if main is not None:
            yield main


def _sort(element: etree._Element, found: Collector) -> None:
    """Record `element` under what it tells assistive technology, if anything."""
    tag = element.tag
    if tag in _HEADINGS:
        found.heading(_HEADINGS[str(tag)], _text(element))
    elif tag == "img" and (element.get("alt") or "").strip():
        found.alts.append(clean(element.get("alt", "")))
    elif tag == "tr" and len(element) and all(cell.tag == "th" for cell in element):
        found.headers.append(" | ".join(_text(cell) for cell in element))
    elif tag == "li" and "note" in (element.get("class") or "").split():
        found.notes.append(_text(element))
    lang = element.get("lang")
    if lang and lang != _parent_lang(element):
        found.languages.append(f"{lang}: {_text(element)}")


def _text(element: etree._Element) -> str:
    """The element's text without note back-links and page-break anchors."""
    parts = [t for t in _texts(element) if t.strip() != "↩"]
    return clean("".join(parts))


def _parent_lang(element: etree._Element) -> str | None:
    """The language around `element`, to tell a change of language from an inherited one."""
    for ancestor in element.iterancestors():
        if lang := ancestor.get("lang"):
            return lang
    return None


def _texts(element: etree._Element) -> Iterator[str]:
    """The text under `element`, leaving out what page-break anchors show."""
    if element.text:
        yield element.text
    for child in element:
        if child.get("role") != "doc-pagebreak":
            yield from _texts(child)
        if child.tail:
            yield child.tail
