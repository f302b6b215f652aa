"""Shared fixtures: the corpus folder, temporary manuscripts and model text walkers; the
markers that keep validator and corpus tests out of the fast tier (`make unit`); the
`--update-golden` option."""

from __future__ import annotations

import fcntl
import http.server
import os
import re
import shutil
import struct
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from publish.cache import CACHE_DIR
from publish.model import (
    Block,
    Book,
    Code,
    Division,
    Emphasis,
    Image,
    Inline,
    Link,
    Span,
    Strong,
    Text,
)
from publish.profiles import DEFAULT_PROFILE, PROFILES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MANUSCRIPTS = ROOT / "manuscript"
_WORD = re.compile(r"[^\W_]+")
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH of the builds shared by the whole run
GOLDEN_CHANGED = "golden-changed"  # the user property a golden test lists a rewritten file in
# Every test builds in its own processes: a warm build server (publish.daemon) is started only
# by its own tests, in a private folder (tests/daemon)
os.environ["PUBLISH_DAEMON"] = "0"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden`: `make golden` rewrites the golden files instead of comparing."""
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/expected from what the renderers make now")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that need the validators or the corpus, so `make unit` deselects them
    (`-m "not validators and not corpus"`) rather than letting them fail or skip; a test
    that runs validators without their fixture carries the mark where it is written."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "validators" in fixtures:
            item.add_marker(pytest.mark.validators)
        if "corpus" in fixtures:
            item.add_marker(pytest.mark.corpus)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    """After `make golden`, say which golden files it rewrote, so none changes unseen."""
    if not config.getoption("update_golden"):
        return
    changed = [str(value) for report in terminalreporter.stats.get("passed", [])
               for key, value in report.user_properties if key == GOLDEN_CHANGED]
    terminalreporter.section("golden files")
    for line in changed:
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"{len(changed)} golden file(s) changed")


def _built_once(shared: Path, source: Path, *flags: str, seed: Path | None = None) -> Path:
    """`source` built (in its default editions, unless `flags` say otherwise) into a folder
    under `shared`, once for the whole run: the first test to ask builds it, under a lock
    that the other xdist workers wait on, and every later one gets the same folder. Its
    EPUB and web zip are stamped with `EPOCH`, whichever test asked first. A `seed` build's
    cache is copied in first, so its print page map is reused rather than laid out again."""
    folder = shared / source.name.removesuffix(".md")
    done = folder.with_name(f"{folder.name}.built")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(f"{folder.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            from publish.cli import main

            shutil.rmtree(folder, ignore_errors=True)
            if seed is not None:
                shutil.copytree(seed / CACHE_DIR, folder / CACHE_DIR)
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
                assert main(["build", str(source), "-o", str(folder), "-q", *flags]) == 0
            done.touch()
    return folder


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every xdist worker of this run shares."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def warm_epubcheck(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> None:
    """One warm EPUBCheck for the whole run (`epubcheck-batch --serve`), asked by every
    `epubcheck-batch` of every worker and their subprocesses through $EPUBCHECK_SOCKET:
    EPUBCheck's start (5 s of CPU, schemas compiled) is paid once a run, not twenty times.
    Started only for a run with validator or slow tests; it quits when the run ends."""
    wanted = any(item.get_closest_marker("validators") or item.get_closest_marker("slow")
                 for item in request.session.items)
    command = shutil.which("epubcheck-batch")
    if not wanted or command is None:  # without it, the tests that need EPUBCheck fail
        return
    folder = _run_folder(tmp_path_factory) / "epubcheck"
    folder.mkdir(exist_ok=True)
    socket = folder / "socket"
    run = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not socket.exists():
            with open(folder / "serve.log", "ab") as log:
                subprocess.Popen([command, "--serve", str(socket), str(run)], stdout=log,
                                 stderr=log, start_new_session=True)
            deadline = time.monotonic() + 120
            while not socket.exists():
                assert time.monotonic() < deadline, f"no warm EPUBCheck: {folder / 'serve.log'}"
                time.sleep(0.1)
    os.environ["EPUBCHECK_SOCKET"] = str(socket)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A sample under manuscript/ (by name) built in its default editions once for the whole
    run. Tests only read it (copy before changing)."""
    shared = _run_folder(tmp_path_factory) / "samples"
    return lambda name: _built_once(shared, MANUSCRIPTS / name)


@pytest.fixture(scope="session")
def large_print_build(sample_build: Callable[[str], Path],
                      tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, float], Path]:
    """A sample's large-print PDF at a body size (by name and size), built once for the
    whole run: at the default size it is the one among the sample's other editions. Tests
    only read it."""
    shared = _run_folder(tmp_path_factory) / "large-print"

    def built(name: str, size: float) -> Path:
        if size == PROFILES[DEFAULT_PROFILE].default_size:
            folder = sample_build(name)
        else:
            folder = _built_once(shared / f"{size:g}", MANUSCRIPTS / name,
                                 "--edition", "large-print", "--size", f"{size:g}",
                                 seed=sample_build(name))
        return folder / f"{name.removesuffix('.md')}-large-print.pdf"

    return built


@pytest.fixture
def corpus_build(corpus: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A corpus novel (by file name) built in its default editions once for the whole run,
    as `sample_build` does: a novel's build is the slowest thing the suite does, and every
    corpus test reads its editions. Tests only read it (copy before changing)."""
    shared = _run_folder(tmp_path_factory) / "corpus"
    return lambda name: _built_once(shared, corpus / name)


@pytest.fixture
def corpus() -> Path:
    """The shared corpus beside the clone; absent only on a user's fresh clone."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (it sits beside the clone in CI)")
    return CORPUS


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under a temporary manuscript folder and return its path."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local web server that counts every request it gets."""
    _CountingHandler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _CountingHandler.hits
    httpd.shutdown()


def words(text: str) -> list[str]:
    """Words as letters and digits only, so punctuation choices do not matter."""
    return [w.lower() for w in _WORD.findall(text.replace("\u00ad", ""))]


def inline_text(nodes: tuple[Inline, ...]) -> Iterator[str]:
    """All text in inlines, alt text included."""
    for node in nodes:
        if isinstance(node, Text | Code):
            yield node.text
        elif isinstance(node, Emphasis | Strong | Span | Link):
            yield from inline_text(node.children)
        elif isinstance(node, Image):
            yield node.alt
        yield " "


def block_text(block: Block) -> Iterator[str]:
    """All text in a block and the blocks it holds."""
    for name in ("children", "lines", "blocks", "items", "head", "body", "caption", "image",
                 "text", "html", "term", "definitions"):
        value = getattr(block, name, None)
        yield from _value_text(value)
        yield " "


def _value_text(value: object) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Image):
        yield value.alt
    elif isinstance(value, tuple):
        for item in value:
            if isinstance(item, Text | Code | Emphasis | Strong | Span | Link | Image):
                yield from inline_text((item,))
            else:
                yield from _value_text(item)
    elif hasattr(value, "kind") or hasattr(value, "blocks") or hasattr(value, "children"):
        yield from block_text(value)  # type: ignore[arg-type]
    yield " "


def division_text(division: Division) -> Iterator[str]:
    """All text of a division: title, blocks, notes and nested divisions."""
    yield from inline_text(division.title)
    for block in division.blocks:
        yield from block_text(block)
    for note in division.notes:
        for block in note.blocks:
            yield from block_text(block)
    for child in division.children:
        yield from division_text(child)


def book_words(book: Book) -> list[str]:
    """Every word the model holds, metadata that replaced text included."""
    parts = [" ".join(division_text(d)) for d in book.divisions
             if d.kind not in ("titlepage", "copyright")]
    return words(" ".join(parts))


def validator(name: str) -> Path:
    """A validator command from $VAL_HOME/bin or ~/.cache/validators/bin; missing fails."""
    import os

    home = os.environ.get("VAL_HOME")
    folders = [Path(home) / "bin"] if home else []
    folders.append(Path.home() / ".cache" / "validators" / "bin")
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"validator '{name}' not found in $VAL_HOME/bin or ~/.cache/validators/bin: "
                "install the validators with `make validators`")


def png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid grey PNG, so tests need no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; its pixels are never decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\x00\x00\x00\x00IEND\xaeB`\x82")
