"""The letters as one feature (``generator.lifecycle``): the «函件模板» pages, the sample and
blank letters as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.letters import site
from generator.lifecycle import Feature, PageSpec
from generator.session import Session


class Letters(Feature):
    name = "letters"

    def context(self, session: Session) -> dict[str, Any]:
        return site.site_context(session.project, session.playbook)

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return site.site_pages(session.project, session.playbook, context)

    def nav(self, session: Session) -> list[Any]:
        return site.site_nav(session.project, session.playbook)

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        site.post_build(session, out, timings)


FEATURE = Letters()
