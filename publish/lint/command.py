"""The `publish lint` subcommand, and the lint gate `publish build` passes first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from publish.lint import ERROR, Finding, lint, summary


def add_parser(commands: Any) -> None:
    """Add `lint` to the command line's subcommands."""
    cmd = commands.add_parser("lint", help="find accessibility and hygiene problems in a "
                              "manuscript, without rendering it")
    cmd.add_argument("source", type=Path, help="a Markdown file or a book folder")
    add_ignore(cmd)
    cmd.add_argument("-q", "--quiet", action="store_true", help="print only errors")


def add_ignore(cmd: argparse.ArgumentParser) -> None:
    """The `--ignore CODE` option, shared by `lint` and `build`."""
    cmd.add_argument("--ignore", action="append", default=[], metavar="CODE",
                     help="a lint rule to silence (docs/lint-codes.md); repeat for several")


def run(args: argparse.Namespace) -> int:
    """Print the findings; exit 1 when any is an error."""
    findings = lint(args.source, args.ignore)
    show(findings, args.quiet, sys.stdout)
    return 1 if any(f.severity == ERROR for f in findings) else 0


def gate(source: Path, ignore: list[str], quiet: bool) -> bool:
    """Lint before a build: warnings are printed, errors stop the build."""
    findings = lint(source, ignore)
    show(findings, quiet, sys.stderr)
    if any(f.severity == ERROR for f in findings):
        print("build stopped: fix the lint errors above, or silence a rule with --ignore CODE",
              file=sys.stderr)
        return False
    return True


def show(findings: list[Finding], quiet: bool, stream: TextIO) -> None:
    """One `file:line: CODE message` line per finding, then the counts."""
    shown = [f for f in findings if not quiet or f.severity == ERROR]
    for finding in shown:
        print(finding.format(Path.cwd()), file=stream)
    if shown:
        print(summary(findings), file=stream)
