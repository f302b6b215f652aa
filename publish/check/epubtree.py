"""An EPUB's content documents read with lxml, in spine order, as comparable semantics."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from lxml import etree

from publish.check.semantics import Collector, Semantics, clean

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "h": "http://www.w3.org/1999/xhtml",
}
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_HEADINGS = {f"{{{_NS['h']}}}h{n}": n for n in range(1, 7)}
_NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note"})
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote"})
_BLOCKS = frozenset({  # elements whose text does not run on into the next element's
    "p", "div", "section", "article", "aside", "nav", "header", "footer", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "tr", "td",
    "th", "blockquote", "figure", "figcaption", "pre", "br", "hr",
})


def read_semantics(path: Path) -> Semantics:
    """The comparable semantics of an EPUB's spine, the cover page left out."""
    found = Collector()
    for body in _spine_bodies(path):
        if "cover" in (body.get(_EPUB_TYPE) or "").split():
            continue  # the PDF editions have no cover page to compare it with
        for element in _visible(body):
            _sort(element, found)
    return found.semantics()


def reading_text(path: Path) -> str:
    """The text of the spine a reader meets: no cover, no navigation document (each PDF has
    its own contents), nothing hidden or visually hidden (`quiet`, for screen readers)."""
    parts: list[str] = []
    for body in _spine_bodies(path):
        if "cover" in (body.get(_EPUB_TYPE) or "").split() or body.find(".//h:nav", _NS) \
                is not None:
            continue
        _add_text(body, parts)
    return "".join(parts)


def _add_text(element: etree._Element, parts: list[str]) -> None:
    """An element's shown text, in order, into `parts` (its tail is the caller's)."""
    if element.get("hidden") is not None or "quiet" in (element.get("class") or "").split():
        return
    apart = " " if etree.QName(element).localname in _BLOCKS else ""
    parts.append(apart + (element.text or ""))
    for child in element:
        if isinstance(child.tag, str):
            _add_text(child, parts)
        parts.append(child.tail or "")
    parts.append(apart)


def _sort(element: etree._Element, found: Collector) -> None:
    """Record `element` under what it tells assistive technology, if anything."""
    tag = element.tag
    if tag in _HEADINGS:
        found.heading(_HEADINGS[tag], _text(element))
    elif tag == f"{{{_NS['h']}}}img" and (element.get("alt") or "").strip():
        found.alts.append(clean(element.get("alt", "")))
    elif tag == f"{{{_NS['h']}}}tr" and _is_header_row(element):
        found.headers.append(" | ".join(_text(cell) for cell in element))
    elif _is_note(element):
        found.notes.append(_text(element))
    lang = element.get(_XML_LANG) or element.get("lang")
    if lang and lang != _parent_lang(element):
        found.languages.append(f"{lang}: {_text(element)}")


def _spine_bodies(path: Path) -> Iterator[etree._Element]:
    """The `body` of each spine document, in reading order."""
    with zipfile.ZipFile(path) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        # xpath's result type follows the expression: attribute strings or elements here
        opf_path = cast(list[str], container.xpath("//c:rootfile/@full-path", namespaces=_NS))[0]
        opf = etree.fromstring(archive.read(opf_path))
        # href is required on a manifest item (a missing one fails in join, as before)
        hrefs = {item.get("id"): cast(str, item.get("href"))
                 for item in cast(list[etree._Element],
                                  opf.xpath("//opf:manifest/opf:item", namespaces=_NS))}
        folder = posixpath.dirname(opf_path)
        for idref in cast(list[str],
                          opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=_NS)):
            name = posixpath.normpath(posixpath.join(folder, hrefs[idref]))
            document = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False))
            body = document.find("h:body", _NS)
            if body is not None:
                yield body


def _visible(body: etree._Element) -> Iterator[etree._Element]:
    """Elements a reader meets, leaving out `hidden` ones and their content."""
    for element in body.iter(etree.Element):
        if not any(a.get("hidden") is not None for a in element.iterancestors()) \
                and element.get("hidden") is None:
            yield element


def _text(element: etree._Element) -> str:
    """The element's text without note back-links, which the PDFs carry as arrows."""
    parts = [t for t in element.itertext() if t.strip() != "↩"]
    return clean("".join(parts))  # type: ignore[arg-type]  # lxml-stubs: itertext yields str


def _is_header_row(row: etree._Element) -> bool:
    """A row of header cells only: the table's column headings."""
    cells = [etree.QName(cell).localname for cell in row]
    return bool(cells) and all(name == "th" for name in cells)


def _is_note(element: etree._Element) -> bool:
    """A footnote or endnote, by its EPUB type or ARIA role."""
    types = set((element.get(_EPUB_TYPE) or "").split())
    return bool(types & _NOTE_TYPES) or element.get("role") in _NOTE_ROLES


def _parent_lang(element: etree._Element) -> str | None:
    """The language around `element`, to tell a change of language from an inherited one."""
    for ancestor in element.iterancestors():
        lang = ancestor.get(_XML_LANG) or ancestor.get("lang")
        if lang:
            return lang
    return None
