"""The pictures as one feature (``generator.lifecycle``): the SVG charts in the site's pages."""

from __future__ import annotations

from typing import Any

from generator.lifecycle import Feature, PageSpec
from generator.pictures import site
from generator.session import Session


class Pictures(Feature):
    name = "pictures"

    def context(self, session: Session) -> dict[str, Any]:
        return site.site_context(session.project, session.playbook)

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return site.site_pages(session.project, session.playbook, context)

    def nav(self, session: Session) -> list[Any]:
        return site.site_nav(session.project, session.playbook)


FEATURE = Pictures()
