"""The broken-paragraph rule on whole texts: exactly the broken paragraph, and no noise."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
from conftest import ROOT

from publish.cli import main
from publish.lint import lint

ARTICLE = ROOT / "tests" / "lint" / "broken-article.md"


def test_article_broken_in_conversion_gets_exactly_that_finding() -> None:
    broken_at = ARTICLE.read_text("utf-8").split("\n").index(
        "build twelve affordable homes on land beside the playing field, which could bring "
        "more young families into the village over the next decade.") + 1
    findings = lint(ARTICLE)
    assert [(f.code, f.line) for f in findings] == [("H001", broken_at)]
    assert "line 26" in findings[0].message


def test_article_once_joined_is_clean(write) -> None:
    text = ARTICLE.read_text("utf-8").replace("association to\n\nbuild", "association to build")
    assert lint(write("joined.md", text)) == []


@pytest.mark.parametrize("name", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_real_novels_give_no_findings(corpus: Path, name: str) -> None:
    assert [f.format() for f in lint(corpus / name)] == []


@pytest.mark.parametrize("name", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_real_novel_broken_once_gets_one_finding_at_the_break(
    corpus: Path, write, name: str,
) -> None:
    lines = (corpus / name).read_text("utf-8").split("\n")
    at, cut = _breakable(lines)
    broken = [*lines[:at], lines[at][:cut].rstrip(), "", lines[at][cut:].lstrip(), *lines[at + 1:]]
    findings = lint(write(name, "\n".join(broken)))
    assert [(f.code, f.line) for f in findings] == [("H001", at + 3)]


def _breakable(lines: list[str]) -> tuple[int, int]:
    """A long prose line from the middle of a book, and a cut before a lower-case word."""
    for at in range(len(lines) // 2, len(lines)):
        line = lines[at]
        if len(line) > 400 and line[0].isalpha() and not lines[at - 1].strip():
            match = re.search(r"[a-z] (?=[a-z]{4,} )", line[200:])
            if match:
                return at, 200 + match.end()
    raise AssertionError("no long prose paragraph found")


def test_lint_command_exit_status(capsys) -> None:
    assert main(["lint", str(ARTICLE)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"broken-article\.md:28: H001 ", out)


def test_build_stops_on_lint_errors_before_rendering(write, tmp_path: Path, capsys) -> None:
    source = write("book.md", "# Title\n\nText.\n\n![](images/a.png)\n")
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "book.md:5: A001 " in err and "build stopped" in err
    assert not (tmp_path / "out").exists()


def test_lint_errors_found_while_rendering_end_the_workers_and_write_nothing(
    write, tmp_path: Path, capsys,
) -> None:
    source = write("book.md", "# Title\n\n### Deep\n\n" + "A line of text.\n\n" * 400)
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "book.md:3: A004 " in err and "build stopped" in err
    assert not (tmp_path / "out").exists()
    assert multiprocessing.active_children() == []


def test_build_can_ignore_a_lint_error(write, tmp_path: Path) -> None:
    source = write("book.md", "# Title\n\n### Deep\n\nText.\n")
    out = tmp_path / "out"
    argv = ["build", str(source), "-o", str(out), "-q", "--edition", "epub"]
    assert main(argv) == 1
    assert main([*argv, "--ignore", "A004"]) == 0
    assert (out / "book.epub").is_file()
