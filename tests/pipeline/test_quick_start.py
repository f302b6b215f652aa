"""A quick start: `--help` and `lint` load no renderer, and an unchanged rebuild is answered
from its record (no reading, no worker, no layout) but never when anything it was made from,
or anything it made, has changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS, png

from publish import cache, cli, layers
from publish.cli import main
from publish.editions import EDITIONS
from publish.layers import STYLES

ARTICLE = MANUSCRIPTS / "harbour-article.md"
RENDERERS = ("weasyprint", "pydyf", "pikepdf", "ebooklib", "fontTools", "publish.pdf.render",
             "publish.epub.render", "publish.pdf.engine")
# No language (a reader warning) and a double space (a lint warning): both are said again.
TEXT = ("---\ntitle: Quick\n---\n# One\n\nA first  sentence.\n\n![A chart](chart.png)\n\n"
        "# Two\n\nA second chapter.\n")
PRINTS = ("import json, sys\nfrom pathlib import Path\nfrom publish import layers\n"
          "from publish.cli import main\nif len(sys.argv) > 2 and sys.argv[1] == '--styles':\n"
          "    layers.STYLES = Path(sys.argv[2]); del sys.argv[1:3]\n"
          "try:\n    code = main(sys.argv[1:])\nexcept SystemExit as stop:\n    code = stop.code\n"
          "print(json.dumps([code, sorted(sys.modules)]))\n")


def modules_after(*argv: str) -> tuple[int, set[str], str]:
    """Run the command line in a new interpreter: its exit code, every module it imported,
    and what it printed before."""
    result = subprocess.run([sys.executable, "-c", PRINTS, *argv], capture_output=True,
                            text=True, check=True)
    *printed, last = result.stdout.splitlines()
    code, modules = json.loads(last)
    return code, set(modules), "\n".join(printed)


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The named modules (or their submodules) among `modules`."""
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["build", "--help"],
                                  ["lint", "--help"], ["check", "--help"]])
def test_help_and_version_import_no_renderer_reader_or_worker(argv: list[str]) -> None:
    code, modules, _printed = modules_after(*argv)
    assert code == 0
    assert loaded(modules, (*RENDERERS, "publish.build", "publish.check", "publish.lint",
                            "publish.readers", "multiprocessing", "rich")) == []


def test_lint_imports_no_renderer_and_no_validator() -> None:
    code, modules, printed = modules_after("lint", str(ARTICLE))
    assert code == 0, printed
    assert "publish.lint" in modules
    assert loaded(modules, (*RENDERERS, "publish.build", "publish.check", "multiprocessing",
                            "jinja2")) == []


# ---------------------------------------------------------------- the unchanged rebuild

