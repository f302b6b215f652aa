"""WeasyPrint imported with its C libraries opened by their sonames, before `engine` needs it.

WeasyPrint tries several spellings of each library (Pango, HarfBuzz, GObject, fontconfig)
through cffi, which hands every spelling without a path to `ctypes.util.find_library`; on
Linux that runs `ldconfig -p`, `gcc` and `ld` for each one: about twenty processes, 0.15 s of
CPU and up to half a second of wall time on a busy machine, in every build. Each list also
holds the library's soname (`libpango-1.0.so.0`), which the dynamic loader finds by itself,
so while WeasyPrint is imported here the lookup answers "not found" at once and the soname
is what opens. Should that fail (a system whose libraries only `gcc` knows of), the import
is left to `engine`, which then takes the usual slow way.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
from collections.abc import Iterator


def _not_found(name: str) -> str | None:
    """ctypes' answer for a library it cannot find."""
    return None


@contextlib.contextmanager
def _sonames_only() -> Iterator[None]:
    """While active, ctypes' library lookup finds nothing, without starting a process."""
    original = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> None:
    """Import WeasyPrint with its libraries found by soname, on Linux, unless it already is."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return
    # WeasyPrint prints an installation hint to standard output when a library fails to load
    with contextlib.suppress(OSError), _sonames_only(), \
            contextlib.redirect_stdout(io.StringIO()):
        import weasyprint  # noqa: F401  # the module stays in sys.modules for `engine`


import_weasyprint()
