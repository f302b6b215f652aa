"""The service's fixtures: a real redis-server on a temporary Unix socket, real `publish
serve` and `publish worker` processes, and plain HTTP to them (urllib, no mocks)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import MANUSCRIPTS

from publish.service.tokens import Tokens

ARTICLE = MANUSCRIPTS / "harbour-article.md"
BOOK = MANUSCRIPTS / "lighthouse"


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(ready: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll until `ready`; fail naming `what` when it never is."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.05)
    pytest.fail(f"{what} not ready within {seconds} s")


def end(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a process started in its own session, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # pool processes left behind


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    """A real redis-server on a Unix socket (no TCP port), for as long as the block runs."""
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed: `make system` installs it"
    folder = Path(f"/tmp/publish-redis-{uuid.uuid4().hex[:12]}")  # a socket path is short
    folder.mkdir()
    sock = folder / "redis.sock"
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(sock), "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--logfile", str(folder / "redis.log")],
        start_new_session=True)
    url = f"unix://{sock}"
    import redis

    wait_until(lambda: bool(redis.Redis.from_url(url).ping()), 20, "redis-server")
    try:
        yield url
    finally:
        end(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def broker() -> Iterator[str]:
    """A redis-server of this test's own."""
    with running_redis() as url:
        yield url


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The service's data folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}


@dataclass
class Api:
    """The HTTP API of a running `publish serve`, called with plain urllib."""

    base: str
    data: Path

    def token(self, owner: str) -> str:
        """A new token for `owner`."""
        return Tokens(self.data).create(owner)

    def call(self, method: str, path: str, token: str | None = None, body: Any = None,
             upload: tuple[str, bytes] | None = None, timeout: float = 30,
             ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of one request (errors are answers too)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = None
        if upload is not None:
            boundary = uuid.uuid4().hex
            payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                       f"filename=\"{upload[0]}\"\r\nContent-Type: application/octet-stream"
                       f"\r\n\r\n").encode() + upload[1] + f"\r\n--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, payload, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as failed:
            return failed.code, dict(failed.headers), failed.read()

    def json(self, method: str, path: str, token: str | None = None, body: Any = None,
             upload: tuple[str, bytes] | None = None) -> tuple[int, Any]:
        """Status and parsed JSON body."""
        status, _headers, raw = self.call(method, path, token, body, upload)
        return status, json.loads(raw)

    def wait_for(self, job: str, token: str, seconds: float = 120) -> dict[str, Any]:
        """The job's state once it is done or failed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status, state = self.json("GET", f"/api/v1/jobs/{job}", token)
            assert status == 200, state
            if state["status"] in ("done", "failed"):
                return dict(state)
            time.sleep(0.1)
        pytest.fail(f"job {job} not finished within {seconds} s")


def start_server(broker: str | None, data: Path, *args: str,
                 **env: str) -> tuple[Api, subprocess.Popen[bytes]]:
    """`publish serve` on a free port (`env` added to its environment), once its /healthz
    answers."""
    port = free_port()
    command = [sys.executable, "-m", "publish.cli", "serve", "--port", str(port),
               "--data", str(data), *(("--broker", broker) if broker else ()), *args]
    process = subprocess.Popen(command, start_new_session=True, env=_env(**env))
    api = Api(f"http://127.0.0.1:{port}", data)

    def healthy() -> bool:
        assert process.poll() is None, f"publish serve ended ({process.returncode})"
        return api.call("GET", "/healthz", timeout=5)[0] == 200

    wait_until(healthy, 60, "publish serve")
    return api, process


@pytest.fixture
def api(broker: str, data: Path) -> Iterator[Api]:
    """The API on the test's Redis, with no worker of its own (jobs stay queued)."""
    served, process = start_server(broker, data, "--workers", "0", "--max-in-flight", "3")
    yield served
    end(process)


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One API, Redis and data folder for a module's tests, with no worker (each test uses
    owners and options of its own)."""
    with running_redis() as url:
        served, process = start_server(url, tmp_path_factory.mktemp("data"), "--workers", "0",
                                       "--max-in-flight", "3")
        yield served
        end(process)


@pytest.fixture
def start_worker(broker: str, data: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `publish worker` processes (each in its own session, in the working folder
    `cwd` when given); all ended afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def start(cwd: Path | None = None, **env: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "publish.cli", "worker", "--broker", broker,
                   "--data", str(data), "--concurrency", "1"]
        process = subprocess.Popen(command, start_new_session=True, env=_env(**env), cwd=cwd)
        started.append(process)
        return process

    yield start
    for process in started:
        end(process)


def zipped(entries: dict[str, bytes]) -> bytes:
    """A zip holding the given entries, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def book_zip() -> bytes:
    """The sample book folder as a zip, under its own top-level folder."""
    return zipped({f"lighthouse/{p.relative_to(BOOK).as_posix()}": p.read_bytes()
                   for p in sorted(BOOK.rglob("*")) if p.is_file()})
