"""Repairs to WeasyPrint's tag tree that PDF/UA-1 and screen readers need.

Each repair is a function on the node tree of `pdf_tree`, using the HTML source each
element was made from (`pdf_sources`): join what a page break split, fold a link's inner
boxes into one Link, drop decorative images to artifacts, tag notes where they are cited,
read figures the layout moved where their author put them, link table cells to their headers,
put nested lists back in their items, give list items their bodies, links their descriptions
and foreign words their language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

from publish.pagination import FLOAT_HOME, FLOATED
from publish.pdf.repair.links import fold_links, link_description
from publish.pdf.repair.source import Source
from publish.pdf.repair.tables import link_headers
from publish.pdf.repair.tree import Annotation, Content, Node

_KEEP_EMPTY = frozenset({"TD", "TH", "TR"})  # an empty cell still holds its place
_REPEATED = frozenset({"THead", "TFoot"})  # table header rows repeated on each page


@dataclass
class Repairs:
    """What the repairs took out of the tree, for the content streams and the pages."""

    decorative: list[Content] = field(default_factory=list)
    dropped: list[Annotation] = field(default_factory=list)


def repair(root: Node, language: str) -> Repairs:
    """Apply every repair, in an order where each finds what it needs."""
    repairs = Repairs()
    drop_decoration(root, repairs.decorative)
    fold_links(root, repairs.dropped)
    place_notes(root)
    prune_empty(root)
    join_continuations(root)
    restore_floats(root)
    link_headers(root)
    nest_lists(root)
    add_list_bodies(root)
    describe(root, language)
    return repairs


def drop_decoration(node: Node, artifacts: list[Content]) -> None:
    """An image with `alt=""` and a leader's dots are drawn, not read: they become artifacts."""
    kept: list[Node | Content | Annotation] = []
    for kid in node.kids:
        if isinstance(kid, Node) and _is_decoration(kid):
            artifacts += kid.contents()
            kept += _annotations(kid)  # the dots of a leader in a link still carry the link
            continue
        if isinstance(kid, Node):
            drop_decoration(kid, artifacts)
        kept.append(kid)
    node.kids = kept


def _annotations(node: Node) -> list[Annotation]:
    found = [kid for kid in node.kids if isinstance(kid, Annotation)]
    for kid in node.nodes():
        found += _annotations(kid)
    return found


def _is_decoration(node: Node) -> bool:
    source = node.source
    if source is None:
        return False
    if source.pseudo == "leader":
        return True
    return node.role == "Figure" and source.tag == "img" and (
        source.element.get("alt") == "" or source.attr("role") in ("presentation", "none"))


def place_notes(root: Node) -> None:
    """A footnote is a Note with an ID, read right after the reference that cites it."""
    parents = {id(kid): node for node in root.walk() for kid in node.nodes()}
    references = {_ref_target(node): node for node in root.walk()
                  if node.role == "Link" and _ref_target(node)}
    notes: dict[int, Node] = {}
    for node in list(root.walk()):
        source = node.source
        if source is None or source.pseudo or "footnote" not in source.classes:
            continue
        parents[id(node)].kids.remove(node)
        first = notes.setdefault(id(node.source), node)
        if first is not node:
            first.kids += node.kids  # a note continued on the next page
    for note in notes.values():
        ident = note.source.attr("id") if note.source else ""
        note.role = "Note"
        note.attrs["/ID"] = pikepdf.String(ident)
        reference = references.get(ident)
        holder = parents[id(reference)] if reference is not None else root
        at = holder.kids.index(reference) + 1 if reference is not None else len(holder.kids)
        holder.kids.insert(at, note)


def _ref_target(link: Node) -> str:
    source = link.source
    if source is None or "noteref" not in source.classes:
        return ""
    return source.attr("href").removeprefix("#")


def prune_empty(node: Node) -> None:
    """Elements left with nothing (a footnote area emptied, a floated note's placeholder)."""
    for kid in node.nodes():
        prune_empty(kid)
    node.kids = [kid for kid in node.kids
                 if not isinstance(kid, Node) or kid.kids or kid.role in _KEEP_EMPTY]


def join_continuations(node: Node) -> None:
    """One element split by page breaks is one element again; a header row repeated on a new
    page leaves the tree (its unclaimed content becomes a pagination artifact)."""
    kept: list[Node | Content | Annotation] = []
    seen: dict[int, Node] = {}
    renamed: dict[str, pikepdf.Object] = {}
    for kid in node.kids:
        previous = kept[-1] if kept else None
        if isinstance(kid, Node) and kid.source is not None:
            if isinstance(previous, Node) and previous.source is kid.source \
                    and previous.role == kid.role:
                previous.kids += kid.kids
                continue
            if kid.role in _REPEATED and id(kid.source) in seen:
                renamed |= _header_ids(kid, seen[id(kid.source)])
                continue
            seen.setdefault(id(kid.source), kid)
        kept.append(kid)
    node.kids = kept
    if renamed:
        _rename_headers(node, renamed)
    for kid in node.nodes():
        join_continuations(kid)


