"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
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
