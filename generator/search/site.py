"""The site steps of ``search.feature.Search`` (see ``generator.features.FEATURES``): the «常见问法» of every item."""

from __future__ import annotations

from typing import Any

from generator.playbook import Playbook
from generator.project import Project
from generator.search.questions import load_questions


def site_context(project: Project, playbook: Playbook) -> dict[str, Any]:
    """``questions``: item id → how people ask for it (``playbook/questions.yaml``)."""
    return {"questions": load_questions(project, playbook)}


def site_pages(project: Project, playbook: Playbook, context: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return []


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    return []
