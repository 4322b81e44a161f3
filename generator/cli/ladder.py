"""``playbook ladder FILE [--as-of DATE] [--out PLAN.csv] [--html PLAN.html]``:
apply the company's ladder policy to a receivables file, one line per customer."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli.common import project_of

if TYPE_CHECKING:
    from generator.ladder.decide import Decision


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("ladder", help="ladder plan per customer from a CSV/XLSX receivables file")
    parser.add_argument("file", metavar="FILE", help="receivables: CSV, XLSX or a YAML case file")
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        type=date_option,
        default=None,
        help="count days overdue up to this date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--out", metavar="PLAN.csv", help="write the plan as CSV (default: standard output)")
    parser.add_argument("--sheet", metavar="NAME", help="workbook sheet to read (default: the active sheet)")
    parser.add_argument("--html", metavar="PLAN.html", help="also write a sortable HTML report")
    parser.add_argument(
        "--headers",
        choices=("en", "zh"),
        default="en",
        help="column titles of the CSV: en (default, for tools) or zh (for Excel); letters --from-plan reads both",
    )
    parser.set_defaults(run=run)


def date_option(text: str) -> date:
    """The same date forms as the receivables files (2026-12-31, 2026/12/31, 2026年12月31日)."""
    from generator.cases.rules import date_out_of_range
    from generator.cases.values import ValueProblem, parse_date

    try:
        value = parse_date(text)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if date_out_of_range(value):
        raise argparse.ArgumentTypeError(date_out_of_range(value))
    return value


def most_overdue_first(decisions: list[Decision]) -> list[Decision]:
    """By days overdue, then outstanding (both most first), then customer: ``sorted`` by
    ``(-days_overdue, -outstanding, customer)``, as two stable sorts on keys read in C (no key
    function to call, no negated amount to make, per customer)."""
    ordered = sorted(decisions, key=attrgetter("customer"))
    ordered.sort(key=attrgetter("days_overdue", "outstanding"), reverse=True)  # reverse keeps ties in order
    return ordered


def run(args: argparse.Namespace) -> int:
    from generator.cases import Horizon, collector_paused, open_cases
    from generator.ladder.decide import Decisions
    from generator.ladder.report import confirmations, plan_csv, plan_html
    from generator.session import open_session
    from generator.writer import output_file, write_output_file

    project = project_of(args)
    for option, given in (("--out", args.out), ("--html", args.html)):
        if given:  # a device, FIFO or folder is refused before the export is read
            output_file(Path(given), option)
    session = open_session(project)
    playbook = session.playbook
    path = Path(args.file)  # open_cases reports a missing file like any other input problem
    as_of = args.as_of or date.today()
    decided = Decisions(playbook.policy, as_of)  # taken while the file is checked: one pass less
    with collector_paused():
        source = open_cases(
            path,
            project,
            display=args.file,
            horizon=Horizon(as_of, "the --as-of date"),
            sheet=args.sheet,
            survey=decided,
            aging_reports=True,
        )
        source.print_summary()
        decisions = most_overdue_first(decided.decisions)
        rung_titles = {rung: item.title for rung, _rule, item in playbook.enabled_rungs()}
        text = plan_csv(
            decisions,
            confirmations(playbook),
            rung_titles=rung_titles,
            letter_titles=session.letters.title,
            headers=args.headers,
        )
    html = plan_html(project, playbook, decisions, as_of, args.file) if args.html else None
    notes: list[str] = []
    if args.out:
        notes.append(write_output_file(Path(args.out), text.encode("utf-8-sig"), "--out"))
    else:
        sys.stdout.write(text)
    if html is not None:
        notes.append(write_output_file(Path(args.html), html.encode("utf-8"), "--html"))
    for note in notes:
        if note:
            print(note, file=sys.stderr)
    alerts = sum(1 for d in decisions if d.limitation_alert)
    print(
        f"{len(decisions)} customers; {sum(1 for d in decisions if d.rung)} at a rung; "
        f"{alerts} with limitation ending within {playbook.policy.limitation_warning_days} days",
        file=sys.stderr,
    )
    return 0
