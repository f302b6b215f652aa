"""The service's web page: server-rendered forms and redirects that work without
JavaScript (one static script only adds live progress), signed in with an API token kept
in a cookie, every form carrying a CSRF token, every title checked against its owner."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from publish.editions import EDITIONS
from publish.options import BRAILLE_CELLS, BRAILLE_LINES, MAX_LARGE_PRINT_PT, MIN_LARGE_PRINT_PT
from publish.profiles import DEFAULT_PROFILE, PROFILES
from publish.service import jobs, report
from publish.service.actions import (
    BRAILLE_DEFAULTS,
    Service,
    bounded,
    caller,
    edition_options,
    enqueue,
    publish_title,
    receive,
    view,
)
from publish.service.session import CSRF_FIELD, keep_nonce, sign_in, sign_out
from publish.service.uploads import MAX_UPLOAD, Refused, accept
from publish.service.views import LABELS, describe_title, job_about, owner_titles

# the sample book of a checkout (an installed package has none: the page then offers no button)
SAMPLE_BOOK = Path(__file__).resolve().parents[2] / "manuscript" / "lighthouse"
_SMALL_FORM = 64 * 1024  # bytes: a sign-in, edition or publish form is far smaller
_OWN_FIELDS = {"large-print": ("size", "profile"), "braille": tuple(BRAILLE_DEFAULTS)}
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True), trim_blocks=True,
                         lstrip_blocks=True)


@dataclass
class Problems:
    """A form's errors by field id, shown in the summary at the top and beside each field."""

    fields: dict[str, str] = field(default_factory=dict)

    def add(self, field_id: str, message: str) -> None:
        """Record the first error of a field."""
        self.fields.setdefault(field_id, message)


def _render(request: Request, service: Service, template: str, status: int = 200,
            **context: Any) -> Response:
    """A page from its template, with the CSRF token of this browser's nonce."""
    nonce = service.guard.nonce(request)
    context.setdefault("problems", Problems())
    html = _TEMPLATES.get_template(template).render(
        csrf_field=CSRF_FIELD, csrf_token=service.guard.token(nonce), labels=LABELS,
        path=request.url.path, **context)
    response = HTMLResponse(html, status)
    keep_nonce(response, nonce)
    return response


def _signed_in(request: Request, service: Service) -> str | None:
    """The owner of the session cookie's token, or None."""
    found = caller(request, service, cookie=True)
    return None if found is None else found[0]


def _token_hash(request: Request, service: Service) -> str:
    """The signed-in token's hash: the in-flight limit counts jobs per token."""
    found = caller(request, service, cookie=True)
    assert found is not None
    return found[1]


def _see(path: str) -> Response:
    """After a form: 303 to the page that shows what happened."""
    return RedirectResponse(path, 303)


async def _form(request: Request, service: Service) -> dict[str, str] | None:
    """A small urlencoded form's fields (413 past 64 KiB, read no further), or None when
    its CSRF token is wrong."""
    read = await bounded(request, _SMALL_FORM)
    if read is None:
        raise HTTPException(413, "this form is larger than any the page sends")
    form = await read.form(max_files=0, max_fields=8)
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    return fields if service.guard.valid(request, fields.get(CSRF_FIELD)) else None


def _forbidden(request: Request, service: Service) -> Response:
    """A form that did not come from this site's own page."""
    return _render(request, service, "message.html.j2", 403, title="This form has expired",
                   message="The form was not sent from this site's own page, or it was "
                   "open too long. Go back, reload the page and try again.")


async def home(request: Request, service: Service) -> Response:
    """GET /: sign-in, or the upload form and the owner's titles."""
    owner = _signed_in(request, service)
    if owner is None:
        return _render(request, service, "sign_in.html.j2")
    return await _home_page(request, service, owner)


