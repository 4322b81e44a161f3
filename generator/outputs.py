"""The outputs written beside the pages: every PDF and letter file, listed in one place.

``playbook build`` runs them into the docs tree before the engine (every engine copies
them as they are); the MkDocs plugin runs them into the site after a plain ``mkdocs build``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from generator.letters import site as letter_site
from generator.printing import build as printing_build
from generator.session import Session
from generator.workspace import assets as workspace_assets


class OutputStep(Protocol):
    """Writes its files under ``site_dir`` (the site's root); may raise PlaybookError;
    adds its phase time to ``timings``."""

    def __call__(self, session: Session, site_dir: Path, timings: dict[str, float]) -> None: ...


OUTPUT_STEPS: list[OutputStep] = [printing_build.post_build, letter_site.post_build, workspace_assets.post_build]
"""Checklists, handouts and workbooks (``downloads/``); letter samples and blanks (``letters/files/``);
the «催收准备» page's script and style sheet (``assets/workspace.*``)."""


def output_files(session: Session, docs_dir: Path, timings: dict[str, float]) -> None:
    for step in OUTPUT_STEPS:
        step(session, docs_dir, timings)
