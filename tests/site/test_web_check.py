"""The web edition under the Nu HTML Checker: every page of the samples and of both corpus
novels valid, a planted error found; `publish check` on the unpacked folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import validator

from publish.check.web import nu_checker


@pytest.fixture(scope="session")
def validators() -> Path:
    """The folder holding `vnu`; failing (never skipping) when it is absent."""
    return validator("vnu").parent


@pytest.mark.parametrize("sample", ["lighthouse", "harbour-article.md"])
def test_every_page_of_the_samples_is_valid_html(sample: str, validators: Path,
                                                 sample_build: Callable[[str], Path]) -> None:
    run = nu_checker(sample_build(sample) / f"{sample.removesuffix('.md')}-web.zip")
    assert run.version != "unknown"
    assert run.issues == [], [i.line() for i in run.issues]


@pytest.mark.slow
@pytest.mark.parametrize("novel", ["gullivers-travels.md", "pride-and-prejudice.md"])
def test_every_page_of_a_corpus_novel_is_valid_html(corpus_build: Callable[[str], Path],
                                                    validators: Path, novel: str) -> None:
    run = nu_checker(corpus_build(novel) / novel.replace(".md", "-web.zip"))
    assert run.issues == [], [i.line() for i in run.issues[:10]]


def test_check_finds_a_planted_error_in_the_folder(validators: Path, tmp_path: Path,
                                                   sample_build: Callable[[str], Path]) -> None:
    zipped = sample_build("harbour-article.md") / "harbour-article-web.zip"
    folder = tmp_path / zipped.name.removesuffix(".zip")
    shutil.copytree(zipped.with_suffix(""), folder)
    page = folder / "index.html"
    page.write_text(page.read_text().replace("<main ", "<main><li>stray</li></main><main "))
    command = Path(sys.executable).parent / "publish"
    result = subprocess.run([command, "check", str(folder), "--no-html"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[vnu vnu]" in result.stdout and "S004" in result.stdout
