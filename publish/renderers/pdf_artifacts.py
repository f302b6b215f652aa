"""Marked content that no structure element claims becomes an artifact in the page content.

WeasyPrint marks running heads and folios (margin boxes) as tagged content that nothing in
the tree points to; images dropped as decorative and repeated table headers leave the same
kind of orphan behind. PDF/UA-1 wants each of them marked as an artifact instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import pikepdf
from pikepdf import Dictionary, Name, Operator

from publish.renderers.pdf_tree import Content

_BDC = Operator("BDC")
_BMC = Operator("BMC")


def mark_artifacts(
    pdf: pikepdf.Pdf, claimed: dict[int, set[int]], decorative: Iterable[Content],
) -> None:
    """Re-mark unclaimed content: decorative images as plain artifacts, the rest pagination."""
    plain: dict[int, set[int]] = {}
    for content in decorative:
        plain.setdefault(content.page, set()).add(content.mcid)
    for index, page in enumerate(pdf.pages):
        _rewrite_page(pdf, page, claimed.get(index, set()), plain.get(index, set()))


def _rewrite_page(
    pdf: pikepdf.Pdf, page: pikepdf.Page, claimed: set[int], plain: set[int],
) -> None:
    instructions = pikepdf.parse_content_stream(page)
    changed = False
    for at, (operands, operator) in enumerate(instructions):
        mcid = _mcid(operands) if operator == _BDC else None
        if mcid is None or mcid in claimed:
            continue
        changed = True
        instructions[at] = (
            ([Name.Artifact], _BMC) if mcid in plain
            else ([Name.Artifact, Dictionary(Type=Name.Pagination)], _BDC)
        )
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _mcid(operands: list[pikepdf.Object]) -> int | None:
    properties = operands[1] if len(operands) == 2 else None
    if isinstance(properties, Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None
