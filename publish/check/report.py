"""A check's results three ways: a terminal summary, JSON, and a self-contained HTML page."""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path

from publish import __version__
from publish.check.model import ERROR, Report
from publish.editions import edition_of, stem_of


def terminal(report: Report, verbose: bool = True) -> str:
    """One line per tool run, then each issue (warnings only when `verbose`)."""
    lines = []
    for run in report.runs:
        errors = sum(i.severity == ERROR for i in run.issues)
        warnings = len(run.issues) - errors
        verdict = "ok" if run.ok else "FAIL"
        lines.append(f"{verdict:4} {run.tool:15} {run.file}  ({run.version}, {run.seconds:.1f} s;"
                     f" {errors} error(s), {warnings} warning(s))")
        lines += [f"     {issue.line()}" for issue in run.issues
                  if verbose or issue.severity == ERROR]
    status = "passed" if report.ok else "FAILED"
    lines.append(f"check {status}: {', '.join(f.name for f in report.files) or report.path}")
    return "\n".join(lines)


def to_json(reports: list[Report]) -> str:
    """Every report as JSON, for machines."""
    return json.dumps({"publish": __version__, "ok": all(r.ok for r in reports),
                       "reports": [r.as_dict() for r in reports]}, indent=2)


def html_path(report: Report) -> Path:
    """Where the HTML report goes: `<stem>-report.html` beside the editions."""
    first = report.files[0]
    edition = edition_of(first)
    stem = first.stem if edition is None else stem_of(first, edition)
    return first.parent / f"{stem}-report.html"


def to_html(report: Report) -> str:
    """A self-contained page: verdict, each run with its version and issues, thumbnails."""
    return _page(report, '<html lang="en">', "<h2>First pages</h2>" + _thumbnails(report))


def to_xhtml(report: Report) -> str:
    """The report as an EPUB content document, to carry as the certifier report: the same
    verdict, runs and findings, without the PDF thumbnails."""
    return '<?xml version="1.0" encoding="utf-8"?>\n' + _page(
        report, '<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">', "")


def _page(report: Report, html_tag: str, extra: str) -> str:
    """The report's page, well-formed as XML too (void elements are closed)."""
    title = f"Accessibility check: {escape(', '.join(f.name for f in report.files))}"
    status = "passed" if report.ok else "failed"
    parts = [
        "<!DOCTYPE html>", html_tag, "<head>", '<meta charset="utf-8"/>',
        f"<title>{title}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{title}</h1>", f'<p class="{status}">The check <strong>{status}</strong>: '
        f"{len(report.issues)} finding(s). Made by publish {escape(__version__)}.</p>",
        "<h2>Validators</h2>", _runs_table(report), "<h2>Findings</h2>", _issues_table(report),
        extra, "</body>", "</html>",
    ]
    return "\n".join(parts)


def _table(headers: tuple[str, ...], rows: str) -> str:
    """A report table whose column headers are real `th` cells with a scope."""
    head = "".join(f'<th scope="col">{header}</th>' for header in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _runs_table(report: Report) -> str:
    """Which tools ran, in which version, for how long, with what verdict."""
    rows = "".join(
        f"<tr><td>{escape(run.tool)}</td><td>{escape(run.version)}</td>"
        f"<td>{escape(run.file)}</td><td>{run.seconds:.1f} s</td>"
        f"<td>{'ok' if run.ok else 'failed'}</td></tr>"
        for run in report.runs
    )
    return _table(("Tool", "Version", "File", "Time", "Result"), rows)


def _issues_table(report: Report) -> str:
    """Every finding, errors and warnings alike."""
    if not report.issues:
        return "<p>No findings.</p>"
    rows = "".join(
        f'<tr class="{issue.severity}"><td>{escape(issue.severity)}</td>'
        f"<td>{escape(issue.file)}</td><td>{escape(issue.tool)}</td>"
        f"<td><code>{escape(issue.code)}</code></td><td>{escape(issue.message)}</td>"
        f"<td>{escape(issue.where)}</td></tr>"
        for issue in report.issues
    )
    return _table(("Severity", "File", "Tool", "Code", "Finding", "Where"), rows)


def _thumbnails(report: Report) -> str:
    """The PDFs' first pages, embedded, so the report is one file to pass around."""
    if not report.thumbnails:
        return "<p>No PDF edition was checked.</p>"
    figures = []
    for name, pages in report.thumbnails.items():
        if not pages:
            figures.append(f"<p>{escape(name)}: no thumbnails (pdftoppm not found).</p>")
        for number, png in enumerate(pages, start=1):
            data = base64.b64encode(png).decode("ascii")
            label = escape(f"{name}, page {number}")
            figures.append(f'<figure><img src="data:image/png;base64,{data}" alt="{label}"/>'
                           f"<figcaption>{label}</figcaption></figure>")
    return f'<div class="pages">{"".join(figures)}</div>'


_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem; max-width: 80rem; color: #111; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
tr.error td:first-child, .failed strong { color: #a00000; font-weight: bold; }
.passed strong { color: #006400; }
.pages { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figure img { border: 1px solid #999; }
"""
