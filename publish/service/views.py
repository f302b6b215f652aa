"""What the web page shows of the store: an owner's titles, a title with its findings and
built files (edition, size, date), a job's manuscript and edition; plain data for the
templates."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from publish.editions import EDITIONS
from publish.profiles import DEFAULT_PROFILE
from publish.service.actions import Service, download_path
from publish.service.jobs import companion_key
from publish.service.store import is_key

LABELS = {"print": "Print PDF", "epub": "EPUB 3", "large-print": "Large-print PDF",
          "braille": "Braille PEF", "web": "Web edition (zipped site)"}
COMPANION_LABELS = {"brf": "Braille BRF (for embossers)"}  # by the companion's format


def built(service: Service, ident: str) -> list[dict[str, Any]]:
    """Each built file of a manuscript: edition, options, size, date, download."""
    found = []
    for key in service.store.built(ident):
        meta = service.store.file_meta(key)
        found.append(_file_row(service, key, meta))
        found.extend(_file_row(service, companion, service.store.file_meta(companion))
                     for companion in meta.get("companions", {}).values()
                     if service.store.has_file(companion))
    return found


def _file_row(service: Service, key: str, meta: dict[str, Any]) -> dict[str, Any]:
    """One stored file as the page lists it."""
    stat = service.store.file(key).stat()
    return {"key": key, "label": file_label(meta), "filename": meta["filename"],
            "bytes": human_size(stat.st_size),
            "date": time.strftime("%d %b %Y, %H:%M UTC", time.gmtime(stat.st_mtime)),
            "iso": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime)),
            "download": download_path(key)}



def file_label(meta: dict[str, Any]) -> str:
    """A built file's edition and the options it was made with, as a reader says them."""
    companion = Path(meta["filename"]).suffix.lstrip(".") if "companion_of" in meta else ""
    label = COMPANION_LABELS.get(companion) or str(LABELS.get(meta["edition"], meta["edition"]))
    if "size" in meta:
        profile = meta.get("profile", DEFAULT_PROFILE)
        label += f", {meta['size']:g} pt ({profile.upper() if profile != 'custom' else profile})"
    if "cells" in meta:
        label += f", {braille_page(meta)}"
    return label


def owner_titles(service: Service, owner: str) -> list[dict[str, Any]]:
    """The owner's titles, newest first, with their built files."""
    return [{"ident": ident, "meta": service.store.meta(ident), "built": built(service, ident),
             "published": service.store.is_published(ident)}
            for ident in service.store.manuscripts_of(owner)]



def describe_title(service: Service, ident: str) -> dict[str, Any]:
    meta = service.store.meta(ident)
    lint = meta.get("lint", [])
    return {"ident": ident, "meta": meta, "lint": lint, "built": built(service, ident),
            "errors": sum(f.get("severity") == "error" for f in lint),
            "published": service.store.is_published(ident)}



def job_about(service: Service, job: str) -> dict[str, Any]:
    """The job's manuscript and edition (with its size), for the page's heading and links."""
    if service.store.has_file(job):
        found: dict[str, Any] = service.store.file_meta(job)
    else:
        found = service.states.get(job) or {}
    manuscript = found.get("manuscript", "")
    title = service.store.meta(manuscript)["title"] if is_key(manuscript) else "this title"
    edition = LABELS.get(found.get("edition", ""), "Edition")
    size = f" at {float(found['size']):g} pt" if found.get("size") else \
        f" ({braille_page(found)})" if found.get("cells") else ""
    made = EDITIONS[found["edition"]].companions if found.get("edition") in EDITIONS else ()
    companions = [(COMPANION_LABELS.get(c.format, c.suffix),
                   download_path(companion_key(job, c.suffix))) for c in made]
    return {"manuscript": manuscript, "title": title, "edition": edition, "size": size,
            "companions": companions}


def braille_page(options: dict[str, Any]) -> str:
    """A braille file's page and grade as a reader says them."""
    return f"{options['cells']} cells by {options['lines']} lines, grade {options['grade']}"


def human_size(count: int) -> str:
    """Bytes as a reader says them."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / 2**20:.1f} MB"
