"""A filled Word letter as a simple HTML page, for the site's sample letter (no LibreOffice
needed): paragraphs with their alignment, bold and underlined runs, line breaks and
tables, in document order. It shows the Word template's wording and layout, not Word's
exact typesetting."""

from __future__ import annotations

import html
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

STYLE = """
body { margin: 0; padding: 16px; background: #e8e8e8; }
.page { background: #fff; max-width: 170mm; margin: 0 auto; padding: 20mm 20mm 20mm 24mm;
        font: 11pt/1.6 "Playbook Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
        "Microsoft YaHei", sans-serif; color: #000; }
p { margin: 0 0 2pt; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 4pt auto 8pt; font-size: 9pt; width: 100%; }
td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
.source { font: 9pt sans-serif; color: #555; margin: 0 auto 8px; max-width: 214mm; }
"""

_ALIGN = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


def docx_to_html(data: bytes, *, title: str, source: str) -> str:
    document = Document(io.BytesIO(data))
    body: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            body.append(_paragraph(Paragraph(element, document)))
        elif element.tag == qn("w:tbl"):
            body.append(_table(Table(element, document)))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<p class="source">Word 模板：{html.escape(source)}</p>\n<div class="page">\n'
        + "\n".join(body)
        + "\n</div>\n</body>\n</html>\n"
    )


def _paragraph(paragraph: Paragraph) -> str:
    runs: list[str] = []
    for run in paragraph.runs:
        text = html.escape(run.text).replace("\n", "<br>")
        if not text:
            continue
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.underline:
            text = f"<u>{text}</u>"
        runs.append(text)
    style = []
    align = _ALIGN.get(paragraph.alignment)  # type: ignore[arg-type]
    if align:
        style.append(f"text-align: {align}")
    indent = paragraph.paragraph_format.first_line_indent
    if indent:
        style.append(f"text-indent: {indent.pt:.0f}pt")
    attr = f' style="{"; ".join(style)}"' if style else ""
    return f"<p{attr}>{''.join(runs) or '&nbsp;'}</p>"


def _table(table: Table) -> str:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column
                continue
            seen.add(id(cell._tc))
            span = cell._tc.grid_span
            inner = "".join(_paragraph(p) for p in cell.paragraphs)
            cells.append(f"<td{f' colspan={span}' if span > 1 else ''}>{inner}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table>{''.join(rows)}</table>"
