"""One letters run (``playbook letters``): its state in one object, ``LetterRun``.

The command line (``generator.cli.letters``) checks the options and builds the run; the run
numbers, renders, writes ``manifest.csv``, registers the letters and reports.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from generator.cases import Case, CaseSource
from generator.errors import PlaybookError, Problem, printable
from generator.letters import batch, outdir
from generator.letters import register as letter_register
from generator.letters.context import Job, Request
from generator.letters.manifest import Manifest
from generator.letters.plan import Selected
from generator.money import format_amount, rmb_upper
from generator.pdf import unbatched_note
from generator.project import Project
from generator.schema.site import Company
from generator.session import Session
from generator.writer import staged_dir


@dataclass
class LetterRun:
    """What a letters run was asked to make, and its counters while it makes it."""

    session: Session
    work: list[tuple[Request, CaseSource | Selected]]
    """Each letter template with the cases it goes to (one pair, or one per template of a plan)."""
    formats: tuple[str, ...]
    template: str | None
    """The ``--template`` given, or ``None`` when a plan chose each customer's letter."""
    out: Path
    headers: str
    """Column titles of manifest.csv: ``en`` or ``zh``."""
    jobs: int
    """``--jobs`` (0: all cores)."""
    skipped: list[int] = field(default_factory=lambda: [0])
    """Customers with nothing outstanding, per format (``batch.plan`` counts into this one-item list)."""
    request: Request | None = None
    """The request (template and format) being rendered now."""
    last_seq: int = 0
    """The number of the latest letter planned."""
    registered: list[dict[str, object]] = field(default_factory=list)
    """Register rows of the letters written so far."""
    no_letter: dict[str, str] = field(default_factory=dict)
    """Every customer that gets no letter, with why (nothing outstanding; with a plan, the plan's reason)."""

    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def company(self) -> Company:
        return self.session.company

    @property
    def label(self) -> str:
        return self.template or "from the plan"

    def dry_run(self, start: int) -> int:
        """Print what would be made; write nothing."""
        count = 0
        seq = start
        where = outdir.shown_in(self.out)
        for request, source in self.work:
            for job in batch.plan(source, self.company, request, seq, self.skipped, self.no_letter):  # type: ignore[arg-type]
                count += 1
                seq = job.seq + 1
                which = f"{request.template}  " if self.template is None else ""
                owed = job.case.outstanding  # a sum over the invoices: once per line
                print(
                    f"{job.seq:04d}  {which}{printable(job.case.customer)}  ¥{format_amount(owed)}  "
                    f"{rmb_upper(owed)}  {job.reference}  → {where(job.filename)}"
                )
        print(
            f"dry run: would write {count} letter(s) ({self.label}, {','.join(self.formats)}) and manifest.csv "
            f"into {outdir.shown(self.out)}; nothing written"
        )
        self._report_no_letter()
        return 0

    def _report_no_letter(self) -> None:
        """Name every customer that got no letter, and why (a long list: the first ones, then a count)."""
        if not self.no_letter:
            return
        print(f"no letter for {len(self.no_letter)} customer(s):")
        for customer, why in list(self.no_letter.items())[:NO_LETTER_SHOWN]:
            print(f"  {printable(customer)}: {why}")
        if len(self.no_letter) > NO_LETTER_SHOWN:
            print(f"  and {len(self.no_letter) - NO_LETTER_SHOWN:,} more")

    def _numbered(self, jobs: Iterator[Job]) -> Iterator[Job]:
        for job in jobs:  # streamed: memory stays flat however many customers
            self.last_seq = job.seq
            yield job

    def make(self, folder_out: outdir.OutDir, start_seq: int) -> int:
        """Write every letter in every format, manifest.csv, and the register's rows."""
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        start = time.perf_counter()
        customers = sum(source.customers for _request, source in self.work)
        total = customers * len(self.formats)
        console = Console(stderr=True)
        if "pdf" in self.formats and customers >= 2:
            note = unbatched_note(self.project.root, "letter")
            if note:
                print(note, file=sys.stderr)
        out = folder_out.target
        with staged_dir(out) as folder:
            with (
                open(folder / "manifest.csv", "w", encoding="utf-8-sig", newline="") as handle,
                Progress(
                    TextColumn("[bold]{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("customers · {task.fields[written]} letter(s) written"),
                    TextColumn("{task.fields[rate]}"),
                    TimeRemainingColumn(),
                    console=console,
                    transient=False,
                    disable=total < 2,
                ) as progress,
            ):
                manifest = Manifest(handle, self.headers)
                label = self.template or "from plan"
                task = progress.add_task(f"{label} ({','.join(self.formats)})", total=total, rate="", written=0)

                def done(job: Job, digest: str) -> None:
                    request = self.request
                    assert request is not None
                    row = batch.manifest_row(job, request, digest, self.session.letters)
                    manifest.add(row)
                    self.registered.append(
                        {
                            "date": request.letter_date.isoformat(),
                            "函号": job.reference,
                            "customer": job.case.customer,
                            "template": request.template,
                            "total": row["total"],
                            "file": letter_register.file_of(self.project, out / job.filename),
                            "sha256": digest,
                            "seq": job.seq,
                            "format": request.fmt,
                        }
                    )
                    elapsed = time.perf_counter() - start
                    progress.update(
                        task,
                        completed=manifest.rows + self.skipped[0],
                        written=manifest.rows,
                        rate=f"{manifest.rows / elapsed:.1f} 封/秒" if elapsed else "",
                    )

                for fmt in self.formats:  # every format numbers the same letters the same way
                    seq = start_seq
                    for request, source in self.work:
                        self.request = replace(request, fmt=fmt)
                        self.last_seq = seq - 1
                        workers = batch.worker_count(self.jobs, source.customers, fmt)
                        planned = batch.plan(source, self.company, self.request, seq, self.skipped, self.no_letter)  # type: ignore[arg-type]
                        batch.render_all(
                            self.session,
                            self.request,
                            self._numbered(planned),
                            folder,
                            workers,
                            done,
                            per_batch=batch.per_batch(source.customers, fmt),
                        )
                        seq = self.last_seq + 1
                progress.update(task, completed=total, written=manifest.rows)
            letter_register.promise(self.project, self.registered, folder)  # before the swap: see register.py
            letters = manifest.rows
            # every letter is made: only now does an earlier run (--replace) leave the folder, whole,
            # for an archive beside it, and the register follows it there
            archived = outdir.move_to_archive(folder_out)
            if archived is not None:
                letter_register.repoint(self.project, out, archived)
        try:
            letter_register.append(self.project, self.registered)
        except OSError as exc:  # the letters are in place: say so, and that the register lacks them
            raise PlaybookError(
                [
                    Problem(
                        letter_register.NAME,
                        0,
                        0,
                        "(register)",
                        f"the letters were written to {outdir.shown(out)}, but they could not be "
                        f"entered in the register: {exc.strerror or exc}; add them from its "
                        "manifest.csv before sending",
                    )
                ]
            ) from None
        seconds = time.perf_counter() - start
        note = f"; no letter for {len(self.no_letter)} customer(s), named below" if self.no_letter else ""
        if archived is not None:
            before = ", ".join(f"{n} {kind}" for kind, n in sorted(folder_out.previous.items())) or "no letters"
            note += (
                f"; the previous letters run in that folder ({before}) was moved to "
                f"{outdir.shown(archived)}/ and the register points there"
            )
        print(
            f"wrote {letters} letter(s) and manifest.csv to {outdir.shown(out)}/ in {seconds:.1f}s; "
            f"registered in {letter_register.NAME}{note}"
        )
        self._report_no_letter()
        return 0


def refuse_switched_off(session: Session, template: str | None) -> None:
    """A letter the company switched off (policy ``letters:``, or one only a disabled rung
    sends) is never written: its customers must not read about a measure the company does not take."""
    if template and template in session.policy.letters_off():
        raise PlaybookError(
            [
                Problem(
                    "--template",
                    0,
                    0,
                    "",
                    f"the letter '{template}' is switched off in the "
                    "company's policy (site_config/policy.yaml: under letters:, or only a disabled "
                    "rung sends it); switch it on there to send it",
                )
            ]
        )


NO_LETTER_SHOWN = 50
"""Customers without a letter named in the summary before a count."""
STAGE_WARNINGS_SHOWN = 20
"""Stage warnings printed before a count (a bulk run may have thousands)."""
STAGE_ERRORS_SHOWN = 200
"""With --strict: problems listed before a count, like the reader's cap."""


@dataclass
class LetterChecks:
    """What a letters run notes about each customer while the file is checked (``open_cases``'
    ``survey``: no pass of its own): a letter that does not fit the customer's stage on the
    company ladder, a name or address the PDF font cannot draw."""

    stage: Callable[[Case], str | None] | None
    """``letters.stage.checker`` for the ``--template`` given (None when a plan chose the letters)."""
    missing_glyphs: Callable[[str], set[str]] | None
    """``pdf.missing_glyphs`` when PDFs are made, else None."""
    mismatched: list[str] = field(default_factory=list)
    """The first :data:`STAGE_ERRORS_SHOWN` stage mismatches (one line per customer)."""
    mismatches: int = 0
    undrawable: list[str] = field(default_factory=list)
    customers: list[str] | None = None
    """With a plan: every customer of the file, in order (to name those the plan leaves out)."""

    @classmethod
    def of(cls, session: Session, template: str | None, on: date, formats: tuple[str, ...]) -> LetterChecks:
        from generator.letters import stage

        stage_check = stage.checker(session.policy, template, on) if template else None
        if "pdf" not in formats:
            return cls(stage_check, None)
        from generator.pdf import missing_glyphs

        return cls(stage_check, missing_glyphs)

    def restart(self) -> None:
        self.mismatched, self.mismatches, self.undrawable = [], 0, []
        if self.customers is not None:
            self.customers = []

    def __call__(self, case: Case) -> None:
        if self.customers is not None:
            self.customers.append(case.customer)
        line = self.stage(case) if self.stage is not None else None
        if line is not None:
            self.mismatches += 1
            if len(self.mismatched) < STAGE_ERRORS_SHOWN:  # a whole ledger may mismatch: keep what is shown
                self.mismatched.append(line)
        if self.missing_glyphs is not None:
            missing = self.missing_glyphs(case.customer + case.contact + case.address)
            if missing:
                self.undrawable.append(
                    f"warning: {case.source}: customer: the PDF font has no glyph for "
                    f"{' '.join(sorted(missing))}; it will print as a blank — check the letter or use --format docx"
                )

    def report(self, template: str | None, *, strict: bool) -> None:
        """Warn (with ``strict``: refuse) when the letter does not fit a customer's stage; warn of
        names that would print as blanks."""
        found, count = self.mismatched, self.mismatches
        if strict and found:
            problems = [Problem(line.split(": ", 1)[0], 0, 0, "stage", line.split(": ", 1)[1]) for line in found]
            if count > len(problems):
                problems.append(
                    Problem(
                        "",
                        0,
                        0,
                        "stage",
                        f"and {count - len(problems):,} more customer(s) whose stage does not fit '{template}'",
                    )
                )
            raise PlaybookError(problems)
        for line in found[:STAGE_WARNINGS_SHOWN]:
            print(f"warning: {line} (--strict makes this an error)", file=sys.stderr)
        if count > STAGE_WARNINGS_SHOWN:
            # A bulk run to a whole ledger would otherwise bury the summary under one line per customer.
            print(
                f"warning: and {count - STAGE_WARNINGS_SHOWN:,} more customer(s) whose stage does not fit "
                f"'{template}' ({count:,} in all; the first {STAGE_WARNINGS_SHOWN} are above; "
                "--strict lists them as errors)",
                file=sys.stderr,
            )
        for line in self.undrawable:
            print(line, file=sys.stderr)
