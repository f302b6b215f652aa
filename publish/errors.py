"""Errors a writer can fix, each naming the file and line it comes from."""

from __future__ import annotations

import logging
from pathlib import Path


class ManuscriptError(Exception):
    """A problem in the manuscript, reported as `file:line: message` without a traceback."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type[ManuscriptError], tuple[Path, int | None, str]]:
        """Pickled whole, so an error raised while rendering in a worker process arrives."""
        return (type(self), (self.path, self.line, self.message))


class BuildError(Exception):
    """A build step failed for a reason outside the manuscript text (fonts, disk, renderer)."""


NOTICE = 25  # a logging level between INFO and WARNING: a decision the writer should see

logging.addLevelName(NOTICE, "NOTICE")
