"""WeasyPrint's C libraries opened by their sonames, without a search that starts processes.

WeasyPrint tries several spellings of each library (Pango, HarfBuzz, GObject, fontconfig)
through cffi, which hands every spelling without a path to `ctypes.util.find_library`; on
Linux that runs `ldconfig -p`, `gcc` and `ld` for each one: 215 processes, 0.15 s of CPU
and up to half a second of wall time on a busy machine, in every build. Each list also holds
the library's soname (`libpango-1.0.so.0`), which the dynamic loader opens by itself, and a
name `find_library` finds on Linux is such a soname, opened by the same loader: so while
`engine` imports WeasyPrint the lookup answers "not found" at once and the soname opens.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import sys
from collections.abc import Iterator


def _not_found(name: str) -> str | None:
    """ctypes' answer for a library it cannot find."""
    return None


@contextlib.contextmanager
def sonames_only() -> Iterator[None]:
    """While active (on Linux), ctypes' library lookup finds nothing, without a process."""
    if not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        yield
    finally:
        ctypes.util.find_library = original
