"""EPUB 3.3 edition; the only module that imports EbookLib, and where its pitfalls are fixed.

EbookLib packages files we render ourselves: every content document (and the navigation
document) is a plain `EpubItem` holding our full XHTML, so EbookLib never rewrites a
`<head>`, invents a page-list or builds its own nav. Its writer is subclassed to stamp zip
entries with one fixed time, put `xml:lang` on the package and raise on errors.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jinja2
from ebooklib import epub
from lxml import etree

from publish import __version__
from publish.editions import page_map_maker, print_pages
from publish.epub import a11y as epub_a11y
from publish.epub.documents import (
    LAYERS,
    ContentDocument,
    Resource,
    cover_document,
    cover_resources,
    division_documents,
    image_resources,
    plan_layout,
)
from publish.epub.nav import nav_document, nav_insert_at
from publish.epub.pages import PrintPages
from publish.errors import BuildError
from publish.html import render_template, text_direction
from publish.identifiers import book_identifier
from publish.model import Book, Metadata
from publish.options import Options
from publish.readers.css import own_sheet

if TYPE_CHECKING:
    from _typeshed import SizedBuffer  # what ZipFile.writestr takes besides str (stubs only)

XHTML = "application/xhtml+xml"
NAV_NAME = "nav.xhtml"
REPORT_NAME = "reports/accessibility-report.xhtml"
log = logging.getLogger("publish")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip can record
_PRIMARY_ROLES = frozenset({"aut"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render_epub(book: Book, options: Options) -> bytes:
    """The EPUB as bytes: one document per division, our own nav, derived a11y metadata."""
    layout = plan_layout(book)
    stylesheets = _stylesheets(book)
    cover_image, generated_cover = cover_resources(book, layout)
    resources = [*stylesheets, *image_resources(layout, book.metadata.cover)]
    if generated_cover is not None:
        resources.append(generated_cover)
    sheet_names = tuple(r.name for r in stylesheets)
    documents = list(division_documents(book, layout, sheet_names))
    pages = PrintPages(print_pages(book, options), layout, NAV_NAME)
    documents = [pages.mark(document) for document in documents]
    nav = pages.mark(nav_document(book, layout, NAV_NAME, sheet_names, pages.page_list()))
    spine = _spine(book, cover_document(book, layout, cover_image, sheet_names), documents, nav)
    package = _package(book, resources, spine, nav, bool(pages.page_list()))
    report = _certifier_report(book, options)
    _conformance(package, book.metadata, report)
    _require_xml_text(package)
    return _write(package, book.metadata.language, build_time(), report)


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, so two builds of one manuscript are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError) as error:
            raise BuildError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time: {error}") \
                from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _stylesheets(book: Book) -> list[Resource]:
    """base.css (if any), epub.css, then the writer's own `styles/epub.css`, in cascade order."""
    sheets: list[Resource] = []
    for name in ("base.css", "epub/epub.css"):
        try:
            css = render_template(book, name, LAYERS)
        except jinja2.TemplateNotFound:
            continue
        sheets.append(Resource(f"styles/{name.rpartition('/')[2]}", "text/css",
                               css.encode("utf-8")))
    own = own_sheet(book.root, "epub.css")
    if own is not None:
        sheets.append(Resource("styles/manuscript.css", "text/css", own[0]))
    return sheets


def _spine(book: Book, cover: ContentDocument, documents: list[ContentDocument],
           nav: ContentDocument) -> list[ContentDocument]:
    """Reading order: cover, the divisions, and the contents where the print edition has it."""
    at = nav_insert_at(book)
    if at is None:
        return [cover, *documents]
    before = sum(1 + len(d.children) for d in book.divisions[:at])
    return [cover, *documents[:before], nav, *documents[before:]]


# ---------------------------------------------------------------- the package


def _package(book: Book, resources: Iterable[Resource], spine: list[ContentDocument],
             nav: ContentDocument, paged: bool) -> epub.EpubBook:
    """An EbookLib book holding our files verbatim, with metadata set by hand."""
    package = epub.EpubBook()
    package.metadata = {}  # drop EbookLib's generator line and random uuid4 identifier
    _metadata(package, book, paged)
    for resource in resources:
        _add(package, resource.name, resource.media_type, resource.data, resource.properties)
    items: dict[str, epub.EpubItem] = {}
    for document in [*spine, nav]:
        if document.name not in items:
            items[document.name] = _add(package, document.name, XHTML,
                                        document.content.encode("utf-8"), document.properties)
    package.spine = [items[d.name] for d in spine]
    return package


