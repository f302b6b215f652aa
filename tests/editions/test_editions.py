"""The editions registry: a new edition is one module plus one style folder, and build,
cache, check and the command line find it there (`plain_text.py` is such an edition)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS
from plain_text import BROKEN, PLAIN_TEXT, WIDTH

from publish import layers
from publish.cache import CACHE_DIR, ERROR_LOG
from publish.cli import main
from publish.editions import EDITIONS, Edition, edition_of, page_map_maker, register, unregister

ARTICLE = MANUSCRIPTS / "harbour-article.md"


@pytest.fixture
def plain() -> Iterator[Edition]:
    """The plain-text edition in the registry for one test."""
    yield register(PLAIN_TEXT)
    unregister(PLAIN_TEXT.name)


@pytest.fixture
def broken() -> Iterator[Edition]:
    """An edition whose renderer raises, for one test."""
    yield register(BROKEN)
    unregister(BROKEN.name)


def _build(out: Path, *more: str) -> int:
    return main(["build", str(ARTICLE), "-o", str(out), "--edition", "plain-text", *more])


def test_built_in_editions_inherit_their_layers_as_their_layer_files_say() -> None:
    assert list(EDITIONS) == ["print", "epub", "large-print", "braille", "web"]
    assert EDITIONS["braille"].layers == ("braille",)
    assert EDITIONS["web"].layers == ("web",)
    assert EDITIONS["large-print"].layers == ("print", "large-print")
    assert EDITIONS["epub"].layers == ("epub",)
    assert page_map_maker() is EDITIONS["print"]
    # the EPUB carries the print page numbers: print's layers and fonts make its key too
    assert set(EDITIONS["epub"].key_layers()) == {"base", "fonts", "print", "epub"}
    assert set(EDITIONS["print"].key_layers()) == {"base", "fonts", "print"}


def test_a_file_is_the_edition_with_the_longest_matching_suffix() -> None:
    assert edition_of(Path("book-large-print.pdf")) is EDITIONS["large-print"]
    assert edition_of(Path("book.pdf")) is EDITIONS["print"]
    assert edition_of(Path("book.epub")) is EDITIONS["epub"]
    assert edition_of(Path("book.pef")) is EDITIONS["braille"]
    assert edition_of(Path("book.brf")) is EDITIONS["braille"]  # its companion
    assert edition_of(Path("book-web.zip")) is EDITIONS["web"]
    assert edition_of(Path("book.txt")) is None
    assert edition_of(Path(".pdf")) is None


def test_a_layer_that_inherits_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "layer.toml").write_text('inherits = "loop"\n')
    layers.add_folder("loop", tmp_path)
    with pytest.raises(layers.LayerError, match="inherits from itself"):
        layers.chain("loop")


def test_a_new_edition_builds_through_the_command_line(plain: Edition, tmp_path: Path) -> None:
    assert _build(tmp_path, "-q") == 0
    text = (tmp_path / "harbour-article.txt").read_text("utf-8")
    first, *rest = text.splitlines()
    assert first.isupper() and "HARBOUR" in first
    assert all(len(line) <= WIDTH for line in rest if " " in line)
    assert len(text.split()) > 300  # the article's paragraphs, not only its title


def test_a_new_edition_is_kept_until_its_layer_changes(
    plain: Edition, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    styles = tmp_path / "plain-text-layer"
    shutil.copytree(PLAIN_TEXT.styles or Path(), styles)
    layers.add_folder(PLAIN_TEXT.layer, styles)
    try:
        out = tmp_path / "out"
        assert _build(out) == 0
        assert _build(out) == 0
        assert "plain-text: unchanged" in capsys.readouterr().out
        template = styles / "plain.txt.j2"
        template.write_text(template.read_text().replace("| upper", "| lower"))
        assert _build(out) == 0
        assert "plain-text: wrote" in capsys.readouterr().out
        assert (out / "harbour-article.txt").read_text().splitlines()[0].islower()
    finally:
        layers.add_folder(PLAIN_TEXT.layer, PLAIN_TEXT.styles or Path())


def test_a_new_edition_is_checked_by_the_checks_it_names(
    plain: Edition, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert _build(tmp_path, "-q") == 0
    assert main(["check", str(tmp_path), "--no-html"]) == 0
    assert "plain-text-lines" in capsys.readouterr().out
    output = tmp_path / "harbour-article.txt"
    output.write_text(output.read_text() + "\n" + "word " * 30 + "\n")
    assert main(["check", str(tmp_path), "--no-html"]) == 1
    assert "T001" in capsys.readouterr().out


def test_the_command_line_offers_a_registered_edition(
    plain: Edition, capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "plain-text" in capsys.readouterr().out


def test_a_worker_bug_is_one_line_and_its_traceback_is_kept(
    broken: Edition, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["build", str(ARTICLE), "-o", str(tmp_path), "--edition", "broken", "-q"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "broken: failed: RuntimeError: the plain-text renderer has a bug" in err
    assert "Traceback" not in err and ERROR_LOG in err
    log = (tmp_path / CACHE_DIR / ERROR_LOG).read_text("utf-8")
    assert "Traceback" in log and "_fail_deep_inside" in log  # the worker's own frames
    assert not (tmp_path / "harbour-article.broken").exists()
    assert main([*argv, "--debug"]) == 1
    assert "_fail_deep_inside" in capsys.readouterr().err
