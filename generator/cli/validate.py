"""``playbook validate``: check every file a build, a printout or a letter reads, and report
all problems at once (nothing is written)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from generator.cli.common import print_warnings, project_of
from generator.errors import PlaybookError, Problem
from generator.model import load
from generator.pipeline import known_letter_ids


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("validate", help="check playbook/ and site_config/ without writing anything")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.cases.columns import load_columns
    from generator.letters.references import check_pattern
    from generator.printing import catalog
    from generator.search.lexicon import load_lexicon
    from generator.search.questions import load_questions

    project = project_of(args)
    playbook = load(project, letter_ids=known_letter_ids(project))
    problems: list[Problem] = []
    warnings = list(playbook.warnings)

    def also(check: Callable[[], object]) -> object:
        try:
            return check()
        except PlaybookError as exc:
            problems.extend(exc.problems)
            return None

    found = also(lambda: catalog(project, playbook))  # playbook/checklists.yaml
    if found is not None:
        warnings.extend(w for w in found.warnings if w not in warnings)  # type: ignore[attr-defined]
    also(lambda: load_columns(project))  # site_config/columns.yaml
    also(lambda: check_pattern(project, playbook.company))  # the 函号 pattern
    also(lambda: load_questions(project, playbook))  # playbook/questions.yaml: item ids
    also(lambda: load_lexicon(project))  # defaults/ + site_config/search.yaml
    if problems:
        raise PlaybookError(problems)
    print_warnings(warnings)
    if args.strict and warnings:
        raise PlaybookError(warnings)
    items = sum(1 for _ in playbook.items())
    print(f"ok: {len(playbook.modules)} modules, {items} items, {len(playbook.terms())} terms, "
          f"{len(playbook.course_list())} courses")
    return 0
