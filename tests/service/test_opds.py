"""The OPDS catalogue from a real `publish serve` with real workers: the sample book
published (its EPUB, print PDF and large print built, braille and the web edition too: the
feed offers all but the zipped site), the article left a draft; both feeds
valid against the OPDS schemas, with each entry's content; the EPUB link passes EPUBCheck;
the check report of what is built."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from lxml import etree
from referencing import Registry, Resource

from publish.check.tools import INSTALL_HINT, locate

from .conftest import ARTICLE, Api, book_zip, end, running_redis, start_server

pytestmark = pytest.mark.slow
SCHEMAS = Path(__file__).parent / "schemas"
NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/",
      "schema": "http://schema.org/"}
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
LARGE = "Large-print PDF, 18 pt (UKAAF)"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, str, str, str]]:
    """A server with two workers: the book published and built, the article a draft with
    its EPUB built; the API, the book's id, the article's id and a token of their owner."""
    with running_redis() as url:
        api, process = start_server(url, tmp_path_factory.mktemp("data"), "--workers", "2")
        try:
            token = api.token("alice")
            book = _upload(api, token, "lighthouse.zip", book_zip())
            article = _upload(api, token, "harbour-article.md", ARTICLE.read_bytes())
            status, published = api.json("POST", f"/api/v1/manuscripts/{book}/publish", token)
            assert status == 200 and published["published"], published
            status, draft = api.json("POST", f"/api/v1/manuscripts/{article}/editions", token,
                                     {"edition": "epub"})
            assert status == 202, draft
            more = []
            for edition in ("braille", "web"):  # built besides: braille offered, a site not
                status, asked = api.json("POST", f"/api/v1/manuscripts/{book}/editions", token,
                                         {"edition": edition})
                assert status == 202, asked
                more.append(asked["job"])
            for job in [*(e["job"] for e in published["editions"].values()), draft["job"],
                        *more]:
                assert api.wait_for(job, token, 300)["status"] == "done"
            yield api, book, article, token
        finally:
            end(process)


def _upload(api: Api, token: str, name: str, data: bytes) -> str:
    status, body = api.json("POST", "/api/v1/manuscripts", token, upload=(name, data))
    assert status == 201, body
    ident: str = body["id"]
    return ident


def _feed(api: Api) -> etree._Element:
    status, headers, raw = api.call("GET", "/opds/catalog.xml")
    assert status == 200
    assert headers["content-type"].startswith("application/atom+xml;profile=opds-catalog")
    return etree.fromstring(raw)


def test_the_atom_feed_is_valid_opds_1_2(catalogue: tuple[Api, str, str, str]) -> None:
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "opds1" / "opds.rng")))
    feed = _feed(catalogue[0])
    assert schema.validate(feed), schema.error_log


def test_the_schema_refuses_a_broken_feed(catalogue: tuple[Api, str, str, str]) -> None:
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "opds1" / "opds.rng")))
    feed = _feed(catalogue[0])
    feed.remove(feed.find("atom:id", NS))
    assert not schema.validate(feed)


def test_each_entry_carries_what_a_reading_app_shows(catalogue: tuple[Api, str, str, str],
                                                     ) -> None:
    api = catalogue[0]
    entries = _feed(api).findall("atom:entry", NS)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext("atom:title", namespaces=NS) == "The Light at Skerrow"
    assert entry.findtext("atom:author/atom:name", namespaces=NS) == "Catriona Veale"
    assert entry.findtext("dc:language", namespaces=NS) == "en-GB"
    assert entry.findtext("atom:summary", namespaces=NS).startswith("In the autumn of 1986")
    links = {(link.get("rel"), link.get("type"), link.get("title")): link.get("href")
             for link in entry.findall("atom:link", NS)}
    assert {(OPEN_ACCESS, "application/epub+zip", "EPUB 3"),
            (OPEN_ACCESS, "application/pdf", "Print PDF"),
            (OPEN_ACCESS, "application/pdf", LARGE),
            (OPEN_ACCESS, "application/x-pef+xml", "Braille PEF, 40 cells by 25 lines, grade 2"),
            ("http://opds-spec.org/image", "image/png", None),
            ("http://opds-spec.org/image/thumbnail", "image/png", None)} == set(links)  # no site
    modes = [m.text for m in entry.findall("schema:accessMode", NS)]
    features = [f.text for f in entry.findall("schema:accessibilityFeature", NS)]
    assert "textual" in modes and "tableOfContents" in features
    assert entry.findtext("schema:accessibilitySummary", namespaces=NS)
    large = links[(OPEN_ACCESS, "application/pdf", LARGE)]
    status, headers, data = api.call("GET", large.removeprefix(api.base))
    assert status == 200 and data.startswith(b"%PDF")
    assert headers["content-disposition"].endswith('large-print-18pt.pdf"')  # the default
    status, headers, cover = api.call("GET", links[("http://opds-spec.org/image", "image/png",
                                                    None)].removeprefix(api.base))
    assert status == 200 and cover.startswith(b"\x89PNG")


def _python_patterns(node: Any) -> Any:
    """A schema with its ECMA-262 named groups `(?<name>` spelt as Python's `(?P<name>`,
    which `jsonschema` matches with: the same regular expressions in Python's dialect."""
    def spelt(pattern: str) -> str:
        return re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", pattern)

    if isinstance(node, list):
        return [_python_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    found = {}
    for key, value in node.items():
        if key == "pattern" and isinstance(value, str):
            found[key] = spelt(value)
        elif key == "patternProperties" and isinstance(value, dict):
            found[key] = {spelt(k): _python_patterns(v) for k, v in value.items()}
        else:
            found[key] = _python_patterns(value)
    return found


def _validator() -> Draft7Validator:
    """The OPDS 2.0 feed schema, its references resolved to the vendored files."""
    resources = []
    for path in sorted((SCHEMAS / "opds2").rglob("*.schema.json")):
        contents = _python_patterns(json.loads(path.read_text()))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry: Registry[Any] = Registry().with_resources(resources)
    feed = _python_patterns(json.loads((SCHEMAS / "opds2" / "opds" / "feed.schema.json")
                                       .read_text()))
    return Draft7Validator(feed, registry=registry)


def test_the_json_feed_is_valid_opds_2(catalogue: tuple[Api, str, str, str]) -> None:
    status, headers, raw = catalogue[0].call("GET", "/opds/catalog.json")
    assert status == 200 and headers["content-type"] == "application/opds+json"
    feed = json.loads(raw)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in
                _validator().iter_errors(feed)]
    assert problems == []
    (publication,) = feed["publications"]
    metadata = publication["metadata"]
    assert (metadata["title"], metadata["language"], metadata["author"]) == (
        "The Light at Skerrow", "en-GB", ["Catriona Veale"])
    assert "textual" in metadata["accessibility"]["accessMode"]
    assert metadata["accessibility"]["summary"]
    assert {link["type"] for link in publication["links"]} == {
        "application/epub+zip", "application/pdf", "application/x-pef+xml"}
    assert publication["images"][0]["type"] == "image/png"