async def _home_page(request: Request, service: Service, owner: str, status: int = 200,
                     problems: Problems | None = None) -> Response:
    """The signed-in home page, with an upload's problems when it was refused."""
    titles = await run_in_threadpool(owner_titles, service, owner)
    return _render(request, service, "home.html.j2", status, owner=owner, titles=titles,
                   problems=problems or Problems(), max_mib=MAX_UPLOAD // 2**20,
                   sample=SAMPLE_BOOK.is_dir())


async def sign_in_form(request: Request, service: Service) -> Response:
    """POST /sign-in: keep a valid token in the session cookie."""
    fields = await _form(request, service)
    if fields is None:
        return _forbidden(request, service)
    token = fields.get("token", "").strip()
    problems = Problems()
    if not token:
        problems.add("token", "Enter your API token.")
    elif service.tokens.owner(token) is None:
        problems.add("token", "This token is not known or has been revoked. Check it, or "
                     "ask for a new one (publish token create NAME).")
    if problems.fields:
        return _render(request, service, "sign_in.html.j2", 401, problems=problems)
    response = _see("/")
    sign_in(response, token)
    return response


async def sign_out_form(request: Request, service: Service) -> Response:
    """POST /sign-out: drop the session cookie."""
    if await _form(request, service) is None:
        return _forbidden(request, service)
    response = _see("/")
    sign_out(response)
    return response


async def upload_form(request: Request, service: Service) -> Response:
    """POST /upload: store the manuscript (through the API's own limits) and show it."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    problems = Problems()
    try:
        done, _fields = await receive(request, service, owner, lambda fields: service.guard.valid(
            request, fields.get(CSRF_FIELD)))
    except Refused as refused:
        if refused.status == 403:
            return _forbidden(request, service)
        problems.add("file", _sentence(refused.message))
        return await _home_page(request, service, owner, refused.status, problems)
    return _see(f"/titles/{done.ident}")


async def sample_form(request: Request, service: Service) -> Response:
    """POST /sample: upload the sample book that ships with the project, so a first visit
    needs no manuscript of one's own (through the same checks as any upload)."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    if await _form(request, service) is None:
        return _forbidden(request, service)
    if not SAMPLE_BOOK.is_dir():
        return _not_found(request, service)
    done = await run_in_threadpool(accept, service.store, "lighthouse.zip", _zipped(SAMPLE_BOOK))
    service.store.grant(owner, done.ident)
    return _see(f"/titles/{done.ident}")


def _zipped(folder: Path) -> bytes:
    """A book folder as the zip a user would upload (fixed dates: the same bytes each time,
    so the sample is one manuscript however often it is asked for)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}",
                                    (2026, 1, 1, 0, 0, 0))
            archive.writestr(entry, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


async def catalogue(request: Request, service: Service) -> Response:
    """GET /catalogue: every title of the owner, each edition built, its size and date."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    titles = await run_in_threadpool(owner_titles, service, owner)
    return _render(request, service, "catalogue.html.j2", owner=owner, titles=titles)


async def title_page(request: Request, service: Service) -> Response:
    """GET /titles/{id}: metadata, lint findings, the edition form, the files built."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return _not_found(request, service)
    return await _title(request, service, owner, ident)


async def _title(request: Request, service: Service, owner: str, ident: str,
                 status: int = 200, problems: Problems | None = None,
                 asked: dict[str, str] | None = None) -> Response:
    """A title's page, with the edition form as sent and its problems when refused."""
    title = await run_in_threadpool(describe_title, service, ident)
    asked = asked or {"edition": "large-print", "size": "", "profile": DEFAULT_PROFILE,
                      "grade": str(BRAILLE_DEFAULTS["grade"])}
    return _render(request, service, "title.html.j2", status, owner=owner, title=title,
                   problems=problems or Problems(), asked=asked, profiles=PROFILES,
                   min_size=MIN_LARGE_PRINT_PT, max_size=MAX_LARGE_PRINT_PT,
                   cells=BRAILLE_CELLS, lines=BRAILLE_LINES, braille=BRAILLE_DEFAULTS)


