"""Nothing lost: a worker killed mid-job (SIGKILL, its whole process group) leaves the job
to the next worker once the broker's visibility timeout passes; `publish serve` alone runs
its own Redis and workers and stops them all on SIGTERM; a restarted serve keeps its files."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Api, book_zip, end, start_server
from .test_api import EDITIONS, upload_article

pytestmark = pytest.mark.slow
VISIBILITY = "12"  # seconds: short, so the killed job comes back within the test


def test_a_job_whose_worker_is_killed_completes_on_the_next_worker(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    token = api.token("alice")
    status, body = api.json("POST", "/api/v1/manuscripts", token,
                            upload=("lighthouse.zip", book_zip()))
    assert status == 201, body
    first = start_worker(PUBLISH_VISIBILITY_TIMEOUT=VISIBILITY)
    status, started = api.json("POST", EDITIONS.format(body["id"]), token,
                               {"edition": "large-print", "size": 20})
    assert status == 202
    job = started["job"]
    deadline = time.monotonic() + 60
    while api.json("GET", f"/api/v1/jobs/{job}", token)[1]["status"] != "running":
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and the build's own process with it
    first.wait()
    assert api.json("GET", f"/api/v1/jobs/{job}", token)[1]["status"] == "running"
    assert not (api.data / "files" / job).exists()
    start_worker(PUBLISH_VISIBILITY_TIMEOUT=VISIBILITY)
    state = api.wait_for(job, token, seconds=180)
    assert state["status"] == "done", state
    status, _headers, pdf = api.call("GET", state["download"], token)
    assert status == 200 and pdf.startswith(b"%PDF")


def test_serve_alone_runs_redis_and_workers_and_stops_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    api, server = start_server(None, data, "--workers", "1")
    try:
        token = api.token("alice")
        ident = upload_article(api, token)
        status, started = api.json("POST", EDITIONS.format(ident), token, {"edition": "epub"})
        assert status == 202
        assert api.wait_for(started["job"], token)["status"] == "done"
        assert api.json("GET", "/healthz")[1]["workers"] == 1
        assert (data / "redis" / "redis.sock").is_socket()
        children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                  text=True).stdout.split()
        assert len(children) == 2  # redis-server and the worker
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    assert server.returncode == 143
    assert not (data / "redis" / "redis.sock").exists()  # redis-server removes it on exit
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(child), 0)
    api, server = start_server(None, data, "--workers", "0")  # restarted: the file is there
    try:
        status, again = api.json("POST", EDITIONS.format(ident), token, {"edition": "epub"})
        assert (status, again["status"]) == (200, "done")
        assert api.call("GET", again["download"], token)[0] == 200
    finally:
        end(server)


def test_a_job_over_its_time_limit_is_ended_and_reported_failed(
    api: Api, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    token = api.token("alice")
    status, body = api.json("POST", "/api/v1/manuscripts", token,
                            upload=("lighthouse.zip", book_zip()))
    assert status == 201, body
    start_worker(PUBLISH_TIME_LIMIT="1")
    status, started = api.json("POST", EDITIONS.format(body["id"]), token,
                               {"edition": "large-print", "size": 22})
    state = api.wait_for(started["job"], token, seconds=60)
    assert state["status"] == "failed", state
    assert "longer than 1" in state["error"]["message"]
    status, again = api.json("POST", EDITIONS.format(body["id"]), token,
                             {"edition": "print"})
    assert status == 202  # the worker goes on serving
    assert api.wait_for(again["job"], token, seconds=60)["status"] in ("done", "failed")


def test_a_job_queued_when_serve_stops_is_built_after_it_restarts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    api, server = start_server(None, data, "--workers", "0")  # nothing takes the job yet
    try:
        token = api.token("alice")
        ident = upload_article(api, token)
        status, started = api.json("POST", EDITIONS.format(ident), token, {"edition": "print"})
        assert (status, started["status"]) == (202, "queued")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    api, server = start_server(None, data, "--workers", "1")
    try:
        state = api.wait_for(started["job"], token)
        assert state["status"] == "done", state
    finally:
        end(server)
