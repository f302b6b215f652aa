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
import json
import logging
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from publish.editions import EDITIONS
from publish.options import Options
from publish.profiles import DEFAULT_PROFILE
from publish.service import jobs
from publish.service.headers import SecurityHeaders
from publish.service.openapi import DESCRIPTION
from publish.service.session import SESSION_COOKIE, Guard
from publish.service.store import Store, is_key, sha256
from publish.service.tokens import Tokens
from publish.service.uploads import MAX_UPLOAD, Refused, Upload, accept

log = logging.getLogger("publish.service")
CATALOGUE_EDITIONS = ("epub", "print", "large-print")  # what the OPDS catalogue offers
RETRY_AFTER = 5  # seconds a client over its in-flight limit is asked to wait
_FORM_SLACK = 64 * 1024  # multipart boundaries and headers around the file
_POLL = 0.25  # seconds between looks at a job's state for its events
_KEEP_ALIVE = 15.0  # seconds of silence before an event stream says it is still there


@dataclass(frozen=True)
class Service:
    """What the routes share: the store, the tokens, the job states and the queue."""

    store: Store
    tokens: Tokens
    states: jobs.States
    queue: Celery
    max_in_flight: int
    guard: Guard


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
    handlers = {HTTPException: _http_error, Exception: _internal_error}
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.add_middleware(SecurityHeaders)
    return app


def _bound(route: Any, service: Service) -> Any:
    """A route handler given the service."""
    async def handle(request: Request) -> Response:
        answer: Response = await route(request, service)
        return answer
    return handle


def error(status: int, message: str, headers: dict[str, str] | None = None,
          **extra: Any) -> JSONResponse:
    """A JSON error answer."""
    return JSONResponse({"error": {"message": message, **extra}}, status, headers=headers)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _internal_error(_request: Request, exc: Exception) -> Response:
    log.exception("internal error", exc_info=exc)  # the traceback goes to the log only
    return error(500, "internal error: the server's log has the details")


def _caller(request: Request, service: Service) -> tuple[str, str]:
    """The owner and the token's hash; 401 without a valid token."""
    found = caller(request, service, cookie=request.method in ("GET", "HEAD"))
    if found is None:
        raise HTTPException(401, "a valid API token is needed: Authorization: Bearer TOKEN",
                            headers={"WWW-Authenticate": "Bearer"})
    return found


