"""How far each edition has got: reported by the renderer as its layout goes (`reporting`,
`advance`, `share`), and shown live on a terminal (`Progress`; silent when output is a file
or a pipe)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported only for a terminal: it costs 35 ms a build otherwise
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


Report = Callable[[float], None]  # the share of one edition done, 0 to 1

_STEP = 0.01  # smaller advances are not sent: a novel's 430 pages would make 430 messages


class _Reporter:
    """Where this process sends the progress of the edition it renders, and the span of that
    edition the work now under way stands for."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.span = (0.0, 1.0)
        self.sent = 0.0

    def advance(self, done: float) -> None:
        """Send the share done, if it moved on enough: never backwards, never past 1."""
        start, end = self.span
        overall = min(1.0, start + (end - start) * max(0.0, min(1.0, done)))
        if overall >= self.sent + _STEP or (overall == end and overall > self.sent):
            self.sent = overall
            self.report(overall)


_reporter: _Reporter | None = None  # set in a worker while it renders an edition


@contextmanager
def reporting(report: Report) -> Iterator[None]:
    """While the block runs, what `advance` says in this process goes to `report`."""
    global _reporter
    outer, _reporter = _reporter, _Reporter(report)
    try:
        yield
    finally:
        _reporter = outer


def advance(done: float) -> None:
    """Say that `done` (0 to 1) of the current piece of work is done; a no-op outside
    `reporting`, so a renderer called directly reports to nobody."""
    if _reporter is not None:
        _reporter.advance(done)


@contextmanager
def share(start: float, end: float) -> Iterator[None]:
    """Within the block, `advance(x)` stands for `start + x * (end - start)` of the current
    span: a stage's own progress becomes its share of the edition's; once the block is
    done, so is that share."""
    reporter = _reporter
    if reporter is None:
        yield
        return
    outer = low, high = reporter.span
    reporter.span = (low + (high - low) * start, low + (high - low) * end)
    try:
        yield
    finally:
        reporter.span = outer
    reporter.advance(end)


class Progress:
    """One line per edition, with the share of it done while it renders."""

    def __init__(self, names: list[str], enabled: bool) -> None:
        self._enabled = enabled
        self._rich = _spinners() if enabled else None
        self._tasks: dict[str, TaskID] = {}
        self._names = names

    def __enter__(self) -> Progress:
        if self._rich is not None:
            self._rich.start()
            for name in self._names:
                self._tasks[name] = self._rich.add_task(f"{name}: waiting", total=1)
        return self

    def update(self, name: str, event: str, done: float) -> None:
        """Show that an edition started rendering, how much of it is done, or that it is."""
        if self._rich is None or name not in self._tasks:
            return
        label = "done" if event == "done" else "rendering"
        self._rich.update(self._tasks[name], description=f"{name}: {label}", completed=done)

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.stop()


def _spinners() -> RichProgress:
    """rich's progress display on standard error, gone once the build ends."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress

    return RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TaskProgressColumn(), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
