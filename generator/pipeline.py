"""load → validate → model → render → write: the generator's main job.

Used by the MkDocs plugin (so plain ``mkdocs build``/``serve`` work) and by ``playbook build``;
the returned ``Generated`` carries the playbook and timings to the steps after it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.dates import CHINA, build_date, epoch_of, reproducible_dates
from generator.errors import PlaybookError
from generator.features import build_site_tree
from generator.playbook import Playbook
from generator.project import Project
from generator.render.site import SiteTree, jieba_dictionary
from generator.session import Session, open_session
from generator.writer import sync_tree, write_if_changed

__all__ = ["CHINA", "Generated", "build_date", "epoch_of", "generate", "reproducible_dates"]
"""``build_date``, ``epoch_of``, ``reproducible_dates`` (generator.dates) are re-exported for
callers that still import them from here."""


@dataclass
class Generated:
    session: Session
    """The build's one loaded world: every step after this one reads it."""
    tree: SiteTree
    jieba_dict: Path
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def playbook(self) -> Playbook:
        return self.session.playbook


def generate(project: Project, *, strict: bool = False) -> Generated:
    """Validate the playbook and write the Markdown tree; raise PlaybookError on any problem
    (with ``strict``, warnings too) before anything is written."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    session = open_session(project)
    playbook = session.playbook
    if strict and playbook.warnings:
        raise PlaybookError(playbook.warnings)
    timings["load+validate"] = time.perf_counter() - start
    for problem in playbook.notices:  # told on every build, never fatal (see Playbook.drift)
        print(f"warning: {problem}", file=sys.stderr)
    start = time.perf_counter()
    tree = build_site_tree(project, playbook, build_date(project))
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    sync_tree(project.docs_dir, tree.files)
    jieba_dict = project.build_dir / "jieba_user_dict.txt"
    write_if_changed(jieba_dict, jieba_dictionary(tree.search_words).encode("utf-8"))
    timings["write"] = time.perf_counter() - start
    return Generated(session, tree, jieba_dict, timings)
