"""The «催收准备» workspace as one feature (``generator.lifecycle``): its page, and its script
and style sheet as files."""

from __future__ import annotations

from pathlib import Path

from generator.lifecycle import ModuleFeature
from generator.session import Session
from generator.workspace import assets
from generator.workspace import site as site_module


class Workspace(ModuleFeature):
    name = "workspace"

    site = site_module

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        assets.post_build(session, out, timings)


FEATURE = Workspace()
