"""A tagged PDF's structure tree read with pikepdf, with the text each element marks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from publish.check.semantics import Collector, Semantics, clean

_HEX = re.compile(rb"<([0-9a-fA-F]+)>")
_NOTE_ROLES = ("/Note", "/FENote")
_LTR = frozenset({"L", "EN", "AN", "ES", "CS", "ET"})  # letters and numbers set left to right
_MIRRORED = {"(": ")", ")": "(", "[": "]", "]": "[", "«": "»", "»": "«", "<": ">", ">": "<"}


class Untagged(Exception):
    """The PDF has no structure tree, so nothing in it can be compared."""


def struct_elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """The structure elements below `node`, depth first."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from struct_elements(kid)


def read_semantics(path: Path) -> Semantics:
    """The comparable semantics of a tagged PDF; raises `Untagged` when it has no tags."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/K" not in root:
            raise Untagged(path.name)
        texts = _marked_texts(pdf)
        language = str(pdf.Root.get("/Lang", ""))
        return _collect(list(_elements(root.K, None, language)), texts, _role_map(root))


def _role_map(root: pikepdf.Object) -> dict[str, str]:
    """Custom roles mapped to standard ones, so `/Chapter` can count as its standard role."""
    mapping = root.get("/RoleMap")
    return {str(k): str(v) for k, v in mapping.items()} if mapping is not None else {}


# ---------------------------------------------------------------- text of marked content


def _marked_texts(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """The text inside each marked-content sequence, keyed by (page object number, MCID):
    an `/ActualText` stands for the glyphs it spans; right-to-left text is put back in
    logical order (the glyphs of a right-to-left run are written in visual order)."""
    texts: dict[tuple[int, int], list[str]] = {}
    for page in pdf.pages:
        fonts = {str(name): _to_unicode(font) for name, font in page.Resources.get(
            "/Font", pikepdf.Dictionary()).items()}
        stack: list[tuple[int | None, str | None]] = []
        font: dict[int, str] = {}
        # pikepdf's stubs give instructions __getitem__ but not __iter__; they unpack at run time
        for operands, operator in pikepdf.parse_content_stream(page):  # type: ignore[misc]
            op = str(operator)
            if op in ("BDC", "BMC"):
                stack.append((_mcid(operands, [m for m, _ in stack]), _actual(operands)))
            elif op == "EMC" and stack:
                mcid, actual = stack.pop()
                if actual is not None and mcid is not None and all(a is None for _, a in stack):
                    texts.setdefault((page.obj.objgen[0], mcid), []).append(actual)
            elif op == "Tf":
                font = fonts.get(str(operands[0]), {})
            elif op in ("Tj", "TJ", "'", '"') and stack and stack[-1][0] is not None \
                    and all(a is None for _, a in stack):
                texts.setdefault((page.obj.objgen[0], stack[-1][0]), []).extend(
                    _show(operands, font))
    return {ident: logical(glyphs) for ident, glyphs in texts.items()}


def _mcid(operands: list[object], stack: list[int | None]) -> int | None:
    """The MCID a marked-content sequence adds to, inherited inside it; none for artifacts."""
    if str(operands[0]) == "/Artifact":
        return None
    props = operands[1] if len(operands) > 1 else None
    mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
    return int(mcid) if mcid is not None else (stack[-1] if stack else None)


def _actual(operands: list[object]) -> str | None:
    """The `/ActualText` of a marked-content sequence's property list, if it has one."""
    props = operands[1] if len(operands) > 1 else None
    actual = props.get("/ActualText") if isinstance(props, pikepdf.Dictionary) else None
    return str(actual) if actual is not None else None


def logical(glyphs: list[str]) -> str:
    """The text of glyphs drawn in visual order, read in logical order when right-to-left
    letters are among them: the glyphs reversed (each keeps its own text, a ligature's in
    logical order), then each left-to-right run (Latin words, numbers) turned back."""
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in "".join(glyphs)):
        return "".join(glyphs)
    out: list[str] = []
    run: list[str] = []
    for glyph in reversed(glyphs):
        if _is_ltr(glyph) or (run and glyph == " "):
            run.append(glyph)
            continue
        out.extend(_turned(run))
        run = []
        out.append(_MIRRORED.get(glyph, glyph))
    out.extend(_turned(run))
    return "".join(out)


def _is_ltr(glyph: str) -> bool:
    return bool(glyph) and unicodedata.bidirectional(glyph[0]) in _LTR


def _turned(run: list[str]) -> list[str]:
    """A left-to-right run back in its order, spaces it gathered at its end left outside."""
    end = len(run)
    while end and run[end - 1] == " ":
        end -= 1
    return [*reversed(run[:end]), *run[end:]]


