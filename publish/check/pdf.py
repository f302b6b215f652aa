"""PDF validators: page-validation for PDF/UA-1 rules, outloud for Matterhorn and WCAG."""

from __future__ import annotations

from pathlib import Path

from publish.check.model import ERROR, WARNING, Issue, Run
from publish.check.tools import broken, run_reporting, version_of

_OUTLOUD_SEVERITY = {"error": ERROR, "warning": WARNING}


def page_validation(path: Path) -> Run:
    """Each failed PDF/UA-1 rule is an error; exit 0 is conformant, 1 is not."""
    run = Run("page-validation", path.name)
    reported = run_reporting(run, lambda command, report: [command, path, report],
                             "page.json", statuses=(0, 1))
    if reported is None:
        return run
    run.version = version_of(reported.command)
    for failure in reported.data.get("failures", []):
        run.issues.append(Issue(path.name, run.tool, ERROR, str(failure.get("rule_id")),
                                str(failure.get("message"))))
    if reported.status == 1 and not run.issues:
        run.issues.append(Issue(path.name, run.tool, ERROR, "NON-CONFORMANT",
                                reported.output.strip().split("\n")[0]))
    return run


def outloud(path: Path) -> Run:
    """outloud's errors fail the check; its warnings are shown; its notes are left out."""
    run = Run("outloud", path.name)
    reported = run_reporting(run, lambda command, report: [command, path, "--json", report, "-q"],
                             "outloud.json", statuses=(0, 1))
    if reported is None:
        return run
    run.version = version_of(reported.command, "--version")
    for checked in reported.data.get("results", []):
        if checked.get("error"):
            return broken(run, str(checked["error"]))
        for finding in checked.get("findings", []):
            severity = _OUTLOUD_SEVERITY.get(str(finding.get("severity")))
            if severity is not None:
                page = finding.get("page")
                run.issues.append(Issue(path.name, run.tool, severity, str(finding.get("rule")),
                                        str(finding.get("message")), f"p. {page}" if page else ""))
    return run
