"""Book metadata from front matter or `book.toml`, checked once at the edge."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from publish.errors import ManuscriptError
from publish.identifiers import stable_identifier
from publish.languages import DIRECTIONS, term
from publish.model import CONFORMANCE, Certification, Creator, Image, Metadata
from publish.readers.infer import parse_date
from publish.readers.language import is_known_language
from publish.readers.resources import resolve_image

log = logging.getLogger("publish")

_ROLE = re.compile(r"^[a-z]{3}$")
KNOWN_KEYS = frozenset({
    "title", "subtitle", "author", "authors", "creators", "language", "lang", "date",
    "publisher", "rights", "identifier", "isbn", "description", "subjects", "keywords",
    "cover", "layout", "contents", "print", "print-isbn", "accessibility", "direction", "fonts",
})
CERTIFICATION_KEYS = ("certified-by", "conforms-to", "credential", "report")
_ISBN = re.compile(r"^(?:urn:isbn:|isbn:?\s*)?([0-9][0-9 -]{8,15}[0-9Xx])$", re.IGNORECASE)


class MetadataSource:
    """A mapping of metadata with the file it came from, to name lines in errors."""

    def __init__(self, data: Mapping[str, Any], path: Path, text: str, first_line: int) -> None:
        self.data = data
        self.path = path
        self.text_of_file = text
        self._lines = text.splitlines()
        self._first_line = first_line

    def line_of(self, key: str) -> int:
        """The line where `key` is set, so an error points at it."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*[:=]")
        for number, line in enumerate(self._lines, start=1):
            if pattern.match(line):
                return number
        return self._first_line

    def fail_at(self, needle: str, message: str) -> ManuscriptError:
        """An error located at the first line that mentions `needle`."""
        for number, line in enumerate(self._lines, start=1):
            if needle in line:
                return ManuscriptError(self.path, number, message)
        return ManuscriptError(self.path, self._first_line, message)

    def fail(self, key: str, message: str) -> ManuscriptError:
        """An error about `key`, located at its line."""
        return ManuscriptError(self.path, self.line_of(key), message)

    def text(self, *keys: str) -> str | None:
        """The first of `keys` that is set, as text; numbers and dates are accepted."""
        for key in keys:
            value = self.data.get(key)
            if value is None:
                continue
            if isinstance(value, str | int | float | dt.date):
                return str(value).strip() or None
            raise self.fail(key, f"'{key}' must be text, not {type(value).__name__}")
        return None

    def texts(self, *keys: str) -> tuple[str, ...]:
        """A list of text values, where one value may also stand alone."""
        for key in keys:
            value = self.data.get(key)
            if value is None:
                continue
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(item, str) for item in items):
                raise self.fail(key, f"'{key}' must be text or a list of texts")
            return tuple(item.strip() for item in items if item.strip())
        return ()


def build_metadata(
    source: MetadataSource, root: Path, fallback_title: str, inferred: Mapping[str, Any],
) -> Metadata:
    """Checked metadata; missing values come from `inferred`, then from defaults."""
    title = source.text("title") or inferred.get("title") or fallback_title
    if not source.text("title") and not inferred.get("title"):
        log.warning("%s: no title given; using '%s'", source.path, fallback_title)
    creators = _creators(source) or (
        tuple(Creator(name) for name in inferred.get("authors", ()))
        + tuple(Creator(name, "trl") for name in inferred.get("translators", ())))
    metadata = Metadata(
        title=title,
        subtitle=source.text("subtitle") or inferred.get("subtitle"),
        language=_language(source),
        creators=creators,
        date=_date(source) or inferred.get("date"),
        publisher=source.text("publisher"),
        rights=source.text("rights"),
        identifier=source.text("identifier", "isbn"),
        print_identifier=_print_isbn(source),
        description=source.text("description"),
        subjects=source.texts("subjects", "keywords"),
        direction=_direction(source),
    )
    if metadata.identifier is None:
        metadata = replace(metadata, identifier=stable_identifier(metadata))
    return replace(metadata, cover=_cover(source, root, metadata),
                   certification=_certification(source))


