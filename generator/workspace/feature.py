"""The «催收准备» workspace as one feature (``generator.lifecycle``): its page, and its script
and style sheet as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.lifecycle import Feature, PageSpec
from generator.session import Session
from generator.workspace import assets, site


class Workspace(Feature):
    name = "workspace"

    def context(self, session: Session) -> dict[str, Any]:
        return site.site_context(session.project, session.playbook)

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return site.site_pages(session.project, session.playbook, context)

    def nav(self, session: Session) -> list[Any]:
        return site.site_nav(session.project, session.playbook)

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        assets.post_build(session, out, timings)


FEATURE = Workspace()
