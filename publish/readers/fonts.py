"""The `fonts` setting: font files inside the manuscript folder that the PDF editions add
to their stacks, for characters the bundled faces lack."""

from __future__ import annotations

from pathlib import Path

from publish.readers.metadata import MetadataSource

SUFFIXES = (".ttf", ".otf")


def read_fonts(source: MetadataSource, root: Path) -> tuple[Path, ...]:
    """`fonts: [fonts/Amiri-Regular.ttf, ...]`: each a TrueType or OpenType file in the folder."""
    names = source.texts("fonts")
    return tuple(_font(source, root, name) for name in names)


def _font(source: MetadataSource, root: Path, name: str) -> Path:
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise source.fail("fonts", f"font '{name}' is outside the manuscript folder")
    if not path.is_file():
        raise source.fail("fonts", f"font '{name}' not found")
    if path.suffix.lower() not in SUFFIXES:
        raise source.fail("fonts", f"font '{name}' is not a .ttf or .otf file")
    from fontTools.ttLib import TTFont, TTLibError  # only when a manuscript names fonts

    try:
        TTFont(path, lazy=True).getBestCmap()
    except (TTLibError, OSError, KeyError, AssertionError) as error:
        raise source.fail("fonts", f"font '{name}' cannot be read: {error}") from error
    return path


def font_face_css(paths: tuple[Path, ...]) -> str:
    """An `@font-face` rule for each file, named, weighted and styled as the font says."""
    from fontTools.ttLib import TTFont

    rules = []
    for path in paths:
        font = TTFont(path, lazy=True)
        family = str(font["name"].getBestFamilyName() or path.stem).replace('"', "")
        os2 = font.get("OS/2")
        bold = os2 is not None and os2.usWeightClass >= 600
        italic = os2 is not None and bool(os2.fsSelection & 1)
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
                     f'font-weight: {"bold" if bold else "normal"}; '
                     f'font-style: {"italic" if italic else "normal"}; }}')
    return "\n".join(rules)