async def edition_form(request: Request, service: Service) -> Response:
    """POST /titles/{id}/editions: queue the edition (or find it built) and show its job."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    ident = request.path_params["ident"]
    fields = await _form(request, service)
    if fields is None:
        return _forbidden(request, service)
    if not service.store.owns(owner, ident):
        return _not_found(request, service)
    edition = fields.get("edition")
    own = _OWN_FIELDS.get(edition or "", ())  # the other editions' fields are not this one's
    try:
        edition, options = edition_options(service, ident, {
            "edition": edition, **{name: fields.get(name) for name in own}})
    except Refused as refused:
        problems = Problems()
        problems.add(_field_id(refused.extra.get("field", "lint")), _sentence(refused.message))
        return await _title(request, service, owner, ident, refused.status, problems, fields)
    answer = await run_in_threadpool(enqueue, service, _token_hash(request, service), ident,
                                     edition, options)
    if answer.status_code == 429:
        problems = Problems()
        problems.add("edition", "You have as many builds under way as this service allows. "
                     "Wait for one to finish, then try again.")
        return await _title(request, service, owner, ident, 429, problems, fields)
    return _see(f"/jobs/{jobs.job_id(ident, EDITIONS[edition], options)}")


async def publish_form(request: Request, service: Service) -> Response:
    """POST /titles/{id}/publish: put the title in the public OPDS catalogue."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    ident = request.path_params["ident"]
    if await _form(request, service) is None:
        return _forbidden(request, service)
    if not service.store.owns(owner, ident):
        return _not_found(request, service)
    await run_in_threadpool(publish_title, service, _token_hash(request, service), ident)
    return _see(f"/titles/{ident}#catalogue")


async def report_page(request: Request, service: Service) -> Response:
    """GET /titles/{id}/report: the check report of the editions built so far."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    ident = request.path_params["ident"]
    if not service.store.owns(owner, ident):
        return _not_found(request, service)
    found = await run_in_threadpool(report.ask, service, ident)
    meta = service.store.meta(ident)
    return _render(request, service, "report.html.j2", owner=owner, ident=ident,
                   title=meta["title"], checking=found == report.CHECKING,
                   report=found[0] if isinstance(found, tuple) else None)


async def job_page(request: Request, service: Service) -> Response:
    """GET /jobs/{job}: the job's state; the script follows it live, without it the page
    offers to look again."""
    owner = _signed_in(request, service)
    if owner is None:
        return _see("/")
    job = request.path_params["job"]
    shown = await run_in_threadpool(view, service, owner, job)
    if shown is None:
        return _not_found(request, service)
    about = await run_in_threadpool(job_about, service, job)
    return _render(request, service, "job.html.j2", owner=owner, job=shown, about=about,
                   active=shown["status"] in jobs.ACTIVE)


def _not_found(request: Request, service: Service) -> Response:
    """The page for a title or job that is not there for this token (another owner's too)."""
    return _render(request, service, "message.html.j2", 404, title="Not found",
                   owner=_signed_in(request, service),
                   message="There is nothing here for your token: the address is wrong, or "
                   "the title belongs to someone else.")


def _sentence(text: str) -> str:
    """A message as a sentence: capital first, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _field_id(name: str) -> str:
    """The control a refused option's error belongs to, for the summary's link."""
    return name if name in (*_OWN_FIELDS["large-print"], *_OWN_FIELDS["braille"]) \
        else "edition-large-print"


ROUTES = (
    ("/", home, ["GET"]),
    ("/sign-in", sign_in_form, ["POST"]),
    ("/sign-out", sign_out_form, ["POST"]),
    ("/upload", upload_form, ["POST"]),
    ("/sample", sample_form, ["POST"]),
    ("/catalogue", catalogue, ["GET"]),
    ("/titles/{ident}", title_page, ["GET"]),
    ("/titles/{ident}/editions", edition_form, ["POST"]),
    ("/titles/{ident}/publish", publish_form, ["POST"]),
    ("/titles/{ident}/report", report_page, ["GET"]),
    ("/jobs/{job}", job_page, ["GET"]),
)
