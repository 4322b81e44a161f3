"""``playbook letters CASES --template ID``: fill letters from case data, one or in bulk.

CASES is a YAML case file (one debtor) or a CSV/XLSX file with one row per invoice.
Every letter, plus ``manifest.csv``, goes into ``--out`` (default
``letters-out/<template>-<date>/``), which is replaced only when all letters succeeded.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from generator.cases import Horizon, open_cases
from generator.cli import letter_template
from generator.cli.common import project_of
from generator.errors import PlaybookError, Problem, UsageError, printable
from generator.letters import batch, outdir
from generator.letters import register as letter_register
from generator.letters.catalog import letter_ids, unknown_letter
from generator.letters.context import Job, Request
from generator.letters.manifest import Manifest
from generator.letters.plan import groups, read_plan
from generator.letters.references import check_pattern
from generator.letters.render import FORMATS
from generator.loader import load_company, load_policy_only
from generator.money import format_amount, rmb_upper
from generator.project import Project
from generator.schema.site import Company
from generator.writer import staged_dir


def _date(text: str) -> date:
    from generator.cases.values import ValueProblem, parse_date

    try:
        return parse_date(text)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
                        unknown_letter(value, known),
                    )
                ]
            )
    _refuse_switched_off(project, args.template)
    if (args.start_seq is not None and args.start_seq < 1) or args.instalments < 1:
        raise UsageError("--start-seq and --instalments must be 1 or more")
    if args.deadline is not None and args.deadline < (args.date or date.today()):
        raise UsageError(f"--deadline {args.deadline} is before the letter date {args.date or date.today()}; "
                         "a letter cannot ask for payment by a day already past")
    company = load_company(project)
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
    source = open_cases(cases_path, project, display=args.cases, horizon=Horizon(letter_date, "the letter date"),
                        sheet=args.sheet)
    work: list[tuple[Request, Any]] = [(request, source)]
    if args.from_plan:
        chosen = read_plan(Path(args.from_plan), args.from_plan, known)
        work = [(replace(request, template=lid), selected) for lid, selected in groups(source, chosen, known)]
    for each, _source in work:
        for fmt in args.format:
            letter_template.prepare(project, each.template, fmt)  # the company's Word template, if any
    source.print_summary()
    if args.template:  # a plan already chose each customer's letter from the ladder
        _check_stage(project, source, args.template, letter_date, strict=args.strict)
    name = args.template or "plan"
    out = Path(args.out) if args.out else project.root / "letters-out" / f"{name}-{letter_date:%Y%m%d}"
    if args.dry_run:
        start = args.start_seq or letter_register.next_seq(project, letter_date)
        return _dry_run(work, company, args, out, start)
    folder = outdir.prepare(out)
    _warn_glyphs(source, request, args.format)
    with letter_register.locked(project):
        start = args.start_seq or letter_register.next_seq(project, letter_date)
        return _make(project, work, company, args, folder, start)


def _refuse_switched_off(project: Project, template: str | None) -> None:
    """A letter the company switched off (policy ``letters:``, or one only a disabled rung
    sends) is never written: its customers must not read about a measure the company does not take."""
    from generator.tailoring import letter_ids_disabled

    if template and template in letter_ids_disabled(load_policy_only(project)):
        raise PlaybookError([Problem("--template", 0, 0, "", f"the letter '{template}' is switched off in the "
                                     "company's policy (site_config/policy.yaml: under letters:, or only a disabled "
                                     "rung sends it); switch it on there to send it")])


def _check_stage(project: Project, source: Any, template: str, on: date, *, strict: bool) -> None:
    from generator.letters import stage

    found = stage.mismatches(load_policy_only(project), source, template, on)
    if strict and found:
        raise PlaybookError([Problem(line.split(": ", 1)[0], 0, 0, "stage", line.split(": ", 1)[1]) for line in found])
    for line in found:
        print(f"warning: {line} (--strict makes this an error)", file=sys.stderr)


def _dry_run(work: list[tuple[Request, Any]], company, args: argparse.Namespace, out: Path,  # type: ignore[no-untyped-def]
             start: int) -> int:
    skipped = [0]
    count = 0
    seq = start
    for request, source in work:
        for job in batch.plan(source, company, request, seq, skipped):
            count += 1
            seq = job.seq + 1
            which = f"{request.template}  " if args.from_plan else ""
            print(
                f"{job.seq:04d}  {which}{printable(job.case.customer)}  ¥{format_amount(job.case.outstanding)}  "
                f"{rmb_upper(job.case.outstanding)}  {job.reference}  → {outdir.shown(out / job.filename)}"
            )
    note = f"; {skipped[0]} customer(s) with nothing outstanding skipped" if skipped[0] else ""
    which = args.template or "from the plan"
    print(
        f"dry run: would write {count} letter(s) ({which}, {','.join(args.format)}) and manifest.csv "
        f"into {outdir.shown(out)}{note}; nothing written"
    )
    return 0


def _warn_glyphs(source, request: Request, formats: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    if "pdf" not in formats:
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
    company: Company,
    args: argparse.Namespace,
    folder_out: outdir.OutDir,
    start_seq: int,
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
    customers = sum(source.customers for _request, source in work)
    total = customers * len(args.format)
    console = Console(stderr=True)
    registered: list[dict[str, object]] = []
    out = folder_out.target
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
            manifest = Manifest(handle, args.headers)
            label = args.template or "from plan"
            task = progress.add_task(f"{label} ({','.join(args.format)})", total=total, rate="")
            current: list[Request] = []

            def done(job: Job, digest: str) -> None:
                request = current[0]
                row = batch.manifest_row(job, request, digest)
                manifest.add(row)
                registered.append({
                    "date": request.letter_date.isoformat(), "函号": job.reference, "customer": job.case.customer,
                    "template": request.template, "total": row["total"], "file": outdir.shown(out / job.filename),
                    "sha256": digest, "seq": job.seq, "format": request.fmt,
                })
                elapsed = time.perf_counter() - start
                progress.update(
                    task,
                    completed=manifest.rows + skipped[0],
                    rate=f"{manifest.rows / elapsed:.1f} 封/秒" if elapsed else "",
                )

            for fmt in args.format:  # every format numbers the same letters the same way
                seq = start_seq
                for request, source in work:
                    request = replace(request, fmt=fmt)
                    current[:] = [request]
                    last = [seq - 1]

                    def numbered(jobs: Iterator[Job], last: list[int] = last) -> Iterator[Job]:
                        for job in jobs:  # streamed: memory stays flat however many customers
                            last[0] = job.seq
                            yield job

                    workers = batch.worker_count(args.jobs, source.customers, fmt)
                    batch.render_all(project, company, request, numbered(batch.plan(source, company, request, seq,
                                                                                     skipped)),
                                     folder, workers, done)
                    seq = last[0] + 1
            progress.update(task, completed=total)
        letters = manifest.rows
    try:
        letter_register.append(project, registered)
    except OSError as exc:  # the letters are in place: say so, and that the register lacks them
        raise PlaybookError([Problem(letter_register.NAME, 0, 0, "(register)",
                                     f"the letters were written to {outdir.shown(out)}, but they could not be "
                                     f"entered in the register: {exc.strerror or exc}; add them from its "
                                     "manifest.csv before sending")]) from None
    seconds = time.perf_counter() - start
    skipped_customers = skipped[0] // max(1, len(args.format))
    note = f"; {skipped_customers} customer(s) with nothing outstanding skipped" if skipped_customers else ""
    if folder_out.previous:
        before = ", ".join(f"{n} {kind}" for kind, n in sorted(folder_out.previous.items()))
        note += f"; replaced the previous letters run in that folder ({before})"
    print(f"wrote {letters} letter(s) and manifest.csv to {outdir.shown(out)}/ in {seconds:.1f}s; "
          f"registered in {letter_register.NAME}{note}")
    return 0