class Built:
    """A manuscript built once, into a folder this module's tests restore before each use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.book = root / "book"
        self.out = root / "out"
        self.styles = root / "styles"  # a copy of our style layers, which tests may edit
        self.kept = root / "kept"

    @property
    def source(self) -> Path:
        return self.book / "quick.md"

    def argv(self, *more: str) -> list[str]:
        return ["build", str(self.source), "-o", str(self.out), *more]

    def keep(self) -> None:
        """Set the built state aside (copies keep their files' times)."""
        for name in ("book", "out", "styles"):
            shutil.copytree(self.root / name, self.kept / name)

    def restore(self) -> None:
        """Put the built state back exactly, at the same paths."""
        for name in ("book", "out", "styles"):
            shutil.rmtree(self.root / name)
            shutil.copytree(self.kept / name, self.root / name)

    def record(self) -> Path:
        """The one request record the build left."""
        records = sorted((self.out / cache.CACHE_DIR).glob("requests/*.json"))
        assert len(records) == 1, records
        return records[0]


def settle(*paths: Path) -> None:
    """Date files (and every file under folders) a minute back, as a writer's files are long
    before they build: a file changed in the last two seconds gets no record."""
    past = time.time() - 60
    for path in paths:
        for file in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.utime(file, (past, past))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Every edition of a small manuscript with an image and a stylesheet of its own, built
    once for the module; the style layers are a copy, so a test can change one."""
    state = Built(tmp_path_factory.mktemp("quick"))
    state.book.mkdir()
    state.source.write_text(TEXT, "utf-8")
    (state.book / "chart.png").write_bytes(png())
    (state.book / "styles").mkdir()
    (state.book / "styles" / "print.css").write_text("p { color: black; }\n")
    shutil.copytree(STYLES, state.styles)
    settle(state.book, state.styles)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layers, "STYLES", state.styles)
        assert main(state.argv("-q")) == 0
        state.record()
        state.keep()
        yield state


@pytest.fixture
def restored(built: Built, monkeypatch: pytest.MonkeyPatch) -> Built:
    """The built state as the build left it, with our style layers at their copy."""
    built.restore()
    monkeypatch.setattr(layers, "STYLES", built.styles)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return built


def path_taken(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """"unchanged" when the command line answers from the record, "build" when it would
    run the whole build (which this stands in for, rendering nothing)."""
    taken: list[str] = []

    def whole_build(*_args: object) -> int:
        taken.append("build")
        return 0

    with monkeypatch.context() as patch:
        patch.setattr(cli, "_build_all", whole_build)
        assert main(argv) == 0
    return taken[0] if taken else "unchanged"


def test_an_unchanged_rebuild_is_answered_from_its_record(
    restored: Built, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in restored.out.iterdir() if p.is_file()}
    stale = restored.out / ".quick.pdf.abc123.part"  # what a killed build leaves
    stale.write_bytes(b"half")
    capsys.readouterr()
    assert path_taken(restored.argv("-q"), monkeypatch) == "unchanged"
    assert capsys.readouterr().out == ""
    assert {p: p.stat().st_mtime_ns for p in restored.out.iterdir() if p.is_file()} == stamps
    assert not stale.exists()  # removed, as the whole build does


def test_it_prints_what_the_whole_build_prints(
    restored: Built, capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    assert main(restored.argv()) == 0  # another request (not quiet): the whole build
    whole = capsys.readouterr()
    assert "assuming 'en'" in whole.err and "H004" in whole.err
    assert whole.out.count(": unchanged ") == len(EDITIONS)
    assert main(restored.argv()) == 0  # now from the record the whole build left
    assert capsys.readouterr() == whole


@pytest.mark.parametrize("change", [
    "chapter", "image", "writer-style", "writer-style-added", "layer-style", "font",
    "version", "code", "environment", "output-deleted", "output-changed",
])
def test_a_change_to_any_input_or_output_takes_the_whole_build(
    restored: Built, monkeypatch: pytest.MonkeyPatch, change: str,
) -> None:
    book, styles = restored.book, restored.styles
    if change == "chapter":
        restored.source.write_text(TEXT.replace("A second chapter.", "A second chapter, now."))
    elif change == "image":
        (book / "chart.png").write_bytes(png(6, 3))
    elif change == "writer-style":
        (book / "styles" / "print.css").write_text("p { color: navy; }\n")
    elif change == "writer-style-added":
        (book / "styles" / "epub.css").write_text("p { color: navy; }\n")
    elif change in ("layer-style", "font"):
        file = "epub/epub.css" if change == "layer-style" else "fonts/LinLibertine_R.otf"
        with (styles / file).open("ab") as stream:
            stream.write(b"\n")
    elif change == "version":
        monkeypatch.setattr(cache, "__version__", "999.0")
    elif change == "code":
        monkeypatch.setattr(cache, "_code_hash", lambda: "other code")
    elif change == "environment":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    elif change == "output-deleted":
        (restored.out / "quick.epub").unlink()
    elif change == "output-changed":
        pdf = restored.out / "quick.pdf"
        pdf.write_bytes(pdf.read_bytes() + b"\n")
    settle(book, styles)  # an old date does not hide a change: contents are compared
    assert path_taken(restored.argv("-q"), monkeypatch) == "build"


@pytest.mark.parametrize("more", [["--size", "20"], ["--profile", "aph"], ["--edition", "epub"],
                                  ["--ignore", "H004"], ["--fresh"], ["--check"], []])
def test_another_request_takes_the_whole_build(
    restored: Built, monkeypatch: pytest.MonkeyPatch, more: list[str],
) -> None:
    argv = restored.argv(*more) if more else restored.argv()  # [] : not quiet this time
    assert path_taken(argv, monkeypatch) == "build"


def test_the_same_request_from_another_folder_takes_the_whole_build(
    restored: Built, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(restored.root)  # lint findings name files relative to it
    assert path_taken(restored.argv("-q"), monkeypatch) == "build"


@pytest.mark.parametrize("damage", ["not-json", "wrong-types", "no-inputs", "target-record",
                                    "target-record-gone"])
def test_a_damaged_cache_takes_the_whole_build(
    restored: Built, monkeypatch: pytest.MonkeyPatch, damage: str,
) -> None:
    record = restored.record()
    if damage == "not-json":
        record.write_text("{not json")
    elif damage == "wrong-types":
        data = json.loads(record.read_text())
        data["inputs"]["files"] = 3
        record.write_text(json.dumps(data))
    elif damage == "no-inputs":
        data = json.loads(record.read_text())
        data["inputs"]["files"] = {}
        record.write_text(json.dumps(data))
    elif damage == "target-record":
        (restored.out / cache.CACHE_DIR / "quick.pdf.json").write_text("{not json")
    else:
        (restored.out / cache.CACHE_DIR / "quick.epub.json").unlink()
    assert path_taken(restored.argv("-q"), monkeypatch) == "build"


def test_a_rebuild_after_a_change_writes_it_and_the_next_is_answered_again(
    restored: Built, monkeypatch: pytest.MonkeyPatch,
) -> None:
    outputs = sorted(p for p in restored.out.iterdir() if p.is_file())
    before = [p.read_bytes() for p in outputs]
    old = restored.record().read_text()
    restored.source.write_text(TEXT.replace("A second chapter.", "A second chapter, longer."))
    settle(restored.source)
    assert main(restored.argv("-q")) == 0
    assert all(p.read_bytes() != data for p, data in zip(outputs, before, strict=True))
    assert restored.record().read_text() != old
    assert path_taken(restored.argv("-q"), monkeypatch) == "unchanged"


def test_a_file_changed_just_before_the_build_gets_no_record(restored: Built) -> None:
    restored.record().unlink()
    os.utime(restored.source)  # now: the build may have read it before or after a change
    assert main(restored.argv("-q")) == 0
    assert list((restored.out / cache.CACHE_DIR).glob("requests/*.json")) == []
    settle(restored.source)
    assert main(restored.argv("-q")) == 0
    restored.record()


def test_an_unchanged_rebuild_reads_nothing_and_starts_no_worker(restored: Built) -> None:
    code, modules, _printed = modules_after("--styles", str(restored.styles),
                                            *restored.argv("-q"))
    assert code == 0
    assert loaded(modules, (*RENDERERS, "publish.build", "publish.readers", "publish.lint",
                            "publish.html", "publish.check", "multiprocessing",
                            "concurrent.futures.process", "jinja2", "markdown_it",
                            "rich")) == []
