"""A Word file opened as what it is, a zip of XML: bounded, local, and free of DTDs."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publish.errors import ManuscriptError

# A long novel's document.xml is about 20 MB; a manuscript's pictures rarely pass 200 MB.
# Beyond these a file is a decompression bomb or not a manuscript.
MAX_DOCX_BYTES = 200 * 2**20
MAX_PART_BYTES = 64 * 2**20  # one XML part, unpacked
MAX_TOTAL_BYTES = 512 * 2**20  # every part, unpacked
MAX_PARTS = 5_000
MAX_RATIO = 200  # unpacked : packed for a part over 1 MiB; real XML packs 10-30 times
_CHUNK = 2**20
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_IMAGE_RELATIONSHIP = "/image"


@dataclass(frozen=True)
class Package:
    """Every part of a checked Word file, unpacked, by its name inside the zip."""

    path: Path
    data: bytes  # the file as read, for mammoth
    parts: dict[str, bytes]

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed without entities or network, or None when the file has no such part."""
        raw = self.parts.get(name)
        return None if raw is None else parse_xml(raw, self.path, name)


def open_package(path: Path) -> Package:
    """Read and check a .docx: size, zip structure, every part's unpacked size and DTDs."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise _refuse(path, f"is {size / 2**20:.0f} MiB; the limit for a Word file is "
                                f"{MAX_DOCX_BYTES / 2**20:.0f} MiB")
        data = path.read_bytes()
    except OSError as error:
        raise ManuscriptError(path, None, f"cannot read: {error.strerror}") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(path, "is not a Word (.docx) file: it is not a zip archive (a .doc "
                            "from Word 97-2003 or a password-protected file? Save it as "
                            ".docx without a password)") from None
    with archive:
        parts = _unpack(path, archive)
    if "word/document.xml" not in parts and not _has_main_document(parts):
        raise _refuse(path, "is a zip archive but not a Word document (no word/document.xml)")
    for name, raw in parts.items():
        if name.endswith((".xml", ".rels")):
            parse_xml(raw, path, name)
    _refuse_linked_images(path, parts)
    return Package(path, data, parts)


def _unpack(path: Path, archive: zipfile.ZipFile) -> dict[str, bytes]:
    """Each member read with a cap, trusting no size the zip's headers claim."""
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise _refuse(path, f"holds {len(members)} parts; a Word file needs far fewer than "
                            f"{MAX_PARTS}")
    parts: dict[str, bytes] = {}
    total = 0
    for member in members:
        if member.is_dir():
            continue
        if member.flag_bits & 0x1:
            raise _refuse(path, "is encrypted: save it without a password")
        limit = MAX_PART_BYTES if member.filename.endswith((".xml", ".rels")) else MAX_TOTAL_BYTES
        raw = _read_capped(path, archive, member, min(limit, MAX_TOTAL_BYTES - total))
        total += len(raw)
        parts[member.filename] = raw
    return parts


def _read_capped(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int,
                 ) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                packed = max(member.compress_size, 1)
                if size > limit or (size > _CHUNK and size / packed > MAX_RATIO):
                    raise _refuse(path, f"part '{member.filename}' unpacks to more than "
                                        f"{min(size, limit) / 2**20:.0f} MiB from "
                                        f"{packed / 2**10:.0f} KiB: refused as a zip bomb")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise _refuse(path, f"part '{member.filename}' cannot be unpacked ({error})") from None
    return b"".join(chunks)


def _has_main_document(parts: dict[str, bytes]) -> bool:
    """Some tools name the main part otherwise; the package relationships then say which."""
    return b"officeDocument" in parts.get("_rels/.rels", b"")


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)


def parse_xml(raw: bytes, path: Path, name: str) -> etree._Element:
    """An XML part, refusing a DTD: Word never writes one, and entities are how XXE and
    billion-laughs files attack a reader."""
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as error:
        raise _refuse(path, f"part '{name}' is not well-formed XML ({error})") from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None:
        raise _refuse(path, f"part '{name}' declares a DTD (<!DOCTYPE>), which Word never "
                            "writes: refused, as entities in it could read files or grow "
                            "without bound")
    return root


def _refuse_linked_images(path: Path, parts: dict[str, bytes]) -> None:
    """A picture linked to a web address or another file would have to be fetched: never."""
    for name, raw in parts.items():
        if not name.endswith(".rels"):
            continue
        for rel in parse_xml(raw, path, name).iter(_RELATIONSHIPS):
            if rel.get("TargetMode") == "External" and \
                    str(rel.get("Type", "")).endswith(_IMAGE_RELATIONSHIP):
                raise _refuse(path, f"a picture is linked to '{rel.get('Target')}' instead of "
                                    "being in the file; linked pictures are never fetched: "
                                    "insert it into the document (Insert > Pictures > This "
                                    "Device)")


def _refuse(path: Path, message: str) -> ManuscriptError:
    return ManuscriptError(path, None, message)
