"""Company overrides of upstream templates, and what each was copied from.

``playbook override letters/stop-supply`` copies ``templates/letters/stop-supply.html.j2``
to ``site_config/overrides/letters/`` and records the upstream file's git blob id in
``site_config/overrides.lock``. After a ``git pull``, ``validate`` and ``build`` compare that
record with upstream's file and warn «upstream changed» by path; ``playbook override --diff``
shows what upstream changed (the recorded version is found in git history by its blob id).

The lock file also records which defaults (``defaults/*.yaml``) the company last reviewed,
so ``playbook config`` can list the defaults that are new since.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from generator.errors import PlaybookError, Problem, did_you_mean, valid_choices
from generator.project import Project
from generator.yamlload import load_file

LOCK_HEADER = (
    "# Written by `playbook override` and `playbook config --accept`: the upstream version each\n"
    "# override was copied from (git blob id) and the defaults last reviewed. Commit it; do not edit.\n"
)

NEW_ALLOWED = {"letters"}
"""Folders where a company may add templates of its own (a new letter), not only replace them."""

THEME = "theme"
"""``site_config/overrides/theme/``: MkDocs theme overrides (no upstream counterpart)."""


def blob_id(data: bytes) -> str:
    """Git's id of a file's content (``git hash-object``), so the base can be found in history."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def value_hash(value: Any) -> str:
    """A short, stable fingerprint of a default's value."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def read_lock(project: Project) -> dict[str, Any]:
    """The lock file's content (``overrides`` and ``defaults``); empty when there is none."""
    path = project.overrides_lock
    if not path.exists():
        return {"overrides": {}, "defaults": {}}
    doc = load_file(path, project.display(path))
    data = doc.data or {}
    problems = []
    if not isinstance(data, dict):
        problems.append(
            doc.problem(
                (),
                "expected the mapping `playbook override` writes; delete the file and "
                "run `playbook override --accept NAME` for each override",
            )
        )
        data = {}
    for key in ("overrides", "defaults"):
        if not isinstance(data.get(key, {}), dict):
            problems.append(doc.problem((key,), "expected a mapping; delete the file and record the overrides again"))
    if problems:
        raise PlaybookError(problems)
    return {"overrides": dict(data.get("overrides") or {}), "defaults": dict(data.get("defaults") or {})}


def write_lock(project: Project, lock: dict[str, Any]) -> None:
    text = LOCK_HEADER + yaml.safe_dump(lock, allow_unicode=True, sort_keys=True, default_flow_style=False)
    path = project.overrides_lock
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def upstream_names(project: Project) -> list[str]:
    """Every upstream template, relative to ``templates/`` (``letters/stop-supply.html.j2``)."""
    root = project.templates_dir
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def resolve(project: Project, name: str) -> str:
    """``letters/stop-supply`` (or with its suffix, or with ``templates/`` in front) → the
    upstream template's path relative to ``templates/``; PlaybookError with «did you mean»."""
    wanted = name.strip().removeprefix("./").removeprefix("templates/").removeprefix("site_config/overrides/")
    names = upstream_names(project)
    if wanted in names:
        return wanted
    stems = {_short(n): n for n in names}
    if wanted in stems:
        return stems[wanted]
    choices = [s for s in stems if not s.rsplit("/", 1)[-1].startswith("_")]
    raise PlaybookError(
        [
            Problem(
                name,
                0,
                0,
                "override",
                f"expected the name of an upstream template like 'letters/stop-supply', found "
                f"'{name}'{did_you_mean(wanted, list(stems))} ({valid_choices(choices)})",
            )
        ]
    )


def _override_files(project: Project) -> list[Path]:
    folder = project.overrides_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def check_overrides(project: Project) -> tuple[list[Problem], list[Problem]]:
    """(errors, drift): overrides in folders that match nothing upstream are errors; overrides
    whose upstream file changed since they were copied (or that were never recorded) are drift."""
    errors: list[Problem] = []
    drift: list[Problem] = []
    folders = sorted({n.split("/", 1)[0] for n in upstream_names(project) if "/" in n} | {THEME})
    try:
        lock = read_lock(project)
    except PlaybookError as exc:
        return list(exc.problems), []
    recorded: dict[str, Any] = lock["overrides"]
    for path in _override_files(project):
        rel = path.relative_to(project.overrides_dir).as_posix()
        display = project.display(path)
        top = rel.split("/", 1)[0] if "/" in rel else ""
        if top not in folders:
            errors.append(
                Problem(
                    display,
                    0,
                    0,
                    "override",
                    f"expected the file in a folder that matches one in templates/ "
                    f"({', '.join(folders)}) so that it is used, found '{top or '(none)'}/'"
                    f"{did_you_mean(top, folders)}",
                )
            )
            continue
        if top == THEME:
            continue
        upstream = project.templates_dir / rel
        entry = recorded.get(rel)
        if not upstream.exists() and top not in NEW_ALLOWED:
            names = [n for n in upstream_names(project) if n.startswith(f"{top}/")]
            errors.append(
                Problem(
                    display,
                    0,
                    0,
                    "override",
                    f"expected the name of a template in templates/{top}/ so that it is used, found "
                    f"'{rel}'{did_you_mean(rel, names)}",
                )
            )
            continue
        if not upstream.exists():
            if entry is not None:
                drift.append(
                    Problem(
                        display,
                        0,
                        0,
                        "override",
                        f"upstream removed templates/{rel}, which this override was copied from",
                    )
                )
            continue  # a template the company added (a new letter, say): nothing upstream to follow
        if not isinstance(entry, dict) or "blob" not in entry:
            drift.append(
                Problem(
                    display,
                    0,
                    0,
                    "override",
                    f"the upstream version it was copied from is not recorded; review it against "
                    f"templates/{rel}, then run `playbook override --accept {_short(rel)}`",
                )
            )
            continue
        if blob_id(upstream.read_bytes()) != entry["blob"]:
            drift.append(
                Problem(
                    display,
                    0,
                    0,
                    "override",
                    f"upstream changed templates/{rel} since this override was copied; "
                    f"see `playbook override --diff {_short(rel)}`, bring the change over, then "
                    f"`playbook override --accept {_short(rel)}`",
                )
            )
    return errors, drift


def _short(rel: str) -> str:
    """``letters/stop-supply.html.j2`` → ``letters/stop-supply`` (how users name it)."""
    head, _, tail = rel.rpartition("/")
    stem = tail.split(".", 1)[0]
    return f"{head}/{stem}" if head else stem


def override_of(project: Project, rel: str) -> Path:
    return project.overrides_dir / rel


def template_in_use(project: Project, rel: str) -> str:
    """The template file actually used for ``rel`` (the company's override when there is one),
    as a path shown to users."""
    override = override_of(project, rel)
    return project.display(override) if override.is_file() else f"templates/{rel}"


__all__ = ["blob_id", "check_overrides", "read_lock", "resolve", "template_in_use", "value_hash", "write_lock"]
