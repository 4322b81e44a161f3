"""Every output of the site, registered in one place at the top of the layers.

Each entry is a :class:`generator.lifecycle.Feature`: one object with the steps context, pages,
nav, files and after-build, which the pipeline (``generator.pipeline``) runs for ``playbook
build`` and the ``playbook`` MkDocs plugin alike. To add an output, write such an object in its
package and append it here; ``render/`` never imports the features itself, so it stays below them.
"""

from __future__ import annotations

from datetime import date

from generator import contexts
from generator.letters import feature as letters
from generator.lifecycle import Feature
from generator.pictures import feature as pictures
from generator.printing import feature as printing
from generator.render.site import SiteTree, build_tree
from generator.search import feature as search
from generator.session import Session
from generator.workspace import feature as workspace

FEATURES: tuple[Feature, ...] = (
    printing.FEATURE,
    letters.FEATURE,
    search.FEATURE,
    pictures.FEATURE,
    contexts.FEATURE,
    workspace.FEATURE,  # «催收准备» (generator/workspace/)
)
"""In this order: their context variables merge in it, their navigation entries follow it, their
files are written in it."""


def build_site_tree(session: Session, day: date) -> SiteTree:
    """The whole site's Markdown tree with every registered feature."""
    return build_tree(session, day, FEATURES)
