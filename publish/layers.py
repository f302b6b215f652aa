"""Style layers as data: each layer's folder says in `layer.toml` which layer it inherits
and which resource folders (fonts) its stylesheets load, as Sphinx themes do."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

STYLES = Path(__file__).resolve().parent.parent / "styles"
BASE = "base"
_FOLDERS: dict[str, Path] = {}  # layers kept outside STYLES, e.g. a plug-in edition's own


class LayerError(ValueError):
    """A layer's `layer.toml` is missing, malformed or inherits in a circle."""


def add_folder(name: str, folder: Path) -> None:
    """Make a layer kept outside our `styles/` folder known by its name."""
    _FOLDERS[name] = folder
    chain.cache_clear()


def folder(name: str) -> Path:
    """Where a layer's templates and stylesheets are."""
    return _FOLDERS.get(name, STYLES / name)


@cache
def chain(name: str) -> tuple[str, ...]:
    """The layer and those it inherits, most general first, `base` left out: large print
    gives `("print", "large-print")`."""
    layers: list[str] = []
    while name != BASE:
        if name in layers:
            raise LayerError(f"style layer {name!r} inherits from itself")
        layers.append(name)
        name = str(_settings(name).get("inherits", BASE))
    return tuple(reversed(layers))


def resources(name: str) -> tuple[str, ...]:
    """The resource folders (such as `fonts`) that a layer or one it inherits loads."""
    used: list[str] = []
    for layer in chain(name):
        used += [str(other) for other in _settings(layer).get("uses", ())]
    return tuple(dict.fromkeys(used))


def setting(name: str, key: str) -> str | None:
    """A layer's own value for `key`, else the value of the nearest layer it inherits."""
    for layer in reversed(chain(name)):
        value = _settings(layer).get(key)
        if value is not None:
            return str(value)
    return None


def _settings(name: str) -> dict[str, Any]:
    path = folder(name) / "layer.toml"
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LayerError(f"{path}: {error}") from error
