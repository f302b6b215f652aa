"""The job queue: Celery on Redis, and each job's state in Redis beside its message.

A job is one edition of one stored manuscript with given options, built by this code: its
id is the hash of all four, so identical requests are the same job and `HSETNX` on its
state lets exactly one of them send the message. Messages are acknowledged only once the
job has run (`acks_late`) and come back to the queue when the worker running them dies, or
once the broker's visibility timeout passes after its whole worker was killed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

import redis
from celery import Celery

from publish.cache import identity
from publish.editions import Edition
from publish.options import Options

TASK = "publish.build_edition"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)


@dataclass(frozen=True)
class Limits:
    """How long a job may run and how long an unacknowledged message waits before it is
    given to another worker; from the environment, so `serve` hands them to its workers."""

    soft_seconds: int
    hard_seconds: int
    visibility_seconds: int
    max_memory_kib: int
    tasks_per_child: int

    @classmethod
    def from_env(cls) -> Limits:
        """`PUBLISH_TIME_LIMIT` (s, default 900), `PUBLISH_VISIBILITY_TIMEOUT` (s, default
        the time limit plus 5 minutes: a message is never given out twice while its job can
        still be running), `PUBLISH_MAX_MEMORY_MB` (default 2048), `PUBLISH_TASKS_PER_CHILD`."""
        soft = int(os.environ.get("PUBLISH_TIME_LIMIT", "900"))
        return cls(soft, soft + 30,
                   int(os.environ.get("PUBLISH_VISIBILITY_TIMEOUT", str(soft + 300))),
                   int(os.environ.get("PUBLISH_MAX_MEMORY_MB", "2048")) * 1024,
                   int(os.environ.get("PUBLISH_TASKS_PER_CHILD", "50")))


def celery_url(url: str) -> str:
    """The broker URL as kombu spells a Unix socket (`redis+socket://`)."""
    return "redis+socket://" + url[len("unix://"):] if url.startswith("unix://") else url


def redis_url(url: str) -> str:
    """The broker URL as redis-py spells a Unix socket (`unix://`)."""
    prefix = "redis+socket://"
    return "unix://" + url[len(prefix):] if url.startswith(prefix) else url


def make_app(broker: str, limits: Limits | None = None) -> Celery:
    """The Celery app every process of the service shares: no result backend (a job's
    state is our own hash), one message at a time per worker process."""
    limits = limits or Limits.from_env()
    app = Celery("publish", broker=celery_url(broker))
    restore = max(1, min(10, limits.visibility_seconds // 3))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_soft_time_limit=limits.soft_seconds,
        task_time_limit=limits.hard_seconds,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=limits.tasks_per_child,
        worker_max_memory_per_child=limits.max_memory_kib,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": limits.visibility_seconds,
                                  "unacked_restore_interval": restore,
                                  "unacked_restore_throttle": 1},
    )
    return app


def job_id(manuscript: str, edition: Edition, options: Options) -> str:
    """The same manuscript, edition, options that touch it and code: the same job."""
    text = "\n".join((manuscript, edition.name, edition.options_key(options), identity()))
    return hashlib.sha256(text.encode()).hexdigest()


class States:
    """Each job's state as a Redis hash `publish:job:<id>`: status, progress, error."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def at(cls, url: str) -> States:
        """The states kept in the broker's Redis."""
        return cls(redis.Redis.from_url(redis_url(url), decode_responses=True))

    def claim(self, job: str, fields: dict[str, str]) -> bool:
        """Make the job queued unless it exists: True for the one request that did."""
        key = f"publish:job:{job}"
        if not self.client.hsetnx(key, "status", QUEUED):
            return False
        self.client.hset(key, mapping={**fields, "progress": "0"})
        return True

    def get(self, job: str) -> dict[str, Any] | None:
        """The job's state, or None when there is no such job."""
        found: dict[str, str] = self.client.hgetall(f"publish:job:{job}")  # type: ignore[assignment]
        if not found:
            return None
        state: dict[str, Any] = dict(found)
        state["progress"] = float(found.get("progress", "0"))
        state["error"] = json.loads(found["error"]) if found.get("error") else None
        return state

    def set(self, job: str, **fields: str) -> None:
        """Change some fields of a job's state."""
        self.client.hset(f"publish:job:{job}", mapping=fields)

    def forget_if(self, job: str, status: str) -> None:
        """Drop a job's state if it still has `status` (a failed job asked for again)."""
        script = ("if redis.call('HGET', KEYS[1], 'status') == ARGV[1] then "
                  "return redis.call('DEL', KEYS[1]) end return 0")
        self.client.eval(script, 1, f"publish:job:{job}", status)

    def in_flight(self, token: str, job: str | None = None) -> int:
        """The token's jobs still queued or running (after adding `job`), finished ones
        dropped from its set."""
        key = f"publish:inflight:{token}"
        if job is not None:
            self.client.sadd(key, job)
        count = 0
        for member in self.client.smembers(key):  # type: ignore[union-attr]
            if self.client.hget(f"publish:job:{member}", "status") in ACTIVE:
                count += 1
            else:
                self.client.srem(key, member)
        return count
