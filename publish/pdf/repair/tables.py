"""Which header cells each table cell belongs to, worked out on the table's own grid.

WeasyPrint 70 gives a TD the headers of the grid position it counts, which drifts as soon as
a cell spans rows or columns (a Word header row with merged cells left most data cells with
no header, PDF/UA's "headers cannot be determined"), and a TH no `/Scope` (outloud TBL-002).
Here every TH says whether it heads its column or its row, as its HTML `scope` says, and
every TD lists the column headers above it in its columns and the row headers before it in
its rows, spans counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf

from publish.pdf.repair.tree import Node

_GROUPS = frozenset({"THead", "TBody", "TFoot"})


@dataclass(frozen=True, slots=True)
class GridCell:
    """A cell and the grid rectangle it covers: first row and column, rows and columns."""

    cell: Node
    row: int
    column: int
    rows: int
    columns: int

    def heads_column_of(self, other: GridCell) -> bool:
        """A column header above `other`, sharing one of its columns."""
        return self.row < other.row and self.column < other.column + other.columns \
            and other.column < self.column + self.columns

    def heads_row_of(self, other: GridCell) -> bool:
        """A row header before `other`, sharing one of its rows."""
        return self.column < other.column and self.row < other.row + other.rows \
            and other.row < self.row + self.rows


def link_headers(root: Node) -> None:
    """Scope every table's header cells and give its data cells their headers."""
    for table in root.walk():
        if table.role == "Table":
            _link_table(table)


def _link_table(table: Node) -> None:
    placed = list(_grid(table))
    heads = [p for p in placed if p.cell.role == "TH"]
    for head in heads:
        _layout(head.cell).Scope = pikepdf.Name.Row if _heads_row(head.cell) \
            else pikepdf.Name.Column
    for data in placed:
        if data.cell.role != "TD":
            continue
        ids = [head.cell.attrs["/ID"] for head in heads if "/ID" in head.cell.attrs and (
            head.heads_row_of(data) if _heads_row(head.cell) else head.heads_column_of(data))]
        _layout(data.cell).Headers = pikepdf.Array(ids)


def _grid(table: Node) -> Iterator[GridCell]:
    """Each cell at the first grid position its row leaves free, as HTML tables place them."""
    taken: set[tuple[int, int]] = set()
    for row, tr in enumerate(_rows(table)):
        column = 0
        for cell in tr.nodes():
            if cell.role not in ("TH", "TD"):
                continue
            while (row, column) in taken:
                column += 1
            rows, columns = _span(cell, "/RowSpan"), _span(cell, "/ColSpan")
            taken |= {(row + down, column + across) for down in range(rows)
                      for across in range(columns)}
            yield GridCell(cell, row, column, rows, columns)
            column += columns


def _rows(table: Node) -> Iterator[Node]:
    for kid in table.nodes():
        if kid.role == "TR":
            yield kid
        elif kid.role in _GROUPS:
            yield from (row for row in kid.nodes() if row.role == "TR")


def _heads_row(cell: Node) -> bool:
    return cell.source is not None and cell.source.attr("scope") == "row"


def _span(cell: Node, key: str) -> int:
    layout = cell.attrs.get("/A")
    if isinstance(layout, pikepdf.Dictionary) and key in layout:
        return max(1, int(layout[key]))
    return 1


def _layout(cell: Node) -> pikepdf.Dictionary:
    """The cell's table attributes, made if WeasyPrint gave it none."""
    layout = cell.attrs.get("/A")
    if not isinstance(layout, pikepdf.Dictionary):
        layout = pikepdf.Dictionary(O=pikepdf.Name.Table)
        cell.attrs["/A"] = layout
    return layout
