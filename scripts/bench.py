"""Benchmark: our three editions of a novel against the anchors' pipeline, as ratios.

Everything is measured in one run on one machine, so only the ratios mean anything:
the machines here are shared and noisy. Results go to stdout and to a JSON file. The quick
start (`--help`, an unchanged and a fresh build of the article; scripts/bench_startup.py)
is measured too, or alone with `--startup`, and so is a hostile manuscript (a 2 MB unbroken
token against a build of the article; scripts/bench_hostile.py), or alone with `--hostile`,
and so is the build service (warm workers against the CLI, editions per minute at 1 and 2
workers, queue latency, cached downloads; scripts/bench_service.py), or alone with
`--service`.

    python scripts/bench.py [--quick] [--json build/bench.json] [--scaling] [--startup]
                            [--hostile] [--service]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench_hostile import hostile
from bench_service import service
from bench_startup import anchor_commands, startup

ROOT = Path(__file__).resolve().parent.parent
NOVEL = ROOT.parent / "shared" / "corpus" / "pride-and-prejudice.md"
# the three editions the anchors make too (print, EPUB, large print): braille is not timed;
# in the command's own process, whose peak memory is measured (the warm build server's
# children are not this benchmark's; the quick start measures the server)
PUBLISH = [sys.executable, "-m", "publish.cli", "build", "--no-daemon", "--edition", "print",
           "--edition", "epub", "--edition", "large-print"]
TARGETS = {"full_vs_anchors": 0.50, "unchanged_vs_full": 0.10, "edit_vs_full": 0.35}


@dataclass(frozen=True)
class Run:
    """One timed command: wall seconds and the peak resident memory of its largest process."""

    label: str
    seconds: float
    peak_mb: float


def timed(label: str, commands: list[list[str]], cwd: Path) -> Run:
    """Run `commands` one after another in a child that reports their children's peak RSS."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "for c in json.loads(sys.argv[1]):\n"
        "    subprocess.run(c, check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, json.dumps(commands)], cwd=cwd,
                            capture_output=True, text=True, check=True)
    seconds, peak_kb = result.stdout.split()
    run = Run(label, float(seconds), int(peak_kb) / 1024)
    print(f"  {label:<34} {run.seconds:7.1f} s   peak {run.peak_mb:6.0f} MB", flush=True)
    return run


def novel_slice(text: str, fraction: float) -> str:
    """The novel's front matter and the first `fraction` of its chapters (or a double copy)."""
    front, _, body = text.partition("\n# ")
    chapters = ["# " + c for c in body.split("\n# ")]
    if fraction > 1:
        copies = [re.sub(r"^# (.*)$", r"# \1 (again)", c, count=1) for c in chapters]
        chosen = chapters + copies
    else:
        chosen = chapters[: max(1, round(len(chapters) * fraction))]
    return front + "\n" + "\n".join(chosen)


def anchors(source: Path, work: Path) -> Run:
    """pandoc for the EPUB and the HTML, then WeasyPrint PDF/UA-1 for print and large print."""
    return timed("anchors: pandoc + 2x WeasyPrint", anchor_commands(source, work), work)


def ours(label: str, source: Path, outdir: Path) -> Run:
    """Our full build of all three editions."""
    return timed(label, [[*PUBLISH, str(source), "-o", str(outdir), "-q"]], ROOT)


def add_sentence(source: Path, chapter: int) -> None:
    """Append one sentence to one chapter, as an author's small edit."""
    parts = source.read_text("utf-8").split("\n# ")
    index = min(chapter, len(parts) - 1)
    parts[index] = parts[index].rstrip("\n") + " She said nothing more that evening.\n"
    source.write_text("\n# ".join(parts), "utf-8")


