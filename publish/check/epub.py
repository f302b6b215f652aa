"""EPUB validators: EPUBCheck for conformance, DAISY Ace for accessibility."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.tools import run_reporting, version_of

_EPUBCHECK_SEVERITY = {"FATAL": ERROR, "ERROR": ERROR, "WARNING": WARNING}


def epubcheck(path: Path) -> Run:
    """EPUBCheck's messages; fatal errors and errors fail the check."""
    run = Run("epubcheck", path.name)
    reported = run_reporting(run, lambda command, report: [command, path, "--json", report],
                             "epubcheck.json")
    if reported is None:
        return run
    data = reported.data
    run.version = str(data.get("checker", {}).get("checkerVersion", "unknown"))
    for message in data.get("messages", []):
        severity = _EPUBCHECK_SEVERITY.get(str(message.get("severity")))
        if severity is not None:
            run.issues.append(Issue(path.name, run.tool, severity, str(message.get("ID")),
                                    str(message.get("message")), _location(message)))
    return run


def _location(message: dict[str, Any]) -> str:
    """`EPUB/nav.xhtml:27`: where in the package EPUBCheck saw the problem first."""
    locations = message.get("locations") or []
    if not locations:
        return ""
    first = locations[0]
    return f"{first.get('path')}:{first.get('line')}" if first.get("line", -1) > 0 \
        else str(first.get("path"))


def ace(path: Path) -> Run:
    """Ace's violations, each an error as Ace itself fails the book for any of them."""
    run = Run("ace", path.name)
    reported = run_reporting(
        run, lambda command, report: [command, "-s", "-f", "-o", report.parent, path],
        "ace/report.json", tries=2)  # seen writing no report once in a while: try again
    if reported is None:
        return run
    data = reported.data
    revision = data.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision")
    run.version = str(revision) if revision else version_of(reported.command, "--version")
    run.issues.extend(_ace_issues(data, path.name))
    return run


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
