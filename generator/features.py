"""What adds to the generated site, registered in one place at the top of the layers.

Each entry satisfies ``generator.render.site.SiteFeature`` (``site_context``,
``site_pages``, ``site_nav``). To add an output to the site, write such a module and
append it here; ``render/`` never imports the features itself, so it stays below them.
"""

from __future__ import annotations

from datetime import date

from generator import contexts
from generator.letters import site as letters_site
from generator.pictures import site as pictures_site
from generator.playbook import Playbook
from generator.printing import site as printing_site
from generator.project import Project
from generator.render.site import SiteFeature, SiteTree, build_tree
from generator.search import site as search_site
from generator.workspace import site as workspace_site

SITE_FEATURES: tuple[SiteFeature, ...] = (
    printing_site,
    letters_site,
    search_site,
    pictures_site,
    contexts,
    workspace_site,  # «催收准备» (generator/workspace/)
)
"""In this order: their context variables merge in it, their navigation entries follow it."""


def build_site_tree(project: Project, playbook: Playbook, day: date) -> SiteTree:
    """The whole site's Markdown tree with every registered feature."""
    return build_tree(project, playbook, day, SITE_FEATURES)
