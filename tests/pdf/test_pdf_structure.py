"""The tag-tree repairs one by one, on small hand-made trees (no rendering)."""

from __future__ import annotations

import logging
from pathlib import Path
from xml.etree.ElementTree import Element

import pikepdf
import pytest

from publish.errors import ManuscriptError
from publish.model import Book, Metadata
from publish.pdf.engine import Source
from publish.pdf.fonts import refusing_notdef
from publish.pdf.repair.links import fold_links
from publish.pdf.repair.structure import (
    add_list_bodies,
    drop_decoration,
    join_continuations,
    nest_lists,
    place_notes,
)
from publish.pdf.repair.tables import link_headers
from publish.pdf.repair.tree import Annotation, Content, Node


def source(tag: str, **attributes: str) -> Source:
    """A source element as WeasyPrint's parser gives it."""
    return Source(Element(tag, {k.replace("_", "-"): v for k, v in attributes.items()}), tag)


def texts(node: Node) -> list[int]:
    """The marked-content ids under a node, in order."""
    return [content.mcid for content in node.contents()]


def link_annotation(dest: str, rect: list[float]) -> Annotation:
    """A link annotation on page 0."""
    return Annotation(0, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                            Dest=pikepdf.String(dest), Rect=pikepdf.Array(rect)))


def test_loose_list_item_gets_one_body_after_its_label() -> None:
    item = Node("LI", kids=[Node("Lbl", kids=[Content(0, 1)]), Node("P", kids=[Content(0, 2)]),
                            Node("P", kids=[Content(0, 3)])])
    add_list_bodies(Node("L", kids=[item]))
    assert [kid.role for kid in item.nodes()] == ["Lbl", "LBody"]
    assert [kid.role for kid in item.nodes()[1].nodes()] == ["P", "P"] and texts(item) == [1, 2, 3]


def test_nested_list_goes_back_into_its_item_where_the_html_has_it() -> None:
    outer_li, first, nested, last = Element("li"), Element("p"), Element("ul"), Element("p")
    outer_li.extend([first, nested, last])
    item = Node("LI", Source(outer_li, "li"), kids=[
        Node("P", Source(first, "p"), kids=[Content(0, 1)]),
        Node("P", Source(last, "p"), kids=[Content(0, 3)])])
    inner = Node("L", Source(nested, "ul"), kids=[Node("LI", kids=[Content(0, 2)])])
    root = Node("L", kids=[item, inner])
    nest_lists(root)
    assert root.nodes() == [item] and texts(item) == [1, 2, 3]


def test_paragraph_split_by_a_page_break_is_one_paragraph() -> None:
    para, section = source("p"), source("section")
    root = Node("Document", kids=[
        Node("Sect", section, 0, kids=[Node("P", para, 0, kids=[Content(0, 5)])]),
        Node("Sect", section, 1, kids=[Node("P", para, 1, kids=[Content(1, 0)]),
                                       Node("P", source("p"), 1, kids=[Content(1, 1)])]),
    ])
    join_continuations(root)
    (sect,) = root.nodes()
    assert [texts(p) for p in sect.nodes()] == [[5, 0], [1]]


def test_repeated_table_header_leaves_the_tree_and_cells_keep_their_headers() -> None:
    table, head, body, cell = source("table"), source("thead"), source("tbody"), source("th")

    def page(n: int, th_id: str) -> Node:
        th = Node("TH", cell, n, {"/ID": pikepdf.String(th_id)}, [Content(n, 0)])
        layout = pikepdf.Dictionary(O=pikepdf.Name.Table, Headers=pikepdf.Array([th_id]))
        td = Node("TD", source("td"), n, {"/A": layout}, [Content(n, 1)])
        return Node("Table", table, n, kids=[Node("THead", head, n, kids=[th]),
                                            Node("TBody", body, n, kids=[td])])

    root = Node("Document", kids=[page(0, "a"), page(1, "b")])
    join_continuations(root)
    (merged,) = root.nodes()
    assert [kid.role for kid in merged.nodes()] == ["THead", "TBody"]
    assert [(c.page, c.mcid) for c in merged.contents()] == [(0, 0), (0, 1), (1, 1)]
    headers = [str(h) for td in merged.nodes()[1].nodes() for h in td.attrs["/A"].Headers]
    assert headers == ["a", "a"]


