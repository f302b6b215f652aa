"""The spliced pages' resources joined to the book's, so a rebuilt PDF is no bigger than a
fresh one: without this, each splice added its own copy of every image and a second subset
of every font (a small book grew from 351 KB to 568 KB after one edit).

WeasyPrint names a font after the font itself and an image after its content, and gives
every page one shared resource dictionary. Its font subsets keep the glyph ids of the full
font, so two subsets of one font merge by taking, for each glyph the new pages use that the
book's subset lacks, the new subset's outline, width and Unicode value.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_PROGRAMS = ("/FontFile2", "/FontFile3")


class Unmergeable(Exception):
    """Two resources under one name cannot be joined: the edition is laid out in full."""


def share(pdf: pikepdf.Pdf, shared: pikepdf.Object, pages: Iterable[pikepdf.Object]) -> None:
    """Point each page at the `shared` resources, adding the fonts, images and states only
    its own resources had, merging two subsets of one font into the shared one."""
    for page in pages:
        own = page.get("/Resources")
        if own is None or own.objgen == shared.objgen:
            continue
        for category, entries in own.items():
            if not isinstance(entries, Dictionary):
                continue
            if category not in shared:
                shared[category] = Dictionary()
            into = shared[category]
            for name, resource in entries.items():
                if name not in into:
                    into[name] = resource
                elif category == "/Font":
                    _merge_font(pdf, into[name], resource)
                elif not _same(into[name], resource):
                    raise Unmergeable(f"two {category} resources are both named {name}")
        page.Resources = shared


def _same(kept: pikepdf.Object, new: pikepdf.Object) -> bool:
    """Whether two resources draw the same: equal stream bytes, or equal objects."""
    if isinstance(kept, pikepdf.Stream) and isinstance(new, pikepdf.Stream):
        return bool(kept.read_raw_bytes() == new.read_raw_bytes()
                    and kept.stream_dict.get("/Filter") == new.stream_dict.get("/Filter"))
    return bool(kept.unparse(resolved=True) == new.unparse(resolved=True))


def _merge_font(pdf: pikepdf.Pdf, kept: pikepdf.Object, new: pikepdf.Object) -> None:
    """Give `kept` the glyphs `new` uses that it lacks, with their widths and text."""
    kept_cid, new_cid = _descendant(kept), _descendant(new)
    if kept.BaseFont != new.BaseFont:
        raise Unmergeable(f"two fonts are named {kept.BaseFont} and {new.BaseFont}")
    widths = _widths(kept_cid.W)
    missing = {cid: width for cid, width in _widths(new_cid.W).items() if cid not in widths}
    if missing:
        _merge_programs(kept_cid.FontDescriptor, new_cid.FontDescriptor, set(widths),
                        set(missing))
        widths |= missing
        kept_cid.W = _width_array(widths)
        if "/CIDSet" in kept_cid.FontDescriptor:
            kept_cid.FontDescriptor.CIDSet = pdf.make_stream(_cid_set(widths))
        _widen_box(kept_cid.FontDescriptor, new_cid.FontDescriptor)
    texts = _to_unicode(kept.ToUnicode)
    added = {cid: text for cid, text in _to_unicode(new.ToUnicode).items() if cid not in texts}
    if added:
        kept.ToUnicode = pdf.make_stream(_cmap(texts | added))


def _descendant(font: pikepdf.Object) -> pikepdf.Object:
    """The CID font of a Type 0 font with identity encoding: the only kind WeasyPrint
    writes for outline fonts, and the only kind whose glyph ids need no mapping."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
        raise Unmergeable(f"font {font.get('/BaseFont')} is not Type 0 with Identity-H")
    cid = font.DescendantFonts[0]
    if cid.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        raise Unmergeable(f"font {font.BaseFont} maps its glyph ids")
    return cid


def _widths(array: pikepdf.Object) -> dict[int, float]:
    """A /W array (`first [w w ...]` or `first last w` runs) as widths by CID."""
    items, at = list(array), 0
    found: dict[int, float] = {}
    while at < len(items):
        first = int(items[at])
        if isinstance(items[at + 1], Array):
            found |= {first + k: float(w) for k, w in enumerate(items[at + 1])}
            at += 2
        else:
            found |= dict.fromkeys(range(first, int(items[at + 1]) + 1), float(items[at + 2]))
            at += 3
    return found


def _width_array(widths: dict[int, float]) -> Array:
    """Widths by CID as a /W array of runs of consecutive CIDs."""
    runs: list[tuple[int, list[float]]] = []
    for cid in sorted(widths):
        if runs and runs[-1][0] + len(runs[-1][1]) == cid:
            runs[-1][1].append(widths[cid])
        else:
            runs.append((cid, [widths[cid]]))
    return Array([item for first, run in runs for item in (first, Array(run))])


