"""Editions built through the API by real Celery workers: downloaded, named, checked by the
validators; a finished edition asked for again is answered at once; events end with it."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from publish.check.tools import INSTALL_HINT, locate

from .conftest import Api
from .test_api import EDITIONS, upload_article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def validators() -> Path:
    """EPUBCheck must be installed: missing, the test fails, it never skips."""
    found = locate("epubcheck")
    assert found is not None, f"epubcheck not found: {INSTALL_HINT}"
    return found


def build(api: Api, token: str, ident: str, body: dict[str, object]) -> tuple[dict[str, object],
                                                                             bytes, dict[str, str]]:
    """Ask for an edition, wait for its job, download it."""
    status, started = api.json("POST", EDITIONS.format(ident), token, body)
    assert status == 202, started
    state = api.wait_for(started["job"], token)
    assert state["status"] == "done", state
    status, headers, data = api.call("GET", str(state["download"]), token)
    assert status == 200
    return state, data, {k.lower(): v for k, v in headers.items()}


def test_each_edition_of_the_article_is_built_downloaded_and_valid(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]], validators: Path,
    tmp_path: Path,
) -> None:
    start_worker()
    token = api.token("alice")
    ident = upload_article(api, token)
    _, pdf, headers = build(api, token, ident, {"edition": "print"})
    assert pdf.startswith(b"%PDF") and headers["content-type"] == "application/pdf"
    notes = api.data / "notes" / ident  # the print layout, for the jobs that need its pages
    assert (notes / "harbour-article.pdf.json").is_file()
    _, large, headers = build(api, token, ident, {"edition": "large-print", "size": 24})
    assert large.startswith(b"%PDF")
    assert headers["content-disposition"] == ('attachment; filename="work-to-begin-on-kelmouth-'
                                              'harbour-wall-after-1-4m-repair-deal-large-print-'
                                              '24pt.pdf"')
    pages = json.loads((notes / "harbour-article.pages.json").read_text())["pages"]
    with pikepdf.open(io.BytesIO(pdf)) as printed:  # taken from print's notes, not laid out
        assert len(pages) == len(printed.pages)
    _, epub, headers = build(api, token, ident, {"edition": "epub"})
    assert headers["content-type"] == "application/epub+zip"
    (tmp_path / "a.epub").write_bytes(epub)
    checked = subprocess.run([str(validators), str(tmp_path / "a.epub")], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_braille_with_its_options_and_the_web_edition_are_built_and_named(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    start_worker()
    token = api.token("alice")
    ident = upload_article(api, token)
    _, pef, headers = build(api, token, ident, {"edition": "braille", "cells": 32,
                                                "lines": 20, "grade": 1})
    assert headers["content-type"] == "application/x-pef+xml"
    assert headers["content-disposition"].endswith('-repair-deal-32x20-grade1.pef"')
    assert b'cols="32"' in pef and b'rows="20"' in pef
    state, default, _ = build(api, token, ident, {"edition": "braille"})  # another job, file
    assert b'cols="40"' in default and b'rows="25"' in default
    # its pages as ASCII braille for embossers, named as the PEF is
    status, raw_headers, brf = api.call("GET", str(state["companions"]["brf"]), token)  # type: ignore[index]
    headers = {name.lower(): value for name, value in raw_headers.items()}
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert headers["content-disposition"].endswith('-repair-deal-40x25-grade2.brf"')
    pages = brf.decode("ascii").split("\f")
    assert len(pages) == default.count(b"<page>") and all(
        len(page.splitlines()) <= 25 and max(map(len, page.splitlines()), default=0) <= 40
        for page in pages)
    _, again = api.json("POST", EDITIONS.format(ident), token, {"edition": "braille"})
    assert again["companions"] == state["companions"]  # answered from the store
    _, site, headers = build(api, token, ident, {"edition": "web"})
    assert headers["content-type"] == "application/zip"
    assert headers["content-disposition"].endswith('-repair-deal-web.zip"')
    with zipfile.ZipFile(io.BytesIO(site)) as archive:
        assert "index.html" in archive.namelist()


def test_a_built_edition_is_200_done_and_its_events_end(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    start_worker()
    token = api.token("alice")
    ident = upload_article(api, token)
    status, started = api.json("POST", EDITIONS.format(ident), token, {"edition": "print"})
    assert status == 202
    _, headers, raw = api.call("GET", f"/api/v1/jobs/{started['job']}/events", token,
                               timeout=120)
    assert headers.get("content-type", headers.get("Content-Type", "")).startswith(
        "text/event-stream")
    events = [json.loads(line[len("data: "):]) for line in raw.decode().splitlines()
              if line.startswith("data: ")]
    assert events[0]["status"] in ("queued", "running")
    assert events[-1]["status"] == "done"
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and progress[-1] == 1.0
    status, again = api.json("POST", EDITIONS.format(ident), api.token("alice"),
                             {"edition": "print"})
    assert (status, again["status"], again["job"]) == (200, "done", started["job"])
    assert again["download"] == f"/api/v1/files/{started['job']}"


def test_a_manuscript_error_in_the_build_is_a_failed_job_naming_file_and_line(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    start_worker()
    token = api.token("alice")
    # a character no bundled font has (a private-use one) stops the build, naming its line
    status, body = api.json("POST", "/api/v1/manuscripts", token,
                            upload=("glyph.md", "---\ntitle: G\nlanguage: en\n---\n# G\n\n"
                                    "One \uF028 here.\n".encode()))
    assert status == 201, body
    status, started = api.json("POST", EDITIONS.format(body["id"]), token, {"edition": "print"})
    state = api.wait_for(started["job"], token)
    assert state["status"] == "failed", state
    assert (state["error"]["file"], state["error"]["line"]) == ("glyph.md", 7), state
    assert "U+F028" in state["error"]["message"]
    assert "Traceback" not in json.dumps(state)