def test_cells_under_headers_spanning_rows_and_columns_get_those_headers() -> None:
    """Word's table_header_rowspan: WeasyPrint gave most of its data cells no header."""

    def cell(role: str, ident: str = "", scope: str = "col", **span: int) -> Node:
        layout = pikepdf.Dictionary(O=pikepdf.Name.Table, **span)
        attrs = {"/A": layout, **({"/ID": pikepdf.String(ident)} if ident else {})}
        return Node(role, source(role.lower(), scope=scope), attrs=attrs)

    def row(*cells: Node) -> Node:
        return Node("TR", kids=list(cells))

    head = [row(cell("TH", "a", RowSpan=2), cell("TH", "e", ColSpan=2), cell("TH", "f", RowSpan=2)),
            row(cell("TH", "g"), cell("TH", "h"))]
    body = [row(cell("TH", "r", "row"), *(cell("TD") for _ in range(3))),
            row(*(cell("TD") for _ in range(4)))]
    table = Node("Table", kids=[Node("THead", kids=head), Node("TBody", kids=body)])
    link_headers(Node("Document", kids=[table]))
    cells = [c for r in head + body for c in r.nodes()]
    assert [str(c.attrs["/A"].Scope) for c in cells if c.role == "TH"] == [
        "/Column", "/Column", "/Column", "/Column", "/Column", "/Row"]
    assert [[str(h) for h in c.attrs["/A"].Headers] for c in cells if c.role == "TD"] == [
        ["e", "g", "r"], ["e", "h", "r"], ["f", "r"], ["a"], ["e", "g"], ["e", "h"], ["f"]]


def test_link_inner_boxes_fold_into_one_link_with_one_annotation() -> None:
    outer = link_annotation("n1", [10, 10, 20, 20])
    inner = link_annotation("n1", [12, 15, 21, 24])  # the raised `sup`, overlapping
    link = Node("Link", source("a", href="#n1"), kids=[
        outer, Node("NonStruct", source("sup"), kids=[inner, Node("Span", kids=[Content(0, 3)])])])
    dropped: list[Annotation] = []
    fold_links(Node("P", kids=[link]), dropped)
    assert dropped == [inner] and link.kids[0] is outer
    assert [float(v) for v in outer.annot.Rect] == [10, 10, 21, 24]


def test_decorative_image_leaves_the_tree_for_the_artifacts() -> None:
    ornament = Node("Figure", source("img", alt=""), kids=[Content(0, 7)])
    chart = Node("Figure", source("img", alt="A chart"), kids=[Content(0, 8)])
    root = Node("Document", kids=[Node("Div", kids=[ornament]), chart])
    artifacts: list[Content] = []
    drop_decoration(root, artifacts)
    assert [c.mcid for c in artifacts] == [7] and texts(root) == [8]


def test_footnote_is_a_note_after_its_reference_even_when_split() -> None:
    note = source("span", id="c-note-1", **{"class": "footnote"})
    reference = Node("Link", source("a", href="#c-note-1", **{"class": "noteref"}),
                     kids=[Content(0, 1)])
    paragraph = Node("P", kids=[reference, Node("Span", kids=[Content(0, 2)])])
    root = Node("Document", kids=[
        paragraph,
        Node("NonStruct", kids=[Node("Span", note, 0, kids=[Content(0, 9)])]),
        Node("NonStruct", kids=[Node("Span", note, 1, kids=[Content(1, 0)])]),
    ])
    place_notes(root)
    assert [kid.role for kid in paragraph.nodes()] == ["Link", "Note", "Span"]
    placed = paragraph.nodes()[1]
    assert str(placed.attrs["/ID"]) == "c-note-1" and texts(placed) == [9, 0]


def test_a_glyph_drawn_as_notdef_fails_the_build(tmp_path: Path) -> None:
    manuscript = tmp_path / "book.md"
    manuscript.write_text("# Book\n\nA \ue123 here.\n", encoding="utf-8")
    book = Book(Metadata("Book", "en"), (), "article", tmp_path, "book", sources=(manuscript,))
    with pytest.raises(ManuscriptError) as caught, refusing_notdef(book):
        logging.getLogger("weasyprint").warning(
            '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
            "\ue123", 0xE123)
    assert caught.value.line == 3 and "U+E123" in caught.value.message
