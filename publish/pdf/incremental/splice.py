"""One division's new pages put into the previous build's PDF, for a rebuild after an edit.

The division was laid out alone, starting on the same page with the same folio, and fills
the same page span as before, so every other page, the page labels, the catalog and the
metadata stay as they are. Its pages' content, resources and links replace the old ones in
the same page objects (so links and outline entries elsewhere still point at real pages),
its structure element replaces the old one, and the parent tree, ID tree, named
destinations and outline entries that point into it are rebuilt around it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

from publish.pdf.incremental.resources import Unmergeable, share

_PAGE_KEYS_KEPT = frozenset({"/Parent", "/StructParents", "/Type"})


class SpliceError(Exception):
    """The previous PDF cannot take the new pages as they are: render the edition in full."""


@dataclass
class _Claims:
    """What the spliced structure elements claim: marked content by page, annotations."""

    marks: dict[int, dict[int, pikepdf.Object]] = field(default_factory=dict)
    annotations: list[tuple[pikepdf.Object, pikepdf.Object]] = field(default_factory=list)
    ids: dict[str, pikepdf.Object] = field(default_factory=dict)


def splice(old: bytes, new: bytes, first: int, span: int) -> bytes:
    """`old` with the division on its pages `first` to `first + span - 1` replaced by the
    division alone in `new`; pages after `new`'s last stay as they were (blank fillers)."""
    with pikepdf.open(io.BytesIO(old)) as target, pikepdf.open(io.BytesIO(new)) as source:
        count = len(source.pages)
        if not 0 < count <= span or first + span > len(target.pages):
            raise SpliceError(f"{count} new pages do not fit a span of {span}")
        parent, place, old_element = _division_element(target, range(first, first + span))
        new_element = _same_depth(source, _depth(old_element), old_element.S)
        pages: list[pikepdf.Object] = [target.pages[first + i].obj for i in range(count)]
        shared = _shared_resources(target, range(first, first + span))
        copied = _copy(target, source, new_element)
        _graft(target, parent, place, old_element, copied[0], pages, copied[1:])
        if shared is not None:
            try:
                share(target, shared, pages)
            except Unmergeable as error:
                raise SpliceError(str(error)) from None
        _redirect(target, source, range(first, first + span), first)
        out = io.BytesIO()
        target.save(out, deterministic_id=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _shared_resources(pdf: pikepdf.Pdf, span: range) -> pikepdf.Object | None:
    """The resources of the pages around the division, which the new pages join."""
    outside = (page for i, page in enumerate(pdf.pages) if i not in span)
    return next((page.obj.Resources for page in outside if "/Resources" in page.obj), None)


# ---------------------------------------------------------------- finding the division


def _division_element(
    pdf: pikepdf.Pdf, pages: range,
) -> tuple[pikepdf.Object, int, pikepdf.Object]:
    """The one structure element whose content all lies on these pages, with its parent
    and its place among the parent's kids."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found: list[tuple[pikepdf.Object, int, pikepdf.Object]] = []

    def visit(element: pikepdf.Object) -> None:
        for place, kid in enumerate(_kids(element)):
            if not _is_element(kid):
                continue
            on = _pages_of(kid, index)
            if on and on <= set(pages):
                found.append((element, place, kid))
            elif on & set(pages):
                visit(kid)

    visit(pdf.Root.StructTreeRoot)
    if len(found) != 1:
        raise SpliceError(f"{len(found)} structure elements lie on the division's pages")
    return found[0]


def _same_depth(pdf: pikepdf.Pdf, depth: int, role: pikepdf.Object) -> pikepdf.Object:
    """The division's element in a document holding that division alone."""
    element = pdf.Root.StructTreeRoot
    for _ in range(depth):
        kids = [kid for kid in _kids(element) if _is_element(kid)]
        if len(kids) != 1:
            raise SpliceError("the division laid out alone has another structure")
        element = kids[0]
    if role != element.S:
        raise SpliceError(f"the division laid out alone is {element.S}, not {role}")
    return element


def _depth(element: pikepdf.Object) -> int:
    depth = 0
    while "/P" in element and element.P.get("/Type") != Name.StructTreeRoot:
        element, depth = element.P, depth + 1
    return depth + 1


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(kid: pikepdf.Object) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR)


