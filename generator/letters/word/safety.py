"""What a Word template may hold besides its text: nothing that reaches outside the file.

A .docx arrives by e-mail from a law firm or a colleague, so it is read as an untrusted
document. Word can make a file pull things in when it is opened or converted: a picture
linked instead of embedded, an attached template, an OLE object, a field that includes
another file (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE), macros. LibreOffice follows such
links while converting (an http URL is fetched, a ``file:///`` one is embedded in the
customer's PDF), and every filled letter would carry them. So each is refused, naming the
part it sits in, before any letter is filled; so are XML document type declarations
(entity tricks; Word never writes one) and parts that unpack to more than a letter ever
needs (a zip bomb).
"""

from __future__ import annotations

import re
import zipfile

from generator.errors import Problem

MAX_FILE_BYTES = 32 << 20
"""A Word template on disk (a letter with a scanned letterhead is well under 5 MB)."""
MAX_XML_BYTES = 16 << 20
"""One XML part unpacked (a letter's document.xml is some 100 KB; lxml needs ~10× in memory)."""
MAX_PART_BYTES = 32 << 20
"""Any other part unpacked (pictures, fonts)."""
MAX_TOTAL_BYTES = 64 << 20
"""All parts together, unpacked."""
MAX_RATIO = 200
"""Largest compression ratio of a part over 1 MB (XML packs about 10:1)."""

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_KINDS = {
    "image": "a linked picture (Insert → Pictures with «Link to File»)",
    "oleObject": "an OLE object (Insert → Object)",
    "package": "an embedded document (Insert → Object)",
    "control": "an ActiveX control",
    "activeXControlBinary": "an ActiveX control",
    "attachedTemplate": "an attached template (Developer → Document Template)",
    "subDocument": "a master document's subdocument",
    "frame": "a frame that shows another file",
    "aFChunk": "an imported chunk of another document (altChunk)",
    "vbaProject": "macros (a VBA project)",
    "externalLinkPath": "a link to another file",
    "hyperlink": "a hyperlink",
}
_REFUSED_INSIDE = {
    "attachedTemplate",
    "oleObject",
    "package",
    "control",
    "activeXControlBinary",
    "aFChunk",
    "vbaProject",
    "subDocument",
}
"""Relationship types refused even when their target is inside the file."""
_SAFE_LINK = re.compile(r"(?i)(https?://|mailto:)[^\s\"'<>]*")
"""Hyperlinks a reader clicks (nothing fetches them): the web and e-mail only."""
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>", re.S)
_ATTRIBUTE = re.compile(rb'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*\'([^\']*)\'')
_FIELD = re.compile(
    rb"(?:<w:instrText\b[^>]*>|\binstr=\")\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDEAUTO|DDE|IMPORT)\b", re.I
)
_FIELD_KINDS = {
    "INCLUDEPICTURE": "a field that inserts a picture from another file (INCLUDEPICTURE)",
    "INCLUDETEXT": "a field that inserts another file's text (INCLUDETEXT)",
    "INCLUDE": "a field that inserts another file (INCLUDE)",
    "LINK": "a field linked to another file (LINK)",
    "DDE": "a DDE field that asks another program for data",
    "DDEAUTO": "a DDEAUTO field that starts another program",
    "IMPORT": "a field that imports a picture from another file (IMPORT)",
}
_TAG = re.compile(rb"\{\{|\{%|\{#")
_MACROS = re.compile(rb"macroEnabled|vbaProject|ms-office\.vbaProject", re.I)


def refusals(display: str, archive: zipfile.ZipFile) -> list[Problem]:
    """Every part of the opened .docx that is refused, each named (empty when none is)."""
    problems: list[Problem] = []

    def refuse(part: str, message: str) -> None:
        problems.append(Problem(display, 0, 0, part, message))

    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        refuse(
            "file",
            f"expected a Word template that unpacks to at most {MAX_TOTAL_BYTES >> 20} MB, found "
            f"{total >> 20:,} MB; refused (a zip bomb, or pictures far larger than a letter needs)",
        )
        return problems
    for info in infos:
        limit = MAX_XML_BYTES if info.filename.endswith((".xml", ".rels", ".vml")) else MAX_PART_BYTES
        if info.file_size > limit:
            refuse(
                info.filename,
                f"expected a part of at most {limit >> 20} MB, found {info.file_size >> 20:,} MB "
                "unpacked; refused (a zip bomb, or a picture far larger than a letter needs)",
            )
        elif info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            refuse(
                info.filename,
                f"expected an ordinary Word part, found one that unpacks {ratio:,} times its size; "
                "refused (a zip bomb)",
            )
    if problems:
        return problems
    names = {i.filename for i in infos}
    content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    macros = sorted(n for n in names if n.lower().endswith(("vbaproject.bin", "vbadata.xml")))
    if macros or _MACROS.search(content_types):
        where = macros[0] if macros else "[Content_Types].xml"
        refuse(
            where,
            "expected a Word Document (*.docx), found a macro-enabled document (.docm renamed .docx?); "
            "macros are never run or kept: open it in Word and save it as «Word Document (*.docx)»",
        )
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")) or not info.file_size:
            continue
        data = archive.read(info)
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            refuse(
                info.filename,
                "expected Word's XML, found a document type declaration (<!DOCTYPE/<!ENTITY), "
                "which Word never writes; refused (XML entity tricks)",
            )
            continue
        if info.filename == "docProps/core.xml" and _TAG.search(data):
            refuse(
                info.filename,
                "expected plain document properties, found a tag «{{ … }}» or «{% … %}» in one "
                "(File → Info → Properties); tags belong in the letter's text, headers and footers",
            )
        if info.filename.endswith(".rels"):
            problems.extend(_relationships(display, info.filename, data))
        elif info.filename.startswith("word/"):
            for match in _FIELD.finditer(data):
                word = match.group(1).decode().upper()
                refuse(
                    info.filename,
                    f"expected text and embedded pictures only, found {_FIELD_KINDS[word]}; "
                    "refused: a letter never reads other files — delete the field (Alt+F9 shows field codes)",
                )
    return problems


def _relationships(display: str, part: str, data: bytes) -> list[Problem]:
    problems: list[Problem] = []
    source = _source_of(part)
    for match in _RELATIONSHIP.finditer(data):
        attributes = {
            (m.group(1) or m.group(3)).decode(): (m.group(2) or m.group(4) or b"").decode("utf-8", "replace")
            for m in _ATTRIBUTE.finditer(match.group(1))
        }
        kind = attributes.get("Type", "").rsplit("/", 1)[-1]
        target = attributes.get("Target", "")
        external = attributes.get("TargetMode", "").lower() == "external"
        described = _KINDS.get(kind, f"a «{kind}» relationship")
        if external:
            if kind == "hyperlink" and _SAFE_LINK.fullmatch(target):
                continue
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    source,
                    f"expected everything inside the file, found {described} pointing outside it "
                    f"(«{target[:80]}», {part}); refused: converting the letter would fetch or embed it — "
                    "insert the picture or text itself, or remove the link",
                )
            )
        elif kind in _REFUSED_INSIDE:
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    source,
                    f"expected text and embedded pictures only, found {described} ({target[:80]}); "
                    "refused: a letter never runs or opens embedded objects — delete it, or paste it as a picture",
                )
            )
    return problems


def _source_of(rels: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml`` (the part the links belong to)."""
    folder, _, name = rels.rpartition("_rels/")
    return f"{folder}{name.removesuffix('.rels')}" or rels
