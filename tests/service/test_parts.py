"""The service's parts in-process: the store, the tokens and the upload checks (fast: no
broker, no server)."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from publish.service.store import Store, sha256
from publish.service.tokens import Tokens
from publish.service.uploads import MAX_ENTRIES, Refused, accept

from .conftest import ARTICLE, book_zip, zipped


def hostile_zips() -> dict[str, bytes]:
    """One zip for each way an upload may try to escape its folder or flood the disk."""
    symlink = zipfile.ZipInfo("book/link.md")
    symlink.external_attr = (stat.S_IFLNK | 0o777) << 16
    linked = io.BytesIO()
    with zipfile.ZipFile(linked, "w") as archive:
        archive.writestr("book/book.toml", "title = 'x'\n")
        archive.writestr(symlink, "/etc/passwd")
    return {
        "dotdot": zipped({"book/book.toml": b"title='x'\n", "book/../../evil.md": b"# x\n"}),
        "absolute": zipped({"/etc/evil.md": b"# x\n"}),
        "symlink": linked.getvalue(),
        "bomb": zipped({"book/book.toml": b"title='x'\n", "book/big.md": b"a" * 20_000_000}),
        "entries": zipped({f"book/{n}.md": b"# x\n" for n in range(MAX_ENTRIES + 1)}),
    }


def stored(data: Path) -> list[Path]:
    """Every file the store holds outside the token folder."""
    return [p for p in data.rglob("*") if p.is_file() and "tokens" not in p.parts]


@pytest.mark.parametrize("case", sorted(hostile_zips()))
def test_a_hostile_zip_is_refused_and_nothing_is_stored(case: str, tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(Refused) as refused:
        accept(store, "book.zip", hostile_zips()[case])
    assert 400 <= refused.value.status < 500
    assert refused.value.message
    assert stored(tmp_path) == []
    assert list((tmp_path / "manuscripts").iterdir()) == []


def test_the_same_bytes_are_one_manuscript(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = accept(store, "harbour-article.md", ARTICLE.read_bytes())
    again = accept(store, "renamed.md", ARTICLE.read_bytes())
    assert first.new and not again.new
    assert first.ident == again.ident == sha256(ARTICLE.read_bytes())
    assert first.title.startswith("Work to begin on Kelmouth harbour wall")


def test_a_book_folder_zip_is_read_and_linted_with_relative_file_names(tmp_path: Path) -> None:
    upload = accept(Store(tmp_path), "lighthouse.zip", book_zip())
    assert upload.title
    assert all(not f["file"].startswith("/") for f in upload.lint)


def test_lint_findings_name_the_file_and_line(tmp_path: Path) -> None:
    text = b"---\ntitle: T\nlanguage: en\n---\n# One\n\nText.\n\n### Three\n\nMore.\n"
    upload = accept(Store(tmp_path), "t.md", text)
    codes = {(f["file"], f["line"], f["code"], f["severity"]) for f in upload.lint}
    assert ("t.md", 9, "A004", "error") in codes


def test_a_manuscript_that_cannot_be_read_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(Refused) as refused:
        accept(Store(tmp_path), "bad.md", b"\xff\xfe not text")
    assert refused.value.status == 422
    assert refused.value.message.startswith("bad.md:1:")
    assert stored(tmp_path) == []


def test_tokens_are_stored_hashed_and_revoked(tmp_path: Path) -> None:
    tokens = Tokens(tmp_path)
    secret = tokens.create("alice")
    assert tokens.owner(secret) == "alice"
    assert secret not in "".join(p.read_text() + p.name for p in (tmp_path / "tokens").iterdir())
    (listed,) = tokens.all()
    assert listed.owner == "alice"
    assert tokens.revoke(listed.ident) == 1
    assert tokens.owner(secret) is None
    with pytest.raises(ValueError):
        tokens.create("../evil")


def test_token_create_prints_the_token_alone_on_its_last_line(tmp_path: Path) -> None:
    made = subprocess.run([sys.executable, "-m", "publish.cli", "token", "create", "bob",
                           "--data", str(tmp_path)], capture_output=True, text=True, check=True)
    token = made.stdout.splitlines()[-1]
    assert Tokens(tmp_path).owner(token) == "bob"
    listed = subprocess.run([sys.executable, "-m", "publish.cli", "token", "list", "--data",
                             str(tmp_path)], capture_output=True, text=True, check=True)
    assert "bob" in listed.stdout and token not in listed.stdout


def test_two_writers_of_one_output_leave_one_whole_file(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key = sha256(b"job")
    for content in (b"%PDF-first", b"%PDF-second"):
        built = store.scratch() / "out.pdf"
        built.write_bytes(content)
        store.put_file(key, built, {"filename": "x.pdf", "media_type": "application/pdf",
                                    "manuscript": key})
    assert store.file(key).read_bytes() == b"%PDF-second"
    assert store.has_file(key)
    assert [p.name for p in (tmp_path / "files").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("argv", [["serve", "--help"], ["worker", "--help"],
                                  ["token", "--help"], ["token", "create", "--help"]])
def test_the_service_commands_help_imports_no_service_engine(argv: list[str]) -> None:
    script = ("import json, sys\nfrom publish.cli import main\ntry:\n    main(sys.argv[1:])\n"
              "except SystemExit:\n    pass\nprint(json.dumps(sorted(sys.modules)))\n")
    ran = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True,
                         text=True, check=True)
    modules = json.loads(ran.stdout.splitlines()[-1])
    heavy = ("weasyprint", "ebooklib", "celery", "kombu", "redis", "starlette", "uvicorn",
             "publish.service.app", "publish.service.jobs", "publish.build")
    assert [m for m in modules if m.split(".")[0] in heavy or m in heavy] == []
