"""Benchmark of hostile manuscripts: a 2 MB unbroken token (base64 pasted into a chapter)
must end, with its one clear error, no slower than a fresh build of the sample article.

Both are timed in the same run, in turn, so a busy machine slows them alike; the ratio is
what counts. Both build in their own process (`--no-daemon`): the refusal's cost is measured,
not the warm build server's. Before the limit on unbroken runs, 200 KB took about 100 s and
2 MB did not end in 300 s.

    python scripts/bench_hostile.py [--reps 3] [--json build/bench-hostile.json]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_startup import ARTICLE, publish_command

ROOT = Path(__file__).resolve().parent.parent
TOKEN_BYTES = 2 * 2**20
TARGET = 1.0  # the refusal costs at most a normal build
BOUND_SECONDS = 120  # a run past this is a hang: stopped and reported


def _token_manuscript(folder: Path) -> Path:
    """An article with 2 MB of base64 in one paragraph."""
    data = random.Random(2).randbytes(TOKEN_BYTES * 3 // 4)
    source = folder / "pasted.md"
    source.write_text("---\nlanguage: en\n---\n# Pasted data\n\nThe attachment:\n\n"
                      + base64.b64encode(data).decode() + "\n\nThat was all.\n", "utf-8")
    return source


def _timed(source: Path, outdir: Path) -> tuple[float, int]:
    """Seconds and exit code of one fresh build."""
    started = time.perf_counter()
    try:
        done = subprocess.run([*publish_command(), "build", str(source), "-o", str(outdir),
                               "-q", "--fresh", "--no-daemon"], capture_output=True,
                              timeout=BOUND_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return float(BOUND_SECONDS), -1
    return time.perf_counter() - started, done.returncode


def hostile(reps: int) -> dict[str, object]:
    """The 2 MB token against the article, printed; the results as data."""
    print(f"hostile: a {TOKEN_BYTES // 2**20} MB token against {ARTICLE.name}, {reps} runs:")
    normal, token, codes = [], [], set()
    with tempfile.TemporaryDirectory(prefix="publish-hostile-") as folder:
        work = Path(folder)
        pasted = _token_manuscript(work)
        for _ in range(reps):
            normal.append(_timed(ARTICLE, work / "article")[0])
            seconds, code = _timed(pasted, work / "pasted")
            token.append(seconds)
            codes.add(code)
    ratio = statistics.median(token) / statistics.median(normal)
    met = ratio <= TARGET and codes == {1}
    print(f"  article, fresh build         {statistics.median(normal):6.2f} s")
    print(f"  2 MB token, refused          {statistics.median(token):6.2f} s  (exit {codes})")
    print(f"  token_vs_article      {ratio:5.2f}  target <= {TARGET:.2f} and exit 1  "
          f"{'ok' if met else 'MISSED'}")
    return {"article_seconds": normal, "token_seconds": token, "exit_codes": sorted(codes),
            "token_vs_article": ratio, "target": TARGET, "all_targets_met": met}


def main() -> int:
    """Run the hostile benchmark alone and write its JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench-hostile.json")
    args = parser.parse_args()
    result = hostile(args.reps)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(f"results in {args.json}")
    return 0 if result["all_targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
