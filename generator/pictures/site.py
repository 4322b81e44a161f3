"""Pictures in the site's pages (the steps of ``pictures.feature.Pictures``, listed in ``generator.features.FEATURES``).

Every page's template context gets two functions, called with the page's own path
(``page``) so their links are relative to it:

* ``workflow_picture(page)``: the collection workflow (the first navigation section's
  modules, then the company's enabled rungs up to 法律途径) as a flow of linked boxes;
* ``ladder_picture(page)``: the company's penalty ladder as a staircase with the days,
  minimum amounts and approvers of ``policy.yaml``.

Both return Markup holding one ``<div class="pb-figure">`` with an inline SVG, or ""
when there is nothing to draw.
"""

from __future__ import annotations

import posixpath
from typing import Any

from markupsafe import Markup

from generator.pictures.charts import Box, Step, flow, staircase
from generator.pictures.svg import SITE
from generator.playbook import Playbook
from generator.project import Project
from generator.urls import URLS

PER_ROW = 5


def page_url(from_page: str, to_page: str, anchor: str = "", *, directory_urls: bool = True) -> str:
    """A link inside raw HTML (MkDocs rewrites only Markdown links): ``to_page``'s URL
    relative to ``from_page``'s URL."""

    def url_dir(page: str) -> str:
        stem = page.removesuffix(".md")
        if directory_urls and posixpath.basename(stem) != "index":
            return stem
        return posixpath.dirname(stem)

    def url_of(page: str) -> str:
        stem = page.removesuffix(".md")
        if posixpath.basename(stem) == "index":
            return posixpath.dirname(stem) + "/" if posixpath.dirname(stem) else ""
        return stem + "/" if directory_urls else stem + ".html"

    target = url_of(to_page)
    here = url_dir(from_page) or "."
    if from_page == to_page:
        rel = ""
    else:
        rel = posixpath.relpath(target or ".", here)
        if target.endswith("/") or not target:
            rel = rel.rstrip("/") + "/"
        if rel == "./":
            rel = "./"
    return f"{rel}#{anchor}" if anchor else (rel or "./")


def figure(svg: str, caption: str = "") -> Markup:
    cap = f'<p class="pb-figure__caption">{Markup.escape(caption)}</p>' if caption else ""
    return Markup(f'<div class="pb-figure" markdown="0">{svg}{cap}</div>\n')


def ladder_steps(playbook: Playbook, href: Any = None) -> list[Step]:
    """The enabled rungs as staircase steps (``href(rung id)`` gives each step's link)."""
    return [
        Step(
            item.title,
            rule.days_overdue if rule else None,
            rule.min_amount if rule else None,  # type: ignore[arg-type]
            rule.approver if rule else "",
            href(rung) if href else "",
        )
        for rung, rule, item in playbook.enabled_rungs()
    ]


def workflow_rows(playbook: Playbook, href: Any) -> list[list[Box]]:
    """The workflow: the first section's modules (the module holding the ladder replaced by
    its rungs, which form the last row), wrapped ``PER_ROW`` to a row."""
    rungs = playbook.enabled_rungs()
    ladder_module = None
    if rungs:
        entry = playbook.index.get(rungs[0][0])
        ladder_module = entry.module if entry is not None else None
    first_section = playbook.modules[0].section if playbook.modules else None
    stages = [m for m in playbook.modules if m.section == first_section and m is not ladder_module]
    boxes = [Box(m.nav_title or m.title, "", href(URLS.module(m.id), "")) for m in stages]
    rows = [boxes[i : i + PER_ROW] for i in range(0, len(boxes), PER_ROW)]
    if ladder_module is not None:
        ladder_page = URLS.module(ladder_module.id)
        steps = [
            Box(item.title, f"逾期 {rule.days_overdue} 天起" if rule else "", href(ladder_page, rung))
            for rung, rule, item in rungs
        ]
        rows.extend(steps[i : i + PER_ROW] for i in range(0, len(steps), PER_ROW))
    return [row for row in rows if row]


def site_context(project: Project, playbook: Playbook) -> dict[str, Any]:
    from generator.urls import directory_urls

    dir_urls = directory_urls(project)

    def link(page: str, to: str, anchor: str) -> str:
        if project.links_from_source:  # the engine rewrites page.md links itself (Zensical)
            rel = "" if to == page else posixpath.relpath(to, posixpath.dirname(page) or ".")
            return f"{rel}#{anchor}" if anchor else rel
        return page_url(page, to, anchor, directory_urls=dir_urls)

    def workflow_picture(page: str) -> Markup:
        rows = workflow_rows(playbook, lambda to, anchor: link(page, to, anchor))
        if not rows:
            return Markup("")
        return figure(flow(rows, SITE), "点击任一步骤查看做法；最后一行是本公司的惩戒阶梯。")

    def ladder_picture(page: str) -> Markup:
        steps = ladder_steps(playbook, lambda rung: "#" + rung)
        if not steps:
            return Markup("")
        return figure(staircase(steps, SITE))

    return {"workflow_picture": workflow_picture, "ladder_picture": ladder_picture}


def site_pages(project: Project, playbook: Playbook, context: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return []


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    return []
