"""PDF validators: page-validation for PDF/UA-1 rules, outloud for Matterhorn and WCAG."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.tools import broken, execute, locate, missing, version_of

_OUTLOUD_SEVERITY = {"error": ERROR, "warning": WARNING}


def page_validation(path: Path) -> Run:
    """Each failed PDF/UA-1 rule is an error; exit 0 is conformant, 1 is not."""
    run = Run("page-validation", path.name)
    command = locate("page-validation")
    if command is None:
        return missing(run)
    run.version = version_of(command)
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        report = Path(scratch) / "page.json"
        started = time.perf_counter()
        result = execute([command, path, report])
        run.seconds = time.perf_counter() - started
        if result.returncode not in (0, 1) or not report.is_file():
            return broken(run, result.stderr or result.stdout)
        data = json.loads(report.read_text("utf-8"))
    for failure in data.get("failures", []):
        run.issues.append(Issue(path.name, run.tool, ERROR, str(failure.get("rule_id")),
                                str(failure.get("message"))))
    if result.returncode == 1 and not run.issues:
        run.issues.append(Issue(path.name, run.tool, ERROR, "NON-CONFORMANT",
                                result.stdout.strip().split("\n")[0]))
    return run


def outloud(path: Path) -> Run:
    """outloud's errors fail the check; its warnings are shown; its notes are left out."""
    run = Run("outloud", path.name)
    command = locate("outloud")
    if command is None:
        return missing(run)
    run.version = version_of(command, "--version")
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        report = Path(scratch) / "outloud.json"
        started = time.perf_counter()
        result = execute([command, path, "--json", report, "-q"])
        run.seconds = time.perf_counter() - started
        if result.returncode not in (0, 1) or not report.is_file():
            return broken(run, result.stderr or result.stdout)
        data = json.loads(report.read_text("utf-8"))
    for checked in data.get("results", []):
        if checked.get("error"):
            return broken(run, str(checked["error"]))
        for finding in checked.get("findings", []):
            severity = _OUTLOUD_SEVERITY.get(str(finding.get("severity")))
            if severity is not None:
                page = finding.get("page")
                run.issues.append(Issue(path.name, run.tool, severity, str(finding.get("rule")),
                                        str(finding.get("message")), f"p. {page}" if page else ""))
    return run
