"""``playbook letters CASES --template ID``: fill letters from case data, one or in bulk.

This module reads and checks the command line; the run itself is ``generator.letters.run.LetterRun``.

CASES is a YAML case file (one debtor) or a CSV/XLSX file with one row per invoice.
Every letter, plus ``manifest.csv``, goes into a new folder
``letters-out/<template>-<date>-<first number>/`` (or ``--out``), written only when all succeeded.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli import letter_template
from generator.cli.common import letter_list, project_of
from generator.errors import PlaybookError, Problem, UsageError
from generator.letters.formats import FORMATS

if TYPE_CHECKING:
    from generator.cases import CaseSource
    from generator.letters import outdir
    from generator.letters.context import Request
    from generator.letters.plan import Selected
    from generator.letters.run import LetterRun

DESCRIPTION = """\
Fill one letter per customer (催款函, 对账函, 暂停供货通知函 …) from a case file or an ERP
export, as PDF, Word or HTML, and enter every letter in letters-register.csv.

CASES is a YAML case file (one customer, see examples/case.yaml) or an export with one
row per invoice: .csv (UTF-8 or GBK), .xlsx or an old Excel .xls (用友, 金蝶, SAP).
Every run writes a new folder letters-out/<template>-<date>-<first number>/ with the
letters and manifest.csv, unless --out names one.

examples:
  playbook letters examples/case.yaml --template reminder-1 --date 2026-09-25
  playbook letters 应收明细.xlsx --template final-demand --format pdf,docx --dry-run
  playbook ladder 应收明细.xlsx --out plan.csv
  playbook letters 应收明细.xlsx --from-plan plan.csv
  playbook letters template reminder-1 --out reminder-1.docx   (a Word template to edit)
