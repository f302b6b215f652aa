"""The lint of a Word file: what its reader found, at places a Word user can find."""

from __future__ import annotations

from pathlib import Path

from publish.lint.core import Finding
from publish.readers.docx import read_word


def word_findings(source: Path, ignore: frozenset[str]) -> list[Finding]:
    """Every finding in a Word file, in reading order, bar the codes silenced."""
    reading = read_word(source)
    return [Finding(source.resolve(), 0, problem.code, problem.message, problem.where)
            for problem in reading.problems if problem.code not in ignore]
