"""The world-script manuscripts built once per test session, whichever worker asks first:
every edition of each, in one folder the workers share (a lock keeps them from building
twice)."""

from __future__ import annotations

import fcntl
import os
import unicodedata
from pathlib import Path

import pytest

from publish.cli import main

MANUSCRIPTS = Path(__file__).resolve().parent / "manuscripts"
LANGUAGES = ("ar", "he", "hi", "ja", "zh", "ko", "th", "el", "quotes")
SUFFIXES = (".pdf", ".epub", "-large-print.pdf")
# the editions compared here; braille, which not every script has a table for, is its own test
EDITIONS = ("--edition", "print", "--edition", "epub", "--edition", "large-print")


def built_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder holding every edition of every manuscript, built now if not yet."""
    base = factory.getbasetemp()  # a worker's (popen-gwN) sits in the session's folder
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "world-scripts"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stem in LANGUAGES:
            if not all((shared / f"{stem}{suffix}").is_file() for suffix in SUFFIXES):
                assert main(["build", str(MANUSCRIPTS / f"{stem}.md"), "-o", str(shared),
                             "-q", *EDITIONS]) == 0, stem
    return shared


def drawn(text: str) -> str:
    """Text without what a PDF reader adds or leaves out: spaces, line ends, bidi marks and
    other format characters."""
    return "".join(ch for ch in text if not ch.isspace()
                   and unicodedata.category(ch) not in ("Cf", "Cc"))
