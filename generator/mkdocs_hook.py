"""Replaced by the ``playbook`` MkDocs plugin (generator/engines/mkdocs_plugin.py).

A fork whose mkdocs.yml still lists this hook gets the one-line fix instead of a build
that silently lacks its navigation and PDFs.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import Abort

MESSAGE = (
    "mkdocs.yml: hooks: the playbook is now an MkDocs plugin: delete the lines "
    "`hooks:` / `- generator/mkdocs_hook.py` and list `- playbook` first under `plugins:` "
    "(see upstream's mkdocs.yml)"
)


def on_config(config: Any) -> Any:
    raise Abort(MESSAGE)
