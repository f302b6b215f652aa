"""The `publish` command: argument parsing, progress and messages, no tracebacks."""

# Only what parsing the command line needs is imported here: each command imports its own
# modules when it runs, so `--help` and `lint` load no renderer and an unchanged rebuild
# no reader, lint or layout code (tests/test_quick_start.py keeps it so).
from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from publish import __version__
from publish.daemon import client as daemon
from publish.daemon import command as daemon_command
from publish.editions import EDITIONS, left_out
from publish.errors import NOTICE, BuildError, ManuscriptError
from publish.options import (
    BRAILLE_CELLS,
    BRAILLE_LINES,
    MAX_LARGE_PRINT_PT,
    MIN_LARGE_PRINT_PT,
    Options,
)
from publish.profiles import DEFAULT_PROFILE, PROFILES
from publish.service import commands as service

if TYPE_CHECKING:
    from publish.build import Outcome
    from publish.model import Book
    from publish.quick import Request


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
    build_cmd.add_argument("--cells", type=int, default=40, metavar="N",
                           help=f"braille cells per line, {BRAILLE_CELLS[0]}-{BRAILLE_CELLS[1]} "
                                "(default: 40)")
    build_cmd.add_argument("--lines", type=int, default=25, metavar="N",
                           help=f"braille lines per page, {BRAILLE_LINES[0]}-{BRAILLE_LINES[1]} "
                                "(default: 25)")
    build_cmd.add_argument("--braille-grade", type=int, default=2, metavar="N",
                           help="braille grade: 2 contracted, 1 uncontracted (default: 2)")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    build_cmd.add_argument("--fresh", action="store_true",
                           help="render every edition even if nothing it is made from changed")
    build_cmd.add_argument("--debug", action="store_true",
                           help="print the whole traceback of an unexpected error")
    build_cmd.add_argument("--check", action="store_true",
                           help="check the editions once built, as `publish check` does")
    build_cmd.add_argument("--no-daemon", action="store_true",
                           help="build in this process, not in the warm build server "
                                "(PUBLISH_DAEMON=0 does the same; see `publish daemon`)")
    _add_ignore(build_cmd)
    lint_cmd = commands.add_parser("lint", help="find accessibility and hygiene problems in a "
                                   "manuscript, without rendering it")
    lint_cmd.add_argument("source", type=Path, help="a Markdown file or a book folder")
    _add_ignore(lint_cmd)
    lint_cmd.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    check_cmd = commands.add_parser("check", help="validate built editions (EPUBCheck, Ace, "
                                    "page-validation, outloud, large print) and compare them")
    check_cmd.add_argument("path", type=Path, help="a build folder, one edition's file, or a "
                           "web edition's folder")
    check_cmd.add_argument("--size", type=float, default=18.0, metavar="PT",
                           help="the large-print size no glyph may be smaller than "
                                "(default: 18)")
    check_cmd.add_argument("--json", action="store_true", help="print the results as JSON")
    check_cmd.add_argument("--no-html", action="store_true",
                           help="do not write the <stem>-report.html report")
    check_cmd.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    service.add_parsers(commands)  # serve, worker, token: declared here, imported when run
    daemon_command.add_parser(commands)
    return parser


def _add_ignore(cmd: argparse.ArgumentParser) -> None:
    """The `--ignore CODE` option, shared by `lint` and `build`."""
    cmd.add_argument("--ignore", action="append", default=[], metavar="CODE",
                     help="a lint rule to silence (docs/lint-codes.md); repeat for several")


