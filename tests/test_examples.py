"""The shipped examples carry what every letter family needs (issue 25 item 4): each
``examples/cases/<letter>.yaml`` writes its letter with the command its own header comment
gives, with no warning (the dates fit the letter's stage on the sample ladder)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, sample_repo

CASES = sorted((REPO / "examples" / "cases").glob("*.yaml"))


def test_there_is_an_example_for_each_letter_that_needs_more_than_invoices() -> None:
    assert {p.stem for p in CASES} >= {"stop-supply", "payment-plan", "assignment-notice", "delivery-record"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_each_example_case_writes_its_letter(case: Path, tmp_path: Path, capsys) -> None:
    [command] = [line[2:] for line in case.read_text(encoding="utf-8").splitlines() if line.startswith("# playbook ")]
    words = shlex.split(command)
    assert words[:3] == ["playbook", "letters", f"examples/cases/{case.name}"]
    assert words[words.index("--template") + 1] == case.stem
    project = sample_repo()
    args = [str(project / words[2]), *words[3:], "-f", "html", "-o", str(tmp_path / "out")]
    assert main(["--project", str(project), "letters", *args]) == 0
    assert "warning" not in capsys.readouterr().err
    [letter] = (tmp_path / "out").glob("*.html")
    assert "华东示例贸易有限公司" in letter.read_text(encoding="utf-8")
