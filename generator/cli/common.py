"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.project import Project


def project_of(args: argparse.Namespace) -> Project:
    project = Project.at(args.project)
    if not project.mkdocs_yml.exists():
        raise UsageError(
            f"expected a playbook project (a folder with mkdocs.yml) at {project.root}, found none; use --project DIR"
        )
    return project


def print_warnings(warnings: Iterable[Any]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


UPSTREAM = Path(__file__).resolve().parents[2]
"""The repository this generator came with (its letter templates and default policy)."""


def letter_list(root: Path | None = None) -> str:
    """The letter ids with their titles, for ``--help`` (upstream's letters: a company's own
    are named in the «unknown letter» message with «did you mean»)."""
    import yaml

    base = root or UPSTREAM
    ids = sorted(
        p.name.removesuffix(".html.j2")
        for p in (base / "templates" / "letters").glob("*.html.j2")
        if not p.name.startswith("_")
    )
    try:
        policy = yaml.safe_load((base / "defaults" / "policy.yaml").read_text(encoding="utf-8")) or {}
        titles = {k: str((v or {}).get("title", "")) for k, v in (policy.get("letters") or {}).items()}
    except (OSError, yaml.YAMLError, AttributeError):
        titles = {}
    if not ids:
        return ""
    width = max(map(len, ids))
    lines = [f"  {i:<{width}}  {titles.get(i, '')}".rstrip() for i in ids]
    return "letter ids (--template):\n" + "\n".join(lines)