"""


def _date(text: str) -> date:
    from generator.cases.rules import date_out_of_range
    from generator.cases.values import ValueProblem, parse_date

    try:
        value = parse_date(text)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if date_out_of_range(value):  # 9999-12-25: deadlines computed from it would not be dates
        raise argparse.ArgumentTypeError(date_out_of_range(value))
    return value


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"expected one or more of {', '.join(FORMATS)} separated by commas, found '{text}'"
        )
    return chosen


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "letters",
        help="fill letters (催款函, 对账函 …) from a case file or an ERP export",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.epilog_from = letter_list  # type: ignore[attr-defined]  # read only when --help is printed
    parser.add_argument(
        "cases", metavar="CASES", help="case file: .yaml (one customer), or an export: .csv, .xlsx, .xls"
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--template",
        "-t",
        metavar="ID",
        help="the letter to write (ids below), e.g. reminder-1",
    )
    which.add_argument(
        "--from-plan",
        metavar="PLAN.csv",
        help="each customer gets the letter the ladder plan (playbook ladder --out) chose for it",
    )
    parser.add_argument(
        "--format",
        "-f",
        type=_formats,
        default=("pdf",),
        metavar="FMT[,FMT]",
        help=f"output format(s), one or several separated by commas: {', '.join(FORMATS)} (default pdf); "
        "every format in one run, one manifest, the same 函号",
    )
    parser.add_argument(
        "--out",
        "-o",
        metavar="DIR",
        help="output folder (default: a new folder letters-out/<template>-<date>-<first number>/ for every run)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="--out holds an earlier run: move its letters to an archive folder beside it "
        "(letters-register.csv points there) and write the new ones in its place",
    )
    parser.add_argument("--date", type=_date, metavar="D", help="letter date (default today), e.g. 2026-12-31")
    parser.add_argument(
        "--deadline",
        type=_date,
        metavar="D",
        help="the date the letter names (payment deadline, or effective date of a "
        "suspension); default: letter date + the letter's usual days",
    )
    parser.add_argument(
        "--start-seq",
        type=int,
        default=None,
        metavar="N",
        help="first sequence number for 函号 and file names (default: continue from letters-register.csv)",
    )
    parser.add_argument(
        "--instalments",
        type=int,
        default=3,
        metavar="N",
        help="payment-plan: number of monthly instalments when the case has no plan",
    )
    parser.add_argument(
        "--sent-letter",
        metavar="ID",
        help="delivery-record: the letter that was sent (its copy is attached)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="parallel workers (default: all cores)",
    )
    parser.add_argument("--sheet", metavar="NAME", help="workbook sheet to read (default: the active sheet)")
    parser.add_argument("--dry-run", action="store_true", help="show what would be made; write nothing")
    parser.add_argument(
        "--headers",
        choices=("en", "zh"),
        default="en",
        help="column titles of manifest.csv: en (default, for tools) or zh (for Excel)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="a letter that does not fit a customer's stage on the company ladder is an error, not a warning",
    )
    parser.set_defaults(run=run)
    letter_template.route(parser)  # `playbook letters template ID --out FILE.docx`


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from generator.cases import Horizon, open_cases
    from generator.letter_catalog import unknown_letter
    from generator.letters import outdir
    from generator.letters import register as letter_register
    from generator.letters.context import Request
    from generator.letters.plan import as_in_file, groups, read_plan
    from generator.letters.references import check_pattern
    from generator.letters.run import LetterChecks, LetterRun, refuse_switched_off
    from generator.session import open_session

    project = project_of(args)
    session = open_session(project, playbook=False)
    known = session.letter_ids()
    for option, value in (("--template", args.template), ("--sent-letter", args.sent_letter)):
        if value is not None and value not in known:
            raise PlaybookError(
                [
                    Problem(
                        option,
                        0,
                        0,
                        "",
                        unknown_letter(value, known),
                    )
                ]
            )
    refuse_switched_off(session, args.template)
    if (args.start_seq is not None and args.start_seq < 1) or args.instalments < 1:
        raise UsageError("--start-seq and --instalments must be 1 or more")
    if args.deadline is not None and args.deadline < (args.date or date.today()):
        raise UsageError(
            f"--deadline {args.deadline} is before the letter date {args.date or date.today()}; "
            "a letter cannot ask for payment by a day already past"
        )
    company = session.company
    check_pattern(project, company)
    letter_date = args.date or date.today()
    request = Request(
        template=args.template or "",
        fmt=args.format[0],
        letter_date=letter_date,
        deadline=args.deadline,
        instalments=args.instalments,
        sent_letter=args.sent_letter,
    )
    cases_path = Path(args.cases)
    # a plan already chose each customer's letter from the ladder: no stage check then
    checks = LetterChecks.of(session, args.template, letter_date, args.format)
    if args.from_plan:
        checks.customers = []  # to name the customers of the file the plan gives no letter
    source = open_cases(
        cases_path,
        project,
        display=args.cases,
        horizon=Horizon(letter_date, "the letter date"),
        sheet=args.sheet,
        survey=checks,
    )
    work: list[tuple[Request, CaseSource | Selected]] = [(request, source)]
    no_letter: dict[str, str] = {}
    if args.from_plan:
        planned: dict[str, str] = {}
        in_file = set(checks.customers or ())
        chosen = as_in_file(read_plan(Path(args.from_plan), args.from_plan, known, planned), in_file)
        planned = as_in_file(planned, in_file)
        work = [(replace(request, template=lid), selected) for lid, selected in groups(source, chosen, known)]
        for customer in checks.customers or ():
            if customer not in chosen:
                no_letter[customer] = planned.get(customer, f"not in {args.from_plan}")
        for customer in chosen:
            if customer not in in_file:
                no_letter[customer] = f"the plan chose '{chosen[customer]}', but {args.cases} has no such customer"
    for each, _source in work:
        for fmt in args.format:
            letter_template.prepare(session, each.template, fmt)  # the company's Word template, if any
    source.print_summary()
    checks.report(args.template, strict=args.strict)
    name = args.template or "plan"

    def letters_run(start: int) -> tuple[LetterRun, outdir.OutDir | None]:
        out = Path(args.out) if args.out else outdir.default_out(project.root, name, letter_date, start)
        try:
            folder = outdir.prepare(out, replace=args.replace)  # checks only; nothing moves yet
        except UsageError as exc:
            if not args.dry_run:
                raise
            print(f"note: a real run would be refused: {exc}", file=sys.stderr)
            folder = None
        made = LetterRun(
            session,
            work,
            formats=args.format,
            template=args.template,
            out=out,
            headers=args.headers,
            jobs=args.jobs,
            no_letter=dict(no_letter),
        )
        return made, folder

    if args.dry_run:
        start = args.start_seq or letter_register.next_seq(project, letter_date)
        return letters_run(start)[0].dry_run(start)
    with letter_register.locked(project):  # the numbers and the default folder are taken under the lock
        start = args.start_seq or letter_register.next_seq(project, letter_date)
        made, folder = letters_run(start)
        assert folder is not None
        return made.make(folder, start)
