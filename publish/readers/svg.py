"""SVG images cleaned on the way in: what draws stays; scripts, handlers, outside references,
the DOCTYPE and its entities go, so no edition can run, fetch or leak anything through them.

Parsed by lxml without entity expansion, DTD loading or network access; every edition
(PDF and EPUB alike) is made from the cleaned bytes, and the lint says what was removed.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from publish.readers.css import Removed, clean_css, describe
from publish.readers.rasters import pixel_problem

SVG_NS = "http://www.w3.org/2000/svg"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Elements that run code, embed another document, or exist only to load something.
_LOADERS = frozenset({
    "script", "foreignobject", "iframe", "object", "embed", "audio", "video", "source",
    "track", "handler", "listener", "link", "base", "meta",
})
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
# Attributes whose value is a URL a renderer or reading system would follow.
_URL_ATTRIBUTES = frozenset({
    "href", "src", "data", "srcset", "poster", "action", "formaction", "background",
    "codebase", "classid", "dynsrc", "lowsrc", "longdesc", "cite", "ping", "manifest",
})
# Inside an SVG only a place in the same image, or pixels carried along, stay.
_RASTER_DATA = re.compile(r"^data:image/(?:png|jpeg|gif);base64,", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          remove_comments=True, remove_pis=True, huge_tree=False)


class UnsafeSvg(ValueError):
    """An SVG that cannot be read safely; the message says why, for `image 'x.svg' ...`."""


@dataclass(frozen=True, slots=True)
class CleanSvg:
    """The SVG as every edition carries it, and what was taken out (for the lint)."""

    data: bytes
    removed: tuple[str, ...]


def clean_svg(path: Path) -> CleanSvg:
    """The cleaned SVG of a file; remembered while the file is unchanged (reader, lint and
    renderers each ask)."""
    stat = path.stat()
    return _clean_file(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _clean_file(path: Path, _mtime: int, _size: int) -> CleanSvg:
    return clean_svg_bytes(path.read_bytes())


def clean_svg_bytes(data: bytes) -> CleanSvg:
    """Parse without expanding or fetching anything, drop what could run or reach out."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise UnsafeSvg(f"cannot be read as SVG (line {error.lineno}: {error.msg})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg(f"is not an SVG image: its root element is <{etree.QName(root).localname}>"
                        f", not <svg xmlns=\"{SVG_NS}\">")
    removed: Removed = {}  # ordered and without repeats
    removed.update(dict.fromkeys(_doctype(root), 0))
    _clean_own(root, removed)
    _clean_element(root, removed)
    cleaned = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    return CleanSvg(cleaned, tuple(removed))


def _doctype(root: etree._Element) -> Iterator[str]:
    """The DOCTYPE is never written back: it can declare entities that read files."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    yield "the DOCTYPE and its entity declarations" if _entities(dtd) else "the DOCTYPE"


def _clean_element(element: etree._Element, removed: Removed) -> None:
    """Clean `element`'s children depth first (its own attributes are clean already)."""
    for child in list(element):
        if isinstance(child, etree._Entity):
            _replace_entity(child, removed)
        elif not isinstance(child.tag, str):
            _remove(child)
        elif _loads(child, removed) or (_clean_own(child, removed)
                                        and etree.QName(child).localname != "a"):
            _remove(child)  # a link keeps its text; an image or `use` would draw nothing
        else:
            _clean_element(child, removed)


def _loads(element: etree._Element, removed: Removed) -> bool:
    """Whether an element exists to run code or load something: loaders, and animations
    of a link target."""
    name = etree.QName(element).localname
    if name.lower() in _LOADERS:
        removed[f"<{name}>"] = 0
        return True
    if name.lower() in _ANIMATIONS and _local(element.get("attributeName", "")) in _URL_ATTRIBUTES:
        removed[f"<{name}> of a link target"] = 0
        return True
    return False


def _clean_own(element: etree._Element, removed: Removed) -> bool:
    """Drop an element's handlers and outside references, and CSS `url()`s that leave the
    image (in its attributes or, for `<style>`, its text); True when a reference went."""
    lost_reference = False
    for raw_name, raw_value in list(element.attrib.items()):
        name, value = str(raw_name), str(raw_value)
        local = _local(name)
        if local.startswith("on"):
            del element.attrib[name]
            removed[f"event handler {local}"] = 0
        elif local in _URL_ATTRIBUTES or name == _XML_BASE:
            problem = None if _stays_inside(value) else describe(value)
            problem = problem or _embedded_problem(value)
            if problem:
                del element.attrib[name]
                removed[problem] = 0
                lost_reference = True
        elif "(" in value or "\\" in value:
            cleaned = clean_css(value, _stays_inside, removed)
            if cleaned is not None:
                element.set(name, cleaned)
    if etree.QName(element).localname == "style" and element.text:
        cleaned = clean_css(element.text, _stays_inside, removed)
        if cleaned is not None:
            element.text = cleaned
    return lost_reference


def _local(name: str) -> str:
    """An attribute's name without its namespace (`xlink:href` is an `href`), lower case."""
    return etree.QName(name).localname.lower() if name.startswith("{") else \
        name.rpartition(":")[2].lower()


def _stays_inside(url: str) -> bool:
    value = url.strip()
    return value.startswith("#") or bool(_RASTER_DATA.match(value))


def _embedded_problem(url: str) -> str | None:
    """Why pixels carried in a `data:` URI cannot be typeset (too many to decode), or None."""
    if not _RASTER_DATA.match(url.strip()):
        return None
    try:
        data = base64.b64decode(url.strip().split(",", 1)[1], validate=True)
    except binascii.Error:
        return "an embedded image that is not valid base64"
    problem = pixel_problem(io.BytesIO(data))
    return f"an embedded image that {problem}" if problem else None


def _replace_entity(entity: etree._Entity, removed: Removed) -> None:
    """An entity reference becomes its text when that was declared inline and plain;
    anything else (a file, a URL, markup) is dropped."""
    dtd = entity.getroottree().docinfo.internalDTD
    found = next((e for e in _entities(dtd) if e.name == entity.name), None)
    content = found.content if found is not None and found.system_url is None else None
    if content is not None and not set(content) & {"<", "&"}:
        _remove(entity, replacement=content)
    else:
        removed[f"the entity &{entity.name};"] = 0
        _remove(entity)


def _entities(dtd: etree.DTD | None) -> list[Any]:
    """The entities a DOCTYPE declares (lxml-stubs lack `iterentities`)."""
    return list(getattr(dtd, "iterentities", list)()) if dtd is not None else []


def _remove(node: etree._Element, replacement: str = "") -> None:
    """Take `node` out, keeping the text that followed it (and `replacement` in its place)."""
    parent = node.getparent()
    if parent is None:
        return
    text = replacement + (node.tail or "")
    previous = node.getprevious()
    if text:
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
    parent.remove(node)
