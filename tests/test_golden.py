"""Golden files cannot be rewritten into a passing run: ``UPDATE_GOLDEN`` is refused under CI, and a
rewrite that changed a file fails the test that made it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tests.conftest as conftest
from tests.conftest import REPO, assert_golden


def test_update_golden_is_refused_under_ci() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests/test_money.py"],
        cwd=REPO,
        env={**os.environ, "CI": "true", "UPDATE_GOLDEN": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 4, result.stdout + result.stderr  # pytest's «usage error»
    assert "UPDATE_GOLDEN is refused under CI=true" in result.stderr


def test_a_rewrite_that_changed_the_file_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "REPO", tmp_path)
    monkeypatch.setattr(conftest, "UPDATING_GOLDEN", True)
    golden = tmp_path / "golden" / "page.md"
    golden.parent.mkdir()
    golden.write_text("old\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"golden file golden/page.md rewritten: review the diff"):
        assert_golden(golden, "new\n")
    assert golden.read_text(encoding="utf-8") == "new\n"
    assert_golden(golden, "new\n")  # the run after the review passes
    with pytest.raises(pytest.fail.Exception, match="golden file golden/new.md rewritten"):
        assert_golden(tmp_path / "golden" / "new.md", "first\n")  # a new golden file is a change too


def test_without_update_a_difference_fails_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(conftest, "REPO", tmp_path)
    monkeypatch.setattr(conftest, "UPDATING_GOLDEN", False)
    golden = tmp_path / "page.md"
    golden.write_text("old\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"differs from page.md"):
        assert_golden(golden, "new\n")
    assert golden.read_text(encoding="utf-8") == "old\n"
    with pytest.raises(AssertionError, match="no golden file missing.md"):
        assert_golden(tmp_path / "missing.md", "x\n")
    assert not (tmp_path / "missing.md").exists()
