"""A letters run: check the cases, number the letters, render them (in parallel) into a
staged folder, write ``manifest.csv``, and swap the folder in only when all succeeded.

Memory stays flat however many customers there are: cases are streamed from the
file, at most ``4 × workers`` letters are in flight, and workers write their own
files (only a digest comes back).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.cases import CaseSource
from generator.errors import PlaybookError, Problem
from generator.letters.catalog import LetterCatalog
from generator.letters.context import Job, Request, deadline_of
from generator.letters.names import inside, letter_filename
from generator.letters.references import reference
from generator.money import format_amount, rmb_upper
from generator.pdf.pool import render_many
from generator.project import Project
from generator.schema.site import Company

IN_FLIGHT_PER_WORKER = 4
LETTERS_PER_WORKER = 2000
"""A worker is replaced after this many letters, as a guard against slow native-memory
growth; each worker keeps one Typst compiler (fonts loaded once) for its life. Workers fork
from a server that has imported Typst, so a new one is cheap."""
PARALLEL_FROM = 6
"""Fewer letters than this render in-process (starting workers costs more than it saves)."""


def plan(source: CaseSource, company: Company, request: Request, start_seq: int, skipped: list[int]) -> Iterator[Job]:
    """Number the letters in file order; customers with nothing outstanding get none."""
    seq = start_seq
    for case in source:
        if case.outstanding <= 0:
            skipped[0] += 1
            continue
        ref = reference(
            company,
            on=request.letter_date,
            seq=seq,
            template=request.template,
            customer_no=case.number,
        )
        yield Job(case, seq, ref, letter_filename(seq, case.customer, request.template, request.fmt))
        seq += 1


def manifest_row(job: Job, request: Request, digest: str, letters: LetterCatalog) -> dict[str, object]:
    case = job.case
    return {
        "seq": job.seq,
        "reference": job.reference,
        "customer": case.customer,
        "template": request.template,
        "title": letters.title(request.template),
        "invoices": len(case.unpaid),
        "total": format_amount(case.outstanding),
        "total_in_words": rmb_upper(case.outstanding),
        "oldest_due": case.oldest_unpaid_due.isoformat() if case.oldest_unpaid_due else "",
        "deadline": deadline_of(case, request, letters).isoformat(),
        "file": job.filename,
        "sha256": digest,
        "source": case.source,
    }


# --- workers -------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def init_worker(root: str, company: Company, request: Request, folder: str) -> None:
    from generator.letters.render import letter_env

    project = Project.at(root)
    _STATE.update(
        project=project,
        env=letter_env(project),
        company=company,
        request=request,
        folder=Path(folder),
    )
    if request.fmt == "pdf":
        import typst  # noqa: F401  (import once, not on the first letter)


def render_job(job: Job) -> tuple[str, list[Problem]]:
    """Render and write one letter; return its sha256 (or the template's problems)."""
    from generator.letters.fill import render_bytes

    try:
        data = render_bytes(
            _STATE["project"],
            _STATE["env"],
            _STATE["company"],
            job.case,
            _STATE["request"],
            seq=job.seq,
            reference=job.reference,
        )
    except PlaybookError as exc:
        return "", list(exc.problems)
    target = inside(_STATE["folder"], job.filename)
    target.write_bytes(data)
    return hashlib.sha256(data).hexdigest(), []


# --- the run -------------------------------------------------------------------------------


def render_all(
    project: Project,
    company: Company,
    request: Request,
    jobs: Iterator[Job],
    folder: Path,
    workers: int,
    on_done: Callable[[Job, str], None],
) -> None:
    """Render every job into ``folder``, ``on_done`` in file order; stop at the first problem."""
    args = (str(project.root), company, request, str(folder))
    for job, (digest, problems) in render_many(
        render_job,
        jobs,
        workers=workers,
        initializer=init_worker,
        initargs=args,
        in_flight=IN_FLIGHT_PER_WORKER,
        max_tasks=LETTERS_PER_WORKER,
    ):
        if problems:
            raise PlaybookError(problems)
        on_done(job, digest)


def worker_count(requested: int | None, letters: int, fmt: str) -> int:
    """0 = render in this process (HTML, or only a few letters); else the number of worker
    processes, at most one per letter. ``--jobs 1`` still uses one worker, so that memory
    stays bounded however many letters there are."""
    if fmt == "html" or letters < PARALLEL_FROM:
        return 0
    wanted = requested if requested and requested > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, letters))
