"""`publish lint`: findings with stable codes, read from the manuscript alone, before rendering."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from publish.errors import ManuscriptError
from publish.lint import access, hygiene, language, paragraphs, references
from publish.lint.core import ERROR, RULES, WARNING, Check, Finding, Rule
from publish.lint.source import codes, documents
from publish.model import Book
from publish.readers import WORD_SUFFIX, read
from publish.readers.links import targets_of

__all__ = ["ERROR", "RULES", "WARNING", "Finding", "Rule", "lint", "summary"]

CHECKS: tuple[Check, ...] = (
    access.images, access.headings, access.links, access.tables, access.wide_tables,
    language.foreign_passages, access.colour_cues, paragraphs.broken_paragraphs, hygiene.quotes,
    hygiene.ellipses, hygiene.double_spaces, hygiene.footnotes, access.empty_headings,
    hygiene.unbroken_runs, references.svg_images, references.links,
)


def lint(source: Path, ignore: Iterable[str] = (), book: Book | None = None) -> list[Finding]:
    """Every finding in a Markdown file, Word file or book folder, in file and line order;
    `book` is the manuscript as read already (else it is read here, for where its links
    lead)."""
    if source.is_file() and source.suffix.lower() == WORD_SUFFIX:
        from publish.lint.word import word_findings  # mammoth loads only for Word files

        return word_findings(source, codes(ignore, source))
    book = book or _read_quietly(source)
    findings: list[Finding] = []
    for doc in documents(source, ignore, targets_of(book) if book else None):
        found = [Finding(doc.path, line, code, message)
                 for check in CHECKS for code, line, message in check(doc)
                 if code not in doc.ignore]
        findings.extend(sorted(found, key=lambda f: (f.line, f.code)))
    root = source if source.is_dir() else source.parent
    findings.extend(references.own_sheets(root, codes(ignore, source)))
    if book is not None and "R001" not in codes(ignore, source):
        findings.extend(references.cover_svg(source, book))
    return findings


def _read_quietly(source: Path) -> Book | None:
    """The book, for where its links lead and its cover; None when it does not read (the
    reader's error is then the one to fix first, and the build reports it)."""
    reader_log = logging.getLogger("publish")
    was = reader_log.disabled
    reader_log.disabled = True  # its warnings are the build's to give, not the lint's
    try:
        return read(source)
    except ManuscriptError:
        return None
    finally:
        reader_log.disabled = was


def summary(findings: list[Finding]) -> str:
    """One line counting errors and warnings, for the end of the report."""
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    return f"lint: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
