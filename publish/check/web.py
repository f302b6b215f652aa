"""Web edition checks: the Nu HTML Checker on every page, and the site's own structure
(every page reached in order, links that resolve, nothing loaded from the network)."""

from __future__ import annotations

import json
import posixpath
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from publish import __version__
from publish.check.model import ERROR, Issue, Run
from publish.check.tools import broken, execute, locate, missing, version_of
from publish.check.webtree import INDEX, page_order, strings

_LOADS = ("//link[@rel='stylesheet']/@href", "//script/@src", "//img/@src")


def nu_checker(path: Path) -> Run:
    """vnu's errors on every HTML page of the site; its warnings are left out."""
    run = Run("vnu", path.name)
    command = locate("vnu")
    if command is None:
        return missing(run)
    run.version = version_of(command, "--version")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        pages = _pages_on_disk(path, Path(scratch))
        result = execute([command, "--format", "json", "--errors-only", *pages])
    run.seconds = time.perf_counter() - started
    try:
        messages = json.loads(result.stderr or result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        return broken(run, result.stderr or result.stdout)
    for message in messages:
        where = f"{Path(unquote(urlsplit(message.get('url', '')).path)).name}:" \
                f"{message.get('lastLine', '')}"
        run.issues.append(Issue(path.name, run.tool, ERROR, "vnu", str(message.get("message")),
                                where))
    return run


def _pages_on_disk(path: Path, scratch: Path) -> list[Path]:
    """The site's pages as files vnu can read: the folder's own, or the zip's unpacked."""
    if path.is_dir():
        return sorted(path.glob("*.html"))
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.endswith(".html") and "/" not in n]
        for name in names:
            (scratch / name).write_bytes(archive.read(name))
    return [scratch / name for name in names]


def structure(path: Path) -> Run:
    """S001-S004: every page in the reading order, links inside the site that resolve,
    nothing loaded from outside it, a language and one `main` on every page."""
    run = Run("web-structure", path.name, __version__)
    files = _site(path)
    pages = {name: data for name, data in files.items() if name.endswith(".html")}
    order = page_order(pages)
    if INDEX not in pages:
        run.issues.append(Issue(path.name, run.tool, ERROR, "S001", "the site has no index.html"))
        return run
    unread = sorted(set(pages) - set(order))
    if unread:
        run.issues.append(Issue(path.name, run.tool, ERROR, "S001", "pages outside the "
                                f"previous/next reading order: {', '.join(unread)}"))
    for name, data in pages.items():
        run.issues.extend(_page_issues(path.name, run.tool, name, data, files))
    return run


def _site(path: Path) -> dict[str, bytes]:
    """Every file of the site by its path inside the site."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*")
                if p.is_file()}
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if not name.endswith("/")}


def _page_issues(file: str, tool: str, name: str, data: bytes,
                 files: dict[str, bytes]) -> list[Issue]:
    """What is wrong with one page of the site."""
    document = lxml_html.document_fromstring(data)
    issues = []
    if not document.get("lang"):
        issues.append(Issue(file, tool, ERROR, "S004", "the page has no language", name))
    if len(document.findall(".//main")) != 1:
        issues.append(Issue(file, tool, ERROR, "S004", "the page needs exactly one main", name))
    ids = {name: set(strings(document, "//@id"))}
    for href in strings(document, "//a/@href"):
        problem = _link_problem(href, name, files, ids)
        if problem:
            issues.append(Issue(file, tool, ERROR, "S002", problem, name))
    for source in (s for expression in _LOADS for s in strings(document, expression)):
        parts = urlsplit(source)
        if parts.scheme or parts.netloc or _resolve(name, parts.path) not in files:
            issues.append(Issue(file, tool, ERROR, "S003", f"loads '{source}', which is not "
                                "a file of the site", name))
    return issues


def _resolve(page: str, target: str) -> str:
    """A relative URL path as a path inside the site."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(target)))


def _link_problem(href: str, page: str, files: dict[str, bytes],
                  ids: dict[str, set[str]]) -> str | None:
    """Why a link inside the site goes nowhere, if it does; links to the web are the
    manuscript's own and are left alone."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = _resolve(page, parts.path) if parts.path else page
    if target not in files:
        return f"link '{href}' leads to no file of the site"
    if parts.fragment and target.endswith(".html"):
        if target not in ids:
            ids[target] = set(strings(lxml_html.document_fromstring(files[target]), "//@id"))
        if unquote(parts.fragment) not in ids[target]:
            return f"link '{href}' leads to no such place"
    return None
