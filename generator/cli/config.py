"""``playbook config``: what the company changed over upstream's defaults, and which defaults
are new or changed since the company last reviewed them (``--accept`` records a review)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from generator.cli.common import project_of
from generator.errors import PlaybookError

if TYPE_CHECKING:
    from generator.project import Project
    from generator.yamlload import Document, Key


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "config",
        help="list what site_config/ overrides, new defaults since the last review, and override drift",
        description="Lists every key site_config/*.yaml sets over defaults/*.yaml, every default that is new "
        "or changed since the last `playbook config --accept`, and every override whose upstream "
        "template changed. Run it after each `git pull` from upstream.",
    )
    parser.add_argument(
        "--accept",
        action="store_true",
        help="record the current defaults as reviewed (written to site_config/overrides.lock)",
    )
    parser.set_defaults(run=run)


def _leaves(value: Any, key: Key = ()) -> dict[Key, Any]:
    if isinstance(value, dict) and value:
        out: dict[Key, Any] = {}
        for name, child in value.items():
            out.update(_leaves(child, (*key, name)))
        return out
    return {key: value} if key else {}


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _load(project: Project, path: Any) -> Document | None:
    from generator.yamlload import load_file

    if not path.exists():
        return None
    return load_file(path, project.display(path))


def defaults_of(project: Project) -> dict[str, dict[Key, Any]]:
    """Every default, by file name and key path."""
    folder = project.defaults_dir
    out: dict[str, dict[Key, Any]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc = _load(project, path)
        out[path.name] = _leaves(doc.data if doc else None)
    return out


def run(args: argparse.Namespace) -> int:
    from generator.overrides import check_overrides, read_lock, value_hash, write_lock
    from generator.yamlload import where

    project = project_of(args)
    try:
        defaults = defaults_of(project)
        lock = read_lock(project)
    except PlaybookError:
        raise
    if args.accept:
        lock["defaults"] = {name: {where(k): value_hash(v) for k, v in keys.items()} for name, keys in defaults.items()}
        write_lock(project, lock)
        print(
            f"recorded {sum(map(len, defaults.values()))} defaults as reviewed in "
            f"{project.display(project.overrides_lock)}"
        )
        return 0
    print("Changed by the company (site_config/ over defaults/):")
    changed = 0
    for name in sorted(set(defaults) | {p.name for p in project.site_config_dir.glob("*.yaml")}):
        own = _load(project, project.site_config_dir / name)
        if own is None or not isinstance(own.data, dict):
            continue
        base = defaults.get(name, {})
        for key, value in _leaves(own.data).items():
            changed += 1
            line = own.mark(key, of_key=True)[0]
            if key in base:
                was = f"default {_show(base[key])}"
            elif any(k[: len(key)] == key for k in base):
                was = "replaces the default"
            else:
                was = "no default: added by the company"
            print(f"  site_config/{name}:{line}: {where(key)} = {_show(value)}  ({was})")
    if not changed:
        print("  nothing: the sample company and the default policy are used as shipped")
    print("Defaults new or changed since your last review (`playbook config --accept` records one):")
    reviewed: dict[str, Any] = lock["defaults"]
    news = 0
    if not reviewed:
        print("  no review recorded yet: read defaults/*.yaml, then run `playbook config --accept`")
    else:
        for name, keys in defaults.items():
            seen = reviewed.get(name) or {}
            for key, value in keys.items():
                label = where(key)
                if label not in seen:
                    print(f"  defaults/{name}: {label} = {_show(value)}  (new)")
                    news += 1
                elif seen[label] != value_hash(value):
                    print(f"  defaults/{name}: {label} = {_show(value)}  (changed)")
                    news += 1
        if not news:
            print("  none")
    errors, drift = check_overrides(project)
    print("Template overrides (site_config/overrides/):")
    for problem in [*errors, *drift]:
        print(f"  {problem}")
    if not errors and not drift:
        folder = project.overrides_dir
        count = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
        print(f"  {count} override{'s' if count != 1 else ''}, all up to date with upstream")
    return 1 if errors else 0
