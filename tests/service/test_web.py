"""The web page over real HTTP from a real `publish serve` (its own Redis, no worker), without
a browser: the cookie's flags, CSRF on every form, the security headers, owners kept apart,
hostile uploads refused through the page, errors tied to their fields."""

from __future__ import annotations

import pytest
from lxml import html

from .conftest import ARTICLE, Api, book_zip
from .test_parts import hostile_zips, stored
from .web_client import WebClient

FORMS = ("/sign-out", "/upload", "/sample", "/titles/{}/editions", "/titles/{}/publish")


@pytest.fixture
def api(shared_api: Api) -> Api:
    """The module's one server."""
    return shared_api


def signed_in(api: Api, owner: str) -> WebClient:
    """A browser signed in as a new token of `owner`."""
    client = WebClient(api.base)
    answer = client.sign_in(api.token(owner))
    assert (answer.status, answer.headers["location"]) == (303, "/")
    return client


def uploaded(client: WebClient, name: str = "harbour-article.md",
             data: bytes | None = None) -> str:
    """Upload through the page's form; the new title's id."""
    page = client.get("/")
    answer = client.upload("/upload", {"csrf_token": page.csrf}, name,
                           ARTICLE.read_bytes() if data is None else data)
    assert answer.status == 303, answer.body
    return answer.headers["location"].rsplit("/", 1)[1]


def test_sign_in_keeps_the_token_in_a_secure_http_only_same_site_cookie(api: Api) -> None:
    client = WebClient(api.base)
    answer = client.sign_in(api.token("alice"))
    session = next(c for c in answer.cookies if c.startswith("publish_session="))
    flags = {part.strip().lower() for part in session.split(";")[1:]}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
    assert "Signed in as" in client.get("/").body


def test_a_wrong_token_is_an_error_tied_to_its_field_and_summarised(api: Api) -> None:
    client = WebClient(api.base)
    page = client.get("/")
    answer = client.post("/sign-in", {"csrf_token": page.csrf, "token": "pub_wrong"})
    assert answer.status == 401
    tree = html.fromstring(answer.body)
    assert tree.findtext(".//title").startswith("Error: ")
    summary = tree.get_element_by_id("error-summary")
    assert summary.get("role") == "alert"
    assert summary.xpath(".//a/@href") == ["#token"]
    field = tree.get_element_by_id("token")
    assert field.get("aria-invalid") == "true"
    assert "token-error" in field.get("aria-describedby").split()
    assert "not known" in tree.get_element_by_id("token-error").text_content()


def test_every_form_refuses_a_missing_or_forged_csrf_token(api: Api) -> None:
    client = signed_in(api, "alice")
    ident = uploaded(client)
    before = stored(api.data)
    for form in FORMS:
        path = form.format(ident)
        for token in ("", "0" * 64):
            answer = client.post(path, {"csrf_token": token, "edition": "epub"})
            assert answer.status == 403, (path, answer.status)
    forged = client.upload("/upload", {"csrf_token": "0" * 64}, "new.md", b"# New\n\nText.\n")
    assert forged.status == 403
    assert stored(api.data) == before  # nothing uploaded, queued or published
    assert "Signed in as" in client.get("/").body  # sign-out refused too


def test_a_token_from_another_browser_does_not_pass(api: Api) -> None:
    victim, attacker = signed_in(api, "alice"), WebClient(api.base)
    foreign = attacker.get("/").csrf  # a valid token, for the attacker's own nonce
    answer = victim.post("/sign-out", {"csrf_token": foreign})
    assert answer.status == 403


def test_pages_carry_a_csp_without_inline_script_and_no_inline_script(api: Api) -> None:
    client = signed_in(api, "alice")
    ident = uploaded(client)
    for path in ("/", f"/titles/{ident}", "/catalogue", f"/titles/{ident}/report"):
        answer = client.get(path)
        assert answer.status == 200, path
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        tree = html.fromstring(answer.body)
        assert all(s.get("src") for s in tree.iter("script")), path
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), path


