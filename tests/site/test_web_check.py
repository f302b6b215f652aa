"""The web edition under the Nu HTML Checker: every page of the samples and of both corpus
novels valid, a planted error found; `publish check` on the unpacked folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import validator

from publish.build import build
from publish.check.web import nu_checker
from publish.options import Options
from publish.readers import read

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def validators() -> Path:
    """The folder holding `vnu`; failing (never skipping) when it is absent."""
    return validator("vnu").parent


def web_edition(manuscript: Path, outdir: Path) -> Path:
    """The web edition's zip, built."""
    book = read(manuscript)
    outcome = build(book, outdir, ["web"], Options())[0]
    assert outcome.ok, outcome.error
    return outcome.path


@pytest.mark.parametrize("sample", ["lighthouse", "harbour-article.md"])
def test_every_page_of_the_samples_is_valid_html(sample: str, validators: Path,
                                                 tmp_path: Path) -> None:
    run = nu_checker(web_edition(ROOT / "manuscript" / sample, tmp_path))
    assert run.version != "unknown"
    assert run.issues == [], [i.line() for i in run.issues]


@pytest.mark.slow
@pytest.mark.parametrize("novel", ["gullivers-travels.md", "pride-and-prejudice.md"])
def test_every_page_of_a_corpus_novel_is_valid_html(corpus: Path, validators: Path,
                                                    tmp_path: Path, novel: str) -> None:
    run = nu_checker(web_edition(corpus / novel, tmp_path))
    assert run.issues == [], [i.line() for i in run.issues[:10]]


def test_check_finds_a_planted_error_in_the_folder(validators: Path, tmp_path: Path) -> None:
    zipped = web_edition(ROOT / "manuscript" / "harbour-article.md", tmp_path / "out")
    folder = tmp_path / zipped.name.removesuffix(".zip")
    shutil.copytree(zipped.with_suffix(""), folder)
    page = folder / "index.html"
    page.write_text(page.read_text().replace("<main ", "<main><li>stray</li></main><main "))
    command = Path(sys.executable).parent / "publish"
    result = subprocess.run([command, "check", str(folder), "--no-html"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[vnu vnu]" in result.stdout and "S004" in result.stdout
