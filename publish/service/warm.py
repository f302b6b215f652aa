"""A worker's warm-up, before Celery forks its pool: every edition of a small manuscript
rendered once in the worker's main process, so that each job's renderer, forked from it,
starts with WeasyPrint's fonts, the hyphenation patterns, the compiled templates and the
font tables already loaded. Measured on the sample article: the print edition took 1.3 s in
a renderer forked cold and 0.57 s in one forked after the warm-up."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from publish.editions import EDITIONS, page_map_maker
from publish.options import Options
from publish.readers import read

log = logging.getLogger("publish.service")

# What most manuscripts hold: a heading, prose, emphasis, a list, a quotation, a note, a table
WARM_UP = """---
title: Warming up
author: publish
language: en
---

# Warming up

A first paragraph of ordinary prose, with *emphasis*, **strong words** and a note.[^1]

- a list item
- another item

> A quotation, set apart.

| Column | Value |
|---|---|
| one | 1 |

[^1]: The note.
"""


def warm_up() -> None:
    """Render every edition of the warm-up manuscript here, keeping nothing; an edition
    that cannot be rendered here (a missing liblouis) is left for its jobs to report."""
    with tempfile.TemporaryDirectory(prefix="publish-warm-up-") as folder:
        source = Path(folder) / "warm-up.md"
        source.write_text(WARM_UP, encoding="utf-8")
        book = read(source)
        pages = page_map_maker().hook("page_map")(book)
        for edition in EDITIONS.values():
            try:
                edition.hook("render")(book, Options(print_pages=pages))
            except Exception as error:  # the job will say it better, with its own book
                log.warning("warm-up: %s not rendered (%s)", edition.name, error)
