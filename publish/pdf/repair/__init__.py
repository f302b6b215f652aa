"""After WeasyPrint: the structure, artifacts and catalog repairs PDF/UA-1 needs, in one pass."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf

from publish.model import Metadata
from publish.pdf.repair.artifacts import mark_artifacts
from publish.pdf.repair.catalog import Identity, add_xmp, fix_annotations, set_page_labels
from publish.pdf.repair.source import Source
from publish.pdf.repair.structure import repair
from publish.pdf.repair.tree import read_tree, write_tree


def finish(
    data: bytes, sources: Sequence[Source], metadata: Metadata, body_start: int | None,
    identity: Identity, blocks: Sequence[tuple[float, float, float, float]],
) -> bytes:
    """The PDF WeasyPrint wrote, repaired: a tree screen readers can use, artifacts marked,
    and each page's text block recorded as its ArtBox (`publish check` holds the tagged text
    to it, running heads and folios being in the margins)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = read_tree(pdf, sources)
        repairs = repair(root, metadata.language)
        claimed = write_tree(pdf, root)
        mark_artifacts(pdf, claimed, repairs.decorative)
        fix_annotations(pdf, repairs.dropped)
        set_page_labels(pdf, body_start)
        for page, block in zip(pdf.pages, blocks, strict=True):
            page.obj.ArtBox = pikepdf.Array(block)
        add_xmp(pdf, metadata, identity)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
