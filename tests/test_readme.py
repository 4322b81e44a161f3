"""The README's commands, as written, on a fresh copy of the project (issue 25 item 7): a newcomer
who copies them reaches the site, the printouts, letters and a ladder plan without guessing.

The commands are read from README.md's ``sh`` code blocks (never copied here); each block runs
in one shell, in order. Two are left out: ``make test`` (this suite itself) and ``make serve``
(a server that runs until stopped; tests/test_cli_user.py stops ``playbook serve``)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_upstream

pytestmark = pytest.mark.site

NOT_RUN = {"make test", "make serve"}


def readme_blocks() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def test_the_readme_has_the_promised_shape() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300
    assert readme_blocks()[0] == ["make site", "make test"]  # the quick start: exactly these two
    commands = [line for block in readme_blocks() for line in block]
    assert any(c.startswith(".venv/bin/playbook ladder examples/") for c in commands)
    assert any("--from-plan" in c for c in commands)


def test_the_readmes_commands_work_verbatim_on_a_fresh_copy(tmp_path: Path) -> None:
    clone = copy_upstream(tmp_path / "clone")
    # The copy uses this checkout's virtualenv as `make site` would have made it; the project's
    # pyproject.toml is dated before that install so make does not reinstall it into the copy.
    (clone / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    installed = (REPO / ".venv" / ".installed").stat().st_mtime
    os.utime(clone / "pyproject.toml", (installed - 60, installed - 60))
    ran: list[str] = []
    for block in readme_blocks():
        script = [line for line in block if line not in NOT_RUN]
        if not script:
            continue
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", "\n".join(script)],
            cwd=clone,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"
        assert "warning" not in result.stderr, f"{script}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        ran += script
    assert "make site" in ran and any(c.endswith("playbook print") for c in ran)
    assert (clone / "site" / "index.html").is_file()
    assert (clone / "site" / "search" / "search_index.js").is_file()
    assert len(list((clone / "out" / "print").glob("*.pdf"))) >= 10
    assert (clone / "out" / "plan.csv").is_file() and (clone / "out" / "plan.html").is_file()
    folders = sorted(p.name for p in (clone / "letters-out").iterdir())
    assert folders == ["plan-20261010-0004", "reminder-1-20260925-0001", "reminder-1-20260925-0002"]
    assert len(list((clone / "letters-out" / folders[1]).glob("*.pdf"))) == 1
    assert len(list((clone / "letters-out" / folders[2]).glob("*.docx"))) == 2
    assert [p.name for p in (clone / "letters-out" / folders[0]).glob("*.pdf")] == [
        "0004-华东示例贸易有限公司-stop-supply.pdf"
    ]
