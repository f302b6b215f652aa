"""Pages worth proofing in a tagged PDF, found from its tag tree: `NAME PAGE` lines.

    python scripts/proof_pages.py FILE.pdf

title (page 1), chapter (the first body page that opens with a heading and goes on with
text), footnotes (the page of the first note), table (the page where the first table
starts), before-figure and figure (the pages before and with the first figure: where a
figure that did not fit used to leave a page half empty, issue 20); and the page craft
`publish check` holds (K002-K004, publish/check/craft.py): measure (the first page of ten or
more full lines of body text), part (the first part-title page), blank (the first blank page
after it, a blank verso) and ornament (the page of the last ornament, which closes a
division). A kind the PDF lacks is left out. Pages count from 1, as pdftoppm's do.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pikepdf

from publish.check.craft import FEWEST_LINES, MEASURE, body_size, is_part_title, read_pages
from publish.check.pdftree import struct_elements as elements

HEADINGS = {f"/H{n}" for n in range(1, 7)}


def first_page(element: pikepdf.Dictionary, pages: dict[tuple[int, int], int]) -> int | None:
    """The page of the first marked content under a structure element."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) and "/Pg" in element:
            return pages[element.Pg.objgen]
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            return pages[kid.Pg.objgen]
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            found = first_page(kid, pages)
            if found is not None:
                return found
    return None


def block_roles(pdf: pikepdf.Pdf, index: int) -> list[str]:
    """The roles of the headings and paragraphs a page's marked content belongs to, in order."""
    tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    claimed = next(tree[i + 1] for i in range(0, len(tree), 2) if int(tree[i]) == index)
    roles = []
    for element in claimed:
        while (isinstance(element, pikepdf.Dictionary) and "/S" in element
               and str(element.S) not in HEADINGS | {"/P"}):
            element = element.get("/P")
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            roles.append(str(element.S))
    return roles


def chapter_opening(pdf: pikepdf.Pdf) -> int | None:
    """The first body page that starts with a heading and holds paragraphs of text."""
    labels = [page.label for page in pdf.pages]
    start = labels.index("1") if "1" in labels else 0
    for index in range(start, len(pdf.pages)):
        roles = block_roles(pdf, index)
        if roles and roles[0] in HEADINGS and roles.count("/P") >= 5:
            return index
    return None


def proof_pages(pdf: pikepdf.Pdf) -> dict[str, int | None]:
    """The page index of each kind of page worth proofing."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    tree = list(elements(pdf.Root.StructTreeRoot))
    note = next((e for e in tree if str(e.S) == "/Note"), None)
    table = next((e for e in tree if str(e.S) == "/Table"), None)
    figure = next((e for e in tree if str(e.S) == "/Figure"), None)
    pictured = first_page(figure, pages) if figure is not None else None
    return {
        "title": 0,
        "chapter": chapter_opening(pdf),
        "footnotes": first_page(note, pages) if note is not None else None,
        "table": first_page(table, pages) if table is not None else None,
        "before-figure": pictured - 1 if pictured else None,
        "figure": pictured,
    }


def craft_pages(path: Path) -> dict[str, int | None]:
    """The page index of each kind of page the page-craft checks look at."""
    pages = read_pages(path)
    body = body_size(pages)
    measure = next((p.number - 1 for p in pages if sum(
        item.size == body and len(item.text) >= MEASURE[0] for item in p.text_lines())
        >= FEWEST_LINES), None)
    part = next((p.number - 1 for p in pages if is_part_title(p, body)), None)
    blank = next((p.number - 1 for p in pages[part or 0:] if not p.content()), None)
    ornaments = [p.number - 1 for p in pages
                 if any(item.kind == "break" and not item.text for item in p.items)]
    return {"measure": measure, "part": part, "blank": blank,
            "ornament": ornaments[-1] if ornaments else None}


if __name__ == "__main__":
    with pikepdf.open(sys.argv[1]) as document:
        found = {**proof_pages(document), **craft_pages(Path(sys.argv[1]))}
    for name, index in found.items():
        if index is not None:
            print(name, index + 1)
