"""Letter HTML → DOCX (python-docx), so a company can edit a letter in Word or WPS.

The letter templates use a small set of tags (p, h1, h2, table, strong, span, div,
br) and classes; this maps them to Word paragraphs, runs and tables. Chinese text
uses 宋体 (SimSun) through ``w:eastAsia`` so Word and WPS pick a CJK font.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

CJK_FONT = "宋体"
LATIN_FONT = "Times New Roman"
SKIP = {"head", "style", "script", "title"}
VOID = {"br", "meta", "link", "img", "hr"}


@dataclass
class Node:
    tag: str
    classes: frozenset[str] = frozenset()
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skipping += 1
            return
        values = {k: v or "" for k, v in attrs}
        node = Node(tag, frozenset(values.get("class", "").split()), values)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping -= 1
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text a DOCX can hold: XML 1.0 has no place for NUL and most control characters, so
    they are dropped (a name pasted from an ERP may carry them)."""
    return _XML_ILLEGAL.sub("", text)


def html_to_docx(html: str, *, title: str = "", properties: dict[str, str] | None = None) -> bytes:
    """The letter's HTML as a Word document; ``properties`` become custom document properties
    (File → Properties → Custom in Word)."""
    document = Document()
    _setup(document, xml_safe(title))
    if properties:
        _custom_properties(document, properties)
    _blocks(document, parse(html), document)
    body = document.element.body
    first = body[0] if len(body) else None
    if first is not None and first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue())


def reproducible(data: bytes) -> bytes:
    """Same input, same bytes: fixed zip entry times and document dates (the PDF date)."""
    from generator.pdf import pdf_date

    stamp = pdf_date()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _custom_properties(document: Any, properties: dict[str, str]) -> None:
    from xml.sax.saxutils import escape, quoteattr

    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    entries = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(xml_safe(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{entries}</Properties>'
    ).encode()
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES_TYPE, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def custom_properties(data: bytes) -> dict[str, str]:
    """The custom document properties of a .docx (empty when it has none)."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "docProps/custom.xml" not in archive.namelist():
            return {}
        root = ElementTree.fromstring(archive.read("docProps/custom.xml"))
    found: dict[str, str] = {}
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        found[prop.get("name", "")] = "".join(prop.itertext())
    return found


def plain_lines(node: Node) -> list[str]:
    """The text of a letter, one line per paragraph or table row (a copy inside another letter)."""
    lines: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                lines.append(" ".join(child.split()))
        elif child.tag in ("p", "h1", "h2"):
            lines.append(_text(child))
        elif child.tag == "tr":
            lines.append("  ".join(_text(c) for c in _cells(child)))
        else:
            lines.extend(plain_lines(child))
    return [line for line in lines if line.strip()]


def _text(node: Node) -> str:
    return "".join(c if isinstance(c, str) else ("" if c.tag == "br" else _text(c)) for c in node.children).strip()


def _setup(document: Any, title: str) -> None:
    doc = document
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(24), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(11)
    _east_asia(style.element)
    style.paragraph_format.space_after = Pt(2)
    style.paragraph_format.line_spacing = 1.3
    doc.core_properties.title = title[:255]  # a document property holds at most 255 characters
    doc.core_properties.author = ""  # not "python-docx"


def _east_asia(element: Any) -> None:
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _blocks(document: Any, node: Node, container: Any) -> None:
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                _paragraph(container, Node("p", children=[child]))
            continue
        if child.tag in ("p", "h1", "h2"):
            _paragraph(container, child)
        elif child.tag == "table":
            _table(document, container, child)
        elif child.tag in ("div", "article", "body", "html", "section", "tbody", "thead"):
            if "pagebreak" in child.classes:
                container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            if "sign" in child.classes:
                for sub in child.children:
                    if isinstance(sub, Node):
                        para = _paragraph(container, sub)
                        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                continue
            _blocks(document, child, container)
        else:
            _paragraph(container, Node("p", children=[child]))


def _paragraph(container: Any, node: Node) -> Any:
    para = container.add_paragraph()
    fmt = para.paragraph_format
    size = None
    bold = False
    if node.tag == "h1":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size, bold = Pt(18), True
        fmt.space_before, fmt.space_after = Pt(6), Pt(6)
    elif node.tag == "h2":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size, bold = Pt(14), True
    elif "company" in node.classes:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size, bold = Pt(16), True
    elif "company-info" in node.classes or "center" in node.classes or "cut" in node.classes:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = Pt(9)
        if "cut" in node.classes:
            para.add_run("-" * 30 + " ")
    elif "ref" in node.classes or "right" in node.classes:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        size = Pt(10)
    elif "salutation" in node.classes:
        bold = True
    elif node.classes & {"plain", "field", "replysign", "note"}:
        if "note" in node.classes:
            size = Pt(9)
    elif node.tag == "p":
        fmt.first_line_indent = Pt(22)
    _runs(para, node, bold=bold, size=size)
    if "cut" in node.classes:
        para.add_run(" " + "-" * 30)
    return para


def _runs(para: Any, node: Node, *, bold: bool, size: Any) -> None:
    for child in node.children:
        if isinstance(child, str):
            text = xml_safe(" ".join(child.split("\n")))
            if text:
                run = para.add_run(text)
                run.bold = bold or None
                if size is not None:
                    run.font.size = size
                if "company" in node.classes:
                    run.font.color.rgb = RGBColor(0xA4, 0, 0)
            continue
        if child.tag == "br":
            para.add_run().add_break()
        elif "fill" in child.classes:
            wide = (
                12
                if "wide" in child.classes
                else 3
                if "date" in child.classes
                else 2
                if "short" in child.classes
                else 6
            )
            run = para.add_run("　" * wide)
            run.underline = True
        else:
            _runs(para, child, bold=bold or child.tag in ("strong", "b", "th"), size=size)


def _table(document: Any, container: Any, node: Node) -> None:
    rows = [row for row in _descendants(node, "tr")]
    if not rows:
        return
    width = max(sum(int(c.attrs.get("colspan", "1") or 1) for c in _cells(r)) for r in rows)
    table = container.add_table(rows=len(rows), cols=width)
    borderless = "signpair" in node.classes
    if not borderless:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(rows):
        col = 0
        # this row's cells, read once before any is merged (table.cell(r, c) walks the whole table)
        cells = table.rows[r].cells
        for cell_node in _cells(row):
            span = int(cell_node.attrs.get("colspan", "1") or 1)
            cell = cells[col]
            if span > 1:
                cell = cell.merge(cells[col + span - 1])
            para = cell.paragraphs[0]
            head = cell_node.tag == "th" or "sum" in row.classes or "label" in cell_node.classes
            if borderless or cell_node.classes & {"text", "label"}:
                para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            elif "num" in cell_node.classes:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(para, cell_node, bold=head, size=None if borderless else Pt(9))
            col += span
    container.add_paragraph()


def _descendants(node: Node, tag: str) -> list[Node]:
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found.extend(_descendants(child, tag))
    return found


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
