"""Prove that two builds are the same output: one `NAME: same` or `NAME: DIFFERENT: ...` a file.

    python scripts/compare_builds.py BEFORE_DIR AFTER_DIR [--deep]

Every file in either folder is compared (paths with a dot-named part, such as the
`.publish-cache` folder, are skipped); a file missing on one side is a difference.
Exit status 0 only if everything is the same, 1 if anything differs, 2 on bad arguments.

- `.epub`: must be byte-identical (builds use SOURCE_DATE_EPOCH). When it is not, the zip
  members that differ, or are only on one side, are named.
- `.pdf`: byte-identical files are the same without further ado (unless `--deep`). Otherwise
  these aspects are compared, each in a canonical form with no object numbers in it:
    pages      page count; per page MediaBox, CropBox, BleedBox, TrimBox, ArtBox (inherited
               ones resolved, 2 decimals), /Rotate, /UserUnit, /Tabs
    resources  per page, the fonts, images and other resources by content (embedded font
               and image data hashed), without their resource names: image names are
               generated, and equal builds from two checkouts named an image differently
    text       `pdftotext -layout` per page
    structure  the StructTreeRoot: each element's /S and every other key (/Alt,
               /ActualText, /Lang, /T, /E, /ID, /C, attributes /A ...), its children in
               order, marked-content kids as page index + MCID, object kids (link
               annotations) as page index + annotation index; /RoleMap, /ClassMap, /IDTree
               (ID -> element) and the /ParentTree seen from the pages and annotations
               (StructParents -> elements)
    links      per page, each annotation: subtype, /Rect (2 decimals), /Contents, /F and
               its target: /URI, or the destination resolved (named destinations looked
               up) to page index, fit type and coordinates; also every named destination
    outline    /Outlines: titles, nesting, open/closed, targets resolved as above
    catalog    PDF version and the catalog keys not covered above (/Lang, /MarkInfo,
               /ViewerPreferences, /PageLabels, ...)
    metadata   the document info dictionary and the XMP packet, property by property
    pixels     every page rendered with `pdftoppm -png -r 50`, compared exactly with Pillow
  Pages are counted from 1 in the report, as pdftoppm and PDF viewers count them.

Ignored, because they legitimately differ between two builds of the same output:
  - the trailer /ID: a hash of the file's bytes, so it changes whenever the bytes do (object
    numbering, stream order), even when nothing a reader gets has changed;
  - info /CreationDate and /ModDate, XMP xmp:CreateDate, xmp:ModifyDate, xmp:MetadataDate:
    they say when a build ran, not what it holds (this project's come from the manuscript,
    but a build without a fixed date would stamp the clock);
  - XMP xmpMM:DocumentID, xmpMM:InstanceID, xmpMM:VersionID: per-build identifiers.
  An ignored key that does differ is still mentioned, as `same (...; ignored: ...)`; so is
  a PDF whose bytes differ with every compared aspect equal (`bytes differ, ...`).
  Content streams are not compared as such: text, structure (MCIDs) and pixels stand for
  them, and they legitimately differ when a resource is renamed.
Numbers in rectangles and destinations are rounded to 2 decimals, other numbers to 3.
Other files are compared byte for byte.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, ImageChops

IGNORED_INFO = {"/CreationDate", "/ModDate"}
XMP_NS = "http://ns.adobe.com/xap/1.0/"
XMPMM_NS = "http://ns.adobe.com/xap/1.0/mm/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IGNORED_XMP = {
    f"{{{XMP_NS}}}CreateDate": "xmp:CreateDate",
    f"{{{XMP_NS}}}ModifyDate": "xmp:ModifyDate",
    f"{{{XMP_NS}}}MetadataDate": "xmp:MetadataDate",
    f"{{{XMPMM_NS}}}DocumentID": "xmpMM:DocumentID",
    f"{{{XMPMM_NS}}}InstanceID": "xmpMM:InstanceID",
    f"{{{XMPMM_NS}}}VersionID": "xmpMM:VersionID",
}
# Catalog keys compared by their own aspect (or, for /Metadata, by `metadata`).
CATALOG_ELSEWHERE = {"/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/Names", "/Dests",
                     "/Metadata"}
BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
RENDER_DPI = "50"
ASPECTS = ("pages", "resources", "text", "structure", "links", "outline", "catalog", "metadata",
           "pixels")  # in the order they are reported
SHOWN = 70  # characters of a differing value shown in the report


# --- canonical forms -----------------------------------------------------------------------


def short(text: str) -> str:
    """`text` on one line, cut to SHOWN characters."""
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def around_difference(old: str, new: str) -> tuple[str, str]:
    """Two lines from a little before the first character where they differ."""
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                 min(len(old), len(new)))
    if start <= SHOWN // 2:
        return old, new
    keep = start - SHOWN // 3
    # Keep the line's label (page, element path) if it has one, then jump to the difference.
    cut = old.find(" {")
    head = old[: cut + 1] if 0 < cut < min(keep, 40) else ""
    return head + "…" + old[keep:], head + "…" + new[keep:]


def pages_list(numbers: Iterable[int]) -> str:
    """1-based page numbers as `3, 5-7, 12`."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def number(value: Any, places: int = 3) -> float | int:
    """A PDF number, rounded, with integers kept as integers."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    rounded = round(float(value), places)
    return int(rounded) if rounded.is_integer() else rounded


def text_of(value: Any) -> str:
    """A PDF string or name as Python text."""
    try:
        return str(value)
    except (UnicodeDecodeError, ValueError):
        return bytes(value).hex()


def dump(value: Any) -> str:
    """A canonical one-line JSON rendering."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Document:
    """One PDF, with the maps that turn object references into stable names."""

    pdf: pikepdf.Pdf
    page_index: dict[tuple[int, int], int] = field(default_factory=dict)
    annot_id: dict[tuple[int, int], str] = field(default_factory=dict)
    element_path: dict[tuple[int, int], str] = field(default_factory=dict)
    named_dests: dict[str, Any] = field(default_factory=dict)
    stream_hash: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> Document:
        pdf = pikepdf.open(path)
        doc = cls(pdf)
        for i, page in enumerate(pdf.pages):
            doc.page_index[page.obj.objgen] = i
            for j, annot in enumerate(page.obj.get("/Annots", [])):
                if annot.is_indirect:
                    doc.annot_id[annot.objgen] = f"p{i + 1}#{j}"
        root = pdf.Root
        if "/Dests" in root:  # PDF 1.1 style: a dictionary of names
            for key, dest in root.Dests.items():
                doc.named_dests[str(key)[1:]] = dest
        if "/Names" in root and "/Dests" in root.Names:
            for key, dest in tree_entries(root.Names.Dests, "/Names"):
                doc.named_dests[text_of(key)] = dest
        tree = root.get("/StructTreeRoot")
        if tree is not None:
            for where, element in struct_elements(tree):
                if element.is_indirect:
                    doc.element_path[element.objgen] = where
        return doc

    def page_of(self, ref: Any) -> int | str:
        """A page reference as its 1-based number."""
        if isinstance(ref, pikepdf.Dictionary) and ref.objgen in self.page_index:
            return self.page_index[ref.objgen] + 1
        if isinstance(ref, int):  # remote destinations use page numbers
            return f"remote page {ref}"
        return "not a page"

    def canon(self, value: Any, places: int = 3, stack: tuple[tuple[int, int], ...] = ()) -> Any:
        """`value` as plain JSON-able data; pages, annotations and structure elements by name.

        /P and /Parent (back references) are left out; a loop shows as "<loop>".
        """
        if isinstance(value, pikepdf.Name):
            return str(value)
        if isinstance(value, pikepdf.String):
            return text_of(value)
        if isinstance(value, bool | int | Decimal | float):
            return number(value, places)
        if value is None:
            return None
        if isinstance(value, pikepdf.Array):
            return [self.canon(item, places, stack) for item in value]
        if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
            key = value.objgen if value.is_indirect else None
            if key is not None:
                if key in self.page_index:
                    return {"page": self.page_index[key] + 1}
                if key in self.annot_id:
                    return {"annotation": self.annot_id[key]}
                if key in self.element_path:
                    return {"element": self.element_path[key]}
                if key in stack:
                    return "<loop>"
                stack = (*stack, key)
            out = {
                str(k): self.canon(v, places, stack)
                for k, v in value.items()
                if k not in ("/P", "/Parent")
            }
            if isinstance(value, pikepdf.Stream):
                out.pop("/Length", None)  # the stored size; the data's hash stands for it
                out["<data>"] = self.data_hash(value)
            return out
        return repr(value)

    def data_hash(self, stream: pikepdf.Stream) -> str:
        """A short hash of a stream's decoded data (raw data if it cannot be decoded)."""
        key = stream.objgen if stream.is_indirect else None
        if key is not None and key in self.stream_hash:
            return self.stream_hash[key]
        try:
            data = stream.read_bytes()
        except pikepdf.PdfError:
            data = stream.read_raw_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        if key is not None:
            self.stream_hash[key] = digest
        return digest

    def target(self, dest: Any) -> Any:
        """A destination (array, name or string) resolved to page, fit and coordinates."""
        if isinstance(dest, pikepdf.Name | pikepdf.String):
            name = str(dest)[1:] if isinstance(dest, pikepdf.Name) else text_of(dest)
            if name not in self.named_dests:
                return {"unresolved name": name}
            dest = self.named_dests[name]
        if isinstance(dest, pikepdf.Dictionary) and "/D" in dest:
            dest = dest.D
        if isinstance(dest, pikepdf.Array) and len(dest) > 0:
            fit = str(dest[1]) if len(dest) > 1 else None
            coords = [None if c is None else number(c, 2) for c in list(dest)[2:]]
            return {"page": self.page_of(dest[0]), "fit": fit, "at": coords}
        return {"destination": self.canon(dest, 2)}

    def action(self, action: Any) -> Any:
        """An action dictionary as its kind and target."""
        kind = str(action.get("/S", ""))
        if kind == "/URI":
            return {"uri": text_of(action.URI)}
        if kind == "/GoTo":
            return self.target(action.get("/D"))
        out = {k: v for k, v in self.canon(action, 2).items() if k != "/Next"}
        if "/Next" in action:
            out["/Next"] = self.action(action.Next)
        return out


