"""A conformance claim only when the book names its certifier, and the check report carried
in the EPUB as the certifier report when the book asks for it."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publish.cli import main
from publish.epub.render import REPORT_NAME, render_epub
from publish.errors import ManuscriptError
from publish.model import CONFORMANCE
from publish.options import Options
from publish.readers import read

NS = {"opf": "http://www.idpf.org/2007/opf"}
HEAD = "---\ntitle: Certified\nlanguage: en-GB\nauthor: Ada Lane\n"
BODY = "---\n# One\n\nA first chapter with a few words in it.\n"
UNPAGED = Options(print_pages=())


def opf(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("EPUB/content.opf"))


def claims(package: etree._Element) -> dict[str, str]:
    """Conformance and certifier properties of a package document."""
    metas = package.xpath("//opf:meta[starts-with(@property, 'a11y:') or "
                          "@property='dcterms:conformsTo']", namespaces=NS)
    return {m.get("property"): m.text for m in metas}


def test_no_claim_without_a_named_certifier(write) -> None:
    book = read(write("book.md", HEAD + BODY))
    assert book.metadata.certification is None
    assert claims(opf(render_epub(book, UNPAGED))) == {}


def test_claim_names_certifier_and_credential(write) -> None:
    book = read(write("book.md", HEAD + "accessibility:\n  certified-by: Harbour Desk\n"
                      "  credential: Trained assessor\n" + BODY))
    package = opf(render_epub(book, UNPAGED))
    assert claims(package) == {"dcterms:conformsTo": CONFORMANCE,
                               "a11y:certifiedBy": "Harbour Desk",
                               "a11y:certifierCredential": "Trained assessor"}
    assert not package.xpath("//opf:link", namespaces=NS)


def test_report_asked_without_a_check_is_a_warning_not_a_dangling_link(
    write, caplog: pytest.LogCaptureFixture,
) -> None:
    book = read(write("book.md", HEAD + "accessibility:\n  certified-by: Desk\n"
                      "  report: true\n" + BODY))
    with caplog.at_level(logging.WARNING, logger="publish"):
        package = opf(render_epub(book, UNPAGED))
    assert "build with --check" in caplog.text
    assert not package.xpath("//opf:link", namespaces=NS)


@pytest.mark.parametrize(("settings", "line", "message"), [
    ("accessibility:\n  report: true\n", 5, "needs 'certified-by'"),
    ("accessibility:\n  certified-by: D\n  certifier: D\n", 7, "unknown accessibility setting"),
    ("accessibility:\n  certified-by: D\n  report: yes please\n", 7, "true or false"),
])
def test_bad_settings_are_located(write, settings: str, line: int, message: str) -> None:
    path = write("book.md", HEAD + settings + BODY)
    with pytest.raises(ManuscriptError) as caught:
        read(path)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert message in str(caught.value)


@pytest.mark.validators
def test_build_check_carries_the_report_and_stays_valid(write, tmp_path: Path) -> None:
    source = write("book.md", HEAD + "accessibility:\n  certified-by: Harbour Desk\n"
                   "  report: true\n" + BODY)
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-q", "--check"]) == 0  # checked twice
    data = (out / "book.epub").read_bytes()
    package = opf(data)
    link = package.xpath("//opf:link[@rel='a11y:certifierReport']", namespaces=NS)[0]
    assert link.get("href") == REPORT_NAME and link.get("refines") == "#certifier"
    assert not package.xpath(f"//opf:item[@href='{REPORT_NAME}']", namespaces=NS)
    report = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(f"EPUB/{REPORT_NAME}"))
    text = "".join(report.itertext())
    assert "The check passed" in text and "epubcheck" in text and "outloud" in text
