"""Run the hostile-input catalogue through the CLI exactly as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import assert_golden
from tests.hostile.cases import CASES, LADDER, MODULE, Case, Special

SENTINEL = "<!-- the previous site -->"
EXPECTED = Path(__file__).parent / "expected"


def prepare(make_project, case: Case) -> Path:
    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER})
    for rel, content in case.files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Special):
            path.unlink(missing_ok=True)
            if content.kind == "fifo":
                os.mkfifo(path)
            else:
                path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content.replace("{dir}", str(root)), encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text(SENTINEL, encoding="utf-8")
    return root


def run_case(make_project, capsys, monkeypatch, case: Case) -> tuple[int, list[str], Path, float]:
    root = prepare(make_project, case)
    monkeypatch.chdir(root)  # input files are named relative to the project, as a user types them
    args = [a.replace("{dir}", str(root)) for a in case.args]
    start = time.perf_counter()
    if case.isolated:
        code, err = _isolated(root, args)
    else:
        code = main(["--project", str(root), *args])
        err = capsys.readouterr().err
    elapsed = time.perf_counter() - start
    return code, [line for line in err.splitlines() if line.strip()], root, elapsed


CAP = 2 << 30
"""Address space of an isolated case's process (the issue's bound: none may need more than 2 GiB)."""


def _capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _isolated(root: Path, args: list[str]) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_capped,
        env=env,
    )
    return result.returncode, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(make_project, capsys, monkeypatch, case: Case):
    code, lines, root, elapsed = run_case(make_project, capsys, monkeypatch, case)
    assert code == 1
    assert not any("Traceback" in line for line in lines)
    expected_file = EXPECTED / f"{case.name}.txt"
    assert_golden(expected_file, "\n".join(lines) + "\n")
    assert lines[-1].endswith("found; nothing was written")
    # nothing half-written: the previous site is intact, no temporary folders, no pages
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == SENTINEL
    assert sorted(p.name for p in root.iterdir() if p.name.split(".")[0] == "site") == ["site"]
    assert not list((root / ".build" / "docs").rglob("*.md"))
    assert not (root / "pwned").exists()  # tags never execute
    assert not (root / "out").exists() and not (root / "plan.csv").exists()
    assert elapsed < 20  # alias bombs and huge files fail fast


def test_every_case_has_its_expected_output_and_every_output_its_case():
    names = [c.name for c in CASES]
    assert len(set(names)) == len(names)
    assert sorted(p.stem for p in EXPECTED.glob("*.txt")) == sorted(names)  # no stale or missing output
    for name in names:
        lines = (EXPECTED / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        problems = [line for line in lines[:-1] if not line.startswith("warning: ")]
        count = len(problems)
        assert lines[-1] == f"{count} problem{'s' if count > 1 else ''} found; nothing was written", name
        assert count >= 1 and all(": " in line for line in problems), name  # each names where, then what
