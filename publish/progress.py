"""A live progress display on a terminal; silent when output is a file or a pipe."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported only for a terminal: it costs 35 ms a build otherwise
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Progress:
    """One line per edition, spinning while it renders."""

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

    def update(self, name: str, event: str) -> None:
        """Show that an edition started rendering or finished."""
        if self._rich is None or name not in self._tasks:
            return
        label = "rendering" if event == "start" else "done"
        self._rich.update(self._tasks[name], description=f"{name}: {label}",
                          completed=1 if event == "done" else 0)

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.stop()


def _spinners() -> RichProgress:
    """rich's progress display on standard error, gone once the build ends."""
    from rich.console import Console
    from rich.progress import Progress as RichProgress
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    return RichProgress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
