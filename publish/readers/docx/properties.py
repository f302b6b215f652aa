"""What a Word file says about itself outside the text: core properties, its language, and
whether it still holds tracked changes or comments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lxml import etree

from publish.readers.docx.package import Package
from publish.readers.language import is_known_language

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CORE = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "creator": "{http://purl.org/dc/elements/1.1/}creator",
    "language": "{http://purl.org/dc/elements/1.1/}language",
    "subject": "{http://purl.org/dc/elements/1.1/}subject",
    "description": "{http://purl.org/dc/elements/1.1/}description",
    "keywords": "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
}
# Names Word and LibreOffice leave in a file's author field when nobody typed one.
_PLACEHOLDER_AUTHORS = frozenset({"", "microsoft office user", "unknown", "user", "author",
                                  "administrator", "admin", "windows user"})
_REVISIONS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
              "tblPrChange", "trPrChange", "tcPrChange", "numberingChange")


@dataclass(frozen=True)
class Properties:
    """The core properties a writer can set in File > Info, each None when empty."""

    title: str | None = None
    creator: str | None = None
    language: str | None = None
    subject: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()


def core_properties(package: Package) -> Properties:
    """docProps/core.xml, if the file has one."""
    root = package.xml("docProps/core.xml")
    if root is None:
        return Properties()
    found = {key: _text(root.find(tag)) for key, tag in _CORE.items()}
    creator = found["creator"]
    if creator is not None and creator.lower() in _PLACEHOLDER_AUTHORS:
        creator = None
    keywords = tuple(k.strip() for k in (found["keywords"] or "").replace(";", ",").split(",")
                     if k.strip())
    return Properties(found["title"], creator, found["language"], found["subject"],
                      found["description"], keywords)


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(str(t) for t in element.itertext()).split())
    return text or None


def document_language(package: Package, document: etree._Element) -> str | None:
    """The language most of the text is marked as: each run's own, else the styles' default
    (a template's default often differs from what the writer typed in)."""
    default = _styles_language(package)
    counts: Counter[str] = Counter()
    for run in document.iter(f"{{{W}}}r"):
        lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
        value = lang.get(f"{{{W}}}val") if lang is not None else None
        value = value if value and is_known_language(value) else default
        if value:
            counts[value] += sum(len(t.text or "") for t in run.iter(f"{{{W}}}t"))
    return counts.most_common(1)[0][0] if counts else default


def _styles_language(package: Package) -> str | None:
    """The language of the document defaults, or of the default paragraph style."""
    styles = package.xml("word/styles.xml")
    if styles is None:
        return None
    for path in (f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang",
                 f"{{{W}}}style[@{{{W}}}default='1']/{{{W}}}rPr/{{{W}}}lang"):
        found = styles.find(path)
        value = found.get(f"{{{W}}}val") if found is not None else None
        if value and is_known_language(value):
            return value
    return None


def tracked_changes(document: etree._Element) -> int:
    """How many revisions Word still tracks in the main text."""
    return sum(1 for name in _REVISIONS for _ in document.iter(f"{{{W}}}{name}"))


def comments(package: Package, document: etree._Element) -> int:
    """How many comments the file holds, in their own part or referenced from the text."""
    part = package.xml("word/comments.xml")
    held = len(part.findall(f"{{{W}}}comment")) if part is not None else 0
    referenced = sum(1 for _ in document.iter(f"{{{W}}}commentReference"))
    return max(held, referenced)


def style_names(package: Package) -> list[str]:
    """The names of the styles the file defines, as Word shows them (but a name holding a
    quote, which a style map rule cannot spell)."""
    styles = package.xml("word/styles.xml")
    if styles is None:
        return []
    names = (style.find(f"{{{W}}}name") for style in styles.iter(f"{{{W}}}style"))
    values = (str(name.get(f"{{{W}}}val") or "") for name in names if name is not None)
    return [value for value in values if value and "'" not in value]
