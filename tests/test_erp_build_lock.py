"""Two ``playbook build`` at once: the second refuses with one message instead of interleaving output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOLD = """
import sys, time
from pathlib import Path
from generator.writer import exclusive
with exclusive(Path(sys.argv[1]), "lock", "'playbook build'"):
    print("held", flush=True)
    time.sleep(120)
"""


def _playbook(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(root), *args],
                          capture_output=True, text=True, cwd=root, timeout=300)


def test_a_second_build_while_one_runs_exits_1_with_one_message(make_project) -> None:
    root = make_project()
    lock = root / ".build" / "build.lock"
    # The first build is stood in for by a process that holds the build lock (a real build is over too
    # soon to be caught reliably); it is the same lock and the same helper playbook build takes.
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True,
                              cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        second = _playbook(root, "build")
        assert second.returncode == 1
        assert second.stderr == (
            f".build/build.lock: expected to be the only 'playbook build' of this project, found another one "
            f"running (process {holder.pid}); wait for it to finish and run again\n"
            "1 problem found; nothing was written\n")
        assert "Traceback" not in second.stderr
        assert not (root / "site").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # kill -9: the kernel releases the lock with the process
        holder.wait()
    third = _playbook(root, "build")
    assert third.returncode == 0, third.stderr
    assert (root / "site" / "index.html").is_file()
