"""liblouis's Python binding, found where Debian installs it.

Debian's `python3-louis` puts a small ctypes module in `/usr/lib/python3/dist-packages`,
which an interpreter other than Debian's own (a pyenv or venv Python) does not search.
Only that one package is loaded from there: the rest of dist-packages stays out of reach.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

# Where Debian (and Ubuntu) install the binding for their own Python 3.
DEBIAN_BINDING = Path("/usr/lib/python3/dist-packages/louis/__init__.py")
INSTALL_HINT = "apt-get install liblouis20 liblouis-data python3-louis (or: make system)"


class LouisMissing(RuntimeError):
    """liblouis or its Python binding is not installed."""


def load(binding: Path = DEBIAN_BINDING) -> ModuleType:
    """The `louis` module: importable already, or loaded from Debian's copy alone."""
    if "louis" in sys.modules:
        return sys.modules["louis"]
    try:
        return importlib.import_module("louis")  # a venv that sees it already
    except ImportError:
        return _load_from(binding)


def _load_from(binding: Path) -> ModuleType:
    """Load the one package file, so nothing else in its folder becomes importable."""
    if not binding.is_file():
        raise LouisMissing(f"braille needs liblouis's Python binding ({binding} is not "
                           f"there): {INSTALL_HINT}")
    spec = importlib.util.spec_from_file_location("louis", binding)
    if spec is None or spec.loader is None:
        raise LouisMissing(f"cannot load {binding}: {INSTALL_HINT}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except OSError as error:  # the binding is there but liblouis.so.20 is not
        raise LouisMissing(f"braille needs liblouis itself ({error}): {INSTALL_HINT}") \
            from error
    sys.modules["louis"] = module
    return module
