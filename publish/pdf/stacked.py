"""Tables set as lists, and print page markers kept out of table cells. No WeasyPrint here.

A table too wide for any page is set as a list, a block per row, each cell after its column
heading in bold: PDF table tags need a heading row on every page, which only table layout
repeats. The labels of the first row count as the table's header text for the print page
map; those of later rows are marked `repeated`, which the map does not count, so a page
that starts after the table is found at the same place in every edition.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from publish.pagination import REPEATED

MARKER = "print-page"  # the class of a large-print page marker
MARKER_ROW = "print-page-row"


def stack(table: Any) -> None:
    """Replace an lxml `table` by its stacked form, keeping every cell's content."""
    head = table.findall("thead/tr")
    labels = [" ".join(cell.text_content().split()) for cell in head[-1]] if head else []
    stacked = etree.Element("div", {k: v for k, v in table.attrib.items()
                                    if k not in ("class", "style")})
    stacked.set("class", f"{table.get('class', '')} stacked-table".strip())
    caption = table.find("caption")
    if caption is not None:
        _move_content(caption, etree.SubElement(stacked, "p", {"class": "caption"}))
    rows = etree.SubElement(stacked, "ul", {"class": "stacked-rows"})
    markers: list[Any] = []
    for row in table.iterfind("tbody/tr"):
        if row.get("class") == MARKER_ROW:
            markers.extend(row.iter("span"))
            continue
        item = etree.SubElement(rows, "li")
        for marker in markers:
            item.append(_as_line(marker))
        markers = []
        label_class = "label" if len(rows) == 1 else f"label {REPEATED}"
        for label, cell in zip([*labels, *[""] * len(row)], row, strict=False):
            _add_cell(item, label, cell, label_class)
    stacked.tail = table.tail
    table.getparent().replace(table, stacked)


def _add_cell(item: Any, label: str, cell: Any, label_class: str) -> None:
    """One cell as a line of its row's list item: `Heading: content`, a row heading bold."""
    if (len(item) and item[-1].get("class") != MARKER) or item.text:
        etree.SubElement(item, "br")
    if cell.tag == "th":
        _move_content(cell, etree.SubElement(item, "b"))
        return
    if label:
        etree.SubElement(item, "b", {"class": label_class}).text = f"{label}:"
        item[-1].tail = " "
    _move_content(cell, item)


def _move_content(source: Any, target: Any) -> None:
    """Append an element's text and children to another element."""
    if source.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + source.text
        else:
            target.text = (target.text or "") + source.text
    for child in list(source):
        target.append(child)


def _as_line(marker: Any) -> Any:
    """A page marker as a line of its own."""
    line = etree.Element("div", {k: v for k, v in marker.attrib.items()})
    line.text = marker.text
    return line


def lift_markers(root: Any) -> None:
    """Page markers out of table cells (`[39] 1516` reads as one cell): before the row they
    fell in, in a row of their own, or before the table when the page starts with it."""
    for marker in [m for m in root.iter("span") if m.get("class") == MARKER]:
        table = next(marker.iterancestors("table"), None)
        if table is None:
            continue
        row = next(marker.iterancestors("tr"), None)
        _detach(marker)
        first = next(table.iter("tr"), None)
        if row is None or row is first or row.getparent().tag == "thead":
            table.addprevious(_as_line(marker))
        else:
            row.addprevious(_marker_row(marker, table))


def _detach(marker: Any) -> None:
    """Take a marker out of its text, leaving the text around it as it was."""
    tail = (marker.tail or "")[1:] if (marker.tail or "").startswith(" ") else marker.tail
    previous, parent = marker.getprevious(), marker.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + (tail or "")
    else:
        parent.text = (parent.text or "") + (tail or "")
    parent.remove(marker)


def _marker_row(marker: Any, table: Any) -> Any:
    """A row holding only the marker, its one cell as wide as the table."""
    columns = max((len(row) for row in table.iter("tr")), default=1)
    row = etree.Element("tr", {"class": MARKER_ROW})
    cell = etree.SubElement(row, "td", {"colspan": str(columns)})
    marker.tail = None
    cell.append(marker)
    return row