def _header_ids(repeat: Node, first: Node) -> dict[str, pikepdf.Object]:
    """The IDs of a repeated header row's cells, mapped to those of the first row's."""
    originals = {id(n.source): n.attrs["/ID"] for n in first.walk() if "/ID" in n.attrs}
    return {str(n.attrs["/ID"]): originals[id(n.source)] for n in repeat.walk()
            if "/ID" in n.attrs and id(n.source) in originals}


def _rename_headers(table: Node, renamed: dict[str, pikepdf.Object]) -> None:
    for cell in table.walk():
        layout = cell.attrs.get("/A")
        if isinstance(layout, pikepdf.Dictionary) and "/Headers" in layout:
            layout.Headers = pikepdf.Array(
                [renamed.get(str(h), h) for h in layout.Headers])


def restore_floats(root: Node) -> None:
    """A figure the layout moved past the elements after it (`publish.pdf.floats`) is read
    where its author put it: before the first of them that is in the tree."""
    parents = {id(kid): node for node in root.walk() for kid in node.nodes()}
    homes: dict[str, Node] = {}
    for node in root.walk():
        for number in _attr(node, FLOAT_HOME).split():
            homes.setdefault(number, node)  # the first in reading order
    for figure in list(_floated(root)):
        home = homes.get(_attr(figure, FLOATED))
        if home is None:
            continue
        parents[id(figure)].kids.remove(figure)
        holder = parents[id(home)]
        holder.kids.insert(holder.kids.index(home), figure)
        parents[id(figure)] = holder


def _attr(node: Node, name: str) -> str:
    return node.source.attr(name) if node.source is not None and not node.source.pseudo else ""


def _floated(node: Node) -> Iterator[Node]:
    """The outermost elements made from a numbered figure, in reading order."""
    for kid in node.nodes():
        if kid.source is not None and kid.source.tag == "figure" and _attr(kid, FLOATED):
            yield kid
        else:
            yield from _floated(kid)


def nest_lists(node: Node) -> None:
    """A list inside a list item belongs in that item; WeasyPrint makes it the item's sibling."""
    for child in node.nodes():
        nest_lists(child)
    if node.role != "L":
        return
    kept: list[Node | Content | Annotation] = []
    for kid in node.kids:
        item = kept[-1] if kept else None
        if isinstance(kid, Node) and kid.role == "L" and isinstance(item, Node) \
                and item.role == "LI" and _insert_in_order(item, kid):
            continue
        kept.append(kid)
    node.kids = kept


def _insert_in_order(item: Node, nested: Node) -> bool:
    """Put `nested` among `item`'s kids where its HTML element comes, if it is inside it."""
    if item.source is None or nested.source is None:
        return False
    order = {id(element): at for at, element in enumerate(item.source.element.iter())}
    place = order.get(id(nested.source.element))
    if place is None:
        return False
    later = [at for at, kid in enumerate(item.kids) if isinstance(kid, Node) and kid.source
             and not kid.source.pseudo and order.get(id(kid.source.element), -1) > place]
    item.kids.insert(later[0] if later else len(item.kids), nested)
    return True


def add_list_bodies(node: Node) -> None:
    """A list item holds a label and one body; WeasyPrint leaves loose items' paragraphs bare."""
    for child in node.nodes():
        add_list_bodies(child)
    if node.role != "LI":
        return
    labels: list[Node | Content | Annotation] = [kid for kid in node.nodes() if kid.role == "Lbl"]
    rest = [kid for kid in node.kids if not (isinstance(kid, Node) and kid.role == "Lbl")]
    if len(rest) == 1 and isinstance(rest[0], Node) and rest[0].role == "LBody":
        return
    body = Node("LBody", page=node.page)
    for kid in rest:
        body.kids += kid.kids if isinstance(kid, Node) and kid.role == "LBody" else [kid]
    node.kids = [*labels, body] if body.kids else labels


def describe(node: Node, language: str) -> None:
    """Roles, languages and link descriptions that only the HTML source knows."""
    for kid in node.nodes():
        kid_language = language
        source = kid.source
        if source is not None and not source.pseudo:
            kid_language = source.attr("lang") or language
            if kid_language.lower() != language.lower():
                kid.attrs["/Lang"] = pikepdf.String(kid_language)
            _retag(kid, source)
        describe(kid, kid_language)


def _retag(node: Node, source: Source) -> None:
    if "note-p" in source.classes:
        node.role = "P"
    elif source.tag == "code" and node.role == "NonStruct":
        node.role = "Code"
    elif node.role == "LI" and "note" in source.classes:
        _wrap_endnote(node, source.attr("id"))
    elif node.role == "Link":
        description = link_description(source)
        for kid in node.kids:
            if isinstance(kid, Annotation):
                kid.annot.Contents = pikepdf.String(description)


def _wrap_endnote(item: Node, ident: str) -> None:
    """An end-of-chapter note is a list item whose body is a Note, its number the Note's label."""
    labels = [kid for kid in item.nodes() if kid.role == "Lbl"]
    content = [kid for body in item.nodes() if body.role == "LBody" for kid in body.kids]
    note = Node("Note", page=item.page, attrs={"/ID": pikepdf.String(ident)},
                kids=[*labels, *content])
    item.kids = [Node("LBody", page=item.page, kids=[note])]
