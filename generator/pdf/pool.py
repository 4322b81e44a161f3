"""``render_many``: the one worker pool that renders PDFs in parallel (letters and printouts).

* Results come back in input order, with at most ``in_flight`` jobs submitted ahead, so
  memory stays flat however many jobs the iterator yields.
* Each worker keeps its own state (its Typst compiler) from ``initializer`` for its life;
  a worker is replaced after ``max_tasks`` jobs as a guard against native-memory growth.
* Workers never outlive their parent: each asks Linux to kill it when its parent dies
  (``PR_SET_PDEATHSIG``) and, where that is not available, watches its parent's pid.
  With ``forkserver`` the parent of a worker is the fork server, which stays up while any
  worker does, so such workers also watch the caller's pid; once they are gone, the fork
  server and the resource tracker exit too: ``kill -9`` of ``playbook`` leaves nothing behind.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

J = TypeVar("J")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1
PRELOAD = ["typst", "generator.pdf", "generator.pdf.typeset", "generator.pdf.pool"]
"""Imported once by the fork server, so a new worker starts warm."""


def die_with_parent(parent: int) -> None:
    """Make this process end when its direct ``parent`` does (Linux: PDEATHSIG; else a watchdog)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    watch_process(parent)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # killed but not yet reaped by its own parent: a zombie is gone too
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return False


def watch_process(pid: int, every: float = 0.25) -> None:
    """End this process soon after ``pid`` ends (a daemon thread polls it)."""

    def watch() -> None:
        while not _gone(pid):
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _start_worker(caller: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    die_with_parent(os.getppid())  # the direct parent: the caller, or the fork server
    if os.getppid() != caller:
        # Under forkserver each worker holds the fork server's "alive" pipe open, so the server
        # outlives a killed caller as long as its workers do: the workers watch the caller itself.
        watch_process(caller)
    if initializer is not None:
        initializer(*initargs)


def _single_threaded() -> bool:
    """No other thread, Python's or native (Typst compiles on a thread pool once it has run in
    this process): forking then would copy locks held by threads the child does not have."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def mp_context(*, replace_workers: bool = False) -> multiprocessing.context.BaseContext:
    """``fork`` (cheap: everything is imported already) from a single-threaded process;
    ``forkserver`` when other threads run (``mkdocs serve``, or Typst's after a compile in
    this process), since forking then is unsafe,
    or when workers are replaced (Python allows ``max_tasks_per_child`` only without fork)."""
    if not replace_workers and _single_threaded() and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def render_many(
    work: Callable[[J], R],
    jobs: Iterable[J],
    *,
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    in_flight: int = 4,
    max_tasks: int | None = None,
) -> Iterator[tuple[J, R]]:
    """``(job, work(job))`` for every job, in order. ``workers`` < 1 runs everything in this
    process (after calling ``initializer``); otherwise on that many worker processes.
    Stopping the iteration early (an exception in the caller) cancels what is queued."""
    if workers < 1:
        if initializer is not None:
            initializer(*initargs)
        for job in jobs:
            yield job, work(job)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp_context(replace_workers=max_tasks is not None),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
        max_tasks_per_child=max_tasks,
    )
    pending: deque[tuple[J, Future[R]]] = deque()
    try:
        for job in jobs:
            pending.append((job, pool.submit(work, job)))
            if len(pending) >= workers * in_flight:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
