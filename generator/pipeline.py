"""The one build sequence, for ``playbook build`` and the ``playbook`` MkDocs plugin alike:

1. :func:`generate`: open the session (load → validate), run every feature's context, pages
   and nav steps, write the Markdown tree into the docs folder;
2. :func:`write_files`: every feature's files step, into the docs folder;
3. the engine builds the site (``build.py`` runs it; under ``mkdocs build`` MkDocs itself);
4. :func:`after_build`: every feature's after-build step on the site the engine wrote.

The returned ``Generated`` carries the session and timings to the steps after the first.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.dates import CHINA, build_date, epoch_of, reproducible_dates
from generator.errors import PlaybookError
from generator.features import FEATURES, build_site_tree
from generator.files_cache import cached_files, inputs_digest
from generator.lifecycle import BuiltSite, Feature
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
    tree = build_site_tree(session, build_date(project))
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    sync_tree(project.docs_dir, tree.files)
    jieba_dict = project.build_dir / "jieba_user_dict.txt"
    write_if_changed(jieba_dict, jieba_dictionary(tree.search_words).encode("utf-8"))
    timings["write"] = time.perf_counter() - start
    return Generated(session, tree, jieba_dict, timings)


def write_files(generated: Generated, out: Path, timings: dict[str, float]) -> None:
    """Every feature's files step, into ``out`` (the docs folder the engine copies); a step whose
    inputs did not change since the last run gives the files it made then (``files_cache``)."""
    session = generated.session
    key = inputs_digest(session.project)
    for feature in FEATURES:
        if type(feature).files is Feature.files:
            continue  # a feature without files

        def make(folder: Path, feature: Feature = feature) -> None:
            feature.files(session, folder, timings)

        cached_files(session.project, feature.name, key, out, make, timings)


def after_build(generated: Generated, built: BuiltSite) -> None:
    """Every feature's after-build step, on the site the engine just wrote."""
    for feature in FEATURES:
        feature.after_build(generated.session, built)
