"""``playbook validate``: check every YAML file and report all problems."""

from __future__ import annotations

import argparse

from generator.cli.common import print_warnings, project_of
from generator.errors import PlaybookError
from generator.model import load
from generator.pipeline import known_letter_ids


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("validate", help="check playbook/ and site_config/ without writing anything")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    playbook = load(project, letter_ids=known_letter_ids(project))
    print_warnings(playbook.warnings, strict=args.strict)
    if args.strict and playbook.warnings:
        raise PlaybookError(playbook.warnings)
    items = sum(1 for _ in playbook.items())
    print(f"ok: {len(playbook.modules)} modules, {items} items, {len(playbook.terms())} terms, "
          f"{len(playbook.course_list())} courses")
    return 0
