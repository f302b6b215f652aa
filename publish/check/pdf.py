"""PDF validators: page-validation for PDF/UA-1 rules, outloud for Matterhorn and WCAG."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.tools import (
    broken,
    execute,
    locate,
    missing,
    run_pairs,
    run_reporting,
    version_of,
)

_OUTLOUD_SEVERITY = {"error": ERROR, "warning": WARNING}


def page_validation(path: Path) -> Run:
    """Each failed PDF/UA-1 rule is an error; exit 0 is conformant, 1 is not."""
    run = Run("page-validation", path.name)
    reported = run_reporting(run, lambda command, report: [command, path, report],
                             "page.json", statuses=(0, 1))
    if reported is not None:
        run.version = version_of(reported.command)
        _read_page_validation(run, reported.data)
    return run


def page_validation_all(paths: list[Path]) -> list[Run]:
    """page-validation on many PDFs in one Python start; a run per file, in the order given."""
    runs = [Run("page-validation", path.name) for path in paths]
    command = locate("page-validation")
    version = version_of(command) if command else "unknown"
    for run, data in zip(runs, run_pairs("page-validation", runs, paths), strict=True):
        if data is not None:
            run.version = version
            _read_page_validation(run, data)
    return runs


def _read_page_validation(run: Run, data: dict[str, Any]) -> None:
    """Each failed rule of a report as an error; a non-conformant report names one at least."""
    for failure in data.get("failures", []):
        run.issues.append(Issue(run.file, run.tool, ERROR, str(failure.get("rule_id")),
                                str(failure.get("message"))))
    if data.get("is_compliant") is False and not run.issues:
        rules = data.get("rules", {})
        run.issues.append(Issue(run.file, run.tool, ERROR, "NON-CONFORMANT",
                                f"{rules.get('failed')}/{rules.get('total')} rules failed"))


def outloud(path: Path) -> Run:
    """outloud's errors fail the check; its warnings are shown; its notes are left out."""
    run = Run("outloud", path.name)
    reported = run_reporting(run, lambda command, report: [command, path, "--json", report, "-q"],
                             "outloud.json", statuses=(0, 1))
    if reported is None:
        return run
    run.version = version_of(reported.command, "--version")
    for checked in reported.data.get("results", []):
        _read_outloud(run, checked)
    return run


def outloud_all(paths: list[Path]) -> list[Run]:
    """outloud on many PDFs in one start, one JSON report for all; a run per file, in order."""
    runs = [Run("outloud", path.name) for path in paths]
    command = locate("outloud")
    if command is None:
        return [missing(run) for run in runs]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        report = Path(scratch) / "outloud.json"
        result = execute([command, *paths, "--json", report, "-q"])
        written = result.returncode in (0, 1) and report.is_file() and report.stat().st_size > 0
        results = json.loads(report.read_text("utf-8"))["results"] if written else []
    by_path = {str(checked.get("path")): checked for checked in results}
    version = version_of(command, "--version")
    share = (time.perf_counter() - started) / max(1, len(paths))
    for run, path in zip(runs, paths, strict=True):
        run.seconds, run.version = share, version
        checked = by_path.get(str(path))
        if checked is None:
            broken(run, result.stderr or result.stdout or "no report for this file")
        else:
            _read_outloud(run, checked)
    return runs


def _read_outloud(run: Run, checked: dict[str, Any]) -> None:
    """One file's result in outloud's report: its errors and warnings, or why it could not run."""
    if checked.get("error"):
        broken(run, str(checked["error"]))
        return
    for finding in checked.get("findings", []):
        severity = _OUTLOUD_SEVERITY.get(str(finding.get("severity")))
        if severity is not None:
            page = finding.get("page")
            run.issues.append(Issue(run.file, run.tool, severity, str(finding.get("rule")),
                                    str(finding.get("message")), f"p. {page}" if page else ""))
