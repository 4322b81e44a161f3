"""Put our search into the site MkDocs just built.

Material's search UI (the box, the result list, highlighting on the target page) stays;
the worker behind it is replaced by ours, which speaks the same messages (SETUP → READY,
QUERY → RESULT) but ranks with MiniSearch (vendored, MIT) and reads the query with the
playbook's lexicon. The worker keeps Material's file name because Material's page script
loads it by that name.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.errors import PlaybookError, Problem
from generator.playbook import Playbook
from generator.project import Project
from generator.search.index import build_index
from generator.search.lexicon import load_lexicon
from generator.search.questions import load_questions

ENGINE_FILES = ("minisearch.js", "engine.js", "worker.js")


def engine_source(project: Project) -> str:
    """The worker: MiniSearch, our engine, Material's message protocol; one file."""
    folder = project.templates_dir / "site" / "assets" / "search"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in ENGINE_FILES)


def install(project: Project, playbook: Playbook, site_dir: Path) -> None:
    index_file = site_dir / "search" / "search_index.json"
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not index_file.is_file() or not workers:
        raise PlaybookError(
            [
                Problem(
                    "mkdocs.yml",
                    0,
                    0,
                    "plugins",
                    "expected Material's search plugin (search index and worker), found none",
                )
            ]
        )
    material = json.loads(index_file.read_text(encoding="utf-8"))
    index = build_index(playbook, load_lexicon(project), load_questions(project, playbook), material)
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    code = engine_source(project)
    for worker in workers:
        worker.write_text(code, encoding="utf-8")
        worker.with_name(worker.name + ".map").unlink(missing_ok=True)  # Material's map, not ours
