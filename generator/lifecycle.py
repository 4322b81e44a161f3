"""The one lifecycle of an output: every output of the site is a :class:`Feature`.

The pipeline (``generator.pipeline``) runs every registered feature (``generator.features.FEATURES``)
through the same steps, in this order, for ``playbook build`` and the ``playbook`` MkDocs plugin alike:

1. ``context(session)``: variables every page gets;
2. ``pages(session, context)``: the pages it adds (page path, template, extra context);
3. ``nav(session)``: its navigation entries;
4. ``files(session, out, timings)``: files written beside the pages (PDFs, Word files) into the
   docs folder, before the engine copies it into the site;
5. ``after_build(session, site)``: what it changes in the site the engine wrote (our search).

A feature overrides the steps it needs; each default does nothing. Features receive the run's
:class:`~generator.session.Session` and never read the project's settings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from generator.playbook import Playbook
from generator.project import Project
from generator.session import Session

PageSpec = tuple[str, str, dict[str, Any]]
"""(page path, template name, extra context for that template)."""


@dataclass(frozen=True)
class BuiltSite:
    """The site an engine just wrote."""

    site_dir: Path
    material_search: bool
    """Material's search UI (MkDocs, ProperDocs); else Zensical's."""
    jieba_dict: Path
    """The generated jieba user dictionary (search words)."""


class Feature:
    """One output with the steps of the module's docstring."""

    name = "feature"
    """Shown in timings and messages."""

    def context(self, session: Session) -> dict[str, Any]:
        return {}

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        """``context(page, template, **extra)`` gives a template its typed context."""
        return []

    def nav(self, session: Session) -> list[Any]:
        """Navigation entries, appended before «术语表»."""
        return []

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        """Write files under ``out`` (the docs folder); add the phase's time to ``timings``."""

    def after_build(self, session: Session, site: BuiltSite) -> None:
        """Change the built site in place."""


class SitePart(Protocol):
    """A package's ``site`` module: the three page steps as functions of project and playbook."""

    def site_context(self, project: Project, playbook: Playbook) -> dict[str, Any]: ...

    def site_pages(self, project: Project, playbook: Playbook, context: Any) -> list[PageSpec]: ...

    def site_nav(self, project: Project, playbook: Playbook) -> list[Any]: ...


class ModuleFeature(Feature):
    """A feature whose context, pages and nav come from one ``site`` module (:class:`SitePart`);
    it overrides only what it adds besides (files, after-build)."""

    site: SitePart

    def context(self, session: Session) -> dict[str, Any]:
        return self.site.site_context(session.project, session.playbook)

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return self.site.site_pages(session.project, session.playbook, context)

    def nav(self, session: Session) -> list[Any]:
        return self.site.site_nav(session.project, session.playbook)