def test_another_owners_titles_are_unreachable(api: Api) -> None:
    alice, mallory = signed_in(api, "alice"), signed_in(api, "mallory")
    ident = uploaded(alice)
    for path in (f"/titles/{ident}", f"/titles/{ident}/report",
                 f"/api/v1/manuscripts/{ident}/report"):
        assert mallory.get(path).status == 404, path
    page = mallory.get("/")
    answer = mallory.post(f"/titles/{ident}/editions", {"csrf_token": page.csrf,
                                                        "edition": "epub"})
    assert answer.status == 404
    assert mallory.post(f"/titles/{ident}/publish", {"csrf_token": page.csrf}).status == 404
    assert ident not in mallory.get("/").body and ident not in mallory.get("/catalogue").body


def test_hostile_uploads_through_the_page_are_refused_and_nothing_is_stored(api: Api) -> None:
    client = signed_in(api, "dave")
    before = stored(api.data)
    cases = {f"{name}.zip": data for name, data in hostile_zips().items()}
    cases["script.html"] = b"<script>alert(1)</script>"
    for name, data in cases.items():
        page = client.get("/")
        answer = client.upload("/upload", {"csrf_token": page.csrf}, name, data)
        assert 400 <= answer.status < 500, name
        assert "Traceback" not in answer.body
        tree = html.fromstring(answer.body)
        assert tree.get_element_by_id("file-error").text_content().strip(), name
        assert tree.get_element_by_id("file").get("aria-invalid") == "true"
    assert stored(api.data) == before


def test_a_size_out_of_range_is_refused_with_the_command_line_message(api: Api) -> None:
    client = signed_in(api, "erin")
    ident = uploaded(client)
    page = client.get(f"/titles/{ident}")
    answer = client.post(f"/titles/{ident}/editions", {
        "csrf_token": page.csrf, "edition": "large-print", "size": "15", "profile": "ukaaf"})
    assert answer.status == 422
    tree = html.fromstring(answer.body)
    assert "below the ukaaf profile's floor of 16 pt" in tree.get_element_by_id(
        "size-error").text_content()
    assert tree.get_element_by_id("size").get("value") == "15"  # what was typed stays
    assert tree.get_element_by_id("error-summary").xpath(".//a/@href") == ["#size"]


def test_an_edition_request_is_a_job_page(api: Api) -> None:
    client = signed_in(api, "frank")
    ident = uploaded(client, "lighthouse.zip", book_zip())
    page = client.get(f"/titles/{ident}")
    assert "The Light at Skerrow" in page.body and "Catriona Veale" in page.body
    answer = client.post(f"/titles/{ident}/editions", {
        "csrf_token": page.csrf, "edition": "large-print", "size": "24", "profile": "ukaaf"})
    assert answer.status == 303 and answer.headers["location"].startswith("/jobs/")
    job = client.get(answer.headers["location"])
    tree = html.fromstring(job.body)
    assert tree.findtext(".//h1") == "Large-print PDF at 24 pt of The Light at Skerrow"
    assert tree.get_element_by_id("job-status").get("aria-live") == "polite"
    assert tree.get_element_by_id("job").get("data-events").endswith("/events")
    assert tree.xpath("//script/@src") == ["/static/progress.js"]
    assert tree.xpath("//a[@href=$p]", p=answer.headers["location"])  # without JavaScript


def test_drafts_are_not_in_the_catalogue_and_their_files_are_not_public(api: Api) -> None:
    client = signed_in(api, "grace")
    ident = uploaded(client, "draft.md", b"---\ntitle: A Draft Only\nlanguage: en\n---\n"
                     b"# A Draft Only\n\nText.\n")
    assert "A Draft Only" not in WebClient(api.base).get("/opds/catalog.xml").body
    assert WebClient(api.base).get(f"/opds/covers/{ident}").status == 404
    assert WebClient(api.base).get("/opds/files/" + "0" * 64).status == 404


