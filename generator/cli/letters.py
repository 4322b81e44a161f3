"""``playbook letters CASES --template ID``: fill letters from case data, one or in bulk.

CASES is a YAML case file (one debtor) or a CSV/XLSX file with one row per invoice.
Every letter, plus ``manifest.csv``, goes into ``--out`` (default
``letters-out/<template>-<date>/``), which is replaced only when all letters succeeded.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from generator.cases import open_cases
from generator.cli.common import project_of
from generator.errors import PlaybookError, Problem, UsageError, did_you_mean
from generator.letters import batch
from generator.letters.catalog import letter_ids
from generator.letters.context import Job, Request
from generator.letters.manifest import Manifest
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
    parser.add_argument(
        "cases", metavar="CASES", help="case file: .yaml (one debtor), .csv or .xlsx (bulk)"
    )
    parser.add_argument(
        "--template",
        "-t",
        required=True,
        metavar="ID",
        help="letter id, e.g. reminder-1, final-demand, confirmation",
    )
    parser.add_argument(
        "--format", "-f", choices=FORMATS, default="pdf", help="output format (default pdf)"
    )
    parser.add_argument(
        "--out",
        "-o",
        metavar="DIR",
        help="output folder (default letters-out/<template>-<date>/); replaced as a whole",
    )
    parser.add_argument(
        "--date", type=_date, metavar="D", help="letter date (default today), e.g. 2026-12-31"
    )
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
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be made; write nothing"
    )
    parser.set_defaults(run=run)


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
                        f"unknown letter template '{value}'"
                        f"{did_you_mean(value, known)} "
                        f"(valid: {', '.join(known)})",
                    )
                ]
            )
    if args.start_seq < 1 or args.instalments < 1:
        raise UsageError("--start-seq and --instalments must be 1 or more")
    company = load_company(project)
    check_pattern(project, company)
    letter_date = args.date or date.today()
    request = Request(
        template=args.template,
        fmt=args.format,
        letter_date=letter_date,
        deadline=args.deadline,
        instalments=args.instalments,
        sent_letter=args.sent_letter,
    )
    cases_path = Path(args.cases)
    source = open_cases(cases_path, project, display=args.cases)
    out = (
        Path(args.out)
        if args.out
        else project.root / "letters-out" / f"{args.template}-{letter_date:%Y%m%d}"
    )
    if args.dry_run:
        return _dry_run(source, company, request, args, out)
    _check_out(out)
    _warn_glyphs(source, request)
    return _make(project, source, company, request, args, out)


def _check_out(out: Path) -> None:
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / "manifest.csv").exists())
    ):
        raise UsageError(
            f"--out {out} already exists and is not a letters folder (no manifest.csv); "
            "it would be replaced, so choose a new or empty folder"
        )


def _dry_run(source, company, request: Request, args: argparse.Namespace, out: Path) -> int:  # type: ignore[no-untyped-def]
    skipped = [0]
    count = 0
    for job in batch.plan(source, company, request, args.start_seq, skipped):
        count += 1
        print(
            f"{job.seq:04d}  {job.case.customer}  ¥{format_amount(job.case.outstanding)}  "
            f"{rmb_upper(job.case.outstanding)}  {job.reference}  → {out / job.filename}"
        )
    note = f"; {skipped[0]} customer(s) with nothing outstanding skipped" if skipped[0] else ""
    print(
        f"dry run: would write {count} letter(s) ({args.template}, {args.format}) and manifest.csv "
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
    source,
    company,
    request: Request,
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
    workers = batch.worker_count(args.jobs, source.customers, request.fmt)
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
                disable=source.customers < 2,
            ) as progress,
        ):
            manifest = Manifest(handle)
            task = progress.add_task(
                f"{request.template} ({request.fmt})", total=source.customers, rate=""
            )

            def done(job: Job, digest: str) -> None:
                manifest.add(batch.manifest_row(job, request, digest))
                elapsed = time.perf_counter() - start
                progress.update(
                    task,
                    completed=manifest.rows + skipped[0],
                    rate=f"{manifest.rows / elapsed:.1f} 封/秒" if elapsed else "",
                )

            jobs = batch.plan(source, company, request, args.start_seq, skipped)
            batch.render_all(project, company, request, jobs, folder, workers, done)
            progress.update(task, completed=source.customers)
        letters = manifest.rows
    seconds = time.perf_counter() - start
    note = f"; {skipped[0]} customer(s) with nothing outstanding skipped" if skipped[0] else ""
    shown = project.display(out) if out.is_absolute() else str(out)
    print(
        f"wrote {letters} letter(s) and manifest.csv to {shown}/ in {seconds:.1f}s "
        f"({_workers(workers)}){note}"
    )
    return 0


def _workers(count: int) -> str:
    return "in this process" if count == 0 else f"{count} worker{'s' if count != 1 else ''}"