def tree_entries(node: Any, kind: str) -> Iterator[tuple[Any, Any]]:
    """The (key, value) pairs of a name tree (`kind` "/Names") or number tree ("/Nums")."""
    items = node.get(kind)
    if items is not None:
        for i in range(0, len(items) - 1, 2):
            yield items[i], items[i + 1]
    for kid in node.get("/Kids", []):
        yield from tree_entries(kid, kind)


def kids_of(node: Any) -> list[Any]:
    """A structure node's /K as a list."""
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def is_element(kid: Any) -> bool:
    """Whether a /K entry is a structure element (not an MCID, MCR or OBJR)."""
    if not isinstance(kid, pikepdf.Dictionary):
        return False
    return kid.get("/Type") not in ("/MCR", "/OBJR") and "/S" in kid


def struct_elements(root: Any) -> Iterator[tuple[str, Any]]:
    """(path, element) for every structure element, in document order.

    A path is the child indices from the root, e.g. `0/3/1`; marked-content kids count too,
    so a path names the same element in both files when the trees agree.
    """
    todo = [(str(i), kid) for i, kid in reversed(list(enumerate(kids_of(root))))]
    seen: set[tuple[int, int]] = set()
    while todo:
        path, element = todo.pop()
        if not is_element(element):
            continue
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield path, element
        todo.extend((f"{path}/{i}", kid) for i, kid in reversed(list(enumerate(kids_of(element)))))


