"""The HTTP API, version 1 (issue 16 fixes its paths and fields: scripts depend on them),
with the web page (`web.py`) and the public OPDS catalogue (`opds.py`) beside it.

Every API answer is JSON, errors included (`{"error": {"message": ...}}`, never a
traceback); every API route but `/healthz` and the OpenAPI description wants
`Authorization: Bearer TOKEN` (a GET also takes the web page's session cookie, so the page
can link downloads and stream progress), and a manuscript, job or file of another owner is
answered as if it did not exist (404).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import redis
from redis import asyncio as aioredis
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from publish.editions import EDITIONS
from publish.service import jobs
from publish.service.actions import (
    Service,
    edition_options,
    enqueue,
    error,
    publish_title,
    receive,
    require_caller,
    view,
)
from publish.service.headers import SecurityHeaders
from publish.service.openapi import DESCRIPTION
from publish.service.session import Guard
from publish.service.store import Store
from publish.service.sweeper import sweeping
from publish.service.tokens import Tokens
from publish.service.uploads import Refused

log = logging.getLogger("publish.service")
_POLL = 0.25  # seconds between looks at a job's state while its changes cannot be heard
_KEEP_ALIVE = 15.0  # seconds of silence before an event stream says it is still there


def create_app(data: Path, broker: str, max_in_flight: int = 8) -> Starlette:
    """The API, the web page and the catalogue over a data folder and a broker."""
    from publish.service import opds, report, web

    service = Service(Store(data), Tokens(data), jobs.States.at(broker),
                      jobs.make_app(broker), max_in_flight, Guard(data))
    routes: list[BaseRoute] = [
        Route("/api/v1/manuscripts", _bound(upload, service), methods=["POST"]),
        Route("/api/v1/manuscripts/{ident}/editions", _bound(request_edition, service),
              methods=["POST"]),
        Route("/api/v1/jobs/{job}", _bound(job_status, service), methods=["GET"]),
        Route("/api/v1/jobs/{job}/events", _bound(job_events, service), methods=["GET"]),
        Route("/api/v1/files/{key}", _bound(download, service), methods=["GET"]),
        Route("/api/v1/manuscripts/{ident}/report", _bound(report.route, service),
              methods=["GET"]),
        Route("/api/v1/manuscripts/{ident}/publish", _bound(publish, service),
              methods=["POST"]),
        Route("/api/v1/openapi.json", openapi, methods=["GET"]),
        Route("/healthz", _bound(health, service), methods=["GET"]),
        *[Route(path, _bound(handler, service), methods=methods)
          for path, handler, methods in (*web.ROUTES, *opds.ROUTES)],
        Mount("/static", StaticFiles(directory=Path(web.__file__).parent / "static"),
              name="static"),
    ]
    handlers = {HTTPException: _http_error, OSError: _system_error,
                Exception: _internal_error}

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        with sweeping(service.states, service.queue):
            yield

    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    return app


def _bound(route: Any, service: Service) -> Any:
    """A route handler given the service."""
    async def handle(request: Request) -> Response:
        answer: Response = await route(request, service)
        return answer
    return handle


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _system_error(request: Request, exc: Exception) -> Response:
    """A full store is the one system error a client can act on (507: try later); any
    other is an internal error."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        log.warning("the store is full: %s", exc)
        return error(507, "the service's store is full: nothing was stored; try again later")
    return await _internal_error(request, exc)


async def _internal_error(_request: Request, exc: Exception) -> Response:
    log.exception("internal error", exc_info=exc)  # the traceback goes to the log only
    return error(500, "internal error: the server's log has the details")


async def upload(request: Request, service: Service) -> Response:
    """POST /api/v1/manuscripts: 201 for a manuscript new to this owner, 200 for one it has."""
    owner, _ = require_caller(request, service)
    try:
        done, _form = await receive(request, service, owner)
    except Refused as refused:
        return error(refused.status, refused.message)
    return JSONResponse({"id": done.ident, "title": done.title, "lint": done.lint},
                        201 if done.new else 200)


async def request_edition(request: Request, service: Service) -> Response:
    """POST /api/v1/manuscripts/{id}/editions: 200 when built, 202 with the one job
    building it otherwise."""
    owner, token = require_caller(request, service)
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return error(404, "no such manuscript")
    try:
        asked = json.loads(await request.body() or b"{}")
    except ValueError:
        return error(400, "the body must be JSON: {\"edition\": ..., \"size\": ...}")
    if not isinstance(asked, dict):
        return error(422, f"edition must be one of {', '.join(EDITIONS)}")
    try:
        edition, options = edition_options(service, ident, asked)
    except Refused as refused:
        return error(refused.status, refused.message, **refused.extra)
    return await run_in_threadpool(enqueue, service, token, ident, edition, options)


async def job_status(request: Request, service: Service) -> Response:
    """GET /api/v1/jobs/{job}."""
    owner, _ = require_caller(request, service)
    shown = await run_in_threadpool(view, service, owner, request.path_params["job"])
    return error(404, "no such job") if shown is None else JSONResponse(shown)