def test_the_schema_refuses_a_publication_without_acquisition_link(
        catalogue: tuple[Api, str, str, str]) -> None:
    feed = json.loads(catalogue[0].call("GET", "/opds/catalog.json")[2])
    for link in feed["publications"][0]["links"]:
        link["rel"] = "alternate"
    assert list(_validator().iter_errors(feed))


def test_a_draft_is_absent_and_its_files_are_not_public(
        catalogue: tuple[Api, str, str, str]) -> None:
    api, _book, article, token = catalogue
    assert "Work to begin" not in api.call("GET", "/opds/catalog.xml")[2].decode()
    assert "Work to begin" not in api.call("GET", "/opds/catalog.json")[2].decode()
    status, state = api.json("POST", f"/api/v1/manuscripts/{article}/editions", token,
                             {"edition": "epub"})
    assert (status, state["status"]) == (200, "done")
    assert api.call("GET", state["download"], token)[0] == 200
    assert api.call("GET", state["download"].replace("/api/v1/", "/opds/"))[0] == 404


@pytest.fixture(scope="module")
def validators() -> Path:
    """EPUBCheck must be installed: missing, the test fails, it never skips."""
    found = locate("epubcheck")
    assert found is not None, f"epubcheck not found: {INSTALL_HINT}"
    return found


def test_the_epub_link_downloads_a_file_that_passes_epubcheck(
        catalogue: tuple[Api, str, str, str], validators: Path, tmp_path: Path) -> None:
    api = catalogue[0]
    entry = _feed(api).find("atom:entry", NS)
    href = entry.find("atom:link[@type='application/epub+zip']", NS).get("href")
    status, _headers, data = api.call("GET", href.removeprefix(api.base))  # no token
    assert status == 200
    (tmp_path / "book.epub").write_bytes(data)
    checked = subprocess.run([str(validators), str(tmp_path / "book.epub")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def report(api: Api, ident: str, token: str, accept: str = "application/json",
           ) -> tuple[dict[str, str], bytes]:
    """The report once a worker has run the check (202 with Retry-After until then)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        request = urllib.request.Request(f"{api.base}/api/v1/manuscripts/{ident}/report",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Accept": accept})
        with urllib.request.urlopen(request, timeout=30) as answer:
            if answer.status == 200:
                return dict(answer.headers), answer.read()
            assert answer.status == 202 and int(answer.headers["Retry-After"]) > 0
        time.sleep(1)
    pytest.fail("the report was not ready within 300 s")


def test_the_report_covers_the_built_editions_as_json_and_html(
        catalogue: tuple[Api, str, str, str]) -> None:
    api, book, _article, token = catalogue
    _headers, raw = report(api, book, token)
    found = json.loads(raw)
    assert sorted(found["files"]) == ["lighthouse-large-print.pdf", "lighthouse-web.zip",
                                      "lighthouse.epub", "lighthouse.pdf", "lighthouse.pef"]
    assert {run["tool"] for run in found["runs"]} >= {"epubcheck", "parity"}
    headers, page = report(api, book, token, "text/html")
    assert headers["content-type"].startswith("text/html")
    assert b"<h1>Accessibility check: " in page
