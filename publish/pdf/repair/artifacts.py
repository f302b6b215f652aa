"""Marked content that no structure element claims becomes an artifact in the page content.

WeasyPrint marks running heads and folios (margin boxes) as tagged content that nothing in
the tree points to; images dropped as decorative and repeated table headers leave the same
kind of orphan behind. PDF/UA-1 wants each of them marked as an artifact instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pikepdf

from publish.pdf.repair.tree import Content

# How pydyf writes the start of a marked-content sequence with an MCID, one token a line;
# matching the bytes is ten times faster than parsing every page's operators.
_MARKED = re.compile(rb"^/[^\s/<>\[\]()]+\n<</MCID (\d+)>>\nBDC$", re.MULTILINE)
_PLAIN = b"/Artifact BMC"
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


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
    page.contents_coalesce()
    stream = page.obj.Contents.read_bytes()

    def remark(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(1))
        if mcid in claimed:
            return match.group(0)
        return _PLAIN if mcid in plain else _PAGINATION

    marked = _MARKED.sub(remark, stream)
    if marked != stream:
        page.obj.Contents = pdf.make_stream(marked)
