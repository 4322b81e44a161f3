"""The playbook's date and ``SOURCE_DATE_EPOCH``: one owner for reproducible dates."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

from generator.project import Project

CHINA = timezone(timedelta(hours=8), "CST")
"""Dates in the Chinese text are China's calendar dates (UTC+8, no daylight saving)."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set to a number, else ``None``."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(raw) if raw.isdigit() else None


def build_date(project: Project) -> date:
    """The playbook's date, stamped on pages and printouts. It comes from the input, so the
    same input gives the same bytes on any day: ``SOURCE_DATE_EPOCH`` when set, else the date
    of the project's last git commit, else the newest file in playbook/ and site_config/."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=CHINA).date()
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=project.root, capture_output=True, text=True, timeout=10
        )
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return datetime.fromtimestamp(int(out.stdout.strip()), tz=CHINA).date()
    except (OSError, subprocess.SubprocessError):
        pass
    newest = max(
        (
            p.stat().st_mtime
            for folder in (project.playbook_dir, project.site_config_dir)
            for p in folder.rglob("*")
            if p.is_file()
        ),
        default=0.0,
    )
    return datetime.fromtimestamp(newest, tz=CHINA).date() if newest else date.today()


def epoch_of(day: date) -> str:
    """Midnight (UTC) of ``day`` as a SOURCE_DATE_EPOCH value."""
    return str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))


@contextlib.contextmanager
def reproducible_dates(project: Project) -> Iterator[None]:
    """Within the block, SOURCE_DATE_EPOCH names the playbook's date (unless the user set it):
    MkDocs' sitemap and every PDF's metadata then carry the input's date, so ``playbook
    build`` and ``playbook print`` write the same bytes and share the PDF cache."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = epoch_of(build_date(project))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
