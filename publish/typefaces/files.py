"""The font files behind the world families: Debian's, checked to be there, and the faces
of its CJK collections, extracted once into a cache (WeasyPrint cannot pick a face of a
collection, and would copy all ten faces of one for every layout)."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from publish.errors import BuildError
from publish.typefaces.table import NOTO, NOTO_CJK, PACKAGES, Family


def cache_folder() -> Path:
    """Where extracted faces are kept: `$XDG_CACHE_HOME/publish/fonts`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "publish" / "fonts"


def folders() -> tuple[Path, ...]:
    """The folders a renderer may load world faces from, besides our `styles/`."""
    return (NOTO, NOTO_CJK, cache_folder())


def face_file(family: Family, bold: bool) -> Path:
    """The file of one face of a family, ready for WeasyPrint and fontTools."""
    source = family.bold if bold else family.regular
    if not source.is_file():
        package = PACKAGES.get(source.parent, "the font")
        raise BuildError(f"{source} is missing: install Debian's {package} (`make system`) "
                         f"to set text in {family.name}")
    if family.index is None:
        return source
    return _extracted(source, family.index)


@cache
def _extracted(collection: Path, index: int) -> Path:
    """One face of a collection as a font file of its own, written once and atomically."""
    target = cache_folder() / f"{collection.stem}-{index}.otf"
    if target.is_file() and target.stat().st_mtime >= collection.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    face: TTFont = TTCollection(collection, lazy=True).fonts[index]
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            face.save(out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
