"""The «催收准备» page (the steps of ``workspace.feature.Workspace``, listed in ``generator.features.FEATURES``).

Everything the page's script needs is embedded in the page at build time
(``<script type="application/json" id="ws-data">``): no request for data, so the page works
from disk as well as over HTTP. Links inside the data are relative to the page's URL (no
engine rewrites links inside a script).
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
from decimal import Decimal
from typing import Any

from generator.letters.site import download_hrefs
from generator.pictures.site import page_url
from generator.playbook import Playbook
from generator.project import Project
from generator.session import Session
from generator.urls import URLS, directory_urls, page_dir

PAGE = "workspace.md"
NAV_TITLE = "催收准备"
SCHEMA_VERSION = 1
"""The version of the export file (``docs/workspace.md``); the page refuses other versions."""

GROUPS = ("checklist-know-self", "checklist-know-customer", "checklist-five-preparations")
"""The checklists (``playbook/checklists.yaml``) a customer is prepared with, in this order."""
BRING = "checklist-interview-before"
"""The checklist whose lines the visit sheet lists under «带齐»."""

ASSETS = ("workspace.js", "workspace.css")
"""Files of ``templates/site/workspace/`` copied to ``assets/`` (see ``generator.workspace.assets``)."""


def fen(amount: Decimal) -> str:
    """An amount in 元 as whole fen (a string: the script compares them as BigInt, exactly)."""
    scaled = amount * 100
    if scaled != scaled.to_integral_value():  # a policy minimum below one fen cannot be typed in
        scaled = scaled.to_integral_value(rounding="ROUND_CEILING")
    return str(int(scaled))


def _url_project(project: Project) -> Project:
    # script data and <script src> are attributes no engine rewrites: relative to the page's URL
    return dataclasses.replace(project, links_from_source=False)


def asset_href(project: Project, name: str) -> str:
    """``<script src>`` / ``<link href>`` of the page: an engine that writes links relative to the
    source file (Zensical) rewrites these too, the others take them as they are (page URL)."""
    if project.links_from_source:
        return posixpath.relpath(f"assets/{name}", posixpath.dirname(PAGE) or ".")
    here = page_dir(PAGE, directory_urls(project)) or "."
    return posixpath.relpath(f"assets/{name}", here)


def page_data(project: Project, playbook: Playbook) -> dict[str, Any]:
    """What the page's script works from (documented in ``docs/workspace.md``)."""
    from generator.printing.catalog import catalog

    dir_urls = directory_urls(_url_project(project))
    session = Session.of(project, playbook)

    def href(id_: str) -> str:
        entry = playbook.index[id_]
        return page_url(PAGE, entry.page, entry.anchor or "", directory_urls=dir_urls)

    def line(item: Any) -> dict[str, str]:
        return {"id": item.id, "title": item.title, "summary": item.summary or "", "href": href(item.id)}

    checklists = {p.id: p for p in catalog(project, playbook).printables if p.kind == "checklist"}
    groups = [
        {"id": cid, "title": checklists[cid].title, "items": [line(i) for i in checklists[cid].context["lines"]]}
        for cid in GROUPS
        if cid in checklists
    ]
    bring = [line(i) for i in checklists[BRING].context["lines"]] if BRING in checklists else []
    sent = set(session.sent_letter_ids())

    def letter(id_: str | None) -> dict[str, str] | None:
        if not id_ or id_ not in sent:
            return None
        page = URLS.letter(id_)
        blank = posixpath.normpath(
            posixpath.join(page_dir(page, dir_urls) or ".", download_hrefs(_url_project(project), id_)["blank_pdf"])
        )
        here = page_dir(PAGE, dir_urls) or "."
        return {
            "id": id_,
            "title": session.letters.title(id_),
            "href": page_url(PAGE, page, directory_urls=dir_urls),
            "blank": posixpath.relpath(blank, here),
        }

    def requirement(id_: str) -> dict[str, Any]:
        if id_ in playbook.index:
            return {"id": id_, "title": f"已实施「{playbook.index[id_].title}」", "href": href(id_)}
        found = letter(id_)
        return {
            "id": id_,
            "title": f"已发出{session.letters.title(id_)}",
            "href": found["href"] if found else "",
        }

    rungs = []
    for rung, rule in playbook.policy.enabled_rungs():  # the same list decide.highest_rung walks
        entry = playbook.index.get(rung)
        rungs.append(
            {
                "id": rung,
                "title": entry.title if entry else rung,
                "href": href(rung) if entry else "",
                "days": rule.days_overdue,
                "min_fen": None if rule.min_amount is None else fen(Decimal(str(rule.min_amount))),
                "approver": rule.approver,
                "requires": [requirement(r) for r in rule.requires],
                "letter": letter(rule.letter),
                "checks": [c.title for c in entry.obj.checks] if entry and entry.kind == "item" else [],
            }
        )
    return {
        "schema": SCHEMA_VERSION,
        "company": playbook.company.name,
        "storage_key": f"playbook-workspace:{playbook.company.name}",
        "groups": groups,
        "bring": bring,
        "rungs": rungs,
    }


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script>`` on one line: no ``</script>``, no ``<!--``, no blank line
    that would end Markdown's raw HTML block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def site_context(project: Project, playbook: Playbook) -> dict[str, Any]:
    return {}


def site_pages(project: Project, playbook: Playbook, context: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (
            PAGE,
            "site/workspace/workspace.md.j2",
            {
                "data": script_json(page_data(project, playbook)),
                "script_href": asset_href(project, "workspace.js"),
                "css_href": asset_href(project, "workspace.css"),
            },
        )
    ]


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    return [{NAV_TITLE: PAGE}]
