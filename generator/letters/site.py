"""The site's «函件模板» section: an index page and one page per letter with a sample
rendering on fictitious data (the letter's real HTML, shown in a sandboxed frame)."""

from __future__ import annotations

import html as html_lib
from typing import Any

from generator.letters import context as ctx
from generator.letters.catalog import info, letter_ids
from generator.letters.references import reference
from generator.letters.render import letter_context, letter_env, render_html
from generator.model import Playbook
from generator.project import Project

SECTION = "函件模板"


def letter_page(letter_id: str) -> str:
    return f"letters/{letter_id}.md"


def sample_html(project: Project, playbook: Playbook, letter_id: str) -> str:
    """The letter filled with the fictitious sample case, as a standalone HTML page."""
    env = letter_env(project)
    request = ctx.Request(template=letter_id, fmt="html", letter_date=ctx.SAMPLE_DATE)
    case = ctx.sample_case()
    ref = reference(playbook.company, on=ctx.SAMPLE_DATE, seq=1, template=letter_id, customer_no=1)
    context = letter_context(project, env, playbook.company, case, request, seq=1, reference=ref)
    from generator.letters import word

    template = word.load(project, letter_id)
    if template is not None:  # the company's Word template is the letter: show its rendering
        from generator.letters.word.preview import docx_to_html

        return docx_to_html(template.fill(context), title=context["letter"]["title"], source=template.display)
    return render_html(project, env, letter_id, context)


def srcdoc(page: str) -> str:
    """The page as one escaped attribute value (one line, so Markdown keeps the block whole)."""
    return html_lib.escape(page, quote=True).replace("\r", "").replace("\n", "&#10;")


def site_pages(project: Project, playbook: Playbook, context: Any) -> list[tuple[str, str, dict[str, Any]]]:
    ids = [i for i in letter_ids(project) if i not in playbook.letters_off]  # the company's letters only
    letters = [info(i) for i in ids]
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
    for letter in letters:
        serves = users[letter.id]  # the playbook's `letters:` fields are the one source of these links
        pages.append(
            (
                letter_page(letter.id),
                "site/letter.md.j2",
                {
                    "letter": letter,
                    "serves": serves,
                    "sample": srcdoc(sample_html(project, playbook, letter.id)),
                    "sample_case": ctx.sample_case(),
                    "sample_date": ctx.SAMPLE_DATE,
                    "word_template": _word_template(project, letter.id),
                },
            )
        )
    return pages


def _word_template(project: Project, letter_id: str) -> str:
    """``site_config/letters/<id>.docx`` when the company owns this letter in Word, else ""."""
    from generator.letters.word import template_path

    path = template_path(project, letter_id)
    return project.display(path) if path else ""


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    ids = [i for i in letter_ids(project) if i not in playbook.letters_off]
    return [
        {
            SECTION: [
                {"函件模板总览": "letters/index.md"},
                *({info(i).title: letter_page(i)} for i in ids),
            ]
        }
    ]
