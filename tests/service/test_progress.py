"""A long book's job moves while its edition is laid out: its progress, polled and as
server-sent events, rises many times between "running" and "done" (real Redis, a real
Celery worker, real HTTP)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from long_book import long_book

from .conftest import Api
from .test_api import EDITIONS

pytestmark = pytest.mark.slow


def test_a_long_books_job_reports_its_layout_page_by_page(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]], tmp_path: Path,
) -> None:
    start_worker()
    token = api.token("alice")
    status, uploaded = api.json("POST", "/api/v1/manuscripts", token,
                                upload=("long-harbour.md", long_book(tmp_path).read_bytes()))
    assert status == 201, uploaded
    status, started = api.json("POST", EDITIONS.format(uploaded["id"]), token,
                               {"edition": "print"})
    assert status == 202, started
    _, _headers, raw = api.call("GET", f"/api/v1/jobs/{started['job']}/events", token,
                                timeout=300)
    events = [json.loads(line[len("data: "):]) for line in raw.decode().splitlines()
              if line.startswith("data: ")]
    assert events[-1]["status"] == "done", events[-1]
    running = [e["progress"] for e in events if e["status"] == "running"]
    assert running == sorted(running)
    assert len(set(running)) >= 8, running  # an event for each hundredth the worker announces
    assert 0 < running[0] < 0.5 and 0.8 < running[-1] < 1, running
