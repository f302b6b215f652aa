"""The per-user cache: entries written whole, and never a reason for a build to fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import user_cache


def test_an_entry_is_kept_under_xdg_cache_home(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    entry = user_cache.folder("things") / "one"
    assert entry == tmp_path / "publish" / "things" / "one"
    assert user_cache.recall(entry) is None
    user_cache.keep(entry, b"data")
    assert user_cache.recall(entry) == b"data"
    assert [p.name for p in entry.parent.iterdir()] == ["one"]  # no part file left


def test_a_folder_that_cannot_be_written_is_passed_over(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    user_cache.keep(blocked / "entry", b"data")  # no error
    assert user_cache.recall(blocked / "entry") is None


def test_a_user_without_a_home_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    assert user_cache.folder("things") is None
