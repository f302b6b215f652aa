"""The HTTP API over a real Redis and a real `publish serve`, with no worker: what it
answers before anything is built (tokens, owners, uploads, one job per identical request,
the in-flight limit). One server for the module: each test has owners and options of its
own."""

from __future__ import annotations

import io
import json
import os
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from publish.service.store import Store, sha256

from .conftest import ARTICLE, Api, book_zip
from .test_parts import hostile_zips, stored

EDITIONS = "/api/v1/manuscripts/{}/editions"


@pytest.fixture
def api(shared_api: Api) -> Api:
    """The module's one server (starting one a test cost 2 s each)."""
    return shared_api


def upload_article(api: Api, token: str) -> str:
    status, body = api.json("POST", "/api/v1/manuscripts", token,
                            upload=("harbour-article.md", ARTICLE.read_bytes()))
    assert status in (200, 201), body
    ident: str = body["id"]
    return ident


def test_no_token_is_401_and_a_wrong_one_too(api: Api) -> None:
    status, headers, raw = api.call("POST", "/api/v1/manuscripts",
                                    upload=("a.md", b"# A\n"))
    assert status == 401
    assert headers.get("www-authenticate", headers.get("WWW-Authenticate")) == "Bearer"
    assert "token" in json.loads(raw)["error"]["message"]
    assert api.call("GET", "/api/v1/jobs/" + "0" * 64, "pub_not-a-token")[0] == 401


def test_the_same_bytes_again_are_200_with_the_same_id(api: Api) -> None:
    token = api.token("carol")
    status, first = api.json("POST", "/api/v1/manuscripts", token,
                             upload=("harbour-article.md", ARTICLE.read_bytes()))
    assert status == 201
    assert first["title"].startswith("Work to begin")
    assert isinstance(first["lint"], list)
    status, again = api.json("POST", "/api/v1/manuscripts", api.token("carol"),
                             upload=("harbour-article.md", ARTICLE.read_bytes()))
    assert (status, again["id"]) == (200, first["id"])


def test_another_owner_sees_404(api: Api) -> None:
    ident = upload_article(api, api.token("alice"))
    mallory = api.token("mallory")
    status, body = api.json("POST", EDITIONS.format(ident), mallory, {"edition": "print"})
    assert (status, body["error"]["message"]) == (404, "no such manuscript")
    status, started = api.json("POST", EDITIONS.format(ident), api.token("alice"),
                               {"edition": "print"})
    assert status == 202
    assert api.json("GET", f"/api/v1/jobs/{started['job']}", mallory)[0] == 404


def test_hostile_zips_are_4xx_with_a_message_and_nothing_is_stored(api: Api) -> None:
    token = api.token("dave")
    before = stored(api.data)
    for name, data in hostile_zips().items():
        status, _headers, raw = api.call("POST", "/api/v1/manuscripts", token,
                                         upload=(f"{name}.zip", data))
        assert 400 <= status < 500, name
        assert "Traceback" not in raw.decode()
        assert json.loads(raw)["error"]["message"], name
    assert stored(api.data) == before


def test_options_are_checked_as_the_command_line_checks_them(api: Api) -> None:
    token = api.token("alice")
    ident = upload_article(api, token)
    status, body = api.json("POST", EDITIONS.format(ident), token,
                            {"edition": "large-print", "size": 15})
    assert status == 422
    assert "below the ukaaf profile's floor of 16 pt" in body["error"]["message"]
    status, body = api.json("POST", EDITIONS.format(ident), token, {"edition": "mobi"})
    assert status == 422 and "print" in body["error"]["message"]
    for asked, said in (({"cells": 90}, "braille cells must be 12-80, not 90"),
                        ({"lines": "many"}, "braille lines must be a whole number"),
                        ({"grade": True}, "braille grade must be a whole number"),
                        ({"grade": 3}, "braille grade must be 1 or 2, not 3")):
        status, body = api.json("POST", EDITIONS.format(ident), token,
                                {"edition": "braille", **asked})
        assert status == 422 and said in body["error"]["message"], (asked, body)


def test_thirty_identical_concurrent_requests_are_one_job(api: Api) -> None:
    token = api.token("alice")
    ident = upload_article(api, token)
    body = {"edition": "large-print", "size": 30}
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: api.json("POST", EDITIONS.format(ident), token,
                                                   body), range(30)))
    assert {status for status, _ in answers} == {202}
    assert len({answer["job"] for _, answer in answers}) == 1
    status, state = api.json("GET", f"/api/v1/jobs/{answers[0][1]['job']}", token)
    assert (status, state["status"], state["progress"]) == (200, "queued", 0.0)


