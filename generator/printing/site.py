"""The site side of printing: the «打印资料» page and the «下载 PDF» links.

``printing.feature.Printouts`` runs these (``generator.features.FEATURES``). The PDFs themselves are
written after MkDocs (``generator.printing.build``), so links to them are raw HTML
``<a href>``, which MkDocs does not validate, relative to each page's URL.

Module pages (``templates/site/module.md.j2``) read ``downloads``: module id → list
of (label, href), from ``site_context``.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from generator.playbook import Playbook
from generator.printing.catalog import COURSE_KIT, KIND_LABELS, TRAINER_KINDS, Printable, catalog
from generator.project import Project
from generator.urls import directory_urls, page_dir

PAGE = "downloads/index.md"
"""The «打印资料» page (trainees and reps: no answer keys)."""

TRAINER_PAGE = "downloads/trainers.md"
"""The «讲师资料» page (URL ``downloads/trainers/``, the folder its PDFs are written to):
each course's trainer kit, kept off the trainees' page."""

FOLDER = "downloads"
"""Where the PDFs go inside ``site/`` (trainer material in ``downloads/trainers/``)."""

GROUPS = [
    ("checklist", "检查清单", "拜访客户、实施惩戒措施之前打印，逐项打钩。"),
    ("handout", "培训讲义", "每个模块一份：要点、合规提示和讨论题。"),
    ("workbook", "课程手册", "学员用：课程背景、议程、讨论题、案例和情景演练的公开情景。"),
    ("worksheet", "话术练习表", "学员用：课上分组编写本组的催收话术，课后直接使用。"),
]
"""The trainees' page: (kind, heading, note). Trainer kinds are on the 讲师资料 page, per course."""


def published(playbook: Playbook, printable: Printable) -> bool:
    """Whether a printout goes into the site (trainer material only when the company allows)."""
    return printable.kind not in TRAINER_KINDS or playbook.company.answer_keys_on_site


def download_name(printable: Printable) -> str:
    """The name a browser saves the PDF under: its Chinese title (the URL stays ASCII)."""
    title = re.sub(r'[\\/:*?"<>|：]+', "－", printable.title).strip("－ ")
    return f"{title}.pdf"


def pdf_href(page: str, printable: Printable, dir_urls: bool) -> str:
    """URL of a printable's PDF relative to ``page``'s URL."""
    return posixpath.relpath(f"{FOLDER}/{printable.filename}", page_dir(page, dir_urls) or ".")


def site_context(project: Project, playbook: Playbook) -> dict[str, Any]:
    """``downloads``: module id → [(label, href)] for the «下载 PDF» line of module pages."""
    found = catalog(project, playbook)
    playbook.warnings.extend(w for w in found.warnings if w not in playbook.warnings)
    dir_urls = directory_urls(project)
    links: dict[str, list[tuple[str, str]]] = {}
    # The module's handout first, then its checklists.
    ordered = sorted(found.printables, key=lambda p: p.kind != "handout")
    for printable in ordered:
        if printable.module is None or printable.page is None:
            continue
        label = "讲义" if printable.kind == "handout" else printable.title
        links.setdefault(printable.module, []).append((label, pdf_href(printable.page, printable, dir_urls)))
    return {"downloads": links}


def site_pages(project: Project, playbook: Playbook, context: Any) -> list[tuple[str, str, dict[str, Any]]]:
    found = catalog(project, playbook)
    dir_urls = directory_urls(project)

    def groups_for(page: str, kinds: set[str]) -> list[dict[str, Any]]:
        groups = []
        for kind, title, note in GROUPS:
            if kind not in kinds:
                continue
            rows = [
                {
                    "title": p.title,
                    "id": p.id,
                    "href": pdf_href(page, p, dir_urls),
                    "label": KIND_LABELS[p.kind],
                    "download": download_name(p),
                }
                for p in found.printables
                if p.kind == kind and published(playbook, p)
            ]
            if rows:
                groups.append({"title": title, "note": note, "rows": rows})
        return groups

    pages = [(PAGE, "print/downloads.md.j2", {"groups": groups_for(PAGE, {kind for kind, _t, _n in GROUPS})})]
    courses = trainer_courses(found.printables, playbook, dir_urls)
    if courses:
        pages.append((TRAINER_PAGE, "print/trainers.md.j2", {"courses": courses}))
    return pages


def trainer_courses(printables: list[Printable], playbook: Playbook, dir_urls: bool) -> list[dict[str, Any]]:
    """Per course, its trainer kit as links whose text says what each is (讲师手册, 幻灯片 …)."""
    order = {part.kind: n for n, part in enumerate(COURSE_KIT)}
    out = []
    for course in playbook.course_list():
        kit = sorted(
            (p for p in printables if p.trainer and p.context.get("course") is course and published(playbook, p)),
            key=lambda p: order[p.kind],
        )
        if kit:
            out.append(
                {
                    "title": course.title,
                    "links": [
                        {
                            "text": KIND_LABELS[p.kind],
                            "href": pdf_href(TRAINER_PAGE, p, dir_urls),
                            "download": download_name(p),
                        }
                        for p in kit
                    ],
                }
            )
    return out


def trainer_page(playbook: Playbook) -> str:
    """Path of the «讲师资料» page, or "" when the company keeps trainer material off the site."""
    return TRAINER_PAGE if playbook.company.answer_keys_on_site else ""


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    if trainer_page(playbook) and any(p.trainer for p in catalog(project, playbook).printables):
        return [{"打印资料": PAGE}, {"讲师资料": TRAINER_PAGE}]
    return [{"打印资料": PAGE}]