# --- the aspects of a PDF ------------------------------------------------------------------


def inherited(page: Any, key: str) -> Any:
    node = page
    for _ in range(64):
        if key in node:
            return node[key]
        if "/Parent" not in node:
            return None
        node = node.Parent
    return None


def page_lines(doc: Document) -> list[str]:
    lines = [f"pages: {len(doc.pdf.pages)}"]
    for i, page in enumerate(doc.pdf.pages):
        obj = page.obj
        media = inherited(obj, "/MediaBox")
        boxes = {"/MediaBox": media, "/CropBox": inherited(obj, "/CropBox") or media}
        boxes.update({box: obj.get(box) for box in BOXES[2:]})
        info = {k: doc.canon(v, 2) for k, v in boxes.items() if v is not None}
        info["/Rotate"] = number(inherited(obj, "/Rotate") or 0)
        for key in ("/UserUnit", "/Tabs"):
            if key in obj:
                info[key] = doc.canon(obj[key])
        lines.append(f"page {i + 1}: {dump(info)}")
    return lines


def resource_lines(doc: Document) -> list[str]:
    """Each page's fonts, images, graphics states ... by content: resource names are left out.

    Image names are generated (`/i8b63…`): two builds of the same book from different
    checkouts called the same image by different names.
    """
    lines: list[str] = []
    for i, page in enumerate(doc.pdf.pages):
        resources = inherited(page.obj, "/Resources")
        if resources is None:
            continue
        for category in sorted(str(k) for k in resources.keys()):  # noqa: SIM118
            entries = resources[category]
            if isinstance(entries, pikepdf.Dictionary):
                values = sorted(dump(doc.canon(v)) for v in entries.values())
            else:
                values = [dump(doc.canon(entries))]
            lines.extend(f"page {i + 1} {category} {value}" for value in values)
    return lines


