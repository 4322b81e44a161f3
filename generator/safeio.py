"""Reading a user's file: checked before a byte is read.

A path in a fork can be anything: a link to ``/dev/zero`` (read whole, it exhausts memory), a
named pipe (reading it waits forever), a folder, a file far larger than any real one. Each
read of a user's file goes through :func:`read_checked`: the path must be a regular file no
larger than the caller's cap, and at most that many bytes are read even if the file grows
(or is swapped for a pipe) between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import PlaybookError, Problem

MAX_TEMPLATE_BYTES = 4 << 20
"""A Jinja template or a stylesheet (the largest shipped template is some 30 KB)."""
MAX_PICTURE_BYTES = 8 << 20
"""A company logo."""


def kind_of(mode: int) -> str | None:
    """What a path that is not a regular file is, in the user's words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n >> 20:,} MB" if n >= (1 << 20) else f"{n >> 10:,} KiB"


def read_checked(path: Path, display: str, *, limit: int, what: str, where: str = "(file)") -> bytes:
    """The bytes of ``path``, or PlaybookError (one problem) when it is not a regular file of at
    most ``limit`` bytes. ``what`` names what was expected: «a YAML file»."""

    def refuse(found: str) -> PlaybookError:
        return PlaybookError([Problem(display, 0, 0, where, f"expected {what}, found {found}")])

    try:
        info = os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as exc:
        raise refuse(f"a path that cannot be read ({exc.strerror})") from None
    kind = kind_of(info.st_mode)
    if kind:
        raise refuse(kind)
    if info.st_size > limit:
        raise refuse(f"a file of {_size(info.st_size)} (at most {_size(limit)} is read)")
    try:
        # O_NONBLOCK: a pipe swapped in after the check does not block the open
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise refuse(f"a path that cannot be read ({exc.strerror})") from None
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind:
            raise refuse(kind)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise refuse(f"a file that cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise refuse(f"a file larger than {_size(limit)} (it grew while being read)")
    return b"".join(chunks)


def is_regular(path: Path) -> bool:
    """``path`` (links followed) is a regular file: what may be read (``Path.is_file`` without the surprises)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
