"""Put our search into the site an engine just built.

The engine's search UI (the box, the result list, highlighting on the target page) stays;
the worker behind it is replaced by ours, which ranks with MiniSearch (vendored, MIT) and
reads the query with the playbook's lexicon. Each UI speaks its own messages to its worker,
so the worker is MiniSearch + our engine + one protocol file:

- Material (MkDocs, ProperDocs): ``worker.js``, index ``search/search_index.json``;
- Zensical: ``zensical-worker.js``, index ``search.json`` (and ``search.js`` when its offline
  plugin writes one for ``file://``).

The worker keeps the engine's file name because the engine's page script loads it by that name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import PlaybookError, Problem
from generator.playbook import Playbook
from generator.project import Project
from generator.search.index import build_index, zensical_index
from generator.search.lexicon import load_lexicon
from generator.search.questions import load_questions

ENGINE_FILES = ("minisearch.js", "engine.js")
MATERIAL_PROTOCOL = "worker.js"
ZENSICAL_PROTOCOL = "zensical-worker.js"
ZENSICAL_OFFLINE = "var __index = {};"
"""How Zensical's offline plugin wraps ``search.json`` into ``search.js`` (read from ``file://``)."""


def engine_source(project: Project, protocol: str = MATERIAL_PROTOCOL) -> str:
    """The worker: MiniSearch, our engine, one UI's message protocol; one file."""
    folder = project.templates_dir / "site" / "assets" / "search"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in (*ENGINE_FILES, protocol))


def install(project: Project, playbook: Playbook, site_dir: Path) -> None:
    """Material's search (MkDocs, ProperDocs)."""
    index_file = site_dir / "search" / "search_index.json"
    workers = _workers(site_dir)
    if not index_file.is_file() or not workers:
        raise _missing("Material's search plugin (search index and worker)")
    material = json.loads(index_file.read_text(encoding="utf-8"))
    index = build_index(playbook, load_lexicon(project), load_questions(project, playbook), material)
    index_file.write_text(_json(index), encoding="utf-8")
    _replace_workers(workers, engine_source(project, MATERIAL_PROTOCOL))
    _from_disk(project, site_dir, index)


FILE_INDEX = "search/search_index.js"
"""The index as a script: Material's page script reads ``__index`` from it under ``file://``
(a page opened from disk may not fetch a file; it may load a script)."""
FILE_WORKER = "search/file-worker.js"
"""The worker as a script for ``file://`` (no web worker may start from a file there): the
theme's ``main.html`` runs it on the page, behind a stand-in ``Worker`` (docs/site-from-disk.md)."""


def _from_disk(project: Project, site_dir: Path, index: dict[str, Any]) -> None:
    """What a site opened from disk needs to search: the index and the worker as scripts."""
    (site_dir / FILE_INDEX).write_text(f"var __index = {_json(index)}", encoding="utf-8")
    code = engine_source(project, MATERIAL_PROTOCOL)
    # The worker's code runs in a function whose `self` is the stand-in's message port;
    # MiniSearch (UMD) lands on the page's globalThis, where engine.js looks for it through `self`.
    (site_dir / FILE_WORKER).write_text(
        f"window.__playbookSearchWorker = function (self) {{\n{code}\n}};\n",
        encoding="utf-8",
    )


def install_zensical(project: Project, playbook: Playbook, site_dir: Path, jieba_dict: Path) -> None:
    """Zensical's search: its dialog shows ``items[id]`` of ``search.json`` for each result, so
    our index keeps Zensical's items in their order (``zensical_index``)."""
    import jieba

    index_file = site_dir / "search.json"
    workers = _workers(site_dir)
    if not index_file.is_file() or not workers:
        raise _missing("Zensical's search (search.json and its worker)")
    # The generic words are counted with jieba (index.generic_by_frequency). On MkDocs,
    # Material's search plugin has loaded the playbook's words into jieba by then; Zensical
    # runs in its own process, so they are loaded here, or the counts (and the ranking) differ.
    jieba.load_userdict(str(jieba_dict))
    zensical = json.loads(index_file.read_text(encoding="utf-8"))
    index = zensical_index(playbook, load_lexicon(project), load_questions(project, playbook), zensical)
    index_file.write_text(_json(index), encoding="utf-8")
    offline = site_dir / "search.js"
    if offline.is_file():
        offline.write_text(ZENSICAL_OFFLINE.replace("{}", _json(index)), encoding="utf-8")
    _replace_workers(workers, engine_source(project, ZENSICAL_PROTOCOL))


def _workers(site_dir: Path) -> list[Path]:
    return sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))


def _replace_workers(workers: list[Path], code: str) -> None:
    for worker in workers:
        worker.write_text(code, encoding="utf-8")
        worker.with_name(worker.name + ".map").unlink(missing_ok=True)  # the engine's map, not ours


def _json(index: dict[str, Any]) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def _missing(what: str) -> PlaybookError:
    return PlaybookError([Problem("mkdocs.yml", 0, 0, "plugins", f"expected {what}, found none")])
