"""WeasyPrint's C libraries opened by soname: no `ldconfig` or `gcc` started on import."""

from __future__ import annotations

import subprocess
import sys

import pytest

COUNTING = """
import ctypes.util
asked = []
original = ctypes.util.find_library
def counting(name):
    asked.append(name)
    return original(name)
ctypes.util.find_library = counting
import publish.pdf.engine
print(len(asked), ctypes.util.find_library is counting)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sonames are Linux's")
def test_the_engine_imports_weasyprint_without_library_lookups() -> None:
    result = subprocess.run([sys.executable, "-c", COUNTING], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["0", "True"]  # none asked, and ctypes' own put back