def _show(operands: list[object], font: dict[int, str]) -> list[str]:
    """The Unicode text of each glyph a text-showing operator draws (two-byte codes,
    Identity-H)."""
    strings = operands[0] if isinstance(operands[0], pikepdf.Array) else operands[-1:]
    out: list[str] = []
    for item in strings:
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            out.extend(font.get(int.from_bytes(data[i:i + 2], "big"), "")
                       for i in range(0, len(data) - 1, 2))
    return out


def _to_unicode(font: pikepdf.Object) -> dict[int, str]:
    """A font's ToUnicode CMap as code -> text (bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode") if isinstance(font, pikepdf.Dictionary) else None
    if stream is None:
        return {}
    data = stream.read_bytes()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            mapping[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.splitlines():
            values = _HEX.findall(line)
            if len(values) == 3 and b"[" not in line:
                low, high, first = int(values[0], 16), int(values[1], 16), int(values[2], 16)
                for offset in range(high - low + 1):
                    mapping[low + offset] = chr(first + offset)
    return mapping


def _utf16(hex_text: bytes) -> str:
    """A ToUnicode destination, which is UTF-16BE in hex."""
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")


# ---------------------------------------------------------------- structure elements


class _Element:
    """One structure element: its role, attributes, marked content ids and children."""

    def __init__(self, node: pikepdf.Dictionary, page: int | None, inherited: str) -> None:
        """An element without children yet; `page` is inherited where `/Pg` is absent."""
        self.node = node
        self.page = page
        self.inherited = inherited  # the language around it
        self.lang = str(node.get("/Lang", "")) or inherited
        self.children: list[_Element] = []
        self.mcids: list[tuple[int, int]] = []

    def text(self, texts: dict[tuple[int, int], str]) -> str:
        """All text this element and its descendants mark, in order."""
        own = " ".join(texts.get(mcid, "") for mcid in self.mcids)
        return clean(" ".join([own, *(child.text(texts) for child in self.children)]))


def _elements(kids: pikepdf.Object, page: int | None, language: str) -> Iterator[_Element]:
    """The structure elements under `kids`, each with its children filled in."""
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") in ("/MCR", "/OBJR"):
            continue
        pg = kid.get("/Pg")
        element = _Element(kid, pg.objgen[0] if pg is not None else page, language)
        for child in _kid_list(kid.get("/K")):
            if isinstance(child, int) and element.page is not None:
                element.mcids.append((element.page, child))
            elif isinstance(child, pikepdf.Dictionary) and child.get("/Type") == "/MCR":
                mcr_page = child.get("/Pg")
                number = mcr_page.objgen[0] if mcr_page is not None else element.page
                if number is not None:
                    element.mcids.append((number, int(child.MCID)))
            elif isinstance(child, pikepdf.Dictionary):
                element.children.extend(_elements(child, element.page, element.lang))
        yield element


def _kid_list(kids: pikepdf.Object | None) -> list[object]:
    """`/K` as a list, whether it holds one kid or an array."""
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return [int(k) if isinstance(k, int) else k for k in kids]
    return [int(kids) if isinstance(kids, int) else kids]


def _walk(elements: list[_Element]) -> Iterator[_Element]:
    """Every element in reading order, parents before children."""
    for element in elements:
        yield element
        yield from _walk(element.children)


def _collect(
    elements: list[_Element], texts: dict[tuple[int, int], str], roles: dict[str, str],
) -> Semantics:
    """Sort the elements that carry accessibility information into one record."""
    found = Collector()
    for element in _walk(elements):
        role = roles.get(str(element.node.get("/S")), str(element.node.get("/S")))
        if re.fullmatch(r"/H[1-6]", role):
            found.heading(int(role[2]), element.text(texts))
        elif role == "/Figure" and "/Alt" in element.node:
            found.alts.append(clean(str(element.node.Alt)))
        elif role == "/TR" and _is_header_row(element, roles):
            found.headers.append(" | ".join(c.text(texts) for c in element.children))
        elif role in _NOTE_ROLES:
            found.notes.append(element.text(texts))
        elif role == "/LI":
            found.items.append(element.text(texts))
        if element.lang != element.inherited:
            found.languages.append(f"{element.lang}: {element.text(texts)}")
    return found.semantics()


def _is_header_row(row: _Element, roles: dict[str, str]) -> bool:
    """A row of header cells only: the table's column headings."""
    cells = [roles.get(str(c.node.get("/S")), str(c.node.get("/S"))) for c in row.children]
    return bool(cells) and all(cell == "/TH" for cell in cells)
