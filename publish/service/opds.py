"""The public catalogue reading apps subscribe to: an OPDS 1.2 acquisition feed (Atom) and
an OPDS 2.0 feed (JSON) of the titles their owners published, each with the newest file of
every EPUB, print PDF, large print (each size) and braille (each page and grade) built, its
cover, and the EPUB's own accessibility metadata. Drafts never appear; files of drafts are
never served."""

from __future__ import annotations

import time
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from publish import __version__
from publish.service.actions import Service, error
from publish.service.store import Store, is_key
from publish.service.uploads import COVER_TYPES
from publish.service.views import file_label

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
SCHEMA = "http://schema.org/"
ACQUISITION = "http://opds-spec.org/acquisition/open-access"
FEED_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
_A11Y = ("accessMode", "accessModeSufficient", "accessibilityFeature", "accessibilityHazard",
         "accessibilitySummary")
# What a reading app or a braille device takes (a web edition's zipped site is neither),
# in the order a title's links list them
OFFERED = ("epub", "print", "large-print", "braille")
_VARIANT = ("size", "profile", "cells", "lines", "grade")  # options that make another file


def _stamp(seconds: float) -> str:
    """A time as Atom and OPDS 2.0 write it (RFC 3339, UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def catalogue(store: Store) -> list[dict[str, Any]]:
    """Each published title with a file built: its description, when published, and its
    files on offer."""
    found = []
    for ident, published in store.published():
        meta = store.meta(ident)
        files = offered_files(store, ident)
        if not files:  # nothing to acquire yet: an entry without a file is not valid
            continue
        epub = next((f["key"] for f in files if f["edition"] == "epub"), None)
        found.append({"ident": ident, "meta": meta, "published": published, "files": files,
                      "a11y": accessibility(store.file(epub)) if epub else {}})
    return found


def offered_files(store: Store, ident: str) -> list[dict[str, Any]]:
    """The newest file of each edition and options built (large print at each size,
    braille at each page and grade, whatever code version built it), edition by edition."""
    newest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key in store.built(ident):  # newest first
        file_meta = store.file_meta(key)
        variant = (file_meta["edition"], *(file_meta.get(name) for name in _VARIANT))
        if file_meta["edition"] in OFFERED and variant not in newest:
            stat = store.file(key).stat()
            newest[variant] = {"edition": file_meta["edition"], "key": key,
                               "type": file_meta["media_type"], "title": file_label(file_meta),
                               "length": stat.st_size, "updated": stat.st_mtime}
    return sorted(newest.values(), key=lambda f: (OFFERED.index(f["edition"]), f["title"]))


@lru_cache(maxsize=256)
def accessibility(epub: Path) -> dict[str, list[str]]:
    """The schema.org accessibility properties an EPUB's package declares (files in the
    store never change, so a path's answer is kept)."""
    with zipfile.ZipFile(epub) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//{*}rootfile")
        if rootfile is None:
            return {}
        package = etree.fromstring(archive.read(rootfile.get("full-path", "")))
    found: dict[str, list[str]] = {}
    for meta in package.iterfind(".//{http://www.idpf.org/2007/opf}meta[@property]"):
        name = meta.get("property", "").removeprefix("schema:")
        if name in _A11Y and meta.text:
            found.setdefault(name, []).append(meta.text.strip())
    return found


def atom(base: str, titles: list[dict[str, Any]]) -> bytes:
    """The OPDS 1.2 acquisition feed."""
    nsmap = {None: ATOM, "dc": DC, "opds": OPDS, "schema": SCHEMA}
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)  # type: ignore[arg-type]
    _add(feed, "id", f"{base}/opds/catalog.xml")
    _add(feed, "title", "publish: accessible editions")
    _add(feed, "updated", _stamp(max((t["published"] for t in titles), default=0.0)))
    author = _add(feed, "author")
    _add(author, "name", "publish")
    _add(feed, "generator", "publish", version=__version__)
    _link(feed, "self", f"{base}/opds/catalog.xml", FEED_TYPE)
    _link(feed, "start", f"{base}/opds/catalog.xml", FEED_TYPE)
    for title in titles:
        _entry(feed, base, title)
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _entry(feed: etree._Element, base: str, title: dict[str, Any]) -> None:
    """One title's Atom entry: what a reading app lists, and its files to acquire."""
    meta = title["meta"]
    entry = _add(feed, "entry")
    _add(entry, "id", meta.get("identifier") or f"urn:sha256:{title['ident']}")
    _add(entry, "title", meta["title"])
    updated = max([title["published"], *(f["updated"] for f in title["files"])])
    _add(entry, "updated", _stamp(updated))
    for name in meta.get("authors") or ["Unknown"]:
        _add(_add(entry, "author"), "name", name)
    if meta.get("language"):
        etree.SubElement(entry, f"{{{DC}}}language").text = meta["language"]
    if meta.get("publisher"):
        etree.SubElement(entry, f"{{{DC}}}publisher").text = meta["publisher"]
    if meta.get("date"):
        etree.SubElement(entry, f"{{{DC}}}issued").text = meta["date"]
    if meta.get("description"):
        _add(entry, "summary", meta["description"], type="text")
    for name, values in title["a11y"].items():
        for value in values:
            etree.SubElement(entry, f"{{{SCHEMA}}}{name}").text = value
    if meta.get("cover"):
        cover = f"{base}/opds/covers/{title['ident']}"
        kind = COVER_TYPES[Path(meta["cover"]).suffix.lower()]
        _link(entry, "http://opds-spec.org/image", cover, kind)
        _link(entry, "http://opds-spec.org/image/thumbnail", cover, kind)
    for file in title["files"]:
        _link(entry, ACQUISITION, f"{base}/opds/files/{file['key']}", file["type"],
              title=file["title"], length=str(file["length"]))


