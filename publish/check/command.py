"""The `publish check` subcommand, and the check `publish build --check` runs after building
(the command line declares its arguments: importing this module loads every validator)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from publish.check import Report, check, check_files, recheck
from publish.check.report import html_path, terminal, to_html, to_json


def run(args: argparse.Namespace) -> int:
    """Check, report, and exit 1 when any validator or the parity check found an error."""
    if not args.path.exists():
        print(f"error: {args.path}: no such file or folder", file=sys.stderr)
        return 2
    reports = check(args.path, args.size)
    return publish_reports(reports, args.json, args.quiet, html=not args.no_html)


def after_build(files: list[Path], size: float, quiet: bool) -> tuple[int, list[Report]]:
    """`build --check`: check exactly the files just written."""
    reports = check_files(files, size)
    return publish_reports(reports, as_json=False, quiet=quiet, html=True), reports


def recheck_edition(file: Path, edition: str, size: float, quiet: bool) -> int:
    """Validate an edition again once it carries its certifier report."""
    report = recheck(file, edition, size)
    print(terminal(report, verbose=not quiet))
    return 0 if report.ok else 1


def publish_reports(reports: list[Report], as_json: bool, quiet: bool, html: bool) -> int:
    """Print the reports, write the HTML pages, and turn the verdict into an exit status."""
    if as_json:
        print(to_json(reports))
    for report in reports:
        if html and report.files:
            target = html_path(report)
            target.write_text(to_html(report), encoding="utf-8")
            report_line = f"report: {target}"
        else:
            report_line = ""
        if not as_json:
            print(terminal(report, verbose=not quiet))
            if report_line and not quiet:
                print(report_line)
    return 0 if all(report.ok for report in reports) else 1
