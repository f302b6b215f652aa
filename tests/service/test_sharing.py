"""Jobs of one manuscript share the print page map: an EPUB job asked for while the print
job lays the book out takes the page map that job notes, rather than laying print out a
second time (real Redis, two real Celery workers, real HTTP). Where a job's page map came
from is in its state in Redis, so nothing here depends on timing."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from long_book import long_book

from publish.service.jobs import States
from publish.service.sharing import LAID_OUT, SHARED

from .conftest import Api
from .test_api import EDITIONS, upload_article

pytestmark = pytest.mark.slow


def ask(api: Api, token: str, ident: str, edition: str) -> str:
    """The job of a new request for an edition."""
    status, started = api.json("POST", EDITIONS.format(ident), token, {"edition": edition})
    assert status == 202, started
    job: str = started["job"]
    return job


def test_the_epub_job_takes_the_page_map_of_the_print_job_beside_it(
    api: Api, broker: str, start_worker: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    start_worker()
    token = api.token("alice")
    status, uploaded = api.json("POST", "/api/v1/manuscripts", token,
                                upload=("long-harbour.md", long_book(tmp_path).read_bytes()))
    assert status == 201, uploaded
    printing = ask(api, token, uploaded["id"], "print")
    deadline = time.monotonic() + 60
    while api.json("GET", f"/api/v1/jobs/{printing}", token)[1]["status"] != "running":
        assert time.monotonic() < deadline, "the print job never started"
        time.sleep(0.05)
    start_worker()  # the second machine: it takes the EPUB job while print is laid out
    epub = ask(api, token, uploaded["id"], "epub")
    for job in (printing, epub):
        assert api.wait_for(job, token, seconds=300)["status"] == "done"
    states = States.at(broker)
    assert states.get(epub)["print_pages"] == SHARED  # type: ignore[index]
    assert (api.data / "notes" / uploaded["id"] / "long-harbour.pages.json").is_file()

    other = api.token("bob")  # no print job of this manuscript: the EPUB job lays print out
    alone = ask(api, other, upload_article(api, other), "epub")
    assert api.wait_for(alone, other)["status"] == "done"
    assert states.get(alone)["print_pages"] == LAID_OUT  # type: ignore[index]


def test_a_job_waiting_for_the_page_map_steps_aside_for_a_new_job(
    api: Api, broker: str, start_worker: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    start_worker()
    token = api.token("alice")
    status, uploaded = api.json("POST", "/api/v1/manuscripts", token, upload=(
        "long-harbour.md", long_book(tmp_path, chapters=48).read_bytes()))
    assert status == 201, uploaded
    printing = ask(api, token, uploaded["id"], "print")
    until(api, token, printing, lambda state: state["status"] == "running")
    start_worker()  # it takes the EPUB job, which waits there for print's page map
    epub = ask(api, token, uploaded["id"], "epub")
    until(api, token, epub, lambda state: state["progress"] >= 0.2)
    other = ask(api, token, upload_article(api, token), "print")  # new: it takes the place
    assert api.wait_for(other, token, seconds=300)["status"] == "done"
    for job in (printing, epub):
        assert api.wait_for(job, token, seconds=300)["status"] == "done"
    state = States.at(broker).get(epub)
    assert state is not None
    assert state["stepped_aside"] == "1"  # back in the queue once, then it waited
    assert state["print_pages"] == SHARED


def until(api: Api, token: str, job: str, reached: Callable[[dict[str, Any]], bool]) -> None:
    """Poll a job's state until it has reached a point."""
    deadline = time.monotonic() + 60
    while not reached(api.json("GET", f"/api/v1/jobs/{job}", token)[1]):
        assert time.monotonic() < deadline, f"job {job} never got there"
        time.sleep(0.02)
