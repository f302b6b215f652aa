"""The queue under faults, with a real Redis, real workers and the real server: a job whose
message was lost is sent again; Redis killed and restarted loses no job; two workers in
separate working folders share the jobs; 100 mixed requests from 10 clients all get a
correct answer; a full store fails cleanly and keeps what it held."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import redis

from publish.service.embedded import redis_command
from publish.service.sweeper import QUEUE, messages

from .conftest import Api, book_zip, end, start_server, wait_until
from .test_api import EDITIONS, upload_article

pytestmark = pytest.mark.slow
SWEEP = "1"  # seconds between the server's looks for lost jobs


@pytest.fixture
def swept(broker: str, data: Path) -> Iterator[Api]:
    """The API on the test's Redis, no worker of its own, sweeping every second."""
    served, process = start_server(broker, data, "--workers", "0", "--max-in-flight", "20",
                                   PUBLISH_SWEEP_SECONDS=SWEEP)
    yield served
    end(process)


def test_a_job_whose_message_was_lost_is_sent_again_and_built(
    swept: Api, broker: str, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    token = swept.token("alice")
    ident = upload_article(swept, token)
    status, started = swept.json("POST", EDITIONS.format(ident), token, {"edition": "epub"})
    assert (status, started["status"]) == (202, "queued")
    client = redis.Redis.from_url(broker, decode_responses=True)
    job = started["job"]
    wait_until(lambda: job in messages(client), 10, "the job's message")
    client.delete(QUEUE)  # the message is lost: the state alone says "queued"
    wait_until(lambda: job in messages(client), 20, "the message sent again")
    assert client.hget(f"publish:job:{job}", "resent") == "1"
    start_worker()
    assert swept.wait_for(job, token)["status"] == "done"


@pytest.fixture
def persistent_redis() -> Iterator[tuple[str, Callable[[], None]]]:
    """A redis-server configured as `publish serve` runs its own, and a way to SIGKILL and
    restart it on the same socket and files."""
    folder = Path(f"/tmp/publish-redis-{uuid.uuid4().hex[:12]}")
    folder.mkdir()
    url = f"unix://{folder / 'redis.sock'}"
    started = [subprocess.Popen(redis_command(folder), start_new_session=True)]
    wait_until(lambda: bool(redis.Redis.from_url(url).ping()), 20, "redis-server")

    def restart() -> None:
        end(started[-1], signal.SIGKILL)
        started.append(subprocess.Popen(redis_command(folder), start_new_session=True))
        wait_until(lambda: bool(redis.Redis.from_url(url).ping()), 20, "redis-server again")

    yield url, restart
    end(started[-1])
    shutil.rmtree(folder, ignore_errors=True)


def test_redis_killed_and_restarted_loses_no_job(
    persistent_redis: tuple[str, Callable[[], None]], tmp_path: Path,
) -> None:
    url, restart = persistent_redis
    data = tmp_path / "data"
    api, server = start_server(url, data, "--workers", "1", "--max-in-flight", "20",
                               PUBLISH_SWEEP_SECONDS=SWEEP)
    try:
        token = api.token("alice")
        ident = upload_article(api, token)
        asked = [{"edition": "print"}, {"edition": "epub"},
                 {"edition": "large-print", "size": 20}]
        jobs = [api.json("POST", EDITIONS.format(ident), token, body)[1]["job"]
                for body in asked]
        wait_until(lambda: api.json("GET", f"/api/v1/jobs/{jobs[0]}", token)[1]["status"]
                   == "running", 60, "the first job running")
        restart()  # mid-job, with the other two still queued
        states = [api.wait_for(job, token, seconds=180) for job in jobs]
        assert [state["status"] for state in states] == ["done"] * 3, states
        for state in states:
            assert api.call("GET", state["download"], token)[0] == 200
    finally:
        end(server)


def test_two_workers_in_separate_folders_share_the_jobs(
    swept: Api, broker: str, tmp_path: Path,
    start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    homes = [tmp_path / "machine-a", tmp_path / "machine-b"]  # each its own temporary files
    for home in homes:
        home.mkdir()
        start_worker(cwd=home, HOME=str(home), TMPDIR=str(home))
    token = swept.token("alice")
    ident = upload_article(swept, token)
    jobs = [swept.json("POST", EDITIONS.format(ident), token,
                       {"edition": "large-print", "size": size})[1]["job"]
            for size in (18, 20, 22, 24, 26, 28)]
    states = [swept.wait_for(job, token, seconds=240) for job in jobs]
    assert [state["status"] for state in states] == ["done"] * len(jobs), states
    client = redis.Redis.from_url(broker, decode_responses=True)
    assert len({client.hget(f"publish:job:{job}", "worker") for job in jobs}) == 2
    for job in jobs:
        status, _headers, pdf = swept.call("GET", f"/api/v1/files/{job}", token)
        assert status == 200 and pdf.startswith(b"%PDF")
    assert not any((swept.data / "tmp").iterdir())  # no scratch left behind


def test_a_hundred_mixed_requests_from_ten_clients_are_all_answered(
    swept: Api, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    start_worker()
    owners = [swept.token(f"owner-{n}") for n in range(10)]
    idents = [upload_article(swept, token) for token in owners]
    jobs: dict[str, str] = {}

    def client(number: int) -> list[tuple[str, int, Any]]:
        """Ten requests of one client: uploads, editions, states, downloads, mistakes."""
        token, ident = owners[number], idents[number]
        pick = random.Random(number)
        answers = []
        for _ in range(10):
            kind = pick.choice(["upload", "edition", "job", "file", "bad", "other"])
            if kind in ("job", "file") and not jobs:
                kind = "other"
            if kind == "upload":
                status, body = swept.json("POST", "/api/v1/manuscripts", token,
                                          upload=("a.md", b"# A title\n\nText.\n"))
            elif kind == "edition":
                status, body = swept.json("POST", EDITIONS.format(ident), token,
                                          {"edition": pick.choice(["epub", "print"])})
                if "job" in body:
                    jobs[body["job"]] = token
            elif kind in ("job", "file"):
                job = pick.choice(sorted(jobs))
                path = f"/api/v1/jobs/{job}" if kind == "job" else f"/api/v1/files/{job}"
                status, _headers, raw = swept.call("GET", path, jobs[job])
                body = raw[:40]
            elif kind == "bad":
                status, body = swept.json("POST", EDITIONS.format(ident), token,
                                          {"edition": "large-print", "size": 200})
            else:
                status, body = swept.json("GET", f"/api/v1/jobs/{'0' * 64}", token)
            answers.append((kind, status, body))
        return answers

    with ThreadPoolExecutor(10) as pool:
        answers = [answer for batch in pool.map(client, range(10)) for answer in batch]
    assert len(answers) == 100
    for kind, status, body in answers:
        assert status < 500, (kind, status, body)
        expected = {"upload": {200, 201}, "edition": {200, 202}, "job": {200},
                    "file": {200, 404}, "bad": {422}, "other": {404}}[kind]
        assert status in expected, (kind, status, body)
    for job, token in jobs.items():
        assert swept.wait_for(job, token, seconds=240)["status"] == "done"


@pytest.fixture
def full_store(data: Path) -> Iterator[Path]:
    """The data folder on a small tmpfs of its own (`mount` needs root: CI has it, so only
    elsewhere is a refused mount a skip), unmounted afterwards."""
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(data)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    yield data
    subprocess.run(["umount", "--lazy", str(data)], check=True)


def _fill(folder: Path) -> Path:
    """Take all of a file system's space; the filler file."""
    filler = folder / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 65536)
    return filler


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != "filler")


@pytest.mark.mounts
def test_a_full_store_fails_cleanly_and_keeps_earlier_files(
    broker: str, full_store: Path, start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    api, server = start_server(broker, full_store, "--workers", "0")
    try:
        start_worker()
        token = api.token("alice")
        ident = upload_article(api, token)
        status, started = api.json("POST", EDITIONS.format(ident), token, {"edition": "epub"})
        assert api.wait_for(started["job"], token)["status"] == "done"
        epub = api.call("GET", f"/api/v1/files/{started['job']}", token)[2]
        before = _listing(full_store)
        filler = _fill(full_store)
        status, _headers, raw = api.call("POST", "/api/v1/manuscripts", token,
                                         upload=("lighthouse.zip", book_zip()))
        assert status == 507, raw
        assert "full" in json.loads(raw)["error"]["message"] and b"Traceback" not in raw
        status, asked = api.json("POST", EDITIONS.format(ident), token, {"edition": "print"})
        assert status == 202, asked
        state = api.wait_for(asked["job"], token)
        assert state["status"] == "failed", state
        assert state["error"]["message"].startswith("the service's store is full"), state
        assert _listing(full_store) == before  # nothing half-written, no scratch left
        assert api.call("GET", f"/api/v1/files/{started['job']}", token)[2] == epub
        filler.unlink()  # room again: the same request now builds
        status, again = api.json("POST", EDITIONS.format(ident), token, {"edition": "print"})
        assert api.wait_for(again["job"], token)["status"] == "done"
    finally:
        end(server)
