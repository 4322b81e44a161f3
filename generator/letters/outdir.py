"""The letters' output folder (``--out``): what may be replaced, and where it really is.

A letters run replaces its folder as a whole, so before it does, everything in the folder
must have been written by an earlier letters run, as that run's ``manifest.csv`` lists it.
A folder holding anything else (the clerk's own notes, a scan, another program's output) is
refused: a user's own files are never deleted.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError

MANIFEST = "manifest.csv"
SHOWN = 5
"""Foreign files named in the refusal (then a count)."""


@dataclass(frozen=True)
class OutDir:
    """Where a run writes (``target``: a symlinked ``--out`` is followed, so the link stays)
    and what an earlier run left there (``previous``: its files, by format)."""

    target: Path
    previous: dict[str, int]


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


def prepare(out: Path) -> OutDir:
    """Check ``--out`` before anything is rendered; refuse it when replacing it would delete
    files no letters run wrote."""
    target = out.resolve() if out.is_symlink() else out
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
    return OutDir(target, formats)


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
