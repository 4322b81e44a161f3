"""load → validate → model → render → write: the generator's main job.

Used by the MkDocs hook (so plain ``mkdocs build``/``serve`` work) and by the CLI.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from generator.errors import PlaybookError
from generator.model import Playbook, load
from generator.project import Project
from generator.render.site import SiteTree, build_tree, jieba_dictionary
from generator.writer import sync_tree, write_if_changed

LAST_PLAYBOOK: dict[Path, Playbook] = {}
"""The playbook the latest ``generate`` validated, per project root (the PDF step after
MkDocs reuses it instead of loading everything again)."""

LAST_TIMINGS: dict[str, float] = {}
"""Phase timings of the latest ``generate`` in this process (read by ``playbook build`` and bench/)."""


@dataclass
class Generated:
    playbook: Playbook
    tree: SiteTree
    jieba_dict: Path
    timings: dict[str, float] = field(default_factory=dict)


def build_date() -> date:
    """The date stamped on output: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def known_letter_ids(project: Project) -> set[str]:
    """Letter template ids: ``templates/letters/<id>.html.j2`` (and company overrides)."""
    ids: set[str] = set()
    for folder in project.template_dirs():
        letters = folder / "letters"
        if letters.is_dir():
            ids.update(p.name.removesuffix(".html.j2") for p in letters.glob("*.html.j2")
                       if not p.name.startswith("_"))
    return ids


def generate(project: Project, *, strict: bool = False) -> Generated:
    """Validate the playbook and write the Markdown tree; raise PlaybookError on any problem
    (with ``strict``, warnings too) before anything is written."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    playbook = load(project, letter_ids=known_letter_ids(project))
    if strict and playbook.warnings:
        raise PlaybookError(playbook.warnings)
    timings["load+validate"] = time.perf_counter() - start
    start = time.perf_counter()
    tree = build_tree(project, playbook, build_date())
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    sync_tree(project.docs_dir, tree.files)
    jieba_dict = project.build_dir / "jieba_user_dict.txt"
    write_if_changed(jieba_dict, jieba_dictionary(tree.search_words).encode("utf-8"))
    timings["write"] = time.perf_counter() - start
    LAST_TIMINGS.clear()
    LAST_TIMINGS.update(timings)
    LAST_PLAYBOOK[project.root] = playbook
    return Generated(playbook, tree, jieba_dict, timings)
