"""The braille layout's numbers, read from the braille layer's `format.toml` (BANA Braille
Formats 2016), a manuscript's own `styles/braille/format.toml` overriding any of them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import layers
from publish.errors import ManuscriptError

LAYER = "braille"
FILE = "format.toml"


@dataclass(frozen=True)
class Indent:
    """Where a block's first line and its runover lines start, as 0-based cell offsets."""

    first: int
    runover: int

    def deeper(self, cells: int) -> Indent:
        """The same block set `cells` further in."""
        return Indent(self.first + cells, self.runover + cells)


@dataclass(frozen=True)
class Format:
    """The layout values, read once per book."""

    values: dict[str, Any]

    def indent(self, section: str, key: str | None = None) -> Indent:
        """The indent a section (or one of its entries) gives, from BANA's 1-based cells."""
        value = self.values[section] if key is None else self.values[section][key]
        return Indent(int(value["first"]) - 1, int(value["runover"]) - 1)

    def number(self, section: str, key: str) -> int:
        """A count such as a nested list's step."""
        return int(self.values[section][key])

    def cell(self, section: str, key: str) -> str:
        """One braille cell named in the file, such as the guide dot."""
        return str(self.values[section][key])


def read_format(root: Path) -> Format:
    """The layer's values with the manuscript's own overrides merged in, section by section."""
    values = _load(layers.folder(LAYER) / FILE)
    own = root / "styles" / LAYER / FILE
    if own.is_file():
        for section, entries in _load(own).items():
            values[section] = {**values.get(section, {}), **entries}
    return Format(values)


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ManuscriptError(path, None, f"cannot read the braille format: {error}") from error
