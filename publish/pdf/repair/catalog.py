"""Document-level PDF entries WeasyPrint leaves out: page labels, fuller XMP, annotation flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from publish.model import Metadata
from publish.pdf.repair.tree import Annotation

_PRINT_FLAG = 4  # annotation flag bit 3: printed, and shown to every reader alike


def set_page_labels(pdf: pikepdf.Pdf, body_start: int | None) -> None:
    """Page labels as the folios print them: i, ii, iii... before the body, then 1, 2, 3."""
    decimal = Dictionary(S=Name.D)
    if not body_start:
        nums = Array([0, decimal])
    else:
        nums = Array([0, Dictionary(S=Name.r), body_start, decimal])
    pdf.Root.PageLabels = Dictionary(Nums=nums)


def fix_annotations(pdf: pikepdf.Pdf, dropped: Iterable[Annotation]) -> None:
    """Drop the annotations the tree repair found redundant; flag the rest for printing."""
    gone = {annotation.annot.objgen for annotation in dropped}
    for page in pdf.pages:
        if "/Annots" not in page.obj:
            continue
        kept = [annot for annot in page.obj.Annots if annot.objgen not in gone]
        for annot in kept:
            annot.F = int(annot.get("/F", 0)) | _PRINT_FLAG
        page.obj.Annots = Array(kept)


@dataclass(frozen=True)
class Identity:
    """Who a PDF edition is in a catalogue: its own identifier, and the edition whose page
    numbers it refers to (large print's `[37]` markers are print pages), if any."""

    identifier: str
    source: str | None = None


def add_xmp(pdf: pikepdf.Pdf, metadata: Metadata, identity: Identity) -> None:
    """The catalogue facts WeasyPrint's XMP lacks: language, publisher, rights, this edition's
    identifier (as `dc:identifier` and `xmp:Identifier`) and its page numbers' source."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:language"] = [metadata.language]
        if metadata.date:
            xmp["dc:date"] = [metadata.date]
        if metadata.publisher:
            xmp["dc:publisher"] = [metadata.publisher]
        if metadata.rights:
            xmp["dc:rights"] = metadata.rights
        xmp["dc:identifier"] = identity.identifier
        xmp["xmp:Identifier"] = {identity.identifier}
        if identity.source:
            xmp["dc:source"] = identity.source
