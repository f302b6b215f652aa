"""`publish check` on real builds: a good build passes, stripped copies fail and say why."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import MANUSCRIPTS

from publish.check.epub import epubcheck_all
from publish.check.tools import locate
from publish.cli import main

ARTICLE = MANUSCRIPTS / "harbour-article.md"
VALIDATORS = ("epubcheck", "ace", "page-validation", "outloud")
EDITIONS = ["harbour-article.epub", "harbour-article.pdf", "harbour-article-large-print.pdf"]


@pytest.fixture(scope="module")
def built(sample_build: Callable[[str], Path]) -> Path:
    """The sample article's editions, built once for the run (read only: tests copy them)."""
    missing = [name for name in VALIDATORS if locate(name) is None]
    assert not missing, f"validators missing: {missing}; run `make validators`"
    return sample_build(ARTICLE.name)


def _copy(built: Path, names: list[str], target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(built / name, target / name)
    return target


@pytest.mark.validators
def test_good_build_passes(built: Path, tmp_path: Path, capsys,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EPUBCHECK_SOCKET", raising=False)  # EPUBCheck started cold, as a user's
    folder = _copy(built, EDITIONS, tmp_path / "good")
    status = main(["check", str(folder), "--json"])
    data = json.loads(capsys.readouterr().out)
    runs = data["reports"][0]["runs"]
    assert status == 0, [run["issues"] for run in runs if not run["ok"]]
    assert data["ok"] and all(run["ok"] for run in runs)
    assert sorted(run["tool"] for run in runs) == [
        "ace", "epubcheck", "large-print", "outloud", "outloud", "page-craft", "page-craft",
        "page-gaps", "page-gaps", "page-source", "page-validation", "page-validation", "parity",
        "text-in-place", "text-in-place"]
    report = (folder / "harbour-article-report.html").read_text("utf-8")
    assert report.count("data:image/png;base64,") >= 2 and "5.3.0" in report


@pytest.mark.validators
def test_print_pdf_passed_off_as_large_print_fails(built: Path, tmp_path: Path, capsys) -> None:
    impostor = tmp_path / "harbour-article-large-print.pdf"
    shutil.copy(built / "harbour-article.pdf", impostor)
    assert main(["check", str(impostor), "--no-html"]) == 1
    out = capsys.readouterr().out
    assert "[large-print L001] smallest glyph is" in out
    assert "[large-print L001] serif face(s)" in out


@pytest.mark.validators
def test_epub_without_accessibility_metadata_fails(built: Path, tmp_path: Path, capsys) -> None:
    stripped = tmp_path / "harbour-article.epub"
    _strip_a11y_metadata(built / "harbour-article.epub", stripped)
    assert main(["check", str(stripped), "--no-html"]) == 1
    out = capsys.readouterr().out
    assert "FAIL ace" in out and "metadata-accessmode" in out


def _strip_a11y_metadata(source: Path, target: Path) -> None:
    """Copy an EPUB, leaving out every schema: and a11y: meta element of its package."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(".opf"):
                lines = data.decode("utf-8").split("\n")
                data = "\n".join(line for line in lines
                                 if 'property="schema:' not in line
                                 and 'property="a11y:' not in line).encode("utf-8")
            compress = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.writestr(info, data, compress_type=compress)


@pytest.mark.validators
def test_pdf_without_tagging_fails(built: Path, tmp_path: Path, capsys) -> None:
    folder = _copy(built, ["harbour-article-large-print.pdf"], tmp_path / "untagged")
    with pikepdf.open(built / "harbour-article.pdf") as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
        pdf.save(folder / "harbour-article.pdf")
    assert main(["check", str(folder), "--no-html"]) == 1
    out = capsys.readouterr().out
    assert "FAIL page-validation harbour-article.pdf" in out
    assert "PDFUA1-STRUCT-TREE-ROOT-001" in out and "[outloud DOC-002]" in out
    assert re.search(r"FAIL outloud +harbour-article\.pdf", out)
    assert "[parity P000] the PDF has no structure tree" in out


@pytest.mark.validators
def test_books_checked_together_share_each_validator_and_keep_their_own_findings(
        built: Path, tmp_path: Path, capsys) -> None:
    """Several books in one folder run each validator once for all (`Check.batch`); each
    finding still lands in its own book's report."""
    folder = _copy(built, EDITIONS, tmp_path / "two")
    _strip_a11y_metadata(built / "harbour-article.epub", folder / "stripped.epub")
    shutil.copy(built / "harbour-article-large-print.pdf", folder / "stripped-large-print.pdf")
    with pikepdf.open(built / "harbour-article.pdf") as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
        pdf.save(folder / "stripped.pdf")
    assert main(["check", str(folder), "--json", "--no-html"]) == 1
    good, stripped = sorted(json.loads(capsys.readouterr().out)["reports"],
                            key=lambda report: report["files"][0])
    assert good["ok"] and len(good["runs"]) == len(stripped["runs"]) == 15
    failed = sorted((run["tool"], run["file"]) for run in stripped["runs"] if not run["ok"])
    assert failed == [("ace", "stripped.epub"), ("outloud", "stripped.pdf"),
                      ("page-source", "stripped.epub"),  # its pageNavigation went too
                      ("page-validation", "stripped.pdf"),
                      ("parity", "stripped.epub, stripped-large-print.pdf, stripped.pdf")]


@pytest.mark.validators
def test_missing_validator_is_an_error_with_an_install_hint(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys,
) -> None:
    monkeypatch.setenv("VAL_HOME", str(tmp_path / "nothing"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert main(["check", str(built / "harbour-article.epub"), "--no-html"]) == 1
    out = capsys.readouterr().out
    assert "[epubcheck C001] epubcheck not found" in out and "make validators" in out


def test_a_folder_without_editions_is_an_error(tmp_path: Path, capsys) -> None:
    assert main(["check", str(tmp_path)]) == 1
    assert "C003" in capsys.readouterr().out


@pytest.mark.validators
def test_build_with_check_checks_what_it_built(tmp_path: Path, capsys) -> None:
    argv = ["build", str(ARTICLE), "-o", str(tmp_path), "--edition", "print", "--check"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "ok   page-validation harbour-article.pdf" in out and "check passed" in out
    assert (tmp_path / "harbour-article-report.html").is_file()


@pytest.mark.validators
def test_the_runs_warm_epubcheck_reports_what_a_fresh_start_does(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm EPUBCheck the run asks (tests/conftest.py) against a new Java each time."""
    assert os.environ.get("EPUBCHECK_SOCKET"), "the run started no warm EPUBCheck"
    broken = tmp_path / "no-nav.epub"  # its package lists a nav document it does not hold
    with zipfile.ZipFile(built / "harbour-article.epub") as old, \
            zipfile.ZipFile(broken, "w") as new:
        for info in old.infolist():
            if not info.filename.endswith("nav.xhtml"):
                new.writestr(info, old.read(info))
    books = [built / "harbour-article.epub", broken]
    warm = [[issue.line() for issue in run.issues] for run in epubcheck_all(books)]
    monkeypatch.delenv("EPUBCHECK_SOCKET")
    cold = [[issue.line() for issue in run.issues] for run in epubcheck_all(books)]
    assert warm == cold and cold[0] == [] and any("RSC-001" in line for line in cold[1]), cold
