"""`GET /api/v1/manuscripts/{id}/report`: the `publish check` report of a manuscript's
editions built so far (the newest file of each edition), run once per set of files by a
worker (the validators take up to a minute on a book) and kept in the store."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from publish.editions import EDITIONS
from publish.files import write_atomically
from publish.service.actions import Service, error, require_caller
from publish.service.headers import REPORT_CSP
from publish.service.store import Store, sha256

CHECK_TASK = "publish.check_report"
_CLAIM_SECONDS = 900  # a check a worker lost is asked for again after this
CHECKING = "checking"


async def route(request: Request, service: Service) -> Response:
    """JSON by default, the check's HTML page when the client asks for text/html; 202 with
    Retry-After while a worker runs the validators."""
    owner, _ = require_caller(request, service)
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return error(404, "no such manuscript")
    found = await run_in_threadpool(ask, service, ident)
    if found is None:
        return error(404, "no edition of this manuscript is built yet")
    if not isinstance(found, tuple):
        return JSONResponse({"status": CHECKING, "message": "the validators are checking the "
                             "editions built so far; ask again shortly"}, 202,
                            headers={"Retry-After": "5"})
    data, page = found
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(page, headers={"Content-Security-Policy": REPORT_CSP})
    return JSONResponse(data)


def latest_editions(store: Store, ident: str) -> dict[str, str]:
    """The newest built file of each edition, by edition name."""
    newest: dict[str, str] = {}
    for key in store.built(ident):  # newest first
        newest.setdefault(store.file_meta(key)["edition"], key)
    return newest


def _kept(store: Store, editions: dict[str, str]) -> Path:
    """Where the report of exactly these files is kept (without its suffix)."""
    return store.root / "reports" / sha256("\n".join(sorted(editions.values())).encode())


def ask(service: Service, ident: str) -> tuple[dict[str, Any], str] | str | None:
    """The report of the newest editions (data and HTML) when it is kept; CHECKING when a
    worker is (now) asked to run it; None when nothing is built."""
    editions = latest_editions(service.store, ident)
    if not editions:
        return None
    kept = _kept(service.store, editions)
    if kept.with_suffix(".html").is_file():
        return json.loads(kept.with_suffix(".json").read_text()), \
            kept.with_suffix(".html").read_text()
    if service.states.client.set(f"publish:report:{kept.name}", "1", nx=True,
                                 ex=_CLAIM_SECONDS):
        service.queue.send_task(CHECK_TASK, args=(ident, editions))
    return CHECKING


def write(store: Store, ident: str, editions: dict[str, str]) -> None:
    """Run the check on these files and keep its report: a worker's job."""
    kept = _kept(store, editions)
    if kept.with_suffix(".html").is_file():
        return
    data, page = _check(store, ident, editions)
    write_atomically(kept.with_suffix(".json"), json.dumps(data).encode())
    write_atomically(kept.with_suffix(".html"), page.encode())


def _check(store: Store, ident: str, editions: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Run `publish check` on links to the stored files, named as the editions name them."""
    from publish.check import check_files
    from publish.check.report import to_html

    stem = store.meta(ident).get("stem") or "book"
    folder = store.scratch()
    try:
        files, size = [], 18.0
        for edition, key in sorted(editions.items()):
            target = folder / f"{stem}{EDITIONS[edition].suffix}"
            os.link(store.file(key), target)
            files.append(target)
            size = float(store.file_meta(key).get("size", size))
        report = check_files(files, size)[0]
        data = report.as_dict()
        data["path"] = stem
        return data, to_html(report)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
