"""A letters run: check the cases, number the letters, render them (in parallel) into a
staged folder, write ``manifest.csv``, and swap the folder in only when all succeeded.

Memory stays flat however many customers there are: cases are streamed from the
file, at most ``4 × workers`` letters are in flight, and workers write their own
files (only a digest comes back).
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.cases import CaseSource
from generator.errors import PlaybookError, Problem
from generator.letter_catalog import LetterCatalog
from generator.letters.context import Job, Request, deadline_of
from generator.letters.names import inside, letter_filename
from generator.letters.references import reference
from generator.money import format_amount, rmb_upper
from generator.pdf.pool import render_many
from generator.schema.site import Company
from generator.session import Session

IN_FLIGHT_PER_WORKER = 4
LETTERS_PER_WORKER = 2000
"""A worker is replaced after this many letters, as a guard against slow native-memory
growth; each worker keeps one Typst compiler (fonts loaded once) for its life. Workers fork
from a server that has imported Typst, so a new one is cheap."""
BATCH = 16
"""Letters per Typst compile in a bulk run (``per_batch``): 16 cuts Typst's time per letter
to about a third; more gains little and delays the first files."""
TASKS_AT_LEAST = 8
"""A small run is cut into at least this many tasks (smaller batches), so every worker gets work."""
PARALLEL_FROM = 6
"""Fewer letters than this render in-process (starting workers costs more than it saves)."""


def plan(
    source: CaseSource,
    company: Company,
    request: Request,
    start_seq: int,
    skipped: list[int],
    why: dict[str, str] | None = None,
) -> Iterator[Job]:
    """Number the letters in file order; customers with nothing outstanding get none (counted in
    ``skipped``, and named in ``why`` with the reason)."""
    seq = start_seq
    for case in source:
        owed = case.outstanding
        if owed <= 0:
            skipped[0] += 1
            if why is not None:
                why[case.customer] = f"in credit ¥{format_amount(-owed)}" if owed < 0 else "nothing outstanding"
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


def init_worker(session: Session, request: Request, folder: str) -> None:
    """A worker gets the run's session whole (pickled: company, policy, letter catalogue) and
    never reads the project's settings again."""
    from generator.letters.render import letter_env

    _STATE.update(
        session=session,
        env=letter_env(session.project),
        request=request,
        folder=Path(folder),
    )
    if request.fmt == "pdf":
        import typst  # noqa: F401  (import once, not on the first letter)


def render_jobs(jobs: tuple[Job, ...]) -> list[tuple[str, list[Problem]]]:
    """Render and write a few letters (PDFs typeset in one go); the sha256 of each, in order,
    up to and including the first whose template fails (its problems instead of a digest)."""
    from generator.letters.fill import Numbered, render_files

    files, error = render_files(
        _STATE["session"],
        _STATE["env"],
        _STATE["request"],
        [Numbered(job.case, job.seq, job.reference) for job in jobs],
    )
    results: list[tuple[str, list[Problem]]] = []
    for job, data in zip(jobs, files, strict=False):
        target = inside(_STATE["folder"], job.filename)
        target.write_bytes(data)
        results.append((hashlib.sha256(data).hexdigest(), []))
    if error is not None:
        results.append(("", list(error.problems)))
    return results


# --- the run -------------------------------------------------------------------------------


def render_all(
    session: Session,
    request: Request,
    jobs: Iterator[Job],
    folder: Path,
    workers: int,
    on_done: Callable[[Job, str], None],
    *,
    per_batch: int = 1,
) -> None:
    """Render every job into ``folder``, ``per_batch`` letters to a worker task, ``on_done``
    in file order; stop at the first problem."""
    args = (session.for_workers(), request, str(folder))
    for chunk, results in render_many(
        render_jobs,
        chunked(jobs, per_batch),
        workers=workers,
        initializer=init_worker,
        initargs=args,
        in_flight=IN_FLIGHT_PER_WORKER,
        max_tasks=max(1, LETTERS_PER_WORKER // per_batch),
    ):
        for job, (digest, problems) in zip(chunk, results, strict=False):
            if problems:
                raise PlaybookError(problems)
            on_done(job, digest)


def chunked(jobs: Iterator[Job], size: int) -> Iterator[tuple[Job, ...]]:
    """``jobs`` in consecutive groups of ``size`` (the last may be shorter)."""
    while chunk := tuple(itertools.islice(jobs, size)):
        yield chunk


def per_batch(letters: int, fmt: str) -> int:
    """How many letters a worker task typesets at once: PDFs are several times faster in
    batches of up to ``BATCH``, and a small run still makes at least ``TASKS_AT_LEAST`` tasks
    so that no worker idles. It depends on the run's letters only, never on ``--jobs``: a
    letter's bytes depend on its batch, and the same input must give the same files."""
    if fmt != "pdf":
        return 1
    return max(1, min(BATCH, letters // TASKS_AT_LEAST))


def worker_count(requested: int | None, letters: int, fmt: str) -> int:
    """0 = render in this process (HTML, or only a few letters); else the number of worker
    processes, at most one per letter. ``--jobs 1`` still uses one worker, so that memory
    stays bounded however many letters there are."""
    if fmt == "html" or letters < PARALLEL_FROM:
        return 0
    wanted = requested if requested and requested > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, letters))
