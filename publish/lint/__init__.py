"""`publish lint`: findings with stable codes, read from the manuscript alone, before rendering."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from publish.lint import access, hygiene, language, paragraphs
from publish.lint.core import ERROR, RULES, WARNING, Check, Finding, Rule
from publish.lint.source import documents

__all__ = ["ERROR", "RULES", "WARNING", "Finding", "Rule", "lint", "summary"]

CHECKS: tuple[Check, ...] = (
    access.images, access.headings, access.links, access.tables, access.wide_tables,
    language.foreign_passages, access.colour_cues, paragraphs.broken_paragraphs, hygiene.quotes,
    hygiene.ellipses, hygiene.double_spaces, hygiene.footnotes, access.empty_headings,
)


def lint(source: Path, ignore: Iterable[str] = ()) -> list[Finding]:
    """Every finding in a Markdown file or book folder, in file and line order."""
    findings: list[Finding] = []
    for doc in documents(source, ignore):
        found = [Finding(doc.path, line, code, message)
                 for check in CHECKS for code, line, message in check(doc)
                 if code not in doc.ignore]
        findings.extend(sorted(found, key=lambda f: (f.line, f.code)))
    return findings


def summary(findings: list[Finding]) -> str:
    """One line counting errors and warnings, for the end of the report."""
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    return f"lint: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
