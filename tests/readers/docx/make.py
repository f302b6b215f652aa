"""Small Word files written part by part, so each test shows the XML it reads."""

from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NAMESPACES = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R_NS}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""  # noqa: E501


def styles(*names: str, language: str = "en-GB") -> str:
    """A styles part: document defaults in `language`, one paragraph style per name (its id
    the name without spaces), and the character style Verbatim Char."""
    defined = "".join(
        f'<w:style w:type="paragraph" w:styleId="{n.replace(" ", "")}"><w:name w:val="{n}"/>'
        "</w:style>" for n in names)
    return (f'<w:styles {_NAMESPACES}><w:docDefaults><w:rPrDefault><w:rPr>'
            f'<w:lang w:val="{language}"/></w:rPr></w:rPrDefault></w:docDefaults>{defined}'
            '<w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/>'
            "</w:style></w:styles>")


def para(text: str, style: str | None = None, extra: str = "") -> str:
    """A paragraph of one run, in a style named by its id."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>' if style else \
        (f"<w:pPr>{extra}</w:pPr>" if extra else "")
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def core(title: str = "", creator: str = "", language: str = "", description: str = "") -> str:
    """A core properties part."""
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
            f"<dc:language>{language}</dc:language><dc:description>{description}"
            "</dc:description></cp:coreProperties>")


def docx(body: str, *, style_part: str | None = None, parts: dict[str, str | bytes] | None = None,
         relationships: str = "") -> bytes:
    """A Word file whose body is `body`, with extra parts and document relationships."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("word/document.xml",
                         f'<w:document {_NAMESPACES}><w:body>{body}</w:body></w:document>')
        archive.writestr("word/styles.xml", style_part or styles("heading 1", "heading 2"))
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{relationships}</Relationships>")
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def picture(relationship: str, alt: str, decorative: bool = False) -> str:
    """An inline picture run whose bytes are the relationship's target; `decorative`: "Mark
    as decorative" ticked, as Word 365 writes it."""
    ticked = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
              '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/'
              'decorative" val="1"/></a:ext></a:extLst>') if decorative else ""
    return (f'<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="{alt}">'
            f"{ticked}</wp:docPr>"
            '<a:graphic><a:graphicData><pic:pic><pic:blipFill>'
            f'<a:blip r:embed="{relationship}"/></pic:blipFill></pic:pic></a:graphicData>'
            "</a:graphic></wp:inline></w:drawing></w:r>")


def image_relationship(ident: str, target: str, external: bool = False) -> str:
    """A document relationship to a picture, inside the file or (external) outside it."""
    mode = ' TargetMode="External"' if external else ""
    return (f'<Relationship Id="{ident}" Type="{R_NS}/image" Target="{target}"{mode}/>')
