"""A PDF structure tree as plain nodes: read from pikepdf, repaired in Python, written back.

Repairs move, join and drop elements across pages; editing WeasyPrint's dictionaries in
place would mean patching parent links and the parent tree at every step. Instead the
tree is read once into nodes, repaired, and written as a fresh tree with a parent tree
and an ID tree made from it, so those are right by construction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

from publish.pdf.repair.source import SOURCE_KEY, Source

_STRUCTURE_KEYS = frozenset({"/Type", "/S", "/K", "/P", "/Pg", SOURCE_KEY})


@dataclass(eq=False)
class Content:
    """A run of marked content, `mcid` on page `page` (0-based)."""

    page: int
    mcid: int


@dataclass(eq=False)
class Annotation:
    """An annotation (a link) that a structure element claims."""

    page: int
    annot: pikepdf.Object


@dataclass(eq=False)
class Node:
    """A structure element: a role such as P or Link, its attributes and its kids in order."""

    role: str
    source: Source | None = None
    page: int | None = None
    attrs: dict[str, pikepdf.Object] = field(default_factory=dict)
    kids: list[Node | Content | Annotation] = field(default_factory=list)

    def nodes(self) -> list[Node]:
        """The kids that are structure elements."""
        return [kid for kid in self.kids if isinstance(kid, Node)]

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in reading order."""
        yield self
        for kid in self.nodes():
            yield from kid.walk()

    def contents(self) -> list[Content]:
        """All marked content under this node, in reading order."""
        found: list[Content] = []
        for kid in self.kids:
            if isinstance(kid, Content):
                found.append(kid)
            elif isinstance(kid, Node):
                found += kid.contents()
        return found


Kid = Node | Content | Annotation


def read_tree(pdf: pikepdf.Pdf, sources: Sequence[Source]) -> Node:
    """The document's structure tree below StructTreeRoot, as one root node."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    root = Node("StructTreeRoot")
    root.kids = _read_kids(pdf.Root.StructTreeRoot.get("/K"), None, pages, sources)
    return root


def _read_kids(
    k: pikepdf.Object | None, page: int | None, pages: dict[tuple[int, int], int],
    sources: Sequence[Source],
) -> list[Kid]:
    if k is None:
        return []
    items = list(k) if isinstance(k, Array) else [k]
    kids: list[Kid] = []
    for item in items:
        if isinstance(item, int):
            kids.append(Content(_page(page), int(item)))
        elif item.get("/Type") == "/MCR":
            kids.append(Content(_page(_page_of(item, pages, page)), int(item.MCID)))
        elif item.get("/Type") == "/OBJR":
            kids.append(Annotation(_page(_page_of(item, pages, page)), item.Obj))
        else:
            kids.append(_read_node(item, pages, sources))
    return kids


def _read_node(
    element: pikepdf.Object, pages: dict[tuple[int, int], int], sources: Sequence[Source],
) -> Node:
    page = _page_of(element, pages, None)
    source = sources[int(element[SOURCE_KEY])] if SOURCE_KEY in element else None
    attrs = {key: value for key, value in element.items() if key not in _STRUCTURE_KEYS}
    node = Node(str(element.S)[1:], source, page, attrs)
    node.kids = _read_kids(element.get("/K"), page, pages, sources)
    return node


def _page_of(
    item: pikepdf.Object, pages: dict[tuple[int, int], int], default: int | None,
) -> int | None:
    return pages[item.Pg.objgen] if "/Pg" in item else default


def _page(page: int | None) -> int:
    if page is None:
        raise ValueError("marked content without a page in the structure tree")
    return page


@dataclass
class _Written:
    """What writing the tree collects for the parent tree and the ID tree."""

    marks: defaultdict[int, dict[int, pikepdf.Object]] = field(
        default_factory=lambda: defaultdict(dict))
    annotations: list[tuple[pikepdf.Object, pikepdf.Object]] = field(default_factory=list)
    ids: dict[str, pikepdf.Object] = field(default_factory=dict)


def write_tree(pdf: pikepdf.Pdf, root: Node) -> dict[int, set[int]]:
    """Replace the structure tree; returns the marked content it claims, by page."""
    tree_root = pdf.Root.StructTreeRoot
    pages = [page.obj for page in pdf.pages]
    written = _Written()
    tree_root.K = Array([_write_node(pdf, kid, tree_root, pages, written)
                         for kid in root.nodes()])
    nums: list[pikepdf.Object | int] = []
    for index, page in enumerate(pages):
        page.StructParents = index
        marks = written.marks.get(index, {})
        claimed = [marks.get(mcid) for mcid in range(max(marks, default=-1) + 1)]
        nums += [index, pdf.make_indirect(Array(claimed))]
    for key, (annot, element) in enumerate(written.annotations, start=len(pages)):
        annot.StructParent = key
        nums += [key, element]
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    tree_root.ParentTreeNextKey = len(nums) // 2
    if written.ids:
        names = [item for key in sorted(written.ids) for item in (key, written.ids[key])]
        tree_root.IDTree = Dictionary(Names=Array(names))
    elif "/IDTree" in tree_root:
        del tree_root.IDTree
    return {page: set(marks) for page, marks in written.marks.items()}


def _write_node(
    pdf: pikepdf.Pdf, node: Node, parent: pikepdf.Object, pages: Sequence[pikepdf.Object],
    written: _Written,
) -> pikepdf.Object:
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(f"/{node.role}"),
                                           P=parent))
    for key, value in node.attrs.items():
        element[key] = value
    page = next((kid.page for kid in node.kids if isinstance(kid, Content)), node.page)
    if page is not None:
        element.Pg = pages[page]
    if "/ID" in node.attrs:
        written.ids[str(node.attrs["/ID"])] = element
    kids: list[pikepdf.Object | int] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            kids.append(_write_node(pdf, kid, element, pages, written))
        elif isinstance(kid, Content):
            written.marks[kid.page][kid.mcid] = element
            kids.append(kid.mcid if kid.page == page else
                        Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=kid.mcid))
        else:
            written.annotations.append((kid.annot, element))
            kids.append(Dictionary(Type=Name.OBJR, Obj=kid.annot, Pg=pages[kid.page]))
    element.K = Array(kids)
    return element
