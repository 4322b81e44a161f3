"""``playbook letters CASES --template ID``: fill letters from case data, one or in bulk.

CASES is a YAML case file (one debtor) or a CSV/XLSX file with one row per invoice.
Every letter, plus ``manifest.csv``, goes into ``--out`` (default
``letters-out/<template>-<date>/``), which is replaced only when all letters succeeded.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from generator.cases import Horizon, open_cases
from generator.cli import letter_template
from generator.cli.common import project_of
from generator.errors import PlaybookError, Problem, UsageError, did_you_mean, printable
from generator.letters import batch
from generator.letters.catalog import letter_ids
from generator.letters.context import Job, Request
from generator.letters.manifest import Manifest
from generator.letters.plan import groups, read_plan
from generator.letters.references import check_pattern
from generator.letters.render import FORMATS
from generator.model import load_company
from generator.money import format_amount, rmb_upper
from generator.project import Project
from generator.writer import staged_dir


def _date(text: str) -> date:
    from generator.cases.values import ValueProblem, parse_date

    try:
        return parse_date(text)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "letters",
        help="fill letters (催款函, 对账函 …) from a case file or an ERP export",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("cases", metavar="CASES", help="case file: .yaml (one debtor), .csv or .xlsx (bulk)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--template",
        "-t",
        metavar="ID",
        help="letter id, e.g. reminder-1, final-demand, confirmation",
    )
    which.add_argument(
        "--from-plan",
        metavar="PLAN.csv",
        help="each customer gets the letter the ladder plan (playbook ladder --out) chose for it",
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="pdf", help="output format (default pdf)")
    parser.add_argument(
        "--out",
        "-o",
        metavar="DIR",
        help="output folder (default letters-out/<template>-<date>/); replaced as a whole",
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
        default=1,
        metavar="N",
        help="first sequence number for 函号 and file names (default 1)",
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
    parser.set_defaults(run=run)
    letter_template.route(parser)  # `playbook letters template ID --out FILE.docx`


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    known = letter_ids(project)
    for option, value in (("--template", args.template), ("--sent-letter", args.sent_letter)):
        if value is not None and value not in known:
            raise PlaybookError(
                [
                    Problem(
                        option,
                        0,
                        0,
                        "",
                        f"unknown letter template '{value}'{did_you_mean(value, known)} (valid: {', '.join(known)})",
                    )
                ]
            )
    if args.start_seq < 1 or args.instalments < 1:
        raise UsageError("--start-seq and --instalments must be 1 or more")
    if args.deadline is not None and args.deadline < (args.date or date.today()):
        raise UsageError(f"--deadline {args.deadline} is before the letter date {args.date or date.today()}; "
                         "a letter cannot ask for payment by a day already past")
    company = load_company(project)
    check_pattern(project, company)
    letter_date = args.date or date.today()
    request = Request(
        template=args.template or "",
        fmt=args.format,
        letter_date=letter_date,
        deadline=args.deadline,
        instalments=args.instalments,
        sent_letter=args.sent_letter,
    )
    cases_path = Path(args.cases)
    source = open_cases(cases_path, project, display=args.cases, horizon=Horizon(letter_date, "the letter date"),
                        sheet=args.sheet)
    work: list[tuple[Request, Any]] = [(request, source)]
    if args.from_plan:
        chosen = read_plan(Path(args.from_plan), args.from_plan, known)
        work = [(replace(request, template=lid), selected) for lid, selected in groups(source, chosen, known)]
    for each, _source in work:
        letter_template.prepare(project, each.template, each.fmt)  # the company's Word template, if any
    source.print_summary()
    name = args.template or "plan"
    out = Path(args.out) if args.out else project.root / "letters-out" / f"{name}-{letter_date:%Y%m%d}"
    if args.dry_run:
        return _dry_run(work, company, args, out)
    _check_out(out)
    _warn_glyphs(source, request)
    return _make(project, work, company, args, out)


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "manifest.csv").exists())):
        raise UsageError(
            f"--out {out} already exists and is not a letters folder (no manifest.csv); "
            "it would be replaced, so choose a new or empty folder"
        )


def _dry_run(work: list[tuple[Request, Any]], company, args: argparse.Namespace, out: Path) -> int:  # type: ignore[no-untyped-def]
    skipped = [0]
    count = 0
    seq = args.start_seq
    for request, source in work:
        for job in batch.plan(source, company, request, seq, skipped):
            count += 1
            seq = job.seq + 1
            which = f"{request.template}  " if args.from_plan else ""
            print(
                f"{job.seq:04d}  {which}{printable(job.case.customer)}  ¥{format_amount(job.case.outstanding)}  "
                f"{rmb_upper(job.case.outstanding)}  {job.reference}  → {out / job.filename}"
            )
    note = f"; {skipped[0]} customer(s) with nothing outstanding skipped" if skipped[0] else ""
    which = args.template or "from the plan"
    print(
        f"dry run: would write {count} letter(s) ({which}, {args.format}) and manifest.csv "
        f"into {out}{note}; nothing written"
    )
    return 0


def _warn_glyphs(source, request: Request) -> None:  # type: ignore[no-untyped-def]
    if request.fmt != "pdf":
        return
    from generator.pdf import missing_glyphs

    for case in source:
        missing = missing_glyphs(case.customer + case.contact + case.address)
        if missing:
            print(
                f"warning: {case.source}: customer: the PDF font has no glyph for "
                f"{' '.join(sorted(missing))}; it will print as a blank — check the letter or "
                "use --format docx",
                file=sys.stderr,
            )


def _make(
    project: Project,
    work: list[tuple[Request, Any]],
    company,
    args: argparse.Namespace,  # type: ignore[no-untyped-def]
    out: Path,
) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    start = time.perf_counter()
    skipped = [0]
    total = sum(source.customers for _request, source in work)
    workers = batch.worker_count(args.jobs, total, args.format)
    console = Console(stderr=True)
    with staged_dir(out) as folder:
        with (
            open(folder / "manifest.csv", "w", encoding="utf-8-sig", newline="") as handle,
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=console,
                transient=False,
                disable=total < 2,
            ) as progress,
        ):
            manifest = Manifest(handle)
            label = args.template or "from plan"
            task = progress.add_task(f"{label} ({args.format})", total=total, rate="")

            seq = [args.start_seq]

            def done(job: Job, digest: str) -> None:
                seq[0] = job.seq + 1
                manifest.add(batch.manifest_row(job, current[0], digest))
                elapsed = time.perf_counter() - start
                progress.update(
                    task,
                    completed=manifest.rows + skipped[0],
                    rate=f"{manifest.rows / elapsed:.1f} 封/秒" if elapsed else "",
                )

            current: list[Request] = []
            for request, source in work:
                current[:] = [request]
                jobs = batch.plan(source, company, request, seq[0], skipped)
                batch.render_all(project, company, request, jobs, folder, workers, done)
            progress.update(task, completed=total)
        letters = manifest.rows
    seconds = time.perf_counter() - start
    note = f"; {skipped[0]} customer(s) with nothing outstanding skipped" if skipped[0] else ""
    shown = project.display(out) if out.is_absolute() else str(out)
    print(f"wrote {letters} letter(s) and manifest.csv to {shown}/ in {seconds:.1f}s ({_workers(workers)}){note}")
    return 0


def _workers(count: int) -> str:
    return "in this process" if count == 0 else f"{count} worker{'s' if count != 1 else ''}"
