"""The `publish` command: argument parsing, progress and messages, no tracebacks."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from publish import __version__
from publish.build import Outcome, Stopped, Workers, build
from publish.cache import BuildCache
from publish.check import command as check_command
from publish.check.report import to_xhtml
from publish.editions import EDITIONS
from publish.errors import ManuscriptError
from publish.lint import command as lint_command
from publish.model import Book
from publish.options import MAX_LARGE_PRINT_PT, MIN_LARGE_PRINT_PT, Options
from publish.profiles import DEFAULT_PROFILE, PROFILES
from publish.progress import Progress
from publish.readers import read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publish", description=__doc__)
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the editions of a manuscript")
    build_cmd.add_argument("source", type=Path, help="a Markdown file or a book folder")
    build_cmd.add_argument("-o", "--outdir", type=Path, default=Path("build"),
                           help="where the editions are written (default: build/)")
    build_cmd.add_argument("--edition", action="append", choices=list(EDITIONS),
                           help="an edition to build; repeat for several (default: all)")
    build_cmd.add_argument("--size", type=float, default=None, metavar="PT",
                           help=f"large-print body size in points, {MIN_LARGE_PRINT_PT:g}-"
                                f"{MAX_LARGE_PRINT_PT:g} (default: the profile's, 18)")
    build_cmd.add_argument("--profile", choices=list(PROFILES), default=DEFAULT_PROFILE,
                           help="large-print guidance to follow: "
                                + "; ".join(f"{p.name}: {p.source}" for p in PROFILES.values())
                                + f" (default: {DEFAULT_PROFILE})")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    build_cmd.add_argument("--fresh", action="store_true",
                           help="render every edition even if nothing it is made from changed")
    build_cmd.add_argument("--debug", action="store_true",
                           help="print the whole traceback of an unexpected error")
    build_cmd.add_argument("--check", action="store_true",
                           help="check the editions once built, as `publish check` does")
    lint_command.add_ignore(build_cmd)
    lint_command.add_parser(commands)
    check_command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit code is 0 only when every asked edition was written."""
    args = _parser().parse_args(argv)
    _setup_logging(args.quiet)
    if args.command != "build":
        return _run_other(args)
    try:
        options = Options.requested(args.size, args.profile)
    except ValueError as error:
        print(f"publish: error: {error}", file=sys.stderr)
        return 2
    try:
        return _build(args, options)
    except ManuscriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("publish: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: one clear line, the traceback kept
        _report_bug(args, [("publish", "".join(traceback.format_exception(error)))])
        print(f"publish: internal error: {_one_line(error)}", file=sys.stderr)
        return 70


def _run_other(args: argparse.Namespace) -> int:
    """`lint` and `check`, with manuscript errors reported as for `build`."""
    run = lint_command.run if args.command == "lint" else check_command.run
    try:
        return run(args)
    except ManuscriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace, options: Options) -> int:
    """Lint while the editions render (the lint of a novel takes a second the workers can
    use); lint errors stop the build before any file is written."""
    def gate() -> bool:
        return lint_command.gate(args.source, args.ignore, args.quiet)

    with Workers().warm() as workers:  # they load the renderers while the manuscript is read
        try:
            book = read(args.source)
        except ManuscriptError:
            if not gate():  # the lint findings first, as when the manuscript reads well
                return 1
            raise
        names = args.edition or list(EDITIONS)
        with Progress(names, enabled=not args.quiet and sys.stderr.isatty()) as progress:
            try:
                outcomes = build(book, args.outdir, names, options, listener=progress.update,
                                 fresh=args.fresh, gate=gate, workers=workers)
            except Stopped:
                return 1
    for outcome in outcomes:
        _report(outcome, args.quiet)
    _report_bug(args, [(o.edition, o.trace) for o in outcomes if o.trace])
    if not all(outcome.ok for outcome in outcomes):
        return 1
    if args.check:
        return _check(book, args, options, outcomes)
    return 0


def _check(book: Book, args: argparse.Namespace, options: Options,
           outcomes: list[Outcome]) -> int:
    """Check what was built; then, if the book asks, put the report in its EPUB and check
    that EPUB again."""
    status, reports = check_command.after_build([o.path for o in outcomes],
                                                options.large_print_size, args.quiet)
    certification = book.metadata.certification
    carrier = next((o for o in outcomes if EDITIONS[o.edition].certifiable), None)
    if status or carrier is None or certification is None or not certification.report:
        return status
    report = next(r for r in reports if carrier.path in r.files)
    carrying = replace(options, certifier_report=to_xhtml(report))
    outcome = build(book, args.outdir, [carrier.edition], carrying)[0]
    _report(outcome, args.quiet)
    if not outcome.ok:
        return 1
    return check_command.recheck_edition(carrier.path, carrier.edition,
                                          options.large_print_size, args.quiet)


def _report_bug(args: argparse.Namespace, traces: list[tuple[str, str]]) -> None:
    """Keep unexpected errors' tracebacks in the output folder's cache, and print them with
    `--debug`; a user without it sees where they are."""
    if not traces:
        return
    text = "".join(f"== {where}\n{trace}\n" for where, trace in traces)
    if args.debug:
        print(text, file=sys.stderr, end="")
    try:
        path = BuildCache.beside(args.outdir).keep_log(text)
    except OSError as error:
        print(f"publish: could not keep the traceback: {error}", file=sys.stderr)
        return
    if not args.debug:
        print(f"publish: the traceback is in {path} (or rerun with --debug)", file=sys.stderr)


def _one_line(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(error)).strip().splitlines()[-1]


def _report(outcome: Outcome, quiet: bool) -> None:
    if not outcome.ok:
        print(f"{outcome.edition}: failed: {outcome.error}", file=sys.stderr)
    elif outcome.cached and not quiet:
        print(f"{outcome.edition}: unchanged {outcome.path}")
    elif not quiet:
        size = outcome.size / 1024
        redone = "" if outcome.redone is None else \
            f"; laid out again: {', '.join(outcome.redone) or 'nothing'}, the rest reused"
        print(f"{outcome.edition}: wrote {outcome.path} "
              f"({size:,.0f} KiB, {outcome.seconds:.1f} s{redone})")


class _WarningHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Prints our warnings as `warning: ...` lines on whatever standard error is now."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("warning: %(message)s"))

    @property
    def stream(self) -> object:
        """Standard error as it is at the time of writing, even if replaced since."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        """The stream is never fixed at creation."""


def _setup_logging(quiet: bool) -> None:
    logger = logging.getLogger("publish")
    if not any(isinstance(h, _WarningHandler) for h in logger.handlers):
        logger.addHandler(_WarningHandler())
    logger.setLevel(logging.ERROR if quiet else logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