def _cid_set(cids: Iterable[int]) -> bytes:
    """The CIDSet bit string: bit n set when CID n is in the font."""
    found = sorted(cids)
    bits = bytearray((found[-1] // 8 + 1) if found else 0)
    for cid in found:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


def _widen_box(kept: pikepdf.Object, new: pikepdf.Object) -> None:
    """The font box that holds the glyphs of both subsets."""
    a, b = [float(v) for v in kept.FontBBox], [float(v) for v in new.FontBBox]
    kept.FontBBox = Array([min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]),
                           max(a[3], b[3])])


def _to_unicode(cmap: pikepdf.Object) -> dict[int, bytes]:
    """A ToUnicode CMap's single-glyph entries (WeasyPrint writes no ranges)."""
    data = cmap.read_bytes()
    if b"beginbfrange" in data:
        raise Unmergeable("a ToUnicode map has ranges")
    entries = _BFCHAR.findall(data.split(b"endcodespacerange")[-1])
    return {int(cid, 16): text for cid, text in entries}


def _cmap(texts: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap for these glyphs, in the form WeasyPrint writes."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    cids = sorted(texts)
    for start in range(0, len(cids), 100):
        batch = cids[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (cid, texts[cid]) for cid in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _merge_programs(kept: pikepdf.Object, new: pikepdf.Object, ours: set[int],
                    missing: set[int]) -> None:
    """`kept`'s font program with the glyphs `missing` from it taken from `new`'s. A subset
    keeps the glyph ids of the full font but ends at the highest it uses: the glyphs go
    from the shorter program into the longer, which becomes `kept`'s."""
    key = next((k for k in _PROGRAMS if k in kept), None)
    if key is None or key not in new:
        raise Unmergeable("a font has no embedded program of a kind both share")
    base, donor, wanted = _load(kept[key]), _load(new[key]), missing
    if len(donor.getGlyphOrder()) > len(base.getGlyphOrder()):
        base, donor, wanted = donor, base, ours
    _copy_glyphs(base, donor, sorted(wanted))
    out = io.BytesIO()
    base.save(out)
    data = out.getvalue()
    kept[key].write(zlib.compress(data), filter=Name.FlateDecode)
    if key == "/FontFile2":
        kept[key].Length1 = len(data)


def _copy_glyphs(target: TTFont, source: TTFont, gids: list[int]) -> None:
    """Copy these glyphs' outlines and metrics from `source` into `target`, by glyph id
    (the same id is the same glyph; its name may differ, taken from each subset's cmap)."""
    ours, theirs = target.getGlyphOrder(), source.getGlyphOrder()
    if gids and gids[-1] >= len(theirs):
        raise Unmergeable("a font subset lacks a glyph its widths name")
    names = {theirs[gid]: ours[gid] for gid in range(len(theirs))}
    if "glyf" in target and "glyf" in source:
        _copy_outlines(target["glyf"], source["glyf"], [theirs[gid] for gid in gids], names)
    elif "CFF " in target and "CFF " in source and not any(
            font["CFF "].cff.topDictIndex[0].rawDict.get("ROS") for font in (target, source)):
        charstrings = target["CFF "].cff.topDictIndex[0].CharStrings
        for gid in gids:
            charstrings[ours[gid]] = source["CFF "].cff.topDictIndex[0].CharStrings[theirs[gid]]
    else:
        raise Unmergeable("font programs that are neither TrueType nor name-keyed CFF")
    for gid in gids:
        target["hmtx"][ours[gid]] = source["hmtx"][theirs[gid]]


def _copy_outlines(target: Any, source: Any, wanted: list[str], names: dict[str, str]) -> None:
    """TrueType outlines (named as in `source`), with the glyphs a composite glyph is built
    of; `names` gives each glyph's name in `target`."""
    pending, done = list(wanted), set()
    while pending:
        name = pending.pop()
        if name in done:
            continue
        done.add(name)
        glyph = source[name]
        if glyph.isComposite():
            pending += [c.glyphName for c in glyph.components
                        if target[names[c.glyphName]].numberOfContours == 0]
            for component in glyph.components:
                component.glyphName = names[component.glyphName]
        target[names[name]] = glyph


def _load(program: pikepdf.Object) -> TTFont:
    """An embedded font program, read by fontTools."""
    try:
        return TTFont(io.BytesIO(program.read_bytes()))
    except Exception as error:  # fontTools raises many kinds on a font it cannot read
        raise Unmergeable(f"an embedded font cannot be read: {error}") from None