def _add(package: epub.EpubBook, name: str, media_type: str, data: bytes,
         properties: tuple[str, ...]) -> epub.EpubItem:
    """Register one file; EbookLib writes a plain EpubItem's content untouched."""
    item = epub.EpubItem(uid=_manifest_id(name), file_name=name, media_type=media_type,
                         content=data)
    item.properties = list(properties)  # EbookLib reads this attribute if present
    package.add_item(item)
    return item


def _manifest_id(name: str) -> str:
    """A manifest id (an XML name) made from the unique file name."""
    return "x-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in name)


def _metadata(package: epub.EpubBook, book: Book, paged: bool) -> None:
    """Dublin Core, creators with MARC roles, the pagination source and accessibility."""
    meta = book.metadata
    package.set_identifier(book_identifier(meta))
    package.add_metadata("DC", "title", meta.title, {"id": "title"})
    _refine(package, "title", "title-type", "main")
    if meta.subtitle:
        package.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        _refine(package, "subtitle", "title-type", "subtitle")
    package.set_language(meta.language)
    if text_direction(book) == "rtl":  # the spine's page-progression-direction
        package.set_direction("rtl")
    _creators(package, meta)
    for name, value in (("date", meta.date), ("publisher", meta.publisher),
                        ("rights", meta.rights), ("description", meta.description)):
        if value:
            package.add_metadata("DC", name, value)
    for subject in meta.subjects:
        package.add_metadata("DC", "subject", subject)
    if paged:
        _pagination_source(package, meta)
    _property(package, "generator", f"publish {__version__}", name_attr=True)
    _accessibility(package, epub_a11y.gather(book, page_list=paged))


def _pagination_source(package: epub.EpubBook, meta: Metadata) -> None:
    """The print edition whose page numbers the page-list carries (EPUB 3 `source-of` and
    the EPUB Accessibility `pageBreakSource`, unprefixed as EPUBCheck 5.3 accepts it): the
    identifier the print PDF carries in its XMP, never the EPUB's own."""
    source = print_source(meta)
    package.add_metadata("DC", "source", source, {"id": "print-source"})
    _refine(package, "print-source", "source-of", "pagination")
    _refine(package, "print-source", "pageBreakSource", source)


def _certifier_report(book: Book, options: Options) -> Resource | None:
    """The check report to carry, when the book asks for it and a check has made one."""
    certification = book.metadata.certification
    if certification is None or not certification.report:
        return None
    if options.certifier_report is None:
        log.warning("the book asks for its check report inside the EPUB: build with --check")
        return None
    return Resource(REPORT_NAME, XHTML, options.certifier_report.encode("utf-8"))


def _conformance(package: epub.EpubBook, meta: Metadata, report: Resource | None) -> None:
    """The conformance claim, only when the book's configuration names who certifies it."""
    certification = meta.certification
    if certification is None:
        return
    package.add_metadata(None, "meta", certification.conforms_to,
                         {"property": "dcterms:conformsTo", "id": "conformance"})
    package.add_metadata(None, "meta", certification.certified_by,
                         {"property": "a11y:certifiedBy", "id": "certifier"})
    if certification.credential:
        _refine(package, "certifier", "a11y:certifierCredential", certification.credential)
    if report is not None:
        package.add_metadata(None, "link", None, {
            "rel": "a11y:certifierReport", "refines": "#certifier", "href": report.name,
            "media-type": report.media_type})


def _require_xml_text(package: epub.EpubBook) -> None:
    """EbookLib silently drops metadata that XML cannot hold; refuse it loudly instead."""
    for values in package.metadata.values():
        for name, entries in values.items():
            for value, attrs in entries:
                for text in (value, *(attrs or {}).values()):
                    if text and _NOT_XML.search(text):
                        raise BuildError(f"metadata '{name}' holds a character XML cannot "
                                         f"carry: {text!r}")


def print_source(meta: Metadata) -> str:
    """The identifier of the edition whose layout gives the page map (the print PDF)."""
    return page_map_maker().identify(meta)