def main(argv: Sequence[str] | None = None, hand_over: bool = True) -> int:
    """Run the command line; the exit code is 0 only when every asked edition was written.
    A build goes to the user's warm build server when one runs (`hand_over`: this is not
    that server's own child), and a build done here starts one for the next."""
    args = _parser().parse_args(argv)
    _setup_logging(getattr(args, "quiet", False))
    if args.command in ("serve", "worker", "token"):
        return service.run(args)
    if args.command == "daemon":
        return daemon_command.run(args)
    if args.command != "build":
        return _run_other(args)
    try:
        options = Options.requested(args.size, args.profile, args.cells, args.lines,
                                    args.braille_grade)
    except ValueError as error:
        print(f"publish: error: {error}", file=sys.stderr)
        return 2
    if hand_over and daemon.usable(args.no_daemon):
        code = daemon.hand_over(sys.argv[1:] if argv is None else list(argv))
        if code is not None:
            return code
    try:
        with _terminate_as_interrupt():
            return _build(args, options, hand_over and daemon.starts_itself(args.no_daemon))
    except ManuscriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        print(f"publish: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        print("publish: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 143 if isinstance(interrupt, _Terminated) else 130
    except Exception as error:  # a bug of ours: one clear line, the traceback kept
        _report_bug(args, [("publish", "".join(traceback.format_exception(error)))])
        print(f"publish: internal error: {_one_line(error)}", file=sys.stderr)
        return 70


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the build is, so it unwinds as from Ctrl-C."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While building, SIGTERM (a `timeout`, a stopping service) ends the workers and
    leaves the outputs as Ctrl-C does, instead of killing this process and orphaning them
    (they went on rendering for minutes)."""
    def stop(_signal: int, _frame: object) -> None:
        raise _Terminated

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_other(args: argparse.Namespace) -> int:
    """`lint` and `check`, with manuscript errors reported as for `build`; each imports
    only its own command (the lint needs the reader, the check every validator)."""
    if args.command == "lint":
        from publish.lint.command import run
    else:
        from publish.check.command import run
    try:
        return run(args)
    except ManuscriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace, options: Options, warm_next: bool) -> int:
    """An unchanged rebuild answered from its record when every input and output still
    matches (nothing read, no worker started), else the whole build, after which a warm
    build server is started for the next when `warm_next`."""
    from publish.quick import Request, recall  # hashes only: no reader, lint or renderer

    request = Request(args.source, args.outdir, tuple(args.edition or EDITIONS), options,
                      tuple(args.ignore), args.quiet)
    if not (args.fresh or args.check):
        unchanged = recall(request)
        if unchanged is not None:
            from publish.quick import say_again

            say_again(unchanged.said)
            for name, path in unchanged.outputs:
                _say_unchanged(name, path, args.quiet)
            return 0
    code = _build_all(args, options, request)
    if warm_next:
        daemon.start_in_background()
    return code


def _build_all(args: argparse.Namespace, options: Options, request: Request) -> int:
    """Lint while the editions render (the lint of a novel takes a second the workers can
    use); lint errors stop the build before any file is written. The inputs are hashed for
    the next unchanged rebuild meanwhile too."""
    # WeasyPrint comes with the build: imported before the workers fork, they share it
    from publish.build import Stopped, Workers, build

    began = time.time_ns()
    book: Book | None = None
    inputs: list[dict[str, object] | None] = []
    with Workers().warm() as workers:  # they load the renderers while this reads the book
        from publish.lint import command as lint_command  # what only this process needs
        from publish.progress import Progress
        from publish.quick import Said, remember, snapshot
        from publish.readers import read

        with Said() as said:
            def gate() -> bool:
                passed = lint_command.gate(args.source, args.ignore, args.quiet, said, book)
                if passed and book is not None:  # hashed while the editions render
                    inputs.append(snapshot(book, request, began))
                return passed

            try:
                book = read(args.source)
            except ManuscriptError:
                if not gate():  # the lint findings first, as when the manuscript reads well
                    return 1
                raise
            names = list(request.editions)
            if not args.edition:  # every edition: those this book cannot have are left out
                skipped = left_out(book, names)
                names = [name for name in names if name not in skipped]
            with Progress(names, enabled=not args.quiet and sys.stderr.isatty()) as progress:
                try:
                    outcomes = build(book, args.outdir, names, options,
                                     listener=progress.update, fresh=args.fresh, gate=gate,
                                     workers=workers)
                except Stopped:
                    return 1
    for outcome in outcomes:
        _report(outcome, args.quiet)
    _report_bug(args, [(o.edition, o.trace) for o in outcomes if o.trace])
    if not all(outcome.ok for outcome in outcomes):
        return 1
    if inputs and inputs[0] is not None:
        remember(request, inputs[0], said, [(o.edition, o.path) for o in outcomes],
                 [name for name in request.editions if name not in names])
    if args.check:
        return _check(book, args, options, outcomes)
    return 0


def _check(book: Book, args: argparse.Namespace, options: Options,
           outcomes: list[Outcome]) -> int:
    """Check what was built; then, if the book asks, put the report in its EPUB and check
    that EPUB again."""
    from dataclasses import replace

    from publish.build import build
    from publish.check import command as check_command
    from publish.check.report import to_xhtml

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
    from publish.cache import BuildCache

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
    elif outcome.cached:
        _say_unchanged(outcome.edition, outcome.path, quiet)
    elif not quiet:
        size = outcome.size / 1024
        redone = "" if outcome.redone is None else \
            f"; laid out again: {', '.join(outcome.redone) or 'nothing'}, the rest reused"
        also = "".join(f" and {path.name}"
                       for path in EDITIONS[outcome.edition].companion_paths(outcome.path))
        print(f"{outcome.edition}: wrote {outcome.path}{also} "
              f"({size:,.0f} KiB, {outcome.seconds:.1f} s{redone})")


def _say_unchanged(edition: str, path: Path, quiet: bool) -> None:
    """The line of an edition kept as it was, the same from the record as from a build."""
    if not quiet:
        print(f"{edition}: unchanged {path}")


class _WarningHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Prints our warnings as `warning: ...` lines on whatever standard error is now."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("warning: %(message)s"))
        self._notice = logging.Formatter("%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Warnings say so; a notice (a decision taken for the writer) is the plain line."""
        if record.levelno < logging.WARNING:
            return self._notice.format(record)
        return super().format(record)

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
    logger.setLevel(logging.ERROR if quiet else NOTICE)


if __name__ == "__main__":
    sys.exit(main())
