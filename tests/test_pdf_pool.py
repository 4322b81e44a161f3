"""The shared PDF worker pool (generator/pdf/pool.py): order, and no orphaned workers after
``kill -9`` of the parent (issue 10)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.pdf.pool import render_many

REPO = Path(__file__).resolve().parents[1]

PARENT = """\
import os, sys, time
sys.path.insert(0, {repo!r})
from generator.pdf.pool import render_many

def work(n):
    time.sleep(0.05)
    return os.getpid()

if __name__ == "__main__":
    max_tasks = {max_tasks}
    pids = set()
    for _job, pid in render_many(work, range(8), workers=2, max_tasks=max_tasks):
        pids.add(pid)
    print(" ".join(map(str, sorted(pids))), flush=True)
    for _job, pid in render_many(work, range(10**6), workers=2, max_tasks=max_tasks):
        pass  # killed in here, workers busy
"""


def square(n: int) -> int:
    return n * n


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_results_come_back_in_order() -> None:
    assert [r for _, r in render_many(square, range(20), workers=2, in_flight=2)] == [n * n for n in range(20)]
    assert [r for _, r in render_many(square, range(5), workers=0)] == [0, 1, 4, 9, 16]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("max_tasks", ["None", "50"], ids=["fork", "forkserver"])
def test_no_worker_outlives_a_killed_parent(tmp_path: Path, max_tasks: str) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT.format(repo=str(REPO), max_tasks=max_tasks), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        line = parent.stdout.readline() if parent.stdout else ""
        workers = [int(p) for p in line.split()]
        assert workers and all(pid != parent.pid for pid in workers)
        time.sleep(0.3)
        # The second run's workers, the fork server and resource tracker: every descendant.
        family = descendants(parent.pid)
        assert family, "the parent started no workers"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in family):
            time.sleep(0.1)
        assert not [pid for pid in family if alive(pid)], "workers outlived their killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


AFTER_TYPST = """\
import sys
sys.path.insert(0, {repo!r})
from generator.pdf import html_to_pdf
from generator.pdf.pool import render_many
html = ('<html><body class="kind-checklist"><div class="page-header"><span>公司</span><span>清单</span></div>'
        '<div class="page-footer">页脚</div><p>回款</p></body></html>')
assert html_to_pdf(html, base_url={repo!r}).startswith(b"%PDF")  # Typst's threads now run here
print(sum(r for _, r in render_many(abs, range(-4, 0), workers=2)))
"""


def test_workers_start_after_typst_ran_in_this_process(tmp_path: Path) -> None:
    """Forking a process that has Typst's native threads deadlocked the children: the pool
    must notice those threads (not only Python's) and use the fork server."""
    done = subprocess.run(
        [sys.executable, "-c", AFTER_TYPST.format(repo=str(REPO))], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "10"
