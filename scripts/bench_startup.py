"""Benchmark of a quick start: `publish --help`, an unchanged rebuild and a fresh build of the
article, against a bare interpreter start and the anchors' pipeline, as medians.

The builds run as a user's do: handed to the warm build server (publish.daemon) that the
first build starts; the fresh build is also timed in its own process (`--no-daemon`, "cold"),
for comparison, without a target. Each repetition runs every command once, in turn, so a
busy machine slows them alike; only the differences and ratios within one run mean anything.

    python scripts/bench_startup.py [--reps 5] [--json build/bench-startup.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "manuscript" / "harbour-article.md"
ANCHOR_PRINT_CSS = "@page { size: 6in 9in; margin: 0.8in 0.62in; } body { font-size: 10.5pt; }"
ANCHOR_LARGE_CSS = "@page { size: A4; margin: 2cm; } body { font-size: 18pt; line-height: 1.5; }"
# (name, what it is compared with, "minus" for a difference in seconds or "over" for a
# ratio, the target)
TARGETS = (("help", "bare", "minus", 0.15), ("unchanged", "bare", "minus", 0.30),
           ("fresh", "anchors", "over", 0.50))


def publish_command() -> list[str]:
    """The `publish` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).parent / "publish"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "publish.cli"]


def anchor_commands(source: Path, work: Path) -> list[list[str]]:
    """pandoc for the EPUB and the HTML, then WeasyPrint PDF/UA-1 for print and large print."""
    (work / "print.css").write_text(ANCHOR_PRINT_CSS)
    (work / "large.css").write_text(ANCHOR_LARGE_CSS)
    html = work / "anchor.html"
    weasy = [sys.executable, "-m", "weasyprint", "--pdf-variant", "pdf/ua-1"]
    return [
        ["pandoc", str(source), "-o", str(work / "anchor.epub")],
        ["pandoc", str(source), "-s", "-o", str(html)],
        [*weasy, "-s", str(work / "print.css"), str(html), str(work / "anchor-print.pdf")],
        [*weasy, "-s", str(work / "large.css"), str(html), str(work / "anchor-large.pdf")],
    ]


def wall(commands: list[list[str]]) -> float:
    """Seconds to run `commands` one after another, each checked, output discarded."""
    started = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(reps: int, work: Path) -> dict[str, list[float]]:
    """Every command `reps` times, interleaved; the seconds of each run."""
    publish = publish_command()
    unchanged_out = work / "unchanged"
    build = [*publish, "build", str(ARTICLE), "-q", "--edition", "print", "--edition", "epub",
             "--edition", "large-print"]  # the three editions the anchors make too
    wall([[*build, "-o", str(unchanged_out)], [*build, "-o", str(unchanged_out)]])  # a record
    wall([[*publish, "daemon", "start"]])  # the first build started it: wait until it is warm
    anchors = anchor_commands(ARTICLE, work)
    commands: dict[str, Callable[[int], list[list[str]]]] = {
        "bare": lambda _rep: [[sys.executable, "-c", "pass"]],
        "help": lambda _rep: [[*publish, "--help"]],
        "lint": lambda _rep: [[*publish, "lint", str(ARTICLE)]],
        "unchanged": lambda _rep: [[*build, "-o", str(unchanged_out)]],
        "fresh": lambda rep: [[*build, "-o", str(work / f"fresh-{rep}")]],
        "cold": lambda rep: [[*build, "-o", str(work / f"cold-{rep}"), "--no-daemon"]],
        "anchors": lambda _rep: anchors,
    }
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(reps):
        for name, made in commands.items():
            runs[name].append(wall(made(rep)))
        shutil.rmtree(work / f"fresh-{rep}")
        shutil.rmtree(work / f"cold-{rep}")
    return runs


def report(runs: dict[str, list[float]]) -> dict[str, object]:
    """Print the medians and each target's difference or ratio; the results as data."""
    medians = {name: statistics.median(seconds) for name, seconds in runs.items()}
    for name, seconds in runs.items():
        spread = f"{min(seconds):.3f}-{max(seconds):.3f}"
        print(f"  {name:<10} median {medians[name]:6.3f} s   (runs {spread} s)")
    print("\nquick start (medians, same run):")
    verdicts = {}
    for name, base, how, target in TARGETS:
        if how == "minus":
            value = medians[name] - medians[base]
            line = f"{name} - {base}: {value:+.3f} s  target <= {target:.2f} s"
        else:
            value = medians[name] / medians[base]
            line = f"{name} / {base}: {value:.2f}  target <= {target:.2f}"
        met = value <= target
        verdicts[f"{name}_{how}_{base}"] = {"value": value, "target": target, "met": met}
        print(f"  {line:<46} {'ok' if met else 'MISSED'}")
    cold = medians["cold"] / medians["anchors"]
    print(f"  {f'cold (--no-daemon) / anchors: {cold:.2f}':<46} (no target)")
    return {"runs": runs, "medians": medians, "targets": verdicts,
            "all_targets_met": all(v["met"] for v in verdicts.values())}


def startup(reps: int) -> dict[str, object]:
    """The whole quick-start benchmark, printed; its results as data."""
    print(f"quick start on {ARTICLE.name}, {reps} runs of each:")
    with tempfile.TemporaryDirectory(prefix="publish-startup-") as folder:
        runs = measure(reps, Path(folder))
    return report(runs)


def main() -> int:
    """Run the quick-start benchmark alone and write its JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench-startup.json")
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        print("needs pandoc (apt-get install pandoc)", file=sys.stderr)
        return 2
    result = startup(args.reps)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(f"results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
