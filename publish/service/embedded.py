"""`publish serve` without `--broker`: a private Redis on a Unix socket under the data
folder (no TCP port; append-only and fsynced, so queued jobs outlive a restart or a
crash) and local workers, all started here and stopped when the server stops."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import redis

_START_SECONDS = 20.0


def redis_command(folder: Path) -> list[str]:
    """redis-server listening on `folder/redis.sock` alone, keeping its data in `folder`:
    every write is in the append-only file before Redis answers it (a few writes per job,
    so the fsync costs nothing that shows), so a job accepted is never lost to a crash."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server is not installed: `make system` (or apt-get "
                           "install redis-server) installs it, or pass --broker URL")
    return [server, "--port", "0", "--unixsocket", str(folder / "redis.sock"),
            "--unixsocketperm", "700", "--dir", str(folder), "--appendonly", "yes",
            "--appendfsync", "always", "--save", "60 1", "--logfile", str(folder / "redis.log"),
            "--daemonize", "no"]


@contextlib.contextmanager
def private_redis(folder: Path) -> Iterator[str]:
    """A redis-server of our own for as long as the block runs; its `unix://` URL."""
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    socket.unlink(missing_ok=True)
    process = subprocess.Popen(redis_command(folder), start_new_session=True)
    url = f"unix://{socket}"
    try:
        _wait_for(url, process)
        yield url
    finally:
        stop(process)


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until Redis answers on its socket (it loads its append-only file first)."""
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server ended at start (exit {process.returncode}); "
                               "see redis.log in the data folder")
        with contextlib.suppress(redis.RedisError):
            if redis.Redis.from_url(url).ping():
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer within {_START_SECONDS:g} s")


def start_workers(broker: str, data: Path, count: int) -> subprocess.Popen[bytes]:
    """One `publish worker` with `count` processes, in its own session so that Ctrl-C
    reaches the server alone, which stops the workers before Redis."""
    command = [sys.executable, "-m", "publish.cli", "worker", "--broker", broker,
               "--data", str(data), "--concurrency", str(count)]
    return subprocess.Popen(command, start_new_session=True)


def stop(process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    """SIGTERM (a Celery worker finishes its jobs' current step, Redis saves), then SIGKILL
    the whole session if it does not end in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
