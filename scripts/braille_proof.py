"""Draw one braille page of each PEF in a build folder as embossed dots, for a sighted
reviewer: raised dots black, the unraised positions of each cell faint.

    python scripts/braille_proof.py [BUILD_DIR] [PROOF_DIR] [PAGE]

PAGE counts from 1 over the whole file; without it, the first page of the book's text with
a print page indicator line is drawn. Writes PROOF_DIR/<stem>-braille-p<N>.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from publish.braille.pef import page_size, read_pages
from publish.braille.proofread import INDICATOR

# Sizes in pixels at 4 px/mm: dots 2.5 mm apart, cells 6 mm, lines 10 mm (the usual
# embossed spacing), a 10 mm margin.
DOT, CELL, LINE, MARGIN, RADIUS = 10, 24, 40, 40, 3
# Unicode braille bits by dot, and where each dot sits in its cell (column, row).
DOTS = {1: (0, 0), 2: (0, 1), 3: (0, 2), 4: (1, 0), 5: (1, 1), 6: (1, 2), 7: (0, 3), 8: (1, 3)}


def draw(rows: list[str], cells: int, lines: int) -> Image.Image:
    """One page: every cell position of every line, its raised dots filled."""
    image = Image.new("RGB", (2 * MARGIN + cells * CELL, 2 * MARGIN + lines * LINE), "white")
    pen = ImageDraw.Draw(image)
    for line in range(lines):
        row = rows[line] if line < len(rows) else ""
        for column in range(cells):
            bits = ord(row[column]) - 0x2800 if column < len(row) else 0
            for dot, (x, y) in DOTS.items():
                if dot > 6 and not bits >> 6:
                    continue
                centre = (MARGIN + column * CELL + x * DOT + RADIUS,
                          MARGIN + line * LINE + y * DOT + RADIUS)
                raised = bits >> (dot - 1) & 1
                box = [centre[0] - RADIUS, centre[1] - RADIUS,
                       centre[0] + RADIUS, centre[1] + RADIUS]
                pen.ellipse(box, fill="black" if raised else "#e6e6e6")
    return image


def pick(pages: list[list[str]]) -> int:
    """The first page whose text has a print page indicator line, else the last page."""
    for index, rows in enumerate(pages):
        body = rows[1:-1]
        if any(INDICATOR.match(row) for row in body) and sum(bool(r) for r in body) > 5:
            return index
    return len(pages) - 1


def main(build: Path, proof: Path, page: int | None) -> int:
    """Draw the page of every PEF in `build`."""
    files = sorted(build.glob("*.pef"))
    if not files:
        print(f"no PEF in {build}/: run 'make build' first", file=sys.stderr)
        return 1
    proof.mkdir(parents=True, exist_ok=True)
    for pef in files:
        data = pef.read_bytes()
        pages = read_pages(data)
        index = pick(pages) if page is None else min(page, len(pages)) - 1
        target = proof / f"{pef.stem}-braille-p{index + 1}.png"
        draw(pages[index], *page_size(data)).save(target)
        print(f"== {pef}: page {index + 1} of {len(pages)} -> {target}")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(main(Path(arguments[0]) if arguments else Path("build"),
                  Path(arguments[1]) if len(arguments) > 1 else Path("build/proof"),
                  int(arguments[2]) if len(arguments) > 2 else None))