def _pages_of(element: pikepdf.Object, index: dict[tuple[int, int], int]) -> set[int]:
    """The pages an element's content lies on."""
    found = set()
    for item in _walk(element):
        if "/Pg" in item:
            found.add(index[item.Pg.objgen])
    return found


def _walk(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """An element, its content references and its descendants, in order."""
    yield element
    for kid in _kids(element):
        if _is_element(kid):
            yield from _walk(kid)
        elif isinstance(kid, Dictionary):
            yield kid


# ---------------------------------------------------------------- copying it across


def _copy(target: pikepdf.Pdf, source: pikepdf.Pdf, element: pikepdf.Object
          ) -> list[pikepdf.Object]:
    """The division's element and its pages' entries, copied into `target` in one go (so
    shared objects stay shared), page references replaced by page numbers."""
    index = {page.obj.objgen: i for i, page in enumerate(source.pages)}
    for item in _walk(element):
        if "/Pg" in item:
            item.Pg = index[item.Pg.objgen]
        if _is_element(item) and "/P" in item:
            del item.P
    entries = []
    for page in source.pages:
        entries.append(Dictionary({key: value for key, value in page.obj.items()
                                   if key not in _PAGE_KEYS_KEPT}))
        for annot in page.obj.get("/Annots", ()):
            if "/P" in annot:
                del annot.P
            if isinstance(annot.get("/Dest"), Array):
                raise SpliceError("a link points at a page, not a named destination")
    copied = target.copy_foreign(source.make_indirect(Array([element, *entries])))
    return list(copied)


def _graft(
    target: pikepdf.Pdf, parent: pikepdf.Object, place: int, old: pikepdf.Object,
    element: pikepdf.Object, pages: list[pikepdf.Object], entries: list[pikepdf.Object],
) -> None:
    """Put the copied element and page entries in place of the old ones."""
    claims = _Claims()
    _claim(element, pages, claims)
    element.P = parent
    if isinstance(parent.K, Array):
        parent.K[place] = element
    else:
        parent.K = element
    tree = target.Root.StructTreeRoot
    nums = _numbers(tree)
    for page in pages:
        for annot in page.get("/Annots", ()):
            nums.pop(int(annot.get("/StructParent", -1)), None)
    for page, entry in zip(pages, entries, strict=True):
        for key in [k for k, _ in page.items() if k not in _PAGE_KEYS_KEPT and k not in entry]:
            del page[key]
        for key, value in entry.items():
            page[key] = value
    _write_numbers(target, tree, nums, pages, claims)
    _replace_ids(tree, old, claims.ids)


def _claim(element: pikepdf.Object, pages: list[pikepdf.Object], claims: _Claims) -> None:
    """Page numbers back to pages, and what each element claims, through the subtree."""
    home = element.get("/Pg")
    if home is not None:
        element.Pg = pages[int(home)]
    if "/ID" in element:
        claims.ids[str(element.ID)] = element
    for kid in _kids(element):
        if _is_element(kid):
            kid.P = element
            _claim(kid, pages, claims)
        elif isinstance(kid, int):
            claims.marks.setdefault(int(home), {})[kid] = element
        elif kid.Type == Name.MCR:
            at = int(kid.Pg)
            kid.Pg = pages[at]
            claims.marks.setdefault(at, {})[int(kid.MCID)] = element
        else:
            kid.Pg = pages[int(kid.Pg)]
            claims.annotations.append((kid.Obj, element))


def _numbers(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """The parent tree as a dict (it is written flat, without kids)."""
    parent_tree = tree.ParentTree
    if "/Kids" in parent_tree:
        raise SpliceError("the parent tree has kids")
    flat = list(parent_tree.get("/Nums", ()))
    return {int(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


def _write_numbers(
    target: pikepdf.Pdf, tree: pikepdf.Object, nums: dict[int, pikepdf.Object],
    pages: list[pikepdf.Object], claims: _Claims,
) -> None:
    """Each new page's marked content and each new link, in the parent tree."""
    for at, page in enumerate(pages):
        marks = claims.marks.get(at, {})
        nums[int(page.StructParents)] = target.make_indirect(
            Array([marks.get(mcid) for mcid in range(max(marks, default=-1) + 1)]))
    key = max(max(nums, default=-1) + 1, int(tree.get("/ParentTreeNextKey", 0)))
    for annot, element in claims.annotations:
        annot.StructParent = key
        nums[key] = element
        key += 1
    tree.ParentTree = target.make_indirect(Dictionary(
        Nums=Array([item for number in sorted(nums) for item in (number, nums[number])])))
    tree.ParentTreeNextKey = key


def _replace_ids(tree: pikepdf.Object, old: pikepdf.Object, new: dict[str, pikepdf.Object]
                 ) -> None:
    """The ID tree without the old division's elements and with the new ones'."""
    gone = {item.objgen for item in _walk(old) if _is_element(item)}
    kept: dict[str, pikepdf.Object] = {}
    if "/IDTree" in tree:
        if "/Kids" in tree.IDTree:
            raise SpliceError("the ID tree has kids")
        flat = list(tree.IDTree.get("/Names", ()))
        kept = {str(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)
                if flat[i + 1].objgen not in gone}
    if clash := kept.keys() & new.keys():
        raise SpliceError(f"structure element IDs {sorted(clash)[:3]} are taken")
    kept |= new
    if kept:
        tree.IDTree = Dictionary(Names=Array([i for k in sorted(kept) for i in (k, kept[k])]))
    elif "/IDTree" in tree:
        del tree.IDTree


# ---------------------------------------------------------------- destinations, outline


def _redirect(target: pikepdf.Pdf, source: pikepdf.Pdf, span: range, first: int) -> None:
    """Named destinations and outline entries on the division's pages, as laid out anew."""
    in_span = {target.pages[i].objgen for i in span}
    target_pages = [page.obj for page in target.pages]
    source_index = {page.obj.objgen: i for i, page in enumerate(source.pages)}

    def moved(dest: pikepdf.Object) -> Array:
        page = target_pages[first + source_index[dest[0].objgen]]
        return Array([page, *list(dest)[1:]])

    names = _flat_names(target)
    names = {k: v for k, v in names.items() if _dest_page(v) not in in_span}
    # The frame's own ids (the main-matter wrapper) keep their place in the whole book.
    names |= {k: moved(v) for k, v in _flat_names(source).items() if k not in names}
    if names:
        target.Root.Names.Dests = Dictionary(
            Names=Array([item for key in sorted(names) for item in (key, names[key])]))
    old_items = [item for item in _outline(target) if _dest_page(item.Dest) in in_span]
    new_items = list(_outline(source))
    if _shape(old_items) != _shape(new_items):
        raise SpliceError("the division's outline entries changed shape")
    for old_item, new_item in zip(old_items, new_items, strict=True):
        old_item.Title = pikepdf.String(str(new_item.Title))
        old_item.Dest = moved(new_item.Dest)


def _flat_names(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    dests = pdf.Root.get("/Names", Dictionary()).get("/Dests")
    if dests is None:
        return {}
    if "/Kids" in dests:
        raise SpliceError("the destination name tree has kids")
    flat = list(dests.get("/Names", ()))
    return {str(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


def _dest_page(dest: pikepdf.Object) -> tuple[int, int] | None:
    return dest[0].objgen if isinstance(dest, Array) and len(dest) else None


def _outline(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Outline items in reading order, each with a page destination."""
    def items(first: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
        while first is not None:
            if not isinstance(first.get("/Dest"), Array):
                raise SpliceError("an outline entry has no page destination")
            yield first
            yield from items(first.get("/First"))
            first = first.get("/Next")

    outlines = pdf.Root.get("/Outlines")
    return items(outlines.get("/First")) if outlines is not None else iter(())


def _shape(items: list[pikepdf.Object]) -> list[int]:
    """Each outline item's depth below the first's."""
    depths = [_depth_of(item) for item in items]
    return [depth - depths[0] for depth in depths]


def _depth_of(item: pikepdf.Object) -> int:
    depth = 0
    while "/Parent" in item:
        item, depth = item.Parent, depth + 1
    return depth