def caller(request: Request, service: Service, cookie: bool) -> tuple[str, str] | None:
    """The owner and the token's hash from the bearer token, or from the web page's session
    cookie when `cookie` (never for a request that changes something: a cross-site form
    could send the cookie, not the header); None when neither is a valid token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    if not token and cookie:
        token = request.cookies.get(SESSION_COOKIE, "")
    owner = service.tokens.owner(token) if token else None
    return None if owner is None else (owner, sha256(token.encode()))


async def upload(request: Request, service: Service) -> Response:
    """POST /api/v1/manuscripts: 201 for a manuscript new to this owner, 200 for one it has."""
    owner, _ = _caller(request, service)
    try:
        done, _form = await receive(request, service, owner)
    except Refused as refused:
        return error(refused.status, refused.message)
    return JSONResponse({"id": done.ident, "title": done.title, "lint": done.lint},
                        201 if done.new else 200)


async def receive(request: Request, service: Service, owner: str,
                  fields_ok: Callable[[dict[str, str]], bool] | None = None,
                  ) -> tuple[Upload, dict[str, str]]:
    """Read a multipart upload under the size limit, check and store its `file` for
    `owner` (Upload.new: new to this owner); the form's other fields beside it, which
    `fields_ok` may refuse (403) before anything is stored."""
    body, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > MAX_UPLOAD + _FORM_SLACK:
            raise Refused(413, f"the upload is larger than {MAX_UPLOAD // 2**20} MiB")
        body.append(chunk)
    request._body = b"".join(body)  # the form is parsed from what was read under the limit
    form = await request.form(max_files=1, max_fields=4)
    file = form.get("file")
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    if fields_ok is not None and not fields_ok(fields):
        raise Refused(403, "the form was not sent from this site's own page")
    if not isinstance(file, UploadFile) or not file.filename:
        raise Refused(400, "send the manuscript as the multipart field 'file'")
    data = await file.read()
    done = await run_in_threadpool(accept, service.store, file.filename, data)
    new = service.store.grant(owner, done.ident)
    return Upload(done.ident, done.title, done.lint, new), fields


async def request_edition(request: Request, service: Service) -> Response:
    """POST /api/v1/manuscripts/{id}/editions: 200 when built, 202 with the one job
    building it otherwise."""
    owner, token = _caller(request, service)
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
        edition, options = edition_options(service, ident, asked.get("edition"),
                                           asked.get("size"), asked.get("profile"))
    except Refused as refused:
        return error(refused.status, refused.message, **refused.extra)
    return await run_in_threadpool(_enqueue, service, token, ident, edition, options)


def edition_options(service: Service, ident: str, edition: object, size: object,
                    profile: object) -> tuple[str, Options]:
    """A request's edition and options checked as the command line checks them, and the
    manuscript free of lint errors that stop a build; Refused (422) otherwise."""
    if edition not in EDITIONS:
        raise Refused(422, f"edition must be one of {', '.join(EDITIONS)}", field="edition")
    assert isinstance(edition, str)
    try:
        number = None if size in (None, "") else float(size)  # type: ignore[arg-type]
        options = Options.requested(number, str(profile or DEFAULT_PROFILE))
    except (TypeError, ValueError) as invalid:
        text = str(invalid)
        named = "profile" if "profile" in text and "size" not in text else "size"
        raise Refused(422, text if "pt" in text or "profile" in text else
                      f"large-print size must be a number of points, not {size!r}",
                      field=named) from None
    errors = [f for f in service.store.meta(ident)["lint"] if f.get("severity") == "error"]
    if errors:
        raise Refused(422, "the manuscript has lint errors that stop a build", lint=errors)
    return edition, options


def _enqueue(service: Service, token: str, ident: str, edition: str,
             options: Options) -> Response:
    """The job for this request: the stored file, the job already under way, or a new job
    when the token has room for one."""
    job = jobs.job_id(ident, EDITIONS[edition], options)
    if service.store.has_file(job):
        return JSONResponse({"job": job, "status": jobs.DONE, "download": _download(job)})
    state = service.states.get(job)
    if state is not None and state["status"] in jobs.ACTIVE:
        return JSONResponse({"job": job, "status": state["status"]}, 202)
    if state is not None:  # failed, or done with its file gone: build it again
        service.states.forget_if(job, state["status"])
    if service.states.in_flight(token) >= service.max_in_flight:
        return error(429, f"at most {service.max_in_flight} jobs in flight per token",
                     headers={"Retry-After": str(RETRY_AFTER)})
    fields = {"manuscript": ident, "edition": edition}
    if service.states.claim(job, fields):
        try:
            service.queue.send_task(jobs.TASK, task_id=job, args=(
                ident, edition, options.large_print_size, options.large_print_profile))
        except Exception:
            service.states.forget_if(job, jobs.QUEUED)
            raise
        service.states.in_flight(token, job)
        return JSONResponse({"job": job, "status": jobs.QUEUED}, 202)
    state = service.states.get(job) or {"status": jobs.QUEUED}
    return JSONResponse({"job": job, "status": state["status"]}, 202)


def _download(key: str) -> str:
    return f"/api/v1/files/{key}"


def _view(service: Service, owner: str, job: str) -> dict[str, Any] | None:
    """A job as the API shows it, or None when this owner may not see it."""
    if not is_key(job):
        return None
    state = service.states.get(job)
    if service.store.has_file(job):
        manuscript = service.store.file_meta(job)["manuscript"]
        state = {"status": jobs.DONE, "progress": 1.0, "error": None}
    elif state is None:
        return None
    else:
        manuscript = state.get("manuscript", "")
    if not service.store.owns(owner, manuscript):
        return None
    done = state["status"] == jobs.DONE
    return {"job": job, "status": state["status"], "progress": state["progress"],
            "download": _download(job) if done else None, "error": state.get("error")}


async def job_status(request: Request, service: Service) -> Response:
    """GET /api/v1/jobs/{job}."""
    owner, _ = _caller(request, service)
    view = await run_in_threadpool(_view, service, owner, request.path_params["job"])
    return error(404, "no such job") if view is None else JSONResponse(view)


async def job_events(request: Request, service: Service) -> Response:
    """GET /api/v1/jobs/{job}/events: the job's state as server-sent events, one each time
    it changes, until it is done or failed."""
    owner, _ = _caller(request, service)
    job = request.path_params["job"]
    first = await run_in_threadpool(_view, service, owner, job)
    if first is None:
        return error(404, "no such job")

    async def events() -> AsyncIterator[str]:
        view: dict[str, Any] | None = first
        last, quiet = None, 0.0
        while view is not None:
            if view != last:
                yield f"event: {view['status']}\ndata: {json.dumps(view)}\n\n"
                last, quiet = view, 0.0
            elif quiet >= _KEEP_ALIVE:  # a comment, so proxies keep a long wait open
                yield ": waiting\n\n"
                quiet = 0.0
            if view["status"] not in jobs.ACTIVE:
                return
            await asyncio.sleep(_POLL)
            quiet += _POLL
            view = await run_in_threadpool(_view, service, owner, job)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})


async def download(request: Request, service: Service) -> Response:
    """GET /api/v1/files/{key}: the built file, named after the book and the edition."""
    owner, _ = _caller(request, service)
    key = request.path_params["key"]
    if not service.store.has_file(key):
        return error(404, "no such file")
    meta = service.store.file_meta(key)
    if not service.store.owns(owner, meta["manuscript"]):
        return error(404, "no such file")
    return FileResponse(service.store.file(key), media_type=meta["media_type"],
                        filename=meta["filename"])


async def publish(request: Request, service: Service) -> Response:
    """POST /api/v1/manuscripts/{id}/publish: put the manuscript in the public catalogue and
    queue the editions the catalogue offers that are not built yet."""
    owner, token = _caller(request, service)
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return error(404, "no such manuscript")
    answers = await run_in_threadpool(publish_title, service, token, ident)
    return JSONResponse({"id": ident, "published": True, "editions": answers})


def publish_title(service: Service, token: str, ident: str) -> dict[str, Any]:
    """Publish a manuscript; each catalogue edition's state (built, or its job) by name."""
    service.store.publish(ident)
    answers: dict[str, Any] = {}
    if any(f.get("severity") == "error" for f in service.store.meta(ident)["lint"]):
        return answers
    for name in CATALOGUE_EDITIONS:
        answer = _enqueue(service, token, ident, name, Options.requested(None))
        answers[name] = json.loads(bytes(answer.body))
    return answers


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
