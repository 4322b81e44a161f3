"""A letter's file in the format asked for: the company's Word template when it has one,
else the HTML letter (as HTML, PDF through Typst, or a plain Word file).

Above both :mod:`generator.letters.render` and :mod:`generator.letters.word` (which itself
renders HTML for its previews), so neither imports the other back.
"""

from __future__ import annotations

import jinja2

from generator.cases.model import Case
from generator.letters import context as ctx
from generator.letters import word
from generator.letters.render import letter_context, render_html
from generator.project import Project
from generator.schema.site import Company


def render_bytes(
    project: Project,
    env: jinja2.Environment,
    company: Company,
    case: Case,
    request: ctx.Request,
    *,
    seq: int,
    reference: str,
) -> bytes:
    """The letter's file content in ``request.fmt``."""
    context = letter_context(project, env, company, case, request, seq=seq, reference=reference)
    filled = word.render(project, request.template, request.fmt, context)
    if filled is not None:
        return filled
    html = render_html(project, env, request.template, context)
    if request.fmt == "html":
        return html.encode("utf-8")
    if request.fmt == "pdf":
        from generator.pdf import html_to_pdf

        return html_to_pdf(html, base_url=str(project.root))
    from generator.letters.docx import html_to_docx

    return html_to_docx(html, title=f"{context['letter']['title']} · {case.customer}")
