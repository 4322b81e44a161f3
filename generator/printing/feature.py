"""The printouts as one feature (``generator.lifecycle``): the «打印资料» pages and the PDFs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.lifecycle import Feature, PageSpec
from generator.printing import build, site
from generator.session import Session


class Printouts(Feature):
    name = "printouts"

    def context(self, session: Session) -> dict[str, Any]:
        return site.site_context(session.project, session.playbook)

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return site.site_pages(session.project, session.playbook, context)

    def nav(self, session: Session) -> list[Any]:
        return site.site_nav(session.project, session.playbook)

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        build.post_build(session, out, timings)


FEATURE = Printouts()
