"""The letters as one feature (``generator.lifecycle``): the «函件模板» pages, the sample and
blank letters as files."""

from __future__ import annotations

from pathlib import Path

from generator.letters import site as site_module
from generator.lifecycle import ModuleFeature
from generator.session import Session


class Letters(ModuleFeature):
    name = "letters"

    site = site_module

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        site_module.post_build(session, out, timings)


FEATURE = Letters()