def structure_lines(doc: Document) -> list[str]:
    tree = doc.pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return ["no StructTreeRoot"]
    lines = []
    for key in ("/RoleMap", "/ClassMap"):
        if key in tree:
            lines.append(f"{key} {dump(doc.canon(tree[key]))}")
    for path, element in struct_elements(tree):
        page = element.get("/Pg")
        keys = {
            str(k): doc.canon(v)
            for k, v in element.items()
            if k not in ("/S", "/K", "/P", "/Pg", "/Type")
        }
        where = f" p{doc.page_of(page)}" if page is not None else ""
        lines.append(f"{path} {element.get('/S')}{where} {dump(keys) if keys else ''}".rstrip())
        for i, kid in enumerate(kids_of(element)):
            if is_element(kid):
                continue
            if isinstance(kid, int):
                content = f"mcid p{doc.page_of(page)}:{kid}"
            elif kid.get("/Type") == "/MCR":
                on = kid.get("/Pg", page)
                stream = " in a form XObject" if "/Stm" in kid else ""
                content = f"mcid p{doc.page_of(on)}:{kid.get('/MCID')}{stream}"
            elif kid.get("/Type") == "/OBJR":
                content = f"object {dump(doc.canon(kid.get('/Obj')))}"
            else:
                content = f"kid {dump(doc.canon(kid))}"
            lines.append(f"{path}/{i} {content}")
    if "/IDTree" in tree:
        for key, element in sorted(
            tree_entries(tree.IDTree, "/Names"), key=lambda item: text_of(item[0])
        ):
            lines.append(f"IDTree {text_of(key)} -> {dump(doc.canon(element))}")
    # The parent tree as the pages and annotations see it: which element each MCID is in.
    parents = {}
    if "/ParentTree" in tree:
        parents = {int(key): value for key, value in tree_entries(tree.ParentTree, "/Nums")}
    for i, page in enumerate(doc.pdf.pages):
        obj = page.obj
        if "/StructParents" in obj:
            owners = parents.get(int(obj.StructParents))
            lines.append(f"ParentTree page {i + 1}: {dump(doc.canon(owners))}")
        for j, annot in enumerate(obj.get("/Annots", [])):
            if "/StructParent" in annot:
                owner = parents.get(int(annot.StructParent))
                lines.append(f"ParentTree annotation p{i + 1}#{j}: {dump(doc.canon(owner))}")
    return lines


