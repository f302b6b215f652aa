"""A long unbroken run of text (pasted data): kept whole below the limit, refused above it
with its file and line, never lost and never a hang."""

from __future__ import annotations

import random
import re
import string
import zipfile
from pathlib import Path

from pdf_text import pdftotext

from publish.cli import main
from publish.readers.runs import LONG_RUN_CHARS, MAX_UNBROKEN_CHARS, marked_long_runs


def _token(length: int) -> str:
    """Letters only, so the hyphens of a line broken inside it are told apart from it."""
    chosen = random.Random(length)
    return "".join(chosen.choice(string.ascii_letters) for _ in range(length))


def test_a_long_token_under_the_limit_reaches_every_edition_whole(write, tmp_path: Path,
                                                                  ) -> None:
    token = _token(3_000)
    source = write("data.md", f"---\nlanguage: en\n---\n# Data\n\nThe key: {token} ends.\n")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-q", "--edition", "print",
                 "--edition", "epub"]) == 0
    # without spaces and the folios of its pages: broken anywhere, never hyphenated
    printed = re.sub(r"[\s\d]", "", pdftotext(out / "data.pdf"))
    assert token in printed
    with zipfile.ZipFile(out / "data.epub") as epub:
        chapters = "".join(epub.read(n).decode() for n in epub.namelist()
                           if n.endswith(".xhtml"))
    assert token in re.sub(r"<[^>]+>", "", chapters)  # a print page may begin inside it


def test_only_runs_longer_than_any_word_are_marked_to_break_anywhere() -> None:
    word, run = "x" * (LONG_RUN_CHARS - 1), "y" * LONG_RUN_CHARS
    assert marked_long_runs(f"{word} & <{run}>") == (
        f'{word} &amp; <span class="unbroken">&lt;{run}&gt;</span>')
    assert marked_long_runs("東" * 300) == "東" * 300  # unspaced scripts break anyway


def test_a_token_over_the_limit_stops_the_build_naming_its_line(write, tmp_path: Path,
                                                                capsys) -> None:
    source = write("data.md", "# Data\n\nText.\n\n" + _token(MAX_UNBROKEN_CHARS + 1) + "\n")
    for ignore in ([], ["--ignore", "H008"]):  # silencing the rule does not let it through
        assert main(["build", str(source), "-o", str(tmp_path / "out"), "-q", *ignore]) == 1
        err = capsys.readouterr().err
        assert "data.md:5: " in err
        assert f"{MAX_UNBROKEN_CHARS + 1:,} characters with no space" in err
    assert not (tmp_path / "out").exists()
