"""Our style layers' templates, compiled once per user rather than once per edition and process.

Compiling the shared templates costs about 0.07 s of CPU, and a build compiled them in every
worker for every edition (each edition's environment has its own loader): 0.2 s of a short
article's 2 s. Jinja2 keeps the compiled code in `$XDG_CACHE_HOME/publish/templates/`,
under a folder named for the Jinja2 and Python versions, each file checked against its
template's source before use. Only the templates under our `styles/` are kept: a
manuscript's own templates are compiled as before, so a temporary manuscript leaves nothing
behind. A cache that cannot be written costs only the time it would have saved.
"""

from __future__ import annotations

import contextlib
import os
import sys
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from publish.layers import STYLES
from publish.user_cache import folder


class _OwnTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, for the templates under `styles/` only, and never failing."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self._kept: set[str] = set()  # the keys of our own templates' buckets

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        """A template's compiled code from the cache when it is one of ours."""
        if filename is not None and Path(filename).resolve().is_relative_to(STYLES):
            bucket = super().get_bucket(environment, name, filename, source)
            self._kept.add(bucket.key)
            return bucket
        return Bucket(environment, self.get_cache_key(name, filename),
                      self.get_source_checksum(source))

    def load_bytecode(self, bucket: Bucket) -> None:
        """Our template's code, if the cache has it and can be read."""
        with contextlib.suppress(OSError):  # unreadable: as if not kept, so compiled
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep our own template's code, if the folder can take it."""
        if bucket.key in self._kept:  # a read-only or full disk: compiled again next time
            with contextlib.suppress(OSError):
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)


@cache
def template_cache() -> jinja2.BytecodeCache | None:
    """The cache every environment of this process shares (none for a user without a home)."""
    kept_in = folder("templates")
    if kept_in is None:
        return None
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return _OwnTemplates(kept_in / f"jinja2-{jinja2.__version__}-py{python}")
