"""``playbook validate``: check every file a build, a printout or a letter reads, and report
all problems at once (nothing is written)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.cli.common import print_warnings, project_of
from generator.errors import PlaybookError, Problem

if TYPE_CHECKING:
    from generator.session import Session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate",
        help="check playbook/, site_config/ and every template (overrides included) without writing anything",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(run=run)


def test_render(session: Session, found: object, also: Callable[[Callable[[], object]], object]) -> None:
    """Render every site page (letter samples included), every printout's HTML and the ladder
    report with the sample data, in memory: a template mistake is found here, not at build."""
    from generator.dates import build_date
    from generator.features import build_site_tree
    from generator.ladder.report import plan_html
    from generator.printing.render import render_html

    project, playbook = session.project, session.playbook
    day = build_date(project)
    also(lambda: build_site_tree(session, day))
    if found is not None:
        also(lambda: render_html(project, playbook, found.printables, day))  # type: ignore[attr-defined]
    also(lambda: plan_html(project, playbook, [], day, "(validate)", embed_font=False))


def run(args: argparse.Namespace) -> int:
    from generator.cases.columns import load_columns
    from generator.letters.references import check_pattern
    from generator.letters.word import check_all as check_word_templates
    from generator.printing import catalog
    from generator.render.env import check_templates
    from generator.search.lexicon import load_lexicon
    from generator.search.questions import load_questions
    from generator.session import open_session

    project = project_of(args)
    session = open_session(project)
    playbook = session.playbook
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
    word = also(lambda: check_word_templates(session))  # site_config/letters/*.docx
    if word is not None:
        problems.extend(word[0])  # type: ignore[index]
        warnings.extend(word[1])  # type: ignore[index]
    also(lambda: load_questions(project, playbook))  # playbook/questions.yaml: item ids
    also(lambda: load_lexicon(project))  # defaults/ + site_config/search.yaml
    compiled = check_templates(project)  # every template, overrides included, even unused ones
    problems.extend(compiled)
    if not compiled and not problems:
        test_render(session, found, also)
    if problems:
        raise PlaybookError(problems)
    print_warnings(warnings)
    print_warnings(playbook.notices)  # upstream changed an overridden template: told, never fatal
    if args.strict and warnings:
        raise PlaybookError(warnings)
    items = sum(1 for _ in playbook.items())
    print(
        f"ok: {len(playbook.modules)} modules, {items} items, {len(playbook.terms())} terms, "
        f"{len(playbook.course_list())} courses"
    )
    return 0
