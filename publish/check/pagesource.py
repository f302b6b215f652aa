"""The metadata pairs a reading system acts on when an EPUB carries print page numbers (K005):
a page-list goes with the `pageNavigation` feature, page-break markers with
`pageBreakMarkers` (or its older name `printPageNumbers`), and the page numbers' source
(`dc:source` refined as `pageBreakSource`) names the print edition, never the EPUB itself:
the identifier in the print PDF's XMP when that PDF sits beside the EPUB."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pikepdf
from lxml import etree

from publish import __version__
from publish.check.model import ERROR, Issue, Run
from publish.editions import EDITIONS, stem_of

_OPF = "http://www.idpf.org/2007/opf"
_DC = "http://purl.org/dc/elements/1.1/"
_OPS = "http://www.idpf.org/2007/ops"
_XHTML = "http://www.w3.org/1999/xhtml"
_MARKERS = ("pageBreakMarkers", "printPageNumbers")  # the newer name, then the older


@dataclass(frozen=True)
class Pagination:
    """What an EPUB says of its print page numbers, and what it holds."""

    identifier: str  # the EPUB's own (its package's unique identifier)
    features: frozenset[str]  # schema:accessibilityFeature values
    sources: dict[str, str]  # dc:source id -> value
    page_break_sources: dict[str, str]  # the dc:source id it refines -> its value
    page_list: bool  # a nav holds a non-empty page-list
    markers: bool  # a content document marks where print pages begin


def page_source(path: Path) -> Run:
    """K005 for each pair that does not hold."""
    run = Run("page-source", path.name, __version__)
    try:
        found = read_pagination(path)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        run.issues.append(Issue(path.name, run.tool, ERROR, "K005",
                                f"the EPUB's package could not be read: {error}"))
        return run
    run.issues.extend(Issue(path.name, run.tool, ERROR, "K005", problem)
                      for problem in problems(found, print_identifier_beside(path)))
    return run


def problems(found: Pagination, print_id: str | None) -> list[str]:
    """Each broken pair, in words; `print_id` is the print PDF's identifier, if known."""
    said: list[str] = []
    if found.page_list != ("pageNavigation" in found.features):
        said.append("a page-list without the pageNavigation feature" if found.page_list
                    else "the pageNavigation feature without a page-list")
    if found.markers and not found.features.intersection(_MARKERS):
        said.append("page-break markers without the pageBreakMarkers feature")
    if not found.page_list:
        return said
    if not found.page_break_sources:
        return [*said, "a page-list without a pageBreakSource naming its print edition"]
    for source_id, value in found.page_break_sources.items():
        if found.sources.get(source_id) != value:
            said.append(f"pageBreakSource {value!r} refines no dc:source of that value")
        if value == found.identifier:
            said.append(f"pageBreakSource {value!r} is the EPUB's own identifier, not the "
                        "print edition's")
        elif print_id is not None and value != print_id:
            said.append(f"pageBreakSource {value!r} is not the print PDF's identifier "
                        f"{print_id!r}")
    return said


def read_pagination(path: Path) -> Pagination:
    """Read the package document, its navigation and its content documents."""
    with zipfile.ZipFile(path) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_name = _needed(container.find(".//{*}rootfile"), "rootfile").get("full-path", "")
        package = etree.fromstring(book.read(opf_name))
        folder = PurePosixPath(opf_name).parent
        items = package.findall(f"{{{_OPF}}}manifest/{{{_OPF}}}item")
        documents = [etree.fromstring(book.read(str(folder / item.get("href", ""))))
                     for item in items if item.get("media-type") == "application/xhtml+xml"]
    unique = package.get("unique-identifier", "")
    metadata = _needed(package.find(f"{{{_OPF}}}metadata"), "metadata")
    own = next((e.text or "" for e in metadata.iter(f"{{{_DC}}}identifier")
                if e.get("id") == unique), "")
    metas = list(metadata.iter(f"{{{_OPF}}}meta"))
    return Pagination(
        identifier=own.strip(),
        features=frozenset((m.text or "").strip() for m in metas
                           if m.get("property") == "schema:accessibilityFeature"),
        sources={e.get("id", ""): (e.text or "").strip()
                 for e in metadata.iter(f"{{{_DC}}}source")},
        page_break_sources={m.get("refines", "").lstrip("#"): (m.text or "").strip()
                            for m in metas if m.get("property") == "pageBreakSource"},
        page_list=any(_page_list_entries(document) for document in documents),
        markers=any(_marks_pages(document) for document in documents),
    )


def _needed(element: etree._Element | None, name: str) -> etree._Element:
    """An element the package cannot do without."""
    if element is None:
        raise KeyError(f"no {name} element")
    return element


def _page_list_entries(document: etree._Element) -> int:
    """How many entries a document's page-list nav holds (0 when it has none)."""
    return sum(len(nav.findall(f".//{{{_XHTML}}}li"))
               for nav in document.iter(f"{{{_XHTML}}}nav")
               if "page-list" in nav.get(f"{{{_OPS}}}type", "").split())


def _marks_pages(document: etree._Element) -> bool:
    """Whether a content document marks a print page's start."""
    return any("pagebreak" in element.get(f"{{{_OPS}}}type", "").split()
               or element.get("role") == "doc-pagebreak" for element in document.iter())


def print_identifier_beside(path: Path) -> str | None:
    """The identifier in the XMP of the print PDF built beside this EPUB, if there is one."""
    printed = path.with_name(stem_of(path, EDITIONS["epub"]) + EDITIONS["print"].suffix)
    if not printed.is_file():
        return None
    with pikepdf.open(printed) as pdf:
        identifier = pdf.open_metadata().get("dc:identifier")
    return str(identifier).strip() if identifier else None
