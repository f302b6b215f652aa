"""Finding and running the external validators; a missing one is an error, never a pass."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.check.model import ERROR, Issue, Run

INSTALL_HINT = "install the validators with `make validators` (or set VAL_HOME)"
_VERSION = re.compile(r"(\d+\.\d+(?:\.\d+)?)")
logger = logging.getLogger(__name__)


def search_path() -> list[Path]:
    """Where validators are looked for: $VAL_HOME/bin, ~/.cache/validators/bin, then PATH."""
    folders = []
    if os.environ.get("VAL_HOME"):
        folders.append(Path(os.environ["VAL_HOME"]) / "bin")
    folders.append(Path.home() / ".cache" / "validators" / "bin")
    return folders


def locate(name: str) -> Path | None:
    """The validator's command, or None when it is nowhere to be found."""
    for folder in search_path():
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def missing(run: Run) -> Run:
    """The run of a validator that is not installed: an error with the install hint."""
    places = ", ".join(str(p) for p in search_path())
    run.issues.append(Issue(run.file, run.tool, ERROR, "C001",
                            f"{run.tool} not found in {places} or PATH: {INSTALL_HINT}"))
    return run


def broken(run: Run, detail: str) -> Run:
    """The run of a validator that gave no usable report."""
    run.issues.append(Issue(run.file, run.tool, ERROR, "C002",
                            f"{run.tool} gave no usable report: {detail.strip()[-1500:]}"))
    return run


def execute(command: list[str | Path], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run a validator, capturing its output; a timeout comes back as exit status 124."""
    try:
        return subprocess.run([str(c) for c in command], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", f"timed out after {timeout:g} s")


def version_of(command: Path, *args: str) -> str:
    """A validator's version from `command args` or, for a wrapper script, its header."""
    if args:
        result = execute([command, *args], timeout=120)
        match = _VERSION.search(result.stdout + result.stderr)
        if match:
            return match.group(1)
    try:
        head = command.read_bytes()[:2048].decode("utf-8", errors="replace")
    except OSError:
        return "unknown"
    match = re.search(rf"{re.escape(command.name)}\s+{_VERSION.pattern}", head)
    return match.group(1) if match else "unknown"


@dataclass(frozen=True)
class Reported:
    """A validator run that wrote its JSON report: the report, exit status, output, command."""

    data: Any
    status: int
    output: str
    command: Path


Arguments = Callable[[Path, Path], list[str | Path]]  # (command, report path) -> argv


def run_reporting(run: Run, arguments: Arguments, report_name: str,
                  statuses: tuple[int, ...] | None = None, tries: int = 1) -> Reported | None:
    """Run a validator that writes a JSON report into a scratch folder, timing it into `run`;
    None, with the run marked, when it is missing, exits otherwise than `statuses` allow, or
    writes no report `tries` times in a row."""
    command = locate(run.tool)
    if command is None:
        missing(run)
        return None
    started = time.perf_counter()
    for attempt in range(1, tries + 1):
        with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
            report = Path(scratch) / report_name
            result = execute(arguments(command, report))
            run.seconds = time.perf_counter() - started
            unexpected = statuses is not None and result.returncode not in statuses
            if not unexpected and report.is_file() and report.stat().st_size > 0:
                return Reported(json.loads(report.read_text("utf-8")), result.returncode,
                                result.stdout, command)
        detail = (result.stderr or result.stdout).strip()
        logger.info("%s wrote no report (try %d of %d): %s", run.tool, attempt, tries,
                    detail[-300:])
    broken(run, detail)
    return None


def run_pairs(tool: str, runs: list[Run], paths: list[Path], inside: str = "") -> list[Any]:
    """Run `tool FILE REPORT.json FILE REPORT.json ...` (or `tool FILE FOLDER ...` writing
    FOLDER/`inside`) once for many files, timing it into their runs: each file's JSON report,
    or None with its run marked where there is none."""
    command = locate(tool)
    if command is None:
        for run in runs:
            missing(run)
        return [None for _ in runs]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="publish-check-") as scratch:
        places = [Path(scratch) / (str(at) if inside else f"{at}.json")
                  for at in range(len(paths))]
        pairs = [part for pair in zip(paths, places, strict=True) for part in pair]
        result = execute([command, *pairs])
        reports = [place / inside if inside else place for place in places]
        share = (time.perf_counter() - started) / max(1, len(paths))
        found: list[Any] = []
        for run, report in zip(runs, reports, strict=True):
            run.seconds = share
            written = report.is_file() and report.stat().st_size > 0
            found.append(json.loads(report.read_text("utf-8")) if written else None)
            if not written:
                broken(run, result.stderr or result.stdout or "no report written")
    return found
