"""Writing output safely: whole trees swapped in at once, files replaced atomically."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

KEEP = {".gitignore"}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def public_mode(path: Path, *, folder: bool) -> None:
    """Temporary files and folders are private (0600/0700); output must be readable by the
    web server and the team like any file the user writes (0666/0777 less the umask)."""
    os.chmod(path, (0o777 if folder else 0o666) & ~_umask())


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace ``path`` unless it already holds ``data`` (keeps mtimes for live reload)."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        public_mode(Path(tmp), folder=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def output_file(path: Path, option: str) -> tuple[Path, str]:
    """Where a single-file output (``--out PLAN.csv``) really goes, checked before anything is made:
    a symbolic link is written through (the link stays, its target gets the new content) and
    said so; a folder, device, FIFO or socket is refused (UsageError), never replaced. Returns the
    path to write and a note for the user ("" unless a link was followed)."""
    from generator.errors import UsageError
    from generator.safeio import kind_of

    shown = f"{option} {path}"
    try:
        target = path.resolve(strict=False) if path.is_symlink() else path
    except (RuntimeError, OSError) as exc:  # a symlink loop (Python 3.11 raises RuntimeError)
        raise UsageError(f"{shown} is a symbolic link that loops ({exc}); give a plain file name") from None
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot use it ({exc.strerror}); give a plain file name") from None
    if info is not None:
        kind = kind_of(info.st_mode)
        if kind:
            where = f" ({target})" if target != path else ""
            raise UsageError(f"{shown} is {kind}{where}, not a file; it is never replaced — give a file name")
    note = f"{option} {path} is a symbolic link: wrote its target {target}" if target != path else ""
    return target, note


def write_output_file(path: Path, data: bytes, option: str) -> str:
    """Check ``path`` (:func:`output_file`) and write ``data`` there atomically; returns the note."""
    target, note = output_file(path, option)
    write_if_changed(target, data)
    return note


def sync_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Make ``root`` hold exactly ``files``: write the changed ones, delete the stale ones."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        write_if_changed(root / name, data)
    wanted = {Path(rel) for rel in files}
    for path in sorted(root.rglob("*"), reverse=True):
        rel = path.relative_to(root)
        if path.is_file() and rel not in wanted and path.name not in KEEP:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


MARKER = ".playbook-unfinished"
"""Written into every temporary folder the tool makes beside an output; only folders holding it
are ever removed as leftovers (a user's ``site.old-2025/`` merely looks like one)."""


def _marked_folder(parent: Path, prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    (folder / MARKER).write_text(
        f"made by playbook (process {os.getpid()}) for unfinished output; the next run removes it\n",
        encoding="utf-8",
    )
    return folder


@contextlib.contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Yield a temporary sibling of ``final``; on success swap it in, on failure drop it.

    The previous ``final`` stays untouched until everything inside succeeded,
    including on Ctrl-C or SIGTERM (raised as KeyboardInterrupt/SystemExit).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(final)
    tmp = _marked_folder(final.parent, f"{final.name}.tmp-{os.getpid()}-")
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    public_mode(tmp, folder=True)
    swap_in(tmp, final)


def remove_leftovers(final: Path) -> None:
    """Temporary siblings of ``final`` left by a run that was killed (kill -9, power cut):
    folders this tool made (they hold :data:`MARKER`) whose process is gone. A folder that only
    has a similar name (``letters.old-2023/``) is the user's and stays."""
    for sibling in final.parent.glob(f"{glob_escape(final.name)}.*"):
        rest = sibling.name[len(final.name) :]
        kind, _, tail = rest.lstrip(".").partition("-")
        pid = tail.split("-")[0]
        if (
            kind in ("tmp", "old")
            and pid.isdigit()
            and not _alive(int(pid))
            and sibling.is_dir()
            and not sibling.is_symlink()
            and (sibling / MARKER).is_file()
        ):
            shutil.rmtree(sibling, ignore_errors=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(tmp: Path, final: Path) -> None:
    """Replace ``final`` by ``tmp``; Ctrl-C and SIGTERM wait until both renames are done.

    The previous ``final`` goes into a marked folder of its own first, so a crash at any point
    leaves only folders the next run knows as its own leftovers."""
    box = _marked_folder(final.parent, f"{final.name}.old-{os.getpid()}-") if final.exists() else None
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if box is not None:
            os.replace(final, box / "previous")
        (tmp / MARKER).unlink(missing_ok=True)  # the output is finished: it no longer is a leftover
        os.replace(tmp, final)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    if box is not None:
        shutil.rmtree(box, ignore_errors=True)


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[bool]:
    """Hold ``lock_path`` for one run (``fcntl.flock``, released when the process ends, even by
    kill -9). Yields False when another process holds it: the caller refuses rather than queues,
    because a second run writing the same output would interleave with the first."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a")  # noqa: SIM115  (held for the whole run)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        handle.close()
