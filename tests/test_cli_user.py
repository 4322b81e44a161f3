"""The command line behaves like the tools people know (issue 25 item 5): ``--project`` before or
after the command, help written for users, an unknown option named as unknown, a missing file
as «no such file», a closed pipe ends quietly, and a command imports only what it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import sample_repo

REPO = sample_repo()


def test_project_is_accepted_after_the_command_too(tmp_path: Path, capsys) -> None:
    case = REPO / "examples" / "case.yaml"
    args = ["-t", "reminder-1", "--date", "2026-09-25", "--dry-run"]
    assert main(["letters", str(case), *args, "--project", str(REPO)]) == 0
    after = capsys.readouterr().out
    assert main(["--project", str(REPO), "letters", str(case), *args]) == 0
    assert capsys.readouterr().out == after
    assert "华东示例贸易有限公司" in after
    # given after the command, it wins over the one before it
    assert main(["--project", str(tmp_path), "letters", str(case), *args, "--project", str(REPO)]) == 0


def test_a_mistyped_option_is_named_as_unknown(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["letters", "examples/case.yaml", "--tempalte", "reminder-1"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "playbook: error: unrecognized option '--tempalte'; did you mean '--template'?" in err
    assert "required" not in err


def test_a_missing_file_is_no_such_file(capsys) -> None:
    assert main(["--project", str(REPO), "ladder", "nosuch.csv"]) == 1
    err = capsys.readouterr().err
    assert "nosuch.csv: expected a case file (.yaml, .csv, .xlsx or .xls), found no such file" in err
    case = str(REPO / "examples" / "case.yaml")
    assert main(["--project", str(REPO), "letters", case, "--from-plan", "nosuch-plan.csv", "--dry-run"]) == 1
    assert (
        "nosuch-plan.csv: expected a ladder plan (playbook ladder --out), found no such file" in capsys.readouterr().err
    )


def test_letters_help_is_for_users(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["letters", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "generator." not in text and "``" not in text  # no module internals
    assert "playbook letters examples/case.yaml --template reminder-1" in text  # an example
    assert ".xls" in text and "--replace" in text
    assert "  stop-supply              暂停供货通知函" in text  # the letter ids, with their titles
    assert "  reminder-1               催款函" in text


def test_writing_to_a_closed_pipe_ends_quietly_with_0() -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line (`| head -0`)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "letters", "template", "--fields"],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    os.close(write)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_command_imports_only_what_it_runs() -> None:
    """``playbook letters --help`` loads none of the builder, the loader, the PDF or Jinja machinery
    (it used to take 4–5× the time Python needs to import yaml, jinja2 and pydantic)."""
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n    main(['letters', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    loaded = set(result.stderr.split())
    heavy = {"generator.build", "generator.loader", "generator.letters.run", "generator.cases", "jinja2", "pydantic"}
    assert loaded & heavy == set()
    assert "generator.cli.letters" in loaded
