"""``playbook override NAME``: start a company override of an upstream template, and follow
upstream's later changes to it (``--diff``, ``--accept``, ``--list``)."""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess

from generator.cli.common import project_of
from generator.errors import PlaybookError, Problem
from generator.project import Project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "override",
        help="copy an upstream template into site_config/overrides/ and follow upstream's changes to it",
        description="Without an option: copy templates/NAME to site_config/overrides/NAME and record which "
        "upstream version it came from (site_config/overrides.lock). validate and build then warn "
        "«upstream changed» when upstream edits that template.",
    )
    parser.add_argument("name", nargs="?", help="upstream template, e.g. letters/stop-supply or site/index")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff", action="store_true", help="show what upstream changed in NAME since the override was copied"
    )
    mode.add_argument(
        "--accept",
        action="store_true",
        help="record upstream's current NAME as the override's base (after bringing its changes over)",
    )
    mode.add_argument("--list", action="store_true", help="list every override and whether upstream changed it")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.errors import UsageError
    from generator.overrides import resolve

    project = project_of(args)
    if args.list:
        return _list(project)
    if not args.name:
        raise UsageError("expected the template to override, e.g. `playbook override letters/stop-supply`")
    rel = resolve(project, args.name)
    if args.diff:
        return _diff(project, rel)
    if args.accept:
        return _accept(project, rel)
    return _copy(project, rel)


def _copy(project: Project, rel: str) -> int:
    from generator.overrides import _short, blob_id, read_lock, write_lock

    source = project.templates_dir / rel
    target = project.overrides_dir / rel
    if target.exists():
        raise PlaybookError(
            [
                Problem(
                    project.display(target),
                    0,
                    0,
                    "override",
                    "expected no override yet, found this file (it is never overwritten); "
                    f"see `playbook override --diff {_short(rel)}`",
                )
            ]
        )
    lock = read_lock(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    lock["overrides"][rel] = {"upstream": f"templates/{rel}", "blob": blob_id(source.read_bytes())}
    write_lock(project, lock)
    print(
        f"copied templates/{rel} to {project.display(target)}; edit it there "
        f"(recorded in {project.display(project.overrides_lock)}, commit both)"
    )
    return 0


def _accept(project: Project, rel: str) -> int:
    from generator.overrides import _short, blob_id, read_lock, write_lock

    target = project.overrides_dir / rel
    if not target.exists():
        raise PlaybookError(
            [
                Problem(
                    project.display(target),
                    0,
                    0,
                    "override",
                    f"expected an override to record, found none; start one with `playbook override {_short(rel)}`",
                )
            ]
        )
    lock = read_lock(project)
    lock["overrides"][rel] = {
        "upstream": f"templates/{rel}",
        "blob": blob_id((project.templates_dir / rel).read_bytes()),
    }
    write_lock(project, lock)
    print(f"recorded upstream's current templates/{rel} as the base of {project.display(target)}")
    return 0


def _diff(project: Project, rel: str) -> int:
    from generator.overrides import _short, read_lock

    entry = read_lock(project)["overrides"].get(rel)
    current = (project.templates_dir / rel).read_text(encoding="utf-8")
    if not isinstance(entry, dict) or "blob" not in entry:
        raise PlaybookError(
            [
                Problem(
                    project.display(project.overrides_dir / rel),
                    0,
                    0,
                    "override",
                    "expected a recorded upstream version to compare with, found none; "
                    f"compare by hand with templates/{rel}, then "
                    f"`playbook override --accept {_short(rel)}`",
                )
            ]
        )
    try:
        out = subprocess.run(
            ["git", "cat-file", "blob", str(entry["blob"])], cwd=project.root, capture_output=True, timeout=30
        )
        base = out.stdout.decode("utf-8") if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        base = None
    if base is None:
        raise PlaybookError(
            [
                Problem(
                    project.display(project.overrides_lock),
                    0,
                    0,
                    f"overrides.{rel}",
                    f"expected the recorded upstream version (git blob {str(entry['blob'])[:10]}) "
                    f"in this repository's history, found none; compare "
                    f"{project.display(project.overrides_dir / rel)} with templates/{rel} by hand",
                )
            ]
        )
    if base == current:
        print(f"upstream has not changed templates/{rel} since the override was copied")
        return 0
    diff = difflib.unified_diff(
        base.splitlines(keepends=True),
        current.splitlines(keepends=True),
        f"templates/{rel} (when the override was copied)",
        f"templates/{rel} (upstream now)",
    )
    print("".join(diff), end="")
    return 0


def _list(project: Project) -> int:
    from generator.overrides import check_overrides

    errors, drift = check_overrides(project)
    if errors:
        raise PlaybookError(errors)
    changed = {p.path for p in drift}
    folder = project.overrides_dir
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if not files:
        print("no overrides: every template is upstream's")
    for path in files:
        display = project.display(path)
        note = next((p.message for p in drift if p.path == display), "up to date with upstream")
        print(f"{display}: {note if display in changed else 'up to date with upstream'}")
    return 0
