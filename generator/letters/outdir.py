"""The letters' output folder (``--out``): what may be replaced, and where it really is.

Letters are evidence (``letters-register.csv`` lists each with its sha256), so no run ever
deletes or changes one. Without ``--out`` every run writes a new folder
(``letters-out/<template>-<date>-<first sequence number>/``). An ``--out`` that holds an earlier
run is refused unless ``--replace`` is given; then the earlier letters are moved to an archive
folder beside it (the register's rows are pointed there), never deleted. A folder holding
anything a letters run did not write (the clerk's own notes, a scan, another program's output)
is refused even with ``--replace``: a user's own files are never deleted.
"""

from __future__ import annotations

import csv
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.errors import UsageError

MANIFEST = "manifest.csv"
SHOWN = 5
"""Foreign files named in the refusal (then a count)."""


@dataclass(frozen=True)
class OutDir:
    """Where a run writes (``target``: a symlinked ``--out`` is followed, so the link stays)
    and what an earlier run left there (``previous``: its files, by format), to be moved to
    ``archive`` before the new letters take the folder's place."""

    target: Path
    previous: dict[str, int]
    archive: Path | None = None


def default_out(root: Path, name: str, on: date, first_seq: int) -> Path:
    """A new folder for a run without ``--out``: ``letters-out/<name>-<date>-<first seq>``, with
    ``-2``, ``-3`` … when that is taken (a repeated ``--start-seq``), so no run lands on another's letters."""
    base = root / "letters-out" / f"{name}-{on:%Y%m%d}-{first_seq:04d}"
    candidate, n = base, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def archive_for(target: Path) -> Path:
    """The first free ``<folder>-archive-N`` beside ``target``: where ``--replace`` moves an earlier run."""
    n = 1
    while True:
        candidate = target.with_name(f"{target.name}-archive-{n}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        n += 1


def shown(path: Path) -> str:
    """A path as the user can open it: relative to the current folder when inside it, else absolute."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()


def shown_in(folder: Path) -> Callable[[str], str]:
    """:func:`shown` for the files of one folder (a bulk run names thousands: the folder is resolved once)."""
    prefix = shown(folder)
    prefix = "" if prefix == "." else prefix if prefix.endswith("/") else f"{prefix}/"
    return lambda name: f"{prefix}{name}"


def prepare(out: Path, *, replace: bool = False) -> OutDir:
    """Check ``--out`` before anything is rendered: refuse it when it holds files no letters run
    wrote, or an earlier run's letters without ``replace`` (then they go to an archive folder)."""
    try:
        target = out.resolve() if out.is_symlink() else out
        target.stat()
    except FileNotFoundError:
        pass
    except RuntimeError as exc:  # a symlink loop while resolving (Python 3.11)
        raise UsageError(f"--out {shown(out)} cannot be used as a folder ({exc}); choose another folder") from None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise  # not a folder on the way, no permission …: the command's «cannot write» line
        raise UsageError(
            f"--out {shown(out)} cannot be used as a folder ({exc.strerror}); choose another folder"
        ) from None
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {shown(out)} is a file, not a folder; choose a folder for the letters")
    if not target.exists() or not any(target.iterdir()):
        return OutDir(target, {})
    listed = _listed(target)
    if listed is None:
        raise UsageError(
            f"--out {shown(out)} already holds files and is not a letters folder (no {MANIFEST}); "
            "it would be replaced as a whole, so choose a new or empty folder"
        )
    present = {p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir()}
    foreign = sorted(present - listed - {MANIFEST})
    if foreign:
        more = f" and {len(foreign) - SHOWN} more" if len(foreign) > SHOWN else ""
        raise UsageError(
            f"--out {shown(out)} holds files that no letters run wrote ({', '.join(foreign[:SHOWN])}{more}); "
            "the folder is replaced as a whole, so move them away or choose another folder"
        )
    formats: dict[str, int] = {}
    for name in sorted(listed & present):
        suffix = Path(name).suffix.lstrip(".") or "?"
        formats[suffix] = formats.get(suffix, 0) + 1
    if not replace:
        before = ", ".join(f"{n} {kind}" for kind, n in sorted(formats.items())) or "no letters"
        raise UsageError(
            f"--out {shown(out)} holds an earlier letters run ({before}); letters are kept as evidence, "
            "so choose a new folder (or leave out --out: every run gets its own), or give --replace "
            "to move the earlier letters to an archive folder beside it"
        )
    return OutDir(target, formats, archive_for(target))


def move_to_archive(folder: OutDir) -> Path | None:
    """Move the earlier run out of the way (one rename: the letters keep their bytes); returns
    where they went."""
    if folder.archive is None or not folder.target.exists():
        return None
    os.replace(folder.target, folder.archive)
    return folder.archive


def _listed(folder: Path) -> set[str] | None:
    """The files the previous run's manifest lists, or None when there is no manifest."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    try:
        with open(manifest, encoding="utf-8-sig", newline="") as handle:
            # "file", or «文件» in a manifest written with --headers zh
            return {(row.get("file") or row.get("文件") or "").lstrip("'") for row in csv.DictReader(handle)} - {""}
    except (OSError, UnicodeDecodeError, KeyError, csv.Error):
        return None
