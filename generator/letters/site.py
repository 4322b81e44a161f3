"""The site's «函件模板» section: an index page and one page per letter with a sample
rendering on fictitious data (the letter's real HTML, shown in a frame scaled to the
column), the sample as PDF, and the letter blank to fill in by hand (PDF) or in Word (DOCX).

The files are written by ``post_build`` (the files step of ``letters.feature.Letters``)
into ``site/letters/files/``: ``sample-<id>.pdf``, ``blank-<id>.pdf``, ``blank-<id>.docx``.
"""

from __future__ import annotations

import html as html_lib
from pathlib import Path
from typing import Any

from generator.letters import context as ctx
from generator.letters.references import reference
from generator.letters.render import letter_context, letter_env, render_html
from generator.pdf import FONT_FILES
from generator.playbook import Playbook
from generator.project import Project
from generator.session import Session

SECTION = "函件模板"
FILES = "letters/files"
"""Where the letter downloads go inside ``site/``."""


def downloads(letter_id: str) -> dict[str, str]:
    """Kind → file name inside ``FILES`` (ASCII names; the links carry the Chinese labels)."""
    return {
        "sample_pdf": f"sample-{letter_id}.pdf",
        "blank_pdf": f"blank-{letter_id}.pdf",
        "blank_docx": f"blank-{letter_id}.docx",
    }


def download_hrefs(project: Project, letter_id: str) -> dict[str, str]:
    """Links to a letter's downloads relative to its page's URL."""
    import posixpath

    from generator.urls import directory_urls, page_dir

    here = page_dir(letter_page(letter_id), directory_urls(project)) or "."
    return {kind: posixpath.relpath(f"{FILES}/{name}", here) for kind, name in downloads(letter_id).items()}


def letter_page(letter_id: str) -> str:
    return f"letters/{letter_id}.md"


def sample_html(session: Session, letter_id: str) -> str:
    """The letter filled with the fictitious sample case, as an HTML page for the letter's
    site page (its frame loads the site's copy of the shipped font)."""
    import dataclasses
    import posixpath

    from generator.urls import directory_urls, page_dir

    project = session.project
    env = letter_env(project)
    request = ctx.Request(template=letter_id, fmt="html", letter_date=ctx.SAMPLE_DATE)
    case = ctx.sample_case()
    ref = reference(session.company, on=ctx.SAMPLE_DATE, seq=1, template=letter_id, customer_no=1)
    context = letter_context(session, env, case, request, seq=1, reference=ref)
    # srcdoc is an attribute no engine rewrites: the font's URL is relative to the page's URL
    # whatever the engine does with links (Project.links_from_source)
    page_url_project = dataclasses.replace(project, links_from_source=False)
    here = page_dir(letter_page(letter_id), directory_urls(page_url_project)) or "."
    context["font_href"] = posixpath.relpath(f"assets/fonts/{FONT_FILES[400]}", here)
    from generator.letters import word

    template = word.load(session, letter_id)
    if template is not None:  # the company's Word template is the letter: show its rendering
        from generator.letters.word.preview import docx_to_html

        return docx_to_html(template.fill(context), title=context["letter"]["title"], source=template.display)
    return render_html(project, env, letter_id, context)


def srcdoc(page: str) -> str:
    """The page as one escaped attribute value (one line, so Markdown keeps the block whole)."""
    return html_lib.escape(page, quote=True).replace("\r", "").replace("\n", "&#10;")


def site_pages(project: Project, playbook: Playbook, context: Any) -> list[tuple[str, str, dict[str, Any]]]:
    session = Session.of(project, playbook)
    catalog = session.letters
    ids = session.sent_letter_ids()  # the company's letters only
    letters = [catalog.info(i) for i in ids]
    users: dict[str, list[str]] = {i: [] for i in ids}
    for _module, item, _parent in playbook.items():
        for letter in item.letters:
            if letter in users:
                users[letter].append(item.id)
    pages: list[tuple[str, str, dict[str, Any]]] = [
        (
            "letters/index.md",
            "site/letters.md.j2",
            {"letters": letters, "letter_page": letter_page},
        ),
    ]
    for shown in letters:
        serves = users[shown.id]  # the playbook's `letters:` fields are the one source of these links
        pages.append(
            (
                letter_page(shown.id),
                "site/letter.md.j2",
                {
                    "letter": shown,
                    "serves": serves,
                    "sample": srcdoc(sample_html(session, shown.id)),
                    "sample_case": ctx.sample_case(),
                    "sample_date": ctx.SAMPLE_DATE,
                    "word_template": _word_template(project, shown.id),
                    "files": download_hrefs(project, shown.id),
                },
            )
        )
    return pages


def _word_template(project: Project, letter_id: str) -> str:
    """``site_config/letters/<id>.docx`` when the company owns this letter in Word, else ""."""
    from generator.letters.word import template_path

    path = template_path(project, letter_id)
    return project.display(path) if path else ""


def site_context(project: Project, playbook: Playbook) -> dict[str, Any]:
    return {}


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    session = Session.of(project, playbook)
    catalog = session.letters
    ids = session.sent_letter_ids()
    return [
        {
            SECTION: [
                {"函件模板总览": "letters/index.md"},
                *({catalog.title(i): letter_page(i)} for i in ids),
            ]
        }
    ]


def post_build(session: Session, site_dir: Path, timings: dict[str, float]) -> None:
    """The sample and blank letters as files (PDFs from the print cache when unchanged)."""
    import time

    from generator.letters.blank import blank_docx, blank_html
    from generator.pdf import html_to_pdf  # noqa: F401  (imported once before workers fork)
    from generator.printing.cache import PdfCache
    from generator.printing.render import render_pdfs, workers_available
    from generator.writer import write_if_changed

    start = time.perf_counter()
    project = session.project
    htmls: dict[str, str] = {}
    folder = site_dir / FILES
    for letter_id in session.letter_ids():
        names = downloads(letter_id)
        request = ctx.Request(template=letter_id, fmt="pdf", letter_date=ctx.SAMPLE_DATE)
        htmls[names["sample_pdf"]] = _sample_pdf_html(session, request)
        htmls[names["blank_pdf"]] = blank_html(session, letter_id)
        docx = blank_docx(session, letter_id)
        write_if_changed(folder / names["blank_docx"], docx)
        (folder / names["blank_docx"]).chmod(0o644)
    result = render_pdfs(htmls, project.root.as_uri() + "/", workers=workers_available(), pdf_cache=PdfCache(project))
    for name, data in result.pdfs.items():
        write_if_changed(folder / name, data)
        (folder / name).chmod(0o644)
    timings["letter files"] = time.perf_counter() - start


def _sample_pdf_html(session: Session, request: ctx.Request) -> str:
    env = letter_env(session.project)
    ref = reference(session.company, on=ctx.SAMPLE_DATE, seq=1, template=request.template, customer_no=1)
    context = letter_context(session, env, ctx.sample_case(), request, seq=1, reference=ref)
    return render_html(session.project, env, request.template, context)
