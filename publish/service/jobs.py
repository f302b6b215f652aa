"""The job queue: Celery on Redis, and each job's state in Redis beside its message.

A job is one edition of one stored manuscript with given options, built by this code: its
id is the hash of all four, so identical requests are the same job, and one Lua script
claims its state and counts the token's jobs in flight, so exactly one request sends the
message and none passes the limit. Messages are acknowledged only once the job has run
(`acks_late`) and come back to the queue when the worker running them dies, or once the
broker's visibility timeout passes after its whole worker was killed; the server's sweeper
(`sweeper.py`) sends again a job whose message is gone all the same.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

import redis
from celery import Celery
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from publish.cache import identity
from publish.editions import Edition
from publish.options import Options

TASK = "publish.build_edition"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
CLAIMED, EXISTS, FULL = "claimed", "exists", "full"
ACTIVE_SET = "publish:active"

# KEYS: the job's hash, the token's in-flight set, the active set; ARGV: job id, limit, the
# job's fields as JSON. The token's finished jobs are dropped from its set as they are
# counted.
_CLAIM = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
local count = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local status = redis.call('HGET', 'publish:job:' .. member, 'status')
  if status == 'queued' or status == 'running' then count = count + 1
  else redis.call('SREM', KEYS[2], member) end
end
if count >= tonumber(ARGV[2]) then return 'full' end
redis.call('HSET', KEYS[1], 'status', 'queued', 'progress', '0')
for field, value in pairs(cjson.decode(ARGV[3])) do redis.call('HSET', KEYS[1], field, value) end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 'claimed'
"""


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


def task_args(manuscript: str, edition: str, options: Options) -> str:
    """A job's message arguments as JSON, kept in its state so the sweeper can send it again."""
    return json.dumps([manuscript, edition, options.large_print_size,
                       options.large_print_profile, options.braille_cells,
                       options.braille_lines, options.braille_grade])


def option_fields(edition: Edition, options: Options) -> dict[str, Any]:
    """The options that make this edition's file differ from its file with other options,
    as a job's state and a file's description keep them (large print's size and profile,
    braille's page and grade)."""
    fields: dict[str, Any] = {}
    if _depends_on(edition, large_print_size=24.0):
        fields.update(size=options.large_print_size, profile=options.large_print_profile)
    if _depends_on(edition, braille_cells=32, braille_lines=20, braille_grade=1):
        fields.update(cells=options.braille_cells, lines=options.braille_lines,
                      grade=options.braille_grade)
    return fields


def _depends_on(edition: Edition, **other: Any) -> bool:
    """Whether other values of these options give the edition another file."""
    return edition.options_key(Options()) != edition.options_key(Options(**other))


def send(queue: Celery, job: str, args: str) -> None:
    """Put a job's message on the queue, its id the job's (sent again, the same job)."""
    queue.send_task(TASK, task_id=job, args=json.loads(args))


def companion_key(job: str, suffix: str) -> str:
    """Where a job's companion file (its BRF, beside the PEF) is stored."""
    return hashlib.sha256(f"{job}{suffix}".encode()).hexdigest()


def job_id(manuscript: str, edition: Edition, options: Options) -> str:
    """The same manuscript, edition, options that touch it and code: the same job."""
    text = "\n".join((manuscript, edition.name, edition.options_key(options), identity()))
    return hashlib.sha256(text.encode()).hexdigest()


def changes(job: str) -> str:
    """The channel a job's every change is announced on, for its event streams."""
    return f"publish:changed:{job}"


class States:
    """Each job's state as a Redis hash `publish:job:<id>`: status, progress, error; each
    change announced on the job's channel (`changes`)."""

    def __init__(self, client: redis.Redis, url: str = "") -> None:
        self.client = client
        self.url = url  # the broker's, for a listener of its own (empty: none)

    @classmethod
    def at(cls, url: str) -> States:
        """The states kept in the broker's Redis; a broker restarting is waited for (about
        30 s) rather than failing the job or the request that reached it meanwhile."""
        wait = Retry(ExponentialBackoff(cap=2.0, base=0.1), 20)
        return cls(redis.Redis.from_url(redis_url(url), decode_responses=True, retry=wait,
                                        retry_on_error=[redis.ConnectionError,
                                                        redis.TimeoutError]), url)

    def claim(self, job: str, fields: dict[str, str], token: str, limit: int) -> str:
        """In one step on the server (a Lua script, so two requests can never both pass the
        limit): `EXISTS` when the job is already there, `FULL` when the token has `limit`
        jobs in flight, else `CLAIMED`: the job is queued, counted against the token and
        listed as active (for the sweeper)."""
        answer = self.client.eval(_CLAIM, 3, f"publish:job:{job}", f"publish:inflight:{token}",
                                  ACTIVE_SET, job, str(limit), json.dumps(fields))
        return str(answer)

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
        """Change some fields of a job's state, and say so on its channel; a job that ends
        leaves the active set."""
        with self.client.pipeline() as pipe:
            pipe.hset(f"publish:job:{job}", mapping=fields)
            if fields.get("status") in (DONE, FAILED):
                pipe.srem(ACTIVE_SET, job)
            pipe.publish(changes(job), "")
            pipe.execute()

    def forget_if(self, job: str, status: str) -> None:
        """Drop a job's state if it still has `status` (a failed job asked for again)."""
        script = ("if redis.call('HGET', KEYS[1], 'status') == ARGV[1] then "
                  "return redis.call('DEL', KEYS[1]) end return 0")
        self.client.eval(script, 1, f"publish:job:{job}", status)

    def active(self) -> frozenset[str]:
        """The jobs claimed and not yet ended."""
        return frozenset(self.client.smembers(ACTIVE_SET))  # type: ignore[arg-type]