def _add(parent: etree._Element, name: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    """An Atom child element, with text when given."""
    child = etree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        child.text = text
    return child


def _link(parent: etree._Element, rel: str, href: str, kind: str, **extra: str) -> None:
    """An Atom link with its relation and media type."""
    _add(parent, "link", rel=rel, href=href, type=kind, **extra)


def opds2(base: str, titles: list[dict[str, Any]]) -> dict[str, Any]:
    """The OPDS 2.0 feed: the same titles as publications."""
    feed: dict[str, Any] = {
        "metadata": {"title": "publish: accessible editions", "numberOfItems": len(titles)},
        "links": [{"rel": "self", "href": f"{base}/opds/catalog.json",
                   "type": "application/opds+json"},
                  {"rel": "alternate", "href": f"{base}/opds/catalog.xml", "type": FEED_TYPE}],
    }
    if titles:
        feed["publications"] = [_publication(base, title) for title in titles]
    else:  # a feed holds publications or navigation: an empty one points at the page
        feed["navigation"] = [{"href": f"{base}/", "type": "text/html",
                               "title": "Nothing is published yet: the service's page"}]
    return feed


def _publication(base: str, title: dict[str, Any]) -> dict[str, Any]:
    """One title as an OPDS 2.0 publication."""
    meta = title["meta"]
    described: dict[str, Any] = {
        "@type": "http://schema.org/Book", "title": meta["title"],
        "identifier": meta.get("identifier") or f"urn:sha256:{title['ident']}",
        "modified": _stamp(max([title["published"],
                                *(f["updated"] for f in title["files"])])),
    }
    optional = {"subtitle": meta.get("subtitle"), "language": meta.get("language"),
                "description": meta.get("description"), "publisher": meta.get("publisher"),
                "author": meta.get("authors") or None}
    described.update({key: value for key, value in optional.items() if value})
    a11y = title["a11y"]
    if a11y:
        described["accessibility"] = _a11y_object(a11y)
    publication: dict[str, Any] = {
        "metadata": described,
        "links": [{"rel": ACQUISITION, "href": f"{base}/opds/files/{f['key']}",
                   "type": f["type"], "title": f["title"]} for f in title["files"]],
    }
    if meta.get("cover"):
        publication["images"] = [{"href": f"{base}/opds/covers/{title['ident']}",
                                  "type": COVER_TYPES[Path(meta["cover"]).suffix.lower()]}]
    return publication


def _a11y_object(a11y: dict[str, list[str]]) -> dict[str, Any]:
    """The EPUB's schema.org properties as the Readium accessibility object names them."""
    found: dict[str, Any] = {}
    if "accessMode" in a11y:
        found["accessMode"] = a11y["accessMode"]
    if "accessModeSufficient" in a11y:
        found["accessModeSufficient"] = [value.split(",") if "," in value else value
                                         for value in a11y["accessModeSufficient"]]
    if "accessibilityFeature" in a11y:
        found["feature"] = a11y["accessibilityFeature"]
    if "accessibilityHazard" in a11y:
        found["hazard"] = a11y["accessibilityHazard"]
    if "accessibilitySummary" in a11y:
        found["summary"] = " ".join(a11y["accessibilitySummary"])
    return found


def _base(request: Request) -> str:
    """The address the client reached the server at: the feeds' links are absolute."""
    return str(request.base_url).rstrip("/")


async def feed_xml(request: Request, service: Service) -> Response:
    """GET /opds/catalog.xml."""
    titles = await run_in_threadpool(catalogue, service.store)
    return Response(atom(_base(request), titles), media_type=FEED_TYPE)


async def feed_json(request: Request, service: Service) -> Response:
    """GET /opds/catalog.json."""
    titles = await run_in_threadpool(catalogue, service.store)
    return JSONResponse(opds2(_base(request), titles), media_type="application/opds+json")


async def published_file(request: Request, service: Service) -> Response:
    """GET /opds/files/{key}: a built file of a published title, to anyone."""
    key = request.path_params["key"]
    if not service.store.has_file(key):
        return error(404, "no such file")
    meta = service.store.file_meta(key)
    if not service.store.is_published(meta["manuscript"]):
        return error(404, "no such file")
    return FileResponse(service.store.file(key), media_type=meta["media_type"],
                        filename=meta["filename"])


async def cover(request: Request, service: Service) -> Response:
    """GET /opds/covers/{id}: the cover of a published title."""
    ident = request.path_params["ident"]
    if not (is_key(ident) and service.store.is_published(ident)):
        return error(404, "no such cover")
    path = service.store.meta(ident).get("cover")
    if not path:
        return error(404, "no such cover")
    return FileResponse(service.store.manuscript(ident) / path,
                        media_type=COVER_TYPES[Path(path).suffix.lower()])


ROUTES = (
    ("/opds/catalog.xml", feed_xml, ["GET"]),
    ("/opds/catalog.json", feed_json, ["GET"]),
    ("/opds/files/{key}", published_file, ["GET"]),
    ("/opds/covers/{ident}", cover, ["GET"]),
)