def _creators(package: epub.EpubBook, meta: Metadata) -> None:
    """Authors as dc:creator, other roles as dc:contributor, each refined by its role."""
    primary = {c.role for c in meta.creators} & _PRIMARY_ROLES or {c.role for c in meta.creators}
    for number, creator in enumerate(meta.creators, start=1):
        ident = f"creator-{number}"
        element = "creator" if creator.role in primary else "contributor"
        package.add_metadata("DC", element, creator.name, {"id": ident})
        _refine(package, ident, "role", creator.role, scheme="marc:relators")
        if creator.file_as:
            _refine(package, ident, "file-as", creator.file_as)


def _accessibility(package: epub.EpubBook, facts: epub_a11y.Facts) -> None:
    """schema.org accessibility properties, every value derived from the content."""
    for mode in epub_a11y.access_modes(facts):
        _property(package, "schema:accessMode", mode)
    for modes in epub_a11y.sufficient_modes(facts):
        _property(package, "schema:accessModeSufficient", modes)
    for feature in epub_a11y.features(facts):
        _property(package, "schema:accessibilityFeature", feature)
    for hazard in epub_a11y.HAZARDS:
        _property(package, "schema:accessibilityHazard", hazard)
    _property(package, "schema:accessibilitySummary", epub_a11y.summary(facts))


def _property(package: epub.EpubBook, prop: str, value: str, name_attr: bool = False) -> None:
    """One `<meta property>` (or old-style `<meta name content>`) in the package metadata."""
    attrs = {"name": prop, "content": value} if name_attr else {"property": prop}
    package.add_metadata(None, "meta", "" if name_attr else value, attrs)


def _refine(package: epub.EpubBook, ident: str, prop: str, value: str,
            scheme: str | None = None) -> None:
    """A `<meta refines>` that qualifies a title or a creator."""
    attrs = {"refines": f"#{ident}", "property": prop} | ({"scheme": scheme} if scheme else {})
    package.add_metadata(None, "meta", value, attrs)


# ---------------------------------------------------------------- writing


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry carries one timestamp and plain file permissions."""

    def __init__(self, target: io.BytesIO, moment: dt.datetime) -> None:
        super().__init__(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        self.stamp = max(moment, _ZIP_EPOCH).timetuple()[:6]

    def writestr(
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: SizedBuffer | str,
        compress_type: int | None = None, compresslevel: int | None = None,
    ) -> None:
        """Entries named by string get the fixed time instead of the clock's."""
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.stamp)
            info.compress_type = compress_type if compress_type is not None else self.compression
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix on every platform, so bytes match across machines
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


class _Writer(epub.EpubWriter):
    """EbookLib's writer, made deterministic, language-tagged and loud about failures."""

    def __init__(self, target: io.BytesIO, package: epub.EpubBook, language: str,
                 moment: dt.datetime, linked: Resource | None) -> None:
        super().__init__(target, package, {
            "epub2_guide": False, "epub3_landmark": False, "epub3_pages": False,
            "mtime": moment.astimezone(dt.UTC), "raise_exceptions": True,
        })
        self.language = language
        self.moment = moment
        self.linked = linked

    def write(self) -> None:
        """The mimetype first and stored, then container, package and files, all one time;
        a linked resource last (a `link` target must not be a manifest item)."""
        self.out = _FixedTimeZip(self.file_name, self.moment)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        if self.linked is not None:
            self.out.writestr(f"{self.book.FOLDER_NAME}/{self.linked.name}", self.linked.data)
        self.out.close()

    def _write_opf_file(self, root: etree._Element) -> None:
        """Add the package language and drop the NCX reference EbookLib always writes."""
        root.set(_XML_LANG, self.language)
        spine = root.find("spine")
        if spine is not None and spine.get("toc") and root.find(
                f"manifest/item[@id='{spine.get('toc')}']") is None:
            del spine.attrib["toc"]
        super()._write_opf_file(root)


def _write(package: epub.EpubBook, language: str, moment: dt.datetime,
           linked: Resource | None = None) -> bytes:
    """Zip the package in memory; any failure raises BuildError instead of returning False."""
    target = io.BytesIO()
    writer = _Writer(target, package, language, moment, linked)
    try:
        writer.process()
        writer.write()
    except (OSError, ValueError, etree.LxmlError) as error:
        raise BuildError(f"could not write the EPUB: {error}") from error
    return target.getvalue()