async def job_events(request: Request, service: Service) -> Response:
    """GET /api/v1/jobs/{job}/events: the job's state as server-sent events, one each time
    it changes, until it is done or failed."""
    owner, _ = require_caller(request, service)
    job = request.path_params["job"]
    first = await run_in_threadpool(view, service, owner, job)
    if first is None:
        return error(404, "no such job")

    async def events() -> AsyncIterator[str]:
        async with _announced(service.states.url, job) as changed:
            shown: dict[str, Any] | None = first
            last, quiet = None, 0.0
            while shown is not None:
                if shown != last:
                    yield f"event: {shown['status']}\ndata: {json.dumps(shown)}\n\n"
                    last, quiet = shown, 0.0
                elif quiet >= _KEEP_ALIVE:  # a comment, so proxies keep a long wait open
                    yield ": waiting\n\n"
                    quiet = 0.0
                if shown["status"] not in jobs.ACTIVE:
                    return
                quiet += await changed()
                shown = await run_in_threadpool(view, service, owner, job)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})


@contextlib.asynccontextmanager
async def _announced(url: str, job: str) -> AsyncIterator[Callable[[], Awaitable[float]]]:
    """A wait for the job's next change, as the worker announces it (each hundredth of
    progress), or `_POLL` seconds when the broker cannot be listened to; the wait returns
    the seconds it took."""
    client = aioredis.Redis.from_url(jobs.redis_url(url)) if url else None
    subscription = client.pubsub() if client is not None else None
    listener = None  # the subscription once it listens to the job's channel
    try:
        with contextlib.suppress(redis.RedisError):  # a broker restarting: the stream looks
            if subscription is not None:
                await subscription.subscribe(jobs.changes(job))
                listener = subscription

        async def changed() -> float:
            started = time.monotonic()
            try:
                if listener is None:
                    await asyncio.sleep(_POLL)
                elif await listener.get_message(ignore_subscribe_messages=True,
                                                timeout=_KEEP_ALIVE) is not None:
                    while await listener.get_message(ignore_subscribe_messages=True,
                                                     timeout=0) is not None:
                        pass  # the state read next has every change announced so far
            except redis.RedisError:
                await asyncio.sleep(_POLL)
            return time.monotonic() - started

        yield changed
    finally:
        for closing in (subscription, client):
            if closing is not None:
                with contextlib.suppress(redis.RedisError):
                    await closing.aclose()


async def download(request: Request, service: Service) -> Response:
    """GET /api/v1/files/{key}: the built file, named after the book and the edition."""
    owner, _ = require_caller(request, service)
    found = _stored_file(service.store, owner, request.path_params["key"])
    return error(404, "no such file") if found is None else found


def _stored_file(store: Store, owner: str, key: str) -> Response | None:
    """The file answer when the owner may see it. A small file is read here, as the store's
    checks are: FileResponse took a trip to a thread for each stat, open, read and close,
    and even one trip cost more CPU than the checks and the read together (0.3 ms a
    request, measured under 20 concurrent clients, where CPU time is the median's)."""
    if not store.has_file(key):
        return None
    meta = store.file_meta(key)
    if not store.owns(owner, meta["manuscript"]):
        return None
    with store.file(key).open("rb") as stream:
        stat = os.fstat(stream.fileno())
        data = stream.read() if stat.st_size <= _READ_HERE else None
    return _ReadFile(store.file(key), stat, data, meta["media_type"], meta["filename"])


_READ_HERE = 256 << 10  # bytes: a larger file is read in a thread, chunk by chunk


class _ReadFile(FileResponse):
    """A stored file with FileResponse's headers, sent from the bytes already read when
    there are any and the request is a whole GET (a HEAD or a range request, and a large
    file, go through FileResponse itself)."""

    def __init__(self, path: Path, stat: os.stat_result, data: bytes | None, media_type: str,
                 filename: str) -> None:
        super().__init__(path, media_type=media_type, filename=filename, stat_result=stat)
        self.data = data

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ranged = any(name == b"range" for name, _ in scope.get("headers", ()))
        if self.data is None or ranged or scope.get("method") != "GET":
            await super().__call__(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.data})


async def publish(request: Request, service: Service) -> Response:
    """POST /api/v1/manuscripts/{id}/publish: put the manuscript in the public catalogue and
    queue the editions the catalogue offers that are not built yet."""
    owner, token = require_caller(request, service)
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return error(404, "no such manuscript")
    answers = await run_in_threadpool(publish_title, service, token, ident)
    return JSONResponse({"id": ident, "published": True, "editions": answers})


async def openapi(_request: Request) -> Response:
    """GET /api/v1/openapi.json."""
    return JSONResponse(DESCRIPTION)


async def health(_request: Request, service: Service) -> Response:
    """GET /healthz: 200 when the broker answers and the store is writable, with how many
    workers answered a ping."""
    return JSONResponse(*await run_in_threadpool(_health, service))


def _health(service: Service) -> tuple[dict[str, Any], int]:
    try:
        broker = bool(service.states.client.ping())
    except Exception:
        broker = False
    try:
        workers = len(service.queue.control.ping(timeout=0.5)) if broker else 0
    except Exception:
        workers = 0
    scratch = service.store.root / "tmp"
    store = scratch.is_dir() and os.access(scratch, os.W_OK)
    ok = broker and store
    return {"status": "ok" if ok else "failing", "broker": broker, "workers": workers,
            "store": store}, 200 if ok else 503