def link_lines(doc: Document) -> list[str]:
    lines = []
    for i, page in enumerate(doc.pdf.pages):
        for j, annot in enumerate(page.obj.get("/Annots", [])):
            info: dict[str, Any] = {"subtype": text_of(annot.get("/Subtype"))}
            if "/Rect" in annot:
                info["rect"] = [number(c, 2) for c in annot.Rect]
            for key in ("/Contents", "/F"):
                if key in annot:
                    info[key] = doc.canon(annot[key])
            if "/A" in annot:
                info["target"] = doc.action(annot.A)
            if "/Dest" in annot:
                info["target"] = doc.target(annot.Dest)
            lines.append(f"p{i + 1}#{j} {dump(info)}")
    for name in sorted(doc.named_dests):
        lines.append(f"named destination {name!r} -> {dump(doc.target(doc.named_dests[name]))}")
    return lines


def outline_lines(doc: Document) -> list[str]:
    outlines = doc.pdf.Root.get("/Outlines")
    if outlines is None:
        return []
    lines: list[str] = []
    seen: set[tuple[int, int]] = set()

    def walk(item: Any, depth: int) -> None:
        while item is not None:
            if item.is_indirect:
                if item.objgen in seen:
                    lines.append("  " * depth + "<loop>")
                    return
                seen.add(item.objgen)
            info: dict[str, Any] = {"title": text_of(item.get("/Title", ""))}
            if "/Dest" in item:
                info["target"] = doc.target(item.Dest)
            if "/A" in item:
                info["target"] = doc.action(item.A)
            if "/First" in item:
                info["open"] = number(item.get("/Count", 0)) > 0
            for key in ("/C", "/F"):
                if key in item:
                    info[key] = doc.canon(item[key])
            lines.append("  " * depth + dump(info))
            if "/First" in item:
                walk(item.First, depth + 1)
            item = item.get("/Next")

    walk(outlines.get("/First"), 0)
    return lines


def catalog_lines(doc: Document) -> list[str]:
    root = doc.pdf.Root
    lines = [f"version {doc.pdf.pdf_version}"]
    for key in sorted(str(k) for k in root.keys()):  # noqa: SIM118
        if key not in CATALOG_ELSEWHERE:
            lines.append(f"{key} {dump(doc.canon(root[key]))}")
    return lines


def xml_canon(element: ET.Element) -> Any:
    """An XMP property element as nested data: tag, attributes, text, children."""
    return [
        element.tag,
        sorted(element.attrib.items()),
        (element.text or "").strip(),
        [xml_canon(child) for child in element],
    ]


def metadata_lines(doc: Document) -> tuple[list[str], set[str]]:
    """The compared metadata lines, and the ignored keys (with their values) for the report."""
    lines: list[str] = []
    ignored: set[str] = set()
    for key, value in sorted(doc.pdf.docinfo.items()):
        line = f"info {key} {dump(doc.canon(value))}"
        if str(key) in IGNORED_INFO:
            ignored.add(line)
        else:
            lines.append(line)
    if "/Metadata" not in doc.pdf.Root:
        return [*lines, "no XMP"], ignored
    try:
        packet = ET.fromstring(doc.pdf.Root.Metadata.read_bytes().strip(b"\x00 \t\r\n"))
    except ET.ParseError as error:
        return [*lines, f"XMP does not parse: {error}"], ignored
    props: list[str] = []
    for description in packet.iter(f"{{{RDF_NS}}}Description"):
        for name, text in description.attrib.items():
            if name != f"{{{RDF_NS}}}about":
                props.append(f"XMP {IGNORED_XMP.get(name, name)} {dump(text)}")
                if name in IGNORED_XMP:
                    ignored.add(props.pop())
        for child in description:
            props.append(f"XMP {IGNORED_XMP.get(child.tag, child.tag)} {dump(xml_canon(child))}")
            if child.tag in IGNORED_XMP:
                ignored.add(props.pop())
    return lines + sorted(props), ignored


