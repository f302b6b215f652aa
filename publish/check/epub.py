"""EPUB validators: EPUBCheck for conformance, DAISY Ace for accessibility."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.tools import run_pairs, run_reporting, version_of

_EPUBCHECK_SEVERITY = {"FATAL": ERROR, "ERROR": ERROR, "WARNING": WARNING}


def epubcheck(path: Path) -> Run:
    """EPUBCheck's messages; fatal errors and errors fail the check. One book is a batch of
    one: the same report, and a warm EPUBCheck (`epubcheck-batch --serve`) can take it."""
    return epubcheck_all([path])[0]


def epubcheck_all(paths: list[Path]) -> list[Run]:
    """EPUBCheck on many books in one Java start (`epubcheck-batch`): its schemas load once,
    not once a book (5 s of CPU each); a run per book, in the order given."""
    runs = [Run("epubcheck", path.name) for path in paths]
    for run, data in zip(runs, run_pairs("epubcheck-batch", runs, paths), strict=True):
        if data is not None:
            _read_epubcheck(run, data)
    return runs


def _read_epubcheck(run: Run, data: dict[str, Any]) -> None:
    """A run's version and issues from EPUBCheck's JSON report."""
    run.version = str(data.get("checker", {}).get("checkerVersion", "unknown"))
    for message in data.get("messages", []):
        severity = _EPUBCHECK_SEVERITY.get(str(message.get("severity")))
        if severity is not None:
            run.issues.append(Issue(run.file, run.tool, severity, str(message.get("ID")),
                                    str(message.get("message")), _location(message)))


def _location(message: dict[str, Any]) -> str:
    """`EPUB/nav.xhtml:27`: where in the package EPUBCheck saw the problem first."""
    locations = message.get("locations") or []
    if not locations:
        return ""
    first = locations[0]
    return f"{first.get('path')}:{first.get('line')}" if first.get("line", -1) > 0 \
        else str(first.get("path"))


def ace_all(paths: list[Path]) -> list[Run]:
    """Ace on many books (`ace-batch`: one Node and one browser for a share of the books,
    two shares side by side); a book that got no report is checked again alone."""
    shares = [paths[start::2] for start in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        checked = dict(zip(paths[0::2] + paths[1::2],
                           (run for share in pool.map(_ace_share, shares) for run in share),
                           strict=True))
    return [ace(path) if checked[path].issues and checked[path].issues[0].code == "C002"
            else checked[path] for path in paths]


def _ace_share(paths: list[Path]) -> list[Run]:
    """Ace on a share of the books in one `ace-batch` start."""
    runs = [Run("ace", path.name) for path in paths]
    if not paths:
        return runs
    for run, data in zip(runs, run_pairs("ace-batch", runs, paths, "report.json"), strict=True):
        if data is not None:
            run.version = _ace_version(data) or run.version
            run.issues.extend(_ace_issues(data, run.file))
    return runs


def ace(path: Path) -> Run:
    """Ace's violations, each an error as Ace itself fails the book for any of them."""
    run = Run("ace", path.name)
    reported = run_reporting(
        run, lambda command, report: [command, "-s", "-f", "-o", report.parent, path],
        "ace/report.json", tries=2)  # seen writing no report once in a while: try again
    if reported is None:
        return run
    data = reported.data
    run.version = _ace_version(data) or version_of(reported.command, "--version")
    run.issues.extend(_ace_issues(data, path.name))
    return run


def _ace_version(data: dict[str, Any]) -> str:
    revision = data.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision")
    return str(revision) if revision else ""


def _ace_issues(data: dict[str, Any], name: str) -> list[Issue]:
    """One issue per failed assertion of Ace's EARL report, its impact in the message."""
    issues = []
    for document in data.get("assertions", []):
        url = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            result = assertion.get("earl:result", {})
            if result.get("earl:outcome") != "fail":
                continue
            test = assertion.get("earl:test", {})
            description = result.get("dct:description", "").split("\n")[0]
            issues.append(Issue(name, "ace", ERROR, str(test.get("dct:title")),
                                f"[{test.get('earl:impact')}] {description}", str(url)))
    return issues