def measure(text: str, work: Path) -> dict[str, object]:
    """The four measurements of the issue for one manuscript."""
    source = work / "novel.md"
    source.write_text(text, "utf-8")
    anchor = anchors(source, work)
    full = ours("ours: full build", source, work / "out")
    unchanged = ours("ours: rebuild, nothing changed", source, work / "out")
    add_sentence(source, chapter=len(text.split("\n# ")) // 2)
    edit = ours("ours: rebuild, one sentence added", source, work / "out")
    ratios = {
        "full_vs_anchors": full.seconds / anchor.seconds,
        "unchanged_vs_full": unchanged.seconds / full.seconds,
        "edit_vs_full": edit.seconds / full.seconds,
    }
    runs = [anchor, full, unchanged, edit]
    return {"runs": [asdict(r) for r in runs], "ratios": ratios,
            "peak_mb": max(r.peak_mb for r in runs[1:])}


def scaling(text: str, work: Path) -> list[dict[str, float]]:
    """Time and peak memory at 1/4, 1/2, 1 and 2 times the novel: cost must grow linearly."""
    rows = []
    for fraction in (0.25, 0.5, 1.0, 2.0):
        source = work / f"scale-{fraction}.md"
        source.write_text(novel_slice(text, fraction), "utf-8")
        run = ours(f"ours: {fraction:g}x novel", source, work / f"scale-{fraction}")
        rows.append({"fraction": fraction, "seconds": run.seconds, "peak_mb": run.peak_mb})
    return rows


def report(result: dict[str, object]) -> bool:
    """Print the ratios against their targets; True when every target is met."""
    ok = True
    print("\nratios (same run):")
    ratios: dict[str, float] = result["ratios"]  # type: ignore[assignment]
    for name, value in ratios.items():
        met = value <= TARGETS[name]
        ok &= met
        verdict = "ok" if met else "MISSED"
        print(f"  {name:<20} {value:5.2f}  target <= {TARGETS[name]:.2f}  {verdict}")
    peak = float(result["peak_mb"])  # type: ignore[arg-type]
    ok &= peak <= 500
    verdict = "ok" if peak <= 500 else "MISSED"
    print(f"  peak memory          {peak:5.0f} MB  target <= 500 MB  {verdict}")
    return ok


def main() -> int:
    """Run the benchmark and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 15 chapters only")
    parser.add_argument("--scaling", action="store_true", help="also 1/4, 1/2, 1x, 2x runs")
    parser.add_argument("--startup", action="store_true",
                        help="only the quick start: --help, unchanged and fresh article builds")
    parser.add_argument("--hostile", action="store_true",
                        help="only the 2 MB unbroken token against a build of the article")
    parser.add_argument("--service", action="store_true",
                        help="only the build service: API against CLI, 1 and 2 workers")
    parser.add_argument("--reps", type=int, default=5, help="runs of each quick-start command")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    if args.hostile or args.service:
        alone = hostile(3) if args.hostile else service(4)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(alone, indent=2))
        print(f"results in {args.json}")
        return 0
    if shutil.which("pandoc") is None or not (args.startup or NOVEL.is_file()):
        print(f"needs {NOVEL} and pandoc (apt-get install pandoc)", file=sys.stderr)
        return 2
    if args.startup:
        quick = startup(args.reps)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(quick, indent=2))
        print(f"results in {args.json}")
        return 0
    text = NOVEL.read_text("utf-8")
    if args.quick:
        text = novel_slice(text, 15 / 61)
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as folder:
        print(f"benchmark on {'15 chapters of ' if args.quick else ''}{NOVEL.name}, "
              f"{len(text.split()):,} words:")
        result = measure(text, Path(folder))
        if args.scaling:
            result["scaling"] = scaling(text, Path(folder))
    met = report(result)
    print()
    result["startup"] = startup(args.reps)
    met &= bool(result["startup"]["all_targets_met"])  # type: ignore[index]
    print()
    result["hostile"] = hostile(3)
    met &= bool(result["hostile"]["all_targets_met"])  # type: ignore[index]
    print()
    result["service"] = service(4)
    met &= bool(result["service"]["all_targets_met"])  # type: ignore[index]
    result.update(quick=args.quick, targets=TARGETS, all_targets_met=met,
                  when=time.strftime("%Y-%m-%dT%H:%M:%S"))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(f"results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
