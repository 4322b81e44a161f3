"""The printouts as one feature (``generator.lifecycle``): the «打印资料» pages and the PDFs."""

from __future__ import annotations

from pathlib import Path

from generator.lifecycle import ModuleFeature
from generator.printing import build
from generator.printing import site as site_module
from generator.session import Session


class Printouts(ModuleFeature):
    name = "printouts"

    site = site_module

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        build.post_build(session, out, timings)


FEATURE = Printouts()