def test_too_many_jobs_in_flight_is_429_with_retry_after(api: Api) -> None:
    token = api.token("erin")  # the fixture's server allows 3 in flight
    ident = upload_article(api, token)
    for size in (20, 22, 24):
        body = {"edition": "large-print", "size": size}
        assert api.json("POST", EDITIONS.format(ident), token, body)[0] == 202
    status, headers, raw = api.call("POST", EDITIONS.format(ident), token,
                                    {"edition": "large-print", "size": 26})
    assert status == 429
    assert int(headers["retry-after"] if "retry-after" in headers else headers["Retry-After"])
    assert "in flight" in json.loads(raw)["error"]["message"]
    assert api.json("POST", EDITIONS.format(ident), api.token("erin"), {"edition": "epub"})[0] \
        == 202  # the limit is per token


def test_the_in_flight_limit_holds_under_concurrent_requests(api: Api) -> None:
    token = api.token("frank")  # the fixture's server allows 3 in flight
    ident = upload_article(api, token)
    sizes = [38 + n / 2 for n in range(20)]  # twenty jobs at once, none asked for before
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda size: api.json(
            "POST", EDITIONS.format(ident), token, {"edition": "large-print", "size": size}),
            sizes))
    assert sorted(status for status, _ in answers) == [202] * 3 + [429] * 17, answers


@pytest.mark.parametrize("size", [9_000, 600_000])  # read whole by the route, or in chunks
def test_a_stored_file_is_served_whole_in_ranges_and_to_head(api: Api, size: int) -> None:
    token = api.token(f"files-{size}")
    ident = upload_article(api, token)
    data = os.urandom(size)
    key = sha256(data)
    built = api.data / "tmp" / f"{key}.epub"
    built.write_bytes(data)
    Store(api.data).put_file(key, built, {"filename": "a-book.epub", "manuscript": ident,
                                          "media_type": "application/epub+zip"})
    status, headers, body = api.call("GET", f"/api/v1/files/{key}", token)
    assert status == 200 and body == data
    assert headers["content-type"] == "application/epub+zip"
    assert headers["content-disposition"] == 'attachment; filename="a-book.epub"'
    assert headers["content-length"] == str(size) and headers["etag"]
    request = urllib.request.Request(f"{api.base}/api/v1/files/{key}", headers={
        "Authorization": f"Bearer {token}", "Range": "bytes=10-19"})
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 206 and answer.read() == data[10:20]
    request = urllib.request.Request(f"{api.base}/api/v1/files/{key}", method="HEAD",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as answer:
        assert answer.headers["content-length"] == str(size) and answer.read() == b""
    assert api.call("GET", f"/api/v1/files/{key}", api.token("someone-else"))[0] == 404


def test_a_book_folder_zip_uploads(api: Api) -> None:
    status, body = api.json("POST", "/api/v1/manuscripts", api.token("alice"),
                            upload=("lighthouse.zip", book_zip()))
    assert status == 201, body
    assert body["title"]


def test_health_and_openapi(api: Api) -> None:
    status, health = api.json("GET", "/healthz")
    assert (status, health["broker"], health["store"], health["workers"]) == (200, True, True, 0)
    status, description = api.json("GET", "/api/v1/openapi.json")
    assert status == 200
    assert "/api/v1/manuscripts/{id}/editions" in description["paths"]
    status, body = api.json("GET", "/api/v1/nowhere")
    assert status == 404 and body["error"]["message"]


def _word_file(title: str, paragraphs: list[tuple[str | None, str]]) -> bytes:
    """A small Word file: core properties with `title`, then (style, text) paragraphs."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        "<w:p>" + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f"<w:r><w:t>{text}</w:t></w:r></w:p>" for style, text in paragraphs)
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="{s}"><w:name w:val="{n}"/>'
                     "</w:style>" for s, n in (("Heading1", "heading 1"),
                                               ("Heading3", "heading 3"), ("Title", "Title")))
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{title}</dc:title><dc:language>en-GB</dc:language>"
            "</cp:coreProperties>"),
        "word/document.xml": f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
        "word/styles.xml": f'<w:styles xmlns:w="{w}">{styles}</w:styles>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_a_word_file_is_read_and_its_findings_name_a_place(api: Api) -> None:
    token = api.token("wendy")
    data = _word_file("The Harbour Log", [
        ("Heading1", "Chapter One"), (None, "The tide came in at dusk, and the boats with it."),
        ("Heading1", "Chapter Two"), ("Heading3", "A jump"),
        (None, "Nobody on the quay said a word about it."),
    ])
    status, body = api.json("POST", "/api/v1/manuscripts", token, upload=("log.docx", data))
    assert status == 201, body
    assert body["title"] == "The Harbour Log"
    jumps = [f for f in body["lint"] if f["code"] == "A004"]  # heading 1 to heading 3
    assert [(f["file"], f["line"]) for f in jumps] == [("log.docx", None)]
    assert jumps[0]["place"] == 'heading "A jump"'
    status, _headers, raw = api.call("POST", "/api/v1/manuscripts", token,
                                     upload=("log.docx", b"PK\x03\x04 not really a zip"))
    assert 400 <= status < 500 and "Traceback" not in raw.decode()
    assert json.loads(raw)["error"]["message"]