def test_report_and_publish_routes_keep_owners_apart(api: Api) -> None:
    alice, mallory = api.token("alice"), api.token("mallory")
    status, body = api.json("POST", "/api/v1/manuscripts", alice,
                            upload=("harbour-article.md", ARTICLE.read_bytes()))
    ident = body["id"]
    report = f"/api/v1/manuscripts/{ident}/report"
    assert api.call("GET", report)[0] == 401
    assert api.call("GET", report, mallory)[0] == 404
    status, body = api.json("GET", report, alice)
    assert (status, body["error"]["message"]) == (404, "no edition of this manuscript is "
                                                       "built yet")
    assert api.call("POST", f"/api/v1/manuscripts/{ident}/publish", mallory)[0] == 404
    assert api.call("POST", f"/api/v1/manuscripts/{ident}/publish")[0] == 401
    paths = api.json("GET", "/api/v1/openapi.json")[1]["paths"]
    assert {"/api/v1/manuscripts/{id}/report", "/api/v1/manuscripts/{id}/publish"} <= set(paths)


def test_an_oversized_small_form_is_refused_unread(api: Api) -> None:
    client = WebClient(api.base)
    page = client.get("/")
    answer = client.post("/sign-in", {"csrf_token": page.csrf, "token": "x" * 100_000})
    assert answer.status == 413


def test_a_first_visit_can_start_from_the_sample_book(api: Api) -> None:
    client = signed_in(api, "newcomer")
    page = client.get("/")
    assert "Use the sample book" in page.body
    answer = client.post("/sample", {"csrf_token": page.csrf})
    assert answer.status == 303
    title = client.get(answer.headers["location"])
    assert "<h1>The Light at Skerrow</h1>" in title.body
    again = client.post("/sample", {"csrf_token": page.csrf})
    assert again.headers["location"] == answer.headers["location"]  # one manuscript


def test_the_title_page_offers_every_edition_and_braille_options(api: Api) -> None:
    client = signed_in(api, "ivan")
    ident = uploaded(client)
    tree = html.fromstring(client.get(f"/titles/{ident}").body)
    assert tree.xpath("//input[@name='edition']/@value") == [
        "large-print", "epub", "print", "braille", "web"]
    for field in ("cells", "lines", "grade"):
        control = tree.get_element_by_id(field)
        assert tree.xpath("//label[@for=$f]", f=field), field  # each control has its label
        assert control.get("aria-describedby") == f"{field}-hint"
    assert tree.xpath("//select[@id='grade']/option/@value") == ["2", "1"]


def test_braille_with_its_options_is_a_job_named_by_them(api: Api) -> None:
    client = signed_in(api, "judy")
    ident = uploaded(client, "lighthouse.zip", book_zip())
    page = client.get(f"/titles/{ident}")
    answer = client.post(f"/titles/{ident}/editions", {
        "csrf_token": page.csrf, "edition": "braille", "cells": "32", "lines": "20",
        "grade": "1", "size": "not read for braille"})
    assert answer.status == 303 and answer.headers["location"].startswith("/jobs/")
    job = html.fromstring(client.get(answer.headers["location"]).body)
    assert job.findtext(".//h1") == ("Braille PEF (32 cells by 20 lines, grade 1) of "
                                     "The Light at Skerrow")
    answer = client.post(f"/titles/{ident}/editions", {
        "csrf_token": page.csrf, "edition": "web", "cells": "999"})  # not the web's option
    assert answer.status == 303
    job = html.fromstring(client.get(answer.headers["location"]).body)
    assert job.findtext(".//h1") == "Web edition (zipped site) of The Light at Skerrow"


def test_a_braille_page_out_of_range_is_refused_with_the_command_line_message(
        api: Api) -> None:
    client = signed_in(api, "kim")
    ident = uploaded(client)
    page = client.get(f"/titles/{ident}")
    for field, value, said in (("cells", "90", "Braille cells must be 12-80, not 90."),
                               ("lines", "2", "Braille lines must be 4-50, not 2."),
                               ("cells", "forty", "must be a whole number, not 'forty'."),
                               ("grade", "3", "Braille grade must be 1 or 2, not 3.")):
        answer = client.post(f"/titles/{ident}/editions", {
            "csrf_token": page.csrf, "edition": "braille", field: value})
        assert answer.status == 422, (field, value)
        tree = html.fromstring(answer.body)
        assert said in tree.get_element_by_id(f"{field}-error").text_content()
        assert tree.get_element_by_id("error-summary").xpath(".//a/@href") == [f"#{field}"]
        assert tree.get_element_by_id(field).get("aria-invalid") == "true"
