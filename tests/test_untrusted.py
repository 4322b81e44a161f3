"""Untrusted inputs stay data (issue 30): Word templates run no code and reach nothing outside,
and the bomb-like inputs of the hostile catalogue fail fast under an address-space cap."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.errors import PlaybookError
from generator.letters import word
from generator.project import Project
from tests.hostile.cases import CASES, SANDBOX_ESCAPES, word_template
from tests.hostile.test_hostile import EXPECTED, prepare

REPO = Path(__file__).resolve().parents[1]


def test_the_sandbox_stops_what_the_checker_would_miss(make_project, monkeypatch) -> None:
    """Filled without the checker (as if it missed a tag), no known escape reaches Python: each
    ends in the one fill error, and the marker file the payloads would create never appears."""
    root = make_project()
    monkeypatch.chdir(root)  # the payloads «touch pwned» here
    project = Project(root)
    context = word.sample_context(project, "reminder-1")
    for payload in SANDBOX_ESCAPES:
        template = word.WordTemplate("reminder-1", "reminder-1.docx", word_template("致：{{ 客户名称 }}", payload))
        with pytest.raises(PlaybookError) as caught:
            template.fill(context)
        assert "cannot fill this Word template" in str(caught.value), payload
        assert not (root / "pwned").exists(), payload


BOMBS = ["word-bomb", "erp-xlsx-shared-strings-bomb", "yaml-alias-bomb"]
"""Cases that would take the machine if a cap regressed: run in a child capped at 2 GiB."""
CAP = 2 << 30


def _capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_fail_fast_under_an_address_space_cap(make_project, name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    root = prepare(make_project, case)
    args = [a.replace("{dir}", str(root)) for a in case.args]
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_capped,
        env=env,
    )
    elapsed = time.perf_counter() - start
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, result.stderr[-2000:]
    assert lines == (EXPECTED / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert elapsed < 60
