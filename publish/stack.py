"""Deep recursion on one roomy stack chunk, for the renderers' long runs.

CPython 3.11 keeps frames in 16 KiB chunks: a call that does not fit in the current chunk
maps a new one, and returning from it unmaps it again. WeasyPrint's layout recursion goes
back and forth over such a chunk end hundreds of thousands of times a book: on Pride and
Prejudice, 180,000 mmap/munmap pairs and 12% of the print edition's time. A call made from
a frame with a large evaluation stack starts a chunk of 1 MiB, and everything below it runs
there without crossing an end.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
_SLOTS = 1 << 16  # 512 KiB of stack slots: the chunk is the next power of two, 1 MiB


def _call(job: Callable[[], T]) -> T:
    return job()


_call.__code__ = _call.__code__.replace(co_stacksize=_SLOTS)


def roomy(function: Callable[P, T]) -> Callable[P, T]:
    """`function`, run on a stack chunk with room for its whole recursion."""
    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        return _call(lambda: function(*args, **kwargs))
    return run
