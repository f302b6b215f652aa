"""Compiled templates: ours kept per user and checked against their source; a manuscript's
own templates never kept."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from publish import template_cache
from publish.layers import STYLES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> jinja2.BytecodeCache:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template_cache.template_cache.cache_clear()
    yield template_cache.template_cache()
    template_cache.template_cache.cache_clear()


def _environment(folder: Path, cache: jinja2.BytecodeCache | None) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)


def test_our_templates_are_compiled_once(tmp_path: Path, cache: jinja2.BytecodeCache) -> None:
    first = _environment(STYLES / "base", cache).get_template("copyright.html.j2")
    kept = list((tmp_path / "cache" / "publish" / "templates").rglob("*.cache"))
    assert len(kept) == 1
    again = _environment(STYLES / "base", cache).get_template("copyright.html.j2")
    assert again.root_render_func.__code__.co_code == first.root_render_func.__code__.co_code


def test_a_manuscripts_template_is_not_kept(tmp_path: Path,
                                            cache: jinja2.BytecodeCache) -> None:
    own = tmp_path / "book" / "styles"
    own.mkdir(parents=True)
    (own / "page.html.j2").write_text("<p>{{ words }}</p>")
    assert _environment(own, cache).get_template("page.html.j2").render(words="hi") == "<p>hi</p>"
    assert not (tmp_path / "cache" / "publish" / "templates").exists()


def test_changed_source_is_compiled_again(tmp_path: Path, cache: jinja2.BytecodeCache,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    layer = tmp_path / "styles"
    layer.mkdir()
    monkeypatch.setattr(template_cache, "STYLES", layer)  # a layer of ours, in a test folder
    (layer / "t.j2").write_text("one")
    assert _environment(layer, cache).get_template("t.j2").render() == "one"
    (layer / "t.j2").write_text("two")
    assert _environment(layer, cache).get_template("t.j2").render() == "two"


def test_an_unwritable_cache_only_costs_time(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))
    template_cache.template_cache.cache_clear()
    try:
        environment = _environment(STYLES / "base", template_cache.template_cache())
        assert environment.get_template("copyright.html.j2")
    finally:
        template_cache.template_cache.cache_clear()


def test_without_a_home_templates_are_compiled_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    template_cache.template_cache.cache_clear()
    try:
        assert template_cache.template_cache() is None
        assert _environment(STYLES / "base", None).get_template("copyright.html.j2")
    finally:
        template_cache.template_cache.cache_clear()
