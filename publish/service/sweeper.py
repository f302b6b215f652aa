"""Jobs whose message was lost (a broker restarted without it, a worker killed past its time
limit, a server stopped between claiming a job and sending it) would stay queued or running
forever: the API server looks for them every few seconds and sends them again.

A job is lost when it is active in its state but its message is neither waiting in the
queue nor held unacknowledged by a worker, on two looks in a row (a message moving from the
queue to a worker is briefly in neither). A job lost too many times is failed, not looped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator

import redis
from celery import Celery

from publish.service.jobs import ACTIVE, ACTIVE_SET, FAILED, QUEUED, States, send

log = logging.getLogger("publish.service")
QUEUE = "celery"  # kombu's key for Celery's default queue
PRIORITY_QUEUES = tuple(f"{QUEUE}\x06\x16{step}" for step in (3, 6, 9))
UNACKED = "unacked"  # kombu's hash of the messages workers hold
MAX_RESENDS = 3
_LOCK = "publish:sweeper"


def interval() -> float:
    """`PUBLISH_SWEEP_SECONDS` (default 30): how often the server looks for lost jobs."""
    return float(os.environ.get("PUBLISH_SWEEP_SECONDS", "30"))


def messages(client: redis.Redis) -> set[str]:
    """The ids of the jobs whose message the broker holds, waiting or unacknowledged."""
    found: set[str] = set()
    for key in (QUEUE, *PRIORITY_QUEUES):
        for raw in client.lrange(key, 0, -1):  # type: ignore[union-attr]
            with contextlib.suppress(ValueError, KeyError, TypeError):
                found.add(json.loads(raw)["headers"]["id"])
    for raw in client.hvals(UNACKED):  # type: ignore[union-attr]
        with contextlib.suppress(ValueError, KeyError, TypeError, IndexError):
            found.add(json.loads(raw)[0]["headers"]["id"])
    return found


def sweep(states: States, queue: Celery, suspects: set[str]) -> set[str]:
    """Send again the jobs lost on this look and the last (`suspects`); the jobs lost on this
    look alone, to look at next time."""
    active = states.active()
    present = messages(states.client)
    lost: set[str] = set()
    for job in active - present:
        state: dict[str, str] = states.client.hgetall(f"publish:job:{job}")  # type: ignore[assignment]
        if state.get("status") not in ACTIVE or "args" not in state:
            states.client.srem(ACTIVE_SET, job)
        elif job not in suspects:
            lost.add(job)
        elif int(state.get("resent", "0")) >= MAX_RESENDS:
            log.warning("job %s lost %d times: failed", job, MAX_RESENDS + 1)
            states.set(job, status=FAILED, progress="1", error=json.dumps(
                {"message": f"the job was lost {MAX_RESENDS + 1} times (its worker ended "
                 "each time); see the workers' logs", "file": None, "line": None}))
        else:
            log.warning("job %s lost its message: sent again", job)
            states.client.hincrby(f"publish:job:{job}", "resent", 1)
            states.set(job, status=QUEUED, progress="0")
            send(queue, job, state["args"])
    return lost


@contextlib.contextmanager
def sweeping(states: States, queue: Celery) -> Iterator[None]:
    """Look for lost jobs in a thread for as long as the block runs; one server at a time
    sweeps (a lock in Redis), and a broker that does not answer is tried again later."""
    stop = threading.Event()
    every = interval()

    def run() -> None:
        suspects: set[str] = set()
        while not stop.is_set():
            try:
                if states.client.set(_LOCK, os.getpid(), nx=True, px=int(every * 900)):
                    suspects = sweep(states, queue, suspects)
            except redis.RedisError as failed:
                log.warning("the sweeper could not reach the broker: %s", failed)
            stop.wait(every)

    thread = threading.Thread(target=run, name="publish-sweeper", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(every + 5)
