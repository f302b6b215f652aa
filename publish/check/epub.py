"""EPUB validators: EPUBCheck for conformance, DAISY Ace for accessibility."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.tools import broken, execute, locate, missing, version_of

_EPUBCHECK_SEVERITY = {"FATAL": ERROR, "ERROR": ERROR, "WARNING": WARNING}


def epubcheck(path: Path) -> Run:
    """EPUBCheck's messages; fatal errors and errors fail the check."""
    run = Run("epubcheck", path.name)
    command = locate("epubcheck")
    if command is None:
        return missing(run)
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        report = Path(scratch) / "epubcheck.json"
        started = time.perf_counter()
        result = execute([command, path, "--json", report])
        run.seconds = time.perf_counter() - started
        if not report.is_file() or report.stat().st_size == 0:
            return broken(run, result.stderr or result.stdout)
        data = json.loads(report.read_text("utf-8"))
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
    command = locate("ace")
    if command is None:
        return missing(run)
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        out = Path(scratch) / "ace"
        started = time.perf_counter()
        result = execute([command, "-s", "-f", "-o", out, path])
        run.seconds = time.perf_counter() - started
        report = out / "report.json"
        if not report.is_file():
            return broken(run, result.stderr or result.stdout)
        data = json.loads(report.read_text("utf-8"))
    revision = data.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision")
    run.version = str(revision) if revision else version_of(command, "--version")
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
