"""The braille edition of both corpus novels: every braille check passes, and liblouis reads
back at least 98% of each novel's words; its web edition passes the structure
check (the Nu HTML Checker's run is tests/site/test_web_check.py); its braille and web
editions are in parity with its EPUB."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import book_words

from publish.braille import proofread
from publish.braille.pef import read_pages
from publish.braille.tables import translator
from publish.check.braille import braille
from publish.check.model import ERROR
from publish.check.parity import parity
from publish.check.web import structure
from publish.readers import read


@pytest.mark.slow
@pytest.mark.parametrize("novel", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_a_novel_in_braille_passes_its_checks(corpus: Path, corpus_build: Callable[[str], Path],
                                              novel: str) -> None:
    built = corpus_build(novel)
    book = read(corpus / novel)
    pef = built / f"{book.stem}.pef"
    run = braille(pef)  # schema, page size, BRF, print page numbers against the print PDF
    assert [i.line() for i in run.issues if i.severity == ERROR] == []
    wanted = Counter(proofread.words(" ".join(book_words(book))))
    found = proofread.words_back(read_pages(pef.read_bytes()), translator("en", 2))
    assert proofread.recall(wanted, found) >= proofread.RECALL_FLOOR
    web = built / f"{book.stem}-web.zip"
    assert [i.line() for i in structure(web).issues] == []  # S001-S004
    compared = {"braille": pef, "epub": built / f"{book.stem}.epub",
                "web": web}  # headings, alts, notes, languages
    assert [i.line() for i in parity(compared).issues if i.severity == ERROR] == []
