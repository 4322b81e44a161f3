"""load → validate → model → render → write: the generator's main job.

Used by the MkDocs plugin (so plain ``mkdocs build``/``serve`` work) and by ``playbook build``;
the returned ``Generated`` carries the playbook and timings to the steps after it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from generator.errors import PlaybookError
from generator.model import Playbook, load
from generator.project import Project
from generator.render.site import SiteTree, build_tree, jieba_dictionary
from generator.writer import sync_tree, write_if_changed

CHINA = timezone(timedelta(hours=8), "CST")
"""Dates in the Chinese text are China's calendar dates (UTC+8, no daylight saving)."""

@dataclass
class Generated:
    playbook: Playbook
    tree: SiteTree
    jieba_dict: Path
    timings: dict[str, float] = field(default_factory=dict)


def build_date(project: Project) -> date:
    """The playbook's date, stamped on pages and printouts. It comes from the input, so the
    same input gives the same bytes on any day: ``SOURCE_DATE_EPOCH`` when set, else the date
    of the project's last git commit, else the newest file in playbook/ and site_config/."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=CHINA).date()
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project.root, capture_output=True,
                             text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return datetime.fromtimestamp(int(out.stdout.strip()), tz=CHINA).date()
    except (OSError, subprocess.SubprocessError):
        pass
    newest = max((p.stat().st_mtime for folder in (project.playbook_dir, project.site_config_dir)
                  for p in folder.rglob("*") if p.is_file()), default=0.0)
    return datetime.fromtimestamp(newest, tz=CHINA).date() if newest else date.today()


def epoch_of(day: date) -> str:
    """Midnight (UTC) of ``day`` as a SOURCE_DATE_EPOCH value."""
    return str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))


@contextlib.contextmanager
def reproducible_dates(project: Project) -> Iterator[None]:
    """Within the block, SOURCE_DATE_EPOCH names the playbook's date (unless the user set it):
    MkDocs' sitemap and every PDF's metadata then carry the input's date, so ``playbook
    build`` and ``playbook print`` write the same bytes and share the PDF cache."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = epoch_of(build_date(project))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


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
    for problem in playbook.notices:  # told on every build, never fatal (see Playbook.drift)
        print(f"warning: {problem}", file=sys.stderr)
    start = time.perf_counter()
    tree = build_tree(project, playbook, build_date(project))
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    sync_tree(project.docs_dir, tree.files)
    jieba_dict = project.build_dir / "jieba_user_dict.txt"
    write_if_changed(jieba_dict, jieba_dictionary(tree.search_words).encode("utf-8"))
    timings["write"] = time.perf_counter() - start
    return Generated(playbook, tree, jieba_dict, timings)
