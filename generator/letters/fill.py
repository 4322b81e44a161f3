"""A letter's file in the format asked for: the company's Word template when it has one,
else the HTML letter (as HTML, PDF through Typst, or a plain Word file).

Above both :mod:`generator.letters.render` and :mod:`generator.letters.word` (which itself
renders HTML for its previews), so neither imports the other back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from generator.cases.model import Case
from generator.errors import PlaybookError
from generator.letters import context as ctx
from generator.letters import word
from generator.letters.render import letter_context, render_html
from generator.session import Session


@dataclass(frozen=True)
class Numbered:
    """A case with its letter's number and reference (函号)."""

    case: Case
    seq: int
    reference: str


def render_bytes(
    session: Session,
    env: jinja2.Environment,
    case: Case,
    request: ctx.Request,
    *,
    seq: int,
    reference: str,
) -> bytes:
    """The letter's file content in ``request.fmt``."""
    files, error = render_files(session, env, request, [Numbered(case, seq, reference)])
    if error is not None:
        raise error
    return files[0]


def render_files(
    session: Session,
    env: jinja2.Environment,
    request: ctx.Request,
    letters: Sequence[Numbered],
) -> tuple[list[bytes], PlaybookError | None]:
    """The file content of each letter, in order; PDFs of the same layout are typeset in one
    go (``htmls_to_pdfs``: several times faster than one by one). A template that fails for a
    letter stops there: the files of the letters before it and that letter's error."""
    project = session.project
    files: list[bytes] = []
    htmls: list[tuple[int, str]] = []  # (index in files, HTML) of the PDFs still to typeset
    error: PlaybookError | None = None
    for letter in letters:
        try:
            context = letter_context(session, env, letter.case, request, seq=letter.seq, reference=letter.reference)
            filled = word.render(session, request.template, request.fmt, context)
            if filled is not None:
                files.append(filled)
                continue
            html = render_html(project, env, request.template, context)
            if request.fmt == "pdf":
                htmls.append((len(files), html))
                files.append(b"")
            elif request.fmt == "html":
                files.append(html.encode("utf-8"))
            else:
                from generator.letters.docx import html_to_docx

                files.append(html_to_docx(html, title=f"{context['letter']['title']} · {letter.case.customer}"))
        except PlaybookError as exc:
            error = exc
            break
    if htmls:
        from generator.pdf import htmls_to_pdfs

        try:
            pdfs = htmls_to_pdfs([html for _, html in htmls], base_url=str(project.root))
        except PlaybookError as exc:  # the layout itself failed: no letter of this batch is made
            return [], exc
        for (index, _), data in zip(htmls, pdfs, strict=True):
            files[index] = data
    return files, error
