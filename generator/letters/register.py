"""发函登记簿: ``letters-register.csv`` in the project, one row per letter ever written.

It is what proves later which letter went to whom, when, with which amount (the sha256
ties the row to the exact file). Every letters run that writes letters appends to it,
after its folder is in place; 函号 continue from it (the next sequence number of the
letter date's year), so two runs never hand out the same number. A run holds an
exclusive lock on ``letters-register.csv.lock`` from numbering to appending, so two runs
at once cannot interleave or number twice.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from generator.errors import PlaybookError, Problem
from generator.letters.manifest import neutralise
from generator.project import Project
from generator.writer import exclusive

NAME = "letters-register.csv"
COLUMNS = ("date", "函号", "customer", "template", "total", "file", "sha256", "seq", "format")
"""The first seven are the register's contract; ``seq`` lets the next run continue the numbering."""


def path_of(project: Project) -> Path:
    return project.root / NAME


@contextlib.contextmanager
def locked(project: Project) -> Iterator[None]:
    """Hold the register for one run; a second run at the same time is refused, not queued."""
    with exclusive(path_of(project).with_name(NAME + ".lock")) as mine:
        if not mine:
            raise PlaybookError(
                [
                    Problem(
                        NAME,
                        0,
                        0,
                        "(register)",
                        "another `playbook letters` run is writing letters in this project; "
                        "wait for it to finish (the register numbers every letter once)",
                    )
                ]
            )
        yield


def next_seq(project: Project, on: date) -> int:
    """One more than the highest sequence number registered for ``on``'s year (1 in a new year)."""
    path = path_of(project)
    if not path.is_file():
        return 1
    highest = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                day, seq = row.get("date", ""), row.get("seq", "")
                if day[:4] == str(on.year) and seq.isdigit():
                    highest = max(highest, int(seq))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PlaybookError(
            [
                Problem(
                    NAME,
                    0,
                    0,
                    "(register)",
                    f"expected a readable register to continue the 函号 from, found: {exc}; "
                    "repair it, or give --start-seq",
                )
            ]
        ) from None
    return highest + 1


def append(project: Project, rows: list[dict[str, object]]) -> None:
    """Add the rows of one run (UTF-8 with BOM so Excel shows the Chinese; formulas neutralised)."""
    if not rows:
        return
    path = path_of(project)
    new = not path.exists() or path.stat().st_size == 0
    with open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        if new:
            writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([neutralise(row.get(c, "")) for c in COLUMNS])
        handle.flush()
        os.fsync(handle.fileno())
