"""`GET /api/v1/manuscripts/{id}/report`: the `publish check` report of a manuscript's
editions built so far (the newest file of each edition), run once per set of files and
kept in the store beside them."""

from __future__ import annotations

import json
import os
import shutil
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from publish.editions import EDITIONS
from publish.files import write_atomically
from publish.service.headers import REPORT_CSP
from publish.service.store import Store, sha256

if TYPE_CHECKING:
    from publish.service.app import Service


async def route(request: Request, service: Service) -> Response:
    """JSON by default, the check's HTML page when the client asks for text/html."""
    from publish.service.app import _caller, error

    owner, _ = _caller(request, service)
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return error(404, "no such manuscript")
    found = await run_in_threadpool(checked, service.store, ident)
    if found is None:
        return error(404, "no edition of this manuscript is built yet")
    wants_html = "text/html" in request.headers.get("accept", "")
    if wants_html:
        return HTMLResponse(found[1], headers={"Content-Security-Policy": REPORT_CSP})
    return JSONResponse(found[0])


def latest_editions(store: Store, ident: str) -> dict[str, str]:
    """The newest built file of each edition, by edition name."""
    newest: dict[str, str] = {}
    for key in store.built(ident):  # newest first
        newest.setdefault(store.file_meta(key)["edition"], key)
    return newest


def checked(store: Store, ident: str) -> tuple[dict[str, Any], str] | None:
    """The report (as JSON data and as HTML) of the newest editions, from the store when
    these files were checked before; None when nothing is built."""
    editions = latest_editions(store, ident)
    if not editions:
        return None
    name = sha256("\n".join(sorted(editions.values())).encode())
    kept = store.root / "reports" / name
    if not (kept.with_suffix(".html")).is_file():
        data, page = _check(store, ident, editions)
        write_atomically(kept.with_suffix(".json"), json.dumps(data).encode())
        write_atomically(kept.with_suffix(".html"), page.encode())
    data = json.loads(kept.with_suffix(".json").read_text())
    return data, kept.with_suffix(".html").read_text()


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
