"""Hyphenation patterns kept parsed in the user's cache hyphenate exactly as pyphen's own."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest

from publish.pdf.engine import load_hyphenation

WORDS = ("hyphenation", "lighthouse", "keeper", "extraordinary", "meteorological")


def _fresh(language: str) -> pyphen.HyphDict:
    return pyphen.HyphDict(Path(str(pyphen.LANGUAGES[pyphen.language_fallback(language)])))


@pytest.mark.parametrize("language", ["en-GB", "hu"])  # Hungarian has nonstandard breaks
def test_cached_patterns_hyphenate_as_pyphen_does(language: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_hyphenation(language)  # parsed, and kept
    parsed = pyphen.hdcache[path]
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_hyphenation(language)  # from the cache when it could be kept
    kept = pyphen.hdcache[path]
    fresh = _fresh(language)
    assert kept.patterns == parsed.patterns == fresh.patterns
    assert [kept.positions(w) for w in WORDS] == [fresh.positions(w) for w in WORDS]
    entries = list((tmp_path / "publish" / "hyphenation").glob("*"))
    assert len(entries) == (0 if language == "hu" else 1)
