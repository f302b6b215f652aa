"""The large-print promises, held against what `publish.measure` reads back from the PDF."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from publish import __version__
from publish.check.model import ERROR, Issue, Run

JUSTIFIED_SHARE = 0.4  # ragged text ends few lines flush right; justified text most of them
_SHOWN = 5  # hyphenated line ends quoted before a count of the rest


def large_print(path: Path, size: float) -> Run:
    """Every broken promise is an error; a measurement that cannot run is one too."""
    run = Run("large-print", path.name, __version__)
    try:
        measured = importlib.import_module("publish.measure").measure_pdf(path)
    except (ImportError, AttributeError) as error:
        run.issues.append(Issue(path.name, run.tool, ERROR, "L002",
                                f"the large-print measurement could not run: {error}"))
        return run
    run.issues.extend(Issue(path.name, run.tool, ERROR, "L001", problem, where)
                      for problem, where in problems(measured, size))
    return run


def problems(measured: Any, size: float) -> Iterator[tuple[str, str]]:
    """What a `publish.measure.Measurement` shows to break, with where it was seen."""
    smallest = measured.smallest
    if smallest is not None and smallest.size < size - 0.01:
        yield (f"smallest glyph is {smallest.size:g} pt ('{smallest.char}' in "
               f"{smallest.font}), below the asked {size:g} pt", f"p. {smallest.page}")
    if measured.serif_fonts:
        yield f"serif face(s): {', '.join(measured.serif_fonts)}", ""
    if measured.italic_fonts:
        yield f"italic face(s): {', '.join(measured.italic_fonts)}", ""
    if measured.off_page:
        yield f"{measured.off_page} glyph(s) run off the page", ""
    if measured.flush_right_share > JUSTIFIED_SHARE:
        yield (f"{measured.flush_right_share:.0%} of lines end flush right: the text is "
               "justified, not ragged right", "")
    ends = measured.hyphenated_line_ends
    if ends:
        more = f" and {len(ends) - _SHOWN} more" if len(ends) > _SHOWN else ""
        yield f"words broken at line ends: {', '.join(ends[:_SHOWN])}{more}", ""