def _certification(source: MetadataSource) -> Certification | None:
    """The `[accessibility]` table: a conformance claim only when it names a certifier."""
    raw = source.data.get("accessibility")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise source.fail("accessibility", "'accessibility' must be a table of: "
                                           + ", ".join(CERTIFICATION_KEYS))
    unknown = sorted(set(raw) - set(CERTIFICATION_KEYS))
    if unknown:
        raise source.fail(unknown[0], f"unknown accessibility setting '{unknown[0]}'; "
                                      f"known: {', '.join(CERTIFICATION_KEYS)}")
    texts = MetadataSource(raw, source.path, source.text_of_file, 1)
    certifier = texts.text("certified-by")
    if certifier is None:
        raise source.fail("accessibility", "'accessibility' needs 'certified-by': who vouches "
                                           "for the conformance claim")
    report = raw.get("report", False)
    if not isinstance(report, bool):
        raise source.fail("report", "'report' must be true or false")
    return Certification(certifier, texts.text("conforms-to") or CONFORMANCE,
                         texts.text("credential"), report)


def _print_isbn(source: MetadataSource) -> str | None:
    """`print-isbn` as a URN: the page-list names the print edition its numbers come from."""
    text = source.text("print-isbn")
    if text is None:
        return None
    match = _ISBN.match(text)
    digits = match[1].replace("-", "").replace(" ", "").upper() if match else ""
    if not is_isbn(digits):
        raise source.fail("print-isbn", f"'{text}' is not an ISBN (10 or 13 digits with a "
                                        "matching check digit)")
    return f"urn:isbn:{digits}"


def is_isbn(digits: str) -> bool:
    """Whether a bare ISBN-10 or ISBN-13 has the right length and check digit."""
    if re.fullmatch(r"\d{13}", digits):
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    if re.fullmatch(r"\d{9}[\dX]", digits):
        values = [10 if d == "X" else int(d) for d in digits]
        return sum(v * (10 - i) for i, v in enumerate(values)) % 11 == 0
    return False


def _language(source: MetadataSource) -> str:
    language = source.text("language", "lang")
    if language is None:
        log.warning("%s: no language given; assuming 'en' (set `language:`)", source.path)
        return "en"
    if not is_known_language(language):
        key = "language" if "language" in source.data else "lang"
        raise source.fail(key, f"'{language}' is not a known language code such as 'en' or 'en-GB'")
    return language


def _direction(source: MetadataSource) -> str | None:
    """`direction: rtl`, `ltr` or `auto`: which way the text runs, when not as its language."""
    value = source.text("direction")
    if value is None:
        return None
    if value.lower() not in DIRECTIONS:
        raise source.fail("direction", f"direction '{value}' is not one of "
                                       f"{', '.join(DIRECTIONS)}")
    return value.lower()


def _date(source: MetadataSource) -> str | None:
    value = source.data.get("date")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", text):
        return text
    parsed = parse_date(text)
    if parsed is None:
        raise source.fail("date", f"date '{text}' is not a date such as 2012-03-28")
    return parsed


def _creators(source: MetadataSource) -> tuple[Creator, ...]:
    raw = source.data.get("creators")
    if raw is None:
        return tuple(Creator(name) for name in source.texts("author", "authors"))
    if not isinstance(raw, list):
        raise source.fail("creators", "'creators' must be a list")
    return tuple(_creator(source, item) for item in raw)


def _creator(source: MetadataSource, item: object) -> Creator:
    if isinstance(item, str):
        return Creator(item.strip())
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
        raise source.fail("creators", "each creator needs a `name`")
    role = str(item.get("role", "aut"))
    if not _ROLE.match(role):
        raise source.fail("creators", f"role '{role}' is not a MARC relator code like 'aut'")
    file_as = item.get("file-as") or item.get("file_as")
    return Creator(item["name"].strip(), role, str(file_as) if file_as else None)


def _cover(source: MetadataSource, root: Path, metadata: Metadata) -> Image | None:
    src = source.text("cover")
    if src is None:
        return None
    path = resolve_image(src, source.path, root, source.line_of("cover"))
    pattern = term("Cover of {}", metadata.language).text
    alt = pattern.replace("{}", metadata.title)
    if metadata.authors and pattern == "Cover of {}":  # the English alt names the authors
        alt += f" by {' and '.join(metadata.authors)}"
    return Image(src=src, path=path, alt=alt)
