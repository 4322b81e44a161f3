"""A feature's files, kept by their inputs: an unchanged rebuild copies them instead of making them.

The files step of the lifecycle (PDFs, letter samples and blanks, the workspace's assets) renders
every printout and letter to HTML before the PDF cache can even be asked; when nothing it reads
changed, the files of the last run are copied back instead (``.build/cache/files/<feature>/``).

What a files step reads is the project's sources and the generator itself, so the key is a
digest of the folders they live in (``playbook/``, ``site_config/``, ``defaults/``,
``templates/``, ``mkdocs.yml``, the running ``generator`` package with its fonts), the build
date and how links are written. The warnings the step logged are kept with the files and
logged again, so ``--strict`` fails a cached rebuild exactly as it failed the first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import generator
from generator.dates import build_date
from generator.project import Project
from generator.writer import write_if_changed

LOGGER = "mkdocs"
"""Where the files steps log their warnings (they count for ``--strict``)."""
SKIP = {"__pycache__", ".DS_Store"}
NEW = ".new-"
"""Prefix of the folder a files step is made in (inside the tool's own cache folder)."""


def inputs_digest(project: Project) -> str:
    """A digest of everything a files step may read (see the module's docstring)."""
    digest = hashlib.sha256()
    roots = [
        project.playbook_dir,
        project.site_config_dir,
        project.defaults_dir,
        project.templates_dir,
        project.mkdocs_yml,
        Path(generator.__file__).resolve().parent,
    ]
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        digest.update(f"\0root\0{root}\0".encode())
        for path in paths:
            if SKIP & set(path.parts):
                continue
            digest.update(f"\0{path.relative_to(root) if path != root else path.name}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"\0{build_date(project)}\0{project.links_from_source}\0".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def cached_files(
    project: Project, name: str, key: str, out: Path, make: Callable[[Path], None], timings: dict[str, float]
) -> None:
    """Put the files of step ``name`` under ``out``: copied from the store when ``key`` is the
    one they were made with, else made by ``make(folder)`` into a fresh folder and stored."""
    store = project.cache_dir / "files" / name
    stamp = store / "key.json"
    files = store / "files"
    try:
        kept = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() and files.is_dir() else None
    except (OSError, ValueError):
        kept = None
    if kept is not None and kept.get("key") == key:
        start = time.perf_counter()
        for logger, level, message in kept.get("warnings", []):
            logging.getLogger(logger).log(level, message)
        _copy(files, out)
        timings[f"{name} (unchanged)"] = time.perf_counter() - start
        return
    store.mkdir(parents=True, exist_ok=True)
    for leftover in store.glob(f"{NEW}*"):  # an earlier run stopped while making them
        shutil.rmtree(leftover, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(dir=store, prefix=NEW))
    handler = _Kept()
    logging.getLogger(LOGGER).addHandler(handler)
    try:
        make(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        logging.getLogger(LOGGER).removeHandler(handler)
    stamp.unlink(missing_ok=True)  # the files and their key change together, or not at all
    shutil.rmtree(files, ignore_errors=True)
    os.replace(fresh, files)
    payload = {"key": key, "warnings": handler.records}
    write_if_changed(stamp, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    _copy(files, out)


def _copy(source: Path, out: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = out / path.relative_to(source)
            write_if_changed(target, path.read_bytes())
            target.chmod(0o644)  # downloads are public within the site
