"""发函登记簿: ``letters-register.csv`` in the project, one row per letter ever written.

It is what proves later which letter went to whom, when, with which amount (the sha256
ties the row to the exact file). Every letters run that writes letters appends to it,
after its folder is in place; 函号 continue from it (the next sequence number of the
letter date's year), so two runs never hand out the same number. A run holds an
exclusive lock on ``letters-register.csv.lock`` from numbering to appending, so two runs
at once cannot interleave or number twice.

A run that dies between putting its folder in place and appending (kill -9, power cut) must not
leave letters whose 函号 the next run hands out again: just before the folder swap the run writes
its rows to ``letters-register.csv.pending`` (:func:`promise`). The next run, once it holds the
lock, enters them in the register if the folder was swapped in, or drops them if it was not
(:func:`recover`); numbering also counts them, so no number in a pending file is ever reused.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from generator.cells import neutralise
from generator.errors import PlaybookError, Problem
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
    check_usable(project)
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
        recover(project)
        yield


def check_usable(project: Project) -> None:
    """The register and its lock are regular files, or absent (else PlaybookError)."""
    _regular_or_absent(path_of(project))
    _regular_or_absent(path_of(project).with_name(NAME + ".lock"))


def _regular_or_absent(path: Path) -> None:
    """The register is appended to: a FIFO would block the run, a device swallow the rows."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise PlaybookError([Problem(path.name, 0, 0, "(register)", f"cannot use it: {exc.strerror}")]) from None
    if not stat.S_ISREG(mode):
        from generator.safeio import kind_of

        raise PlaybookError(
            [
                Problem(
                    path.name,
                    0,
                    0,
                    "(register)",
                    f"expected the register as a regular file, found {kind_of(mode)}; "
                    "move it away (the register is never replaced)",
                )
            ]
        )


def pending_path(project: Project) -> Path:
    return project.root / f"{NAME}.pending"


def promise(project: Project, rows: list[dict[str, object]], staging: Path) -> None:
    """Record, durably, the rows a run is about to register, before its ``staging`` folder is
    swapped in (see the module's docstring)."""
    if not rows:
        return
    path = pending_path(project)
    data = json.dumps({"staging": str(staging.absolute()), "rows": rows}, ensure_ascii=False, default=str)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _pending_rows(project: Project) -> tuple[str, list[dict[str, object]]] | None:
    path = pending_path(project)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["staging"]), [dict(row) for row in data["rows"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PlaybookError(
            [
                Problem(
                    path.name,
                    0,
                    0,
                    "(register)",
                    f"expected the rows a killed letters run was registering, found an unreadable file ({exc}); "
                    f"compare the newest letters folder's manifest.csv with {NAME}, add what is missing, "
                    "then delete this file",
                )
            ]
        ) from None


def recover(project: Project) -> None:
    """Finish what a killed run left in the pending file: its rows go into the register when its
    folder was swapped in (the staging folder is gone), else they are dropped (no letter has them)."""
    found = _pending_rows(project)
    if found is None:
        return
    staging, rows = found
    if Path(staging).exists():
        pending_path(project).unlink()
        return
    registered: set[tuple[str, str]] = set()
    path = path_of(project)
    if path.is_file():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            registered = {(r.get("函号", "").lstrip("'"), r.get("sha256", "")) for r in csv.DictReader(handle)}
    missing = [r for r in rows if (str(r.get("函号", "")), str(r.get("sha256", ""))) not in registered]
    append(project, missing)
    pending_path(project).unlink(missing_ok=True)
    if missing:
        print(
            f"note: the previous letters run was stopped after writing its letters; "
            f"entered its {len(missing)} letter(s) in {NAME} now",
            file=sys.stderr,
        )


def next_seq(project: Project, on: date) -> int:
    """One more than the highest sequence number registered for ``on``'s year (1 in a new year)."""
    path = path_of(project)
    highest = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") if path.is_file() else io.StringIO("") as handle:
            for row in csv.DictReader(handle):
                day, seq = row.get("date", ""), row.get("seq", "")
                if day[:4] == str(on.year) and seq.isdigit():
                    highest = max(highest, int(seq))
        for row in (_pending_rows(project) or ("", []))[1]:  # a killed run's numbers are never reused
            day, seq = str(row.get("date", "")), str(row.get("seq", ""))
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


def file_of(project: Project, path: Path) -> str:
    """A letter's path as the register records it: relative to the project (where the register
    is) when inside it, else absolute, so a row can be found again from any current folder."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(project.root))).as_posix()
    except ValueError:
        return absolute.as_posix()


def where_is(project: Project, recorded: str) -> Path:
    """The file a row's ``file`` names (see :func:`file_of`)."""
    return Path(os.path.abspath(project.root / recorded))


def repoint(project: Project, before: Path, after: Path) -> int:
    """The letters of folder ``before`` were moved to ``after``: point their rows there (the
    rest of each row, its sha256 included, is unchanged). Replaces the register atomically;
    returns how many rows moved."""
    path = path_of(project)
    if not path.is_file():
        return 0
    old, new = Path(os.path.abspath(before)), Path(os.path.abspath(after))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    if not table or "file" not in table[0]:
        return 0
    column = table[0].index("file")
    moved = 0
    for row in table[1:]:
        if len(row) <= column or not row[column]:
            continue
        where = where_is(project, row[column])
        if where == old or old in where.parents:
            row[column] = file_of(project, new / where.relative_to(old))
            moved += 1
    if moved:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                csv.writer(handle, lineterminator="\r\n").writerows(table)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, path.stat().st_mode & 0o777)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return moved


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
    pending_path(project).unlink(missing_ok=True)  # registered: nothing is pending any more