def trailer_id(doc: Document) -> str:
    ident = doc.pdf.trailer.get("/ID")
    return "" if ident is None else dump([bytes(part).hex() for part in ident])


# --- comparing ----------------------------------------------------------------------------


def compare_lines(before: list[str], after: list[str], what: str = "") -> str | None:
    """None if equal, else how many lines differ and the first difference."""
    if before == after:
        return None
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changed = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    first = next(op for op in matcher.get_opcodes() if op[0] != "equal")
    _, i1, i2, j1, j2 = first
    old = before[i1] if i1 < i2 else "(nothing)"
    new = after[j1] if j1 < j2 else "(nothing)"
    if i1 < i2 and j1 < j2:
        old, new = around_difference(old, new)
    old, new = short(old), short(new)
    unit = what or "line"
    return f"{changed} {unit}(s) differ, first: «{old}» → «{new}»"


def run(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[bytes]) -> bytes:
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{process.args!r} failed: {err.decode(errors='replace').strip()}")
    return out


def rendered(folder: Path, prefix: str) -> list[Path]:
    files = list(folder.glob(f"{prefix}-*.png"))
    return sorted(files, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def pixel_differences(before: list[Path], after: list[Path]) -> list[int]:
    differ = []
    for n, (a, b) in enumerate(zip(before, after, strict=False), start=1):
        with Image.open(a) as one, Image.open(b) as two:
            if (
                one.size != two.size
                or one.mode != two.mode
                or ImageChops.difference(one, two).getbbox() is not None
            ):
                differ.append(n)
    differ.extend(range(min(len(before), len(after)) + 1, max(len(before), len(after)) + 1))
    return differ


def compare_pdf(before: Path, after: Path) -> tuple[list[str], list[str]]:
    """(differences, ignored differences) between two PDFs."""
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        folder = Path(tmp)
        jobs = {
            "text a": run(["pdftotext", "-layout", "-enc", "UTF-8", str(before), "-"]),
            "text b": run(["pdftotext", "-layout", "-enc", "UTF-8", str(after), "-"]),
            "render a": run(["pdftoppm", "-png", "-r", RENDER_DPI, str(before), str(folder / "a")]),
            "render b": run(["pdftoppm", "-png", "-r", RENDER_DPI, str(after), str(folder / "b")]),
        }
        try:
            differences, ignored = compare_pdf_objects(before, after)
            texts = [finish(jobs[k]).decode("utf-8", "replace").split("\f") for k in jobs if
                     k.startswith("text")]
            # pdftotext ends every page with a form feed, so the last piece is empty.
            a_text, b_text = (t[:-1] if t and t[-1] == "" else t for t in texts)
            text_pages = [
                n for n in range(1, max(len(a_text), len(b_text)) + 1)
                if n > len(a_text) or n > len(b_text) or a_text[n - 1] != b_text[n - 1]
            ]
            if text_pages:
                differences.append(f"text [pages {pages_list(text_pages)}]")
            finish(jobs["render a"])
            finish(jobs["render b"])
            pixel_pages = pixel_differences(rendered(folder, "a"), rendered(folder, "b"))
            if pixel_pages:
                differences.append(f"pixels [pages {pages_list(pixel_pages)}]")
        finally:
            for process in jobs.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()
    differences.sort(key=lambda d: ASPECTS.index(d.split(" ", 1)[0]))
    return differences, ignored


def compare_pdf_objects(before: Path, after: Path) -> tuple[list[str], list[str]]:
    one, two = Document.open(before), Document.open(after)
    try:
        differences = []
        aspects: dict[str, Callable[[Document], list[str]]] = {
            "pages": page_lines,
            "resources": resource_lines,
            "structure": structure_lines,
            "links": link_lines,
            "outline": outline_lines,
            "catalog": catalog_lines,
        }
        for name, lines in aspects.items():
            found = compare_lines(lines(one), lines(two))
            if found:
                differences.append(f"{name} [{found}]")
        (meta_a, ignored_a), (meta_b, ignored_b) = metadata_lines(one), metadata_lines(two)
        found = compare_lines(meta_a, meta_b)
        if found:
            differences.append(f"metadata [{found}]")
        ignored = sorted({line.split(" ")[1] for line in ignored_a ^ ignored_b})
        if trailer_id(one) != trailer_id(two):
            ignored.append("trailer /ID")
        return differences, ignored
    finally:
        one.pdf.close()
        two.pdf.close()


def compare_epub(before: Path, after: Path) -> list[str]:
    with zipfile.ZipFile(before) as one, zipfile.ZipFile(after) as two:
        a = {info.filename: info for info in one.infolist()}
        b = {info.filename: info for info in two.infolist()}
        out = []
        if only := sorted(a.keys() - b.keys()):
            out.append(f"members only in before [{', '.join(only)}]")
        if only := sorted(b.keys() - a.keys()):
            out.append(f"members only in after [{', '.join(only)}]")
        changed = [name for name in a if name in b and one.read(name) != two.read(name)]
        if changed:
            out.append(f"members differ [{', '.join(changed)}]")
        if not out:
            details = []
            if list(a) != list(b):
                details.append("member order")
            for name, info in a.items():
                other = b[name]
                if info.date_time != other.date_time:
                    details.append(f"{name} timestamp")
                if info.compress_type != other.compress_type:
                    details.append(f"{name} compression")
                if info.extra != other.extra or info.external_attr != other.external_attr:
                    details.append(f"{name} zip attributes")
            out.append(
                "zip container differs, contents equal"
                + (f" [{', '.join(details[:5])}]" if details else " [compressed bytes]")
            )
        return out


def compare_file(name: str, before: Path, after: Path, deep: bool) -> tuple[bool, str]:
    """(same?, report line) for one relative file name."""
    a, b = before / name, after / name
    if not a.exists():
        return False, f"{name}: DIFFERENT: missing in before"
    if not b.exists():
        return False, f"{name}: DIFFERENT: missing in after"
    identical = a.read_bytes() == b.read_bytes()
    suffix = a.suffix.lower()
    try:
        if suffix == ".pdf" and (deep or not identical):
            differences, ignored = compare_pdf(a, b)
        elif suffix == ".epub" and not identical:
            differences, ignored = compare_epub(a, b), []
        else:
            differences = [] if identical else ["bytes differ"]
            ignored = []
    except Exception as error:  # a file we cannot read is not "the same"
        return False, f"{name}: DIFFERENT: could not compare ({type(error).__name__}: {error})"
    if differences:
        return False, f"{name}: DIFFERENT: " + "; ".join(differences)
    notes = [] if identical else ["bytes differ, every compared aspect equal"]
    if ignored:
        notes.append(f"ignored: {', '.join(ignored)}")
    return True, f"{name}: same" + (f" ({'; '.join(notes)})" if notes else "")


def listed(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found.add(relative.as_posix())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("before", type=Path, help="folder of the build before the change")
    parser.add_argument("after", type=Path, help="folder of the build after the change")
    parser.add_argument("--deep", action="store_true",
                        help="compare PDFs aspect by aspect even when their bytes are identical")
    args = parser.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            parser.error(f"{folder} is not a folder")
    names = sorted(listed(args.before) | listed(args.after))
    if not names:
        print("no files to compare")
        return 1
    workers = min(len(names), os.cpu_count() or 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(
            pool.map(lambda n: compare_file(n, args.before, args.after, args.deep), names)
        )
    for _, line in results:
        print(line)
    return 0 if all(same for same, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
