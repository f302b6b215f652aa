"""The `publish lint` subcommand, and the lint gate `publish build` passes first (the
command line declares their arguments: importing this module loads the whole lint)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from publish.lint import ERROR, Finding, lint, summary
from publish.model import Book

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def run(args: argparse.Namespace) -> int:
    """Print the findings; exit 1 when any is an error."""
    findings = lint(args.source, args.ignore)
    show(findings, args.quiet, sys.stdout)
    return 1 if any(f.severity == ERROR for f in findings) else 0


def gate(source: Path, ignore: list[str], quiet: bool, stream: SupportsWrite[str] | None = None,
         book: Book | None = None) -> bool:
    """Lint before a build (of `book`, when it read): warnings are printed (on `stream`,
    standard error by default, so the build can keep them for an unchanged rebuild to say
    again), errors stop the build."""
    findings = lint(source, ignore, book)
    show(findings, quiet, stream or sys.stderr)
    if any(f.severity == ERROR for f in findings):
        print("build stopped: fix the lint errors above, or silence a rule with --ignore CODE",
              file=sys.stderr)
        return False
    return True


def show(findings: list[Finding], quiet: bool, stream: SupportsWrite[str]) -> None:
    """One `file:line: CODE message` line per finding, then the counts."""
    shown = [f for f in findings if not quiet or f.severity == ERROR]
    for finding in shown:
        print(finding.format(Path.cwd()), file=stream)
    if shown:
        print(summary(findings), file=stream)
