"""What the API and the web page share: the service's parts, who is calling, and the
actions both offer (receive an upload, check a request's options, queue an edition, show a
job, publish a title), so a form and a JSON request are checked and carried out alike."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from celery import Celery
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message

from publish.editions import EDITIONS
from publish.options import Options
from publish.profiles import DEFAULT_PROFILE
from publish.service import jobs
from publish.service.session import SESSION_COOKIE, Guard
from publish.service.store import Store, is_key, sha256
from publish.service.tokens import Tokens
from publish.service.uploads import MAX_UPLOAD, Refused, Upload, accept

CATALOGUE_EDITIONS = ("epub", "print", "large-print")  # what publishing builds at once
# the braille options a request may give, by their names in the API and the form
BRAILLE_DEFAULTS = {"cells": 40, "lines": 25, "grade": 2}
RETRY_AFTER = 5  # seconds a client over its in-flight limit is asked to wait
_FORM_SLACK = 64 * 1024  # multipart boundaries and headers around the file


@dataclass(frozen=True)
class Service:
    """What the routes share: the store, the tokens, the job states and the queue."""

    store: Store
    tokens: Tokens
    states: jobs.States
    queue: Celery
    max_in_flight: int
    guard: Guard



def error(status: int, message: str, headers: dict[str, str] | None = None,
          **extra: Any) -> JSONResponse:
    """A JSON error answer."""
    return JSONResponse({"error": {"message": message, **extra}}, status, headers=headers)



def require_caller(request: Request, service: Service) -> tuple[str, str]:
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



async def receive(request: Request, service: Service, owner: str,
                  fields_ok: Callable[[dict[str, str]], bool] | None = None,
                  ) -> tuple[Upload, dict[str, str]]:
    """Read a multipart upload under the size limit, check and store its `file` for
    `owner` (Upload.new: new to this owner); the form's other fields beside it, which
    `fields_ok` may refuse (403) before anything is stored."""
    read = await bounded(request, MAX_UPLOAD + _FORM_SLACK)
    if read is None:
        raise Refused(413, f"the upload is larger than {MAX_UPLOAD // 2**20} MiB")
    form = await read.form(max_files=1, max_fields=4)
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



async def bounded(request: Request, limit: int) -> Request | None:
    """The request with its body read whole, when it is at most `limit` bytes (None, and
    read no further, otherwise): a new request over the same call that parses its form
    from the bytes already read."""
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    body = b"".join(chunks)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, replay)



def edition_options(service: Service, ident: str, asked: Mapping[str, object],
                    ) -> tuple[str, Options]:
    """A request's edition and options (`edition`; `size`, `profile` for large print;
    `cells`, `lines`, `grade` for braille) checked as the command line checks them, and the
    manuscript free of lint errors that stop a build; Refused (422) otherwise."""
    edition = asked.get("edition")
    if not isinstance(edition, str) or edition not in EDITIONS:
        raise Refused(422, f"edition must be one of {', '.join(EDITIONS)}", field="edition")
    size = asked.get("size")
    try:
        number = None if size in (None, "") else float(size)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Refused(422, f"large-print size must be a number of points, not {size!r}",
                      field="size") from None
    braille = {name: _whole(name, asked.get(name), default)
               for name, default in BRAILLE_DEFAULTS.items()}
    try:
        options = Options.requested(number, str(asked.get("profile") or DEFAULT_PROFILE),
                                    **braille)
    except ValueError as invalid:
        text = str(invalid)
        named = next((name for name in BRAILLE_DEFAULTS if text.startswith(f"braille {name}")),
                     "profile" if "profile" in text and "size" not in text else "size")
        raise Refused(422, text, field=named) from None
    errors = [f for f in service.store.meta(ident)["lint"] if f.get("severity") == "error"]
    if errors:
        raise Refused(422, "the manuscript has lint errors that stop a build", lint=errors)
    return edition, options


def _whole(name: str, value: object, default: int) -> int:
    """A braille option as a whole number (a form sends it as text); its default if empty."""
    if value is None or value == "":
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise Refused(422, f"braille {name} must be a whole number, not {value!r}", field=name)



def enqueue(service: Service, token: str, ident: str, edition: str,
             options: Options) -> Response:
    """The job for this request: the stored file, the job already under way, or a new job
    when the token has room for one."""
    job = jobs.job_id(ident, EDITIONS[edition], options)
    if service.store.has_file(job):
        return JSONResponse({"job": job, "status": jobs.DONE, "download": download_path(job),
                             "companions": companion_downloads(service.store.file_meta(job))})
    state = service.states.get(job)
    if state is not None and state["status"] in jobs.ACTIVE:
        return JSONResponse({"job": job, "status": state["status"]}, 202)
    if state is not None:  # failed, or done with its file gone: build it again
        service.states.forget_if(job, state["status"])
    fields = {"manuscript": ident, "edition": edition,
              "args": jobs.task_args(ident, edition, options)}
    # the page names the options while the job runs
    fields.update({name: str(value) for name, value in
                   jobs.option_fields(EDITIONS[edition], options).items()})
    claimed = service.states.claim(job, fields, token, service.max_in_flight)
    if claimed == jobs.FULL:
        return error(429, f"at most {service.max_in_flight} jobs in flight per token",
                     headers={"Retry-After": str(RETRY_AFTER)})
    if claimed == jobs.CLAIMED:
        try:
            jobs.send(service.queue, job, fields["args"])
        except Exception:
            service.states.forget_if(job, jobs.QUEUED)
            raise
        return JSONResponse({"job": job, "status": jobs.QUEUED}, 202)
    state = service.states.get(job) or {"status": jobs.QUEUED}
    return JSONResponse({"job": job, "status": state["status"]}, 202)



def download_path(key: str) -> str:
    return f"/api/v1/files/{key}"



def view(service: Service, owner: str, job: str) -> dict[str, Any] | None:
    """A job as the API shows it, or None when this owner may not see it."""
    if not is_key(job):
        return None
    state = service.states.get(job)
    companions: dict[str, str] = {}
    if service.store.has_file(job):
        meta = service.store.file_meta(job)
        manuscript = meta["manuscript"]
        companions = companion_downloads(meta)
        state = {"status": jobs.DONE, "progress": 1.0, "error": None}
    elif state is None:
        return None
    else:
        manuscript = state.get("manuscript", "")
    if not service.store.owns(owner, manuscript):
        return None
    done = state["status"] == jobs.DONE
    return {"job": job, "status": state["status"], "progress": state["progress"],
            "download": download_path(job) if done else None, "companions": companions,
            "error": state.get("error")}


def companion_downloads(meta: dict[str, Any]) -> dict[str, str]:
    """Where a stored edition's companions are downloaded, by format (`brf`)."""
    return {kind: download_path(key) for kind, key in meta.get("companions", {}).items()}



def publish_title(service: Service, token: str, ident: str) -> dict[str, Any]:
    """Publish a manuscript; each catalogue edition's state (built, or its job) by name."""
    service.store.publish(ident)
    answers: dict[str, Any] = {}
    if any(f.get("severity") == "error" for f in service.store.meta(ident)["lint"]):
        return answers
    for name in CATALOGUE_EDITIONS:
        answer = enqueue(service, token, ident, name, Options.requested(None))
        answers[name] = json.loads(bytes(answer.body))
    return answers
