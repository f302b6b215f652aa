"""Benchmark: what the text checks of `publish check` cost on a corpus novel (issue 21).

Text in place (T001/T002) on both PDFs and word parity (P008) read every page with PDFium;
the target is that they cost no more than the semantic parity (headings, alt texts, notes
read from the structure trees with pikepdf) that `publish check` already ran. Both run in
the same process on the same files, so the ratio holds on a shared, noisy machine.

    python scripts/bench_check.py [--built FOLDER] [NOVEL...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from publish.check import pdftext
from publish.check.parity import compare, word_parity
from publish.editions import EDITIONS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
NOVELS = ("pride-and-prejudice", "gullivers-travels")
TARGET = 1.0  # the text checks' time over the semantic parity's


def timed(job: Callable[[dict[str, Path]], object], files: dict[str, Path]) -> float:
    """Wall seconds of one call."""
    started = time.perf_counter()
    job(files)
    return time.perf_counter() - started


def editions(folder: Path, stem: str) -> dict[str, Path]:
    """The novel's three editions in a build folder, by edition name."""
    return {name: folder / f"{stem}{EDITIONS[name].suffix}" for name in EDITIONS}


def semantic_parity(files: dict[str, Path]) -> None:
    """What parity did before word parity: read each edition's semantics, compare them."""
    read = {kind: EDITIONS[kind].hook("semantics")(path) for kind, path in files.items()}
    kinds = list(read)
    for other in kinds[1:]:
        compare(files[kinds[0]].name, read[kinds[0]], files[other].name, read[other])


def text_checks(files: dict[str, Path]) -> None:
    """Text in place on each PDF, then word parity, as `publish check` runs them."""
    for kind, path in files.items():
        if EDITIONS[kind].words and not EDITIONS[kind].whole_text:
            pdftext.text_in_place(path)
    word_parity(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--built", type=Path, help="a folder the novels were built into")
    parser.add_argument("novels", nargs="*", default=list(NOVELS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as scratch:
        folder = args.built or Path(scratch)
        ok = True
        for stem in args.novels:
            files = editions(folder, stem)
            if not all(path.is_file() for path in files.values()):
                subprocess.run([sys.executable, "-m", "publish.cli", "build",
                                str(CORPUS / f"{stem}.md"), "-o", str(folder), "-q"], check=True)
            before, after = timed(semantic_parity, files), timed(text_checks, files)
            ratio = after / before
            ok = ok and ratio <= TARGET
            print(f"{stem}: semantic parity {before:.1f} s, text checks {after:.1f} s "
                  f"(ratio {ratio:.2f}, target <= {TARGET:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
