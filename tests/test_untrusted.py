"""Untrusted inputs stay data (issue 30): Word templates run no code and reach nothing outside,
and the bomb-like inputs of the hostile catalogue fail fast under an address-space cap."""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import PlaybookError
from generator.letters import word
from generator.project import Project
from generator.session import open_session
from generator.writer import MARKER, remove_leftovers, staged_dir
from tests.hostile.cases import HEADER, LADDER, LETTERS, MODULE, ROW, SANDBOX_ESCAPES, word_template

REPO = Path(__file__).resolve().parents[1]


def test_the_sandbox_stops_what_the_checker_would_miss(make_project, monkeypatch) -> None:
    """Filled without the checker (as if it missed a tag), no known escape reaches Python: each
    ends in the one fill error, and the marker file the payloads would create never appears."""
    root = make_project()
    monkeypatch.chdir(root)  # the payloads «touch pwned» here
    project = Project(root)
    context = word.sample_context(open_session(project, playbook=False), "reminder-1")
    for payload in SANDBOX_ESCAPES:
        template = word.WordTemplate("reminder-1", "reminder-1.docx", word_template("致：{{ 客户名称 }}", payload))
        with pytest.raises(PlaybookError) as caught:
            template.fill(context)
        assert "cannot fill this Word template" in str(caught.value), payload
        assert not (root / "pwned").exists(), payload


# --- only the tool's own leftovers are removed ---------------------------------------------------


@pytest.mark.parametrize("name", ["out.old-2023", "out.tmp-2025-backup", "out.old-999999999"])
def test_a_users_folder_that_looks_like_a_leftover_stays(tmp_path, name: str) -> None:
    """Only folders the tool marked as its own are removed: ``letters.old-2023/`` is the user's."""
    final = tmp_path / "out"
    mine = tmp_path / name
    mine.mkdir()
    (mine / "笔记.txt").write_text("2023 年的函件", encoding="utf-8")
    remove_leftovers(final)
    assert (mine / "笔记.txt").read_text(encoding="utf-8") == "2023 年的函件"


def test_user_folders_beside_the_site_and_the_letters_survive_runs(make_project, tmp_path) -> None:
    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER, "ar.csv": HEADER + ROW})
    keep = [root / "site.old-2025", tmp_path / "letters.old-2023"]
    for folder in keep:
        folder.mkdir()
        (folder / "index.html").write_text("我的旧站点", encoding="utf-8")
    assert main(["--project", str(root), "build"]) == 0
    out = tmp_path / "letters"
    command = [*LETTERS[:8], "--out", str(out)]
    command[1] = str(root / "ar.csv")
    assert main(["--project", str(root), *command]) == 0
    assert all((folder / "index.html").read_text(encoding="utf-8") == "我的旧站点" for folder in keep)
    # and no folder of the tool's own is left behind
    assert not [p for p in [*root.iterdir(), *tmp_path.iterdir()] if (p / MARKER).exists()]
    assert not (out / MARKER).exists() and not (root / "site" / MARKER).exists()


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(tmp_path) -> None:
    final = tmp_path / "out"
    with staged_dir(final) as folder:
        (folder / "a.html").write_text("1", encoding="utf-8")
    leftover = tmp_path / "out.tmp-999999999-abc"  # as a run killed with -9 leaves it
    with staged_dir(final) as folder:
        shutil.copytree(folder, leftover)  # its marker included
    assert (leftover / MARKER).is_file()
    with staged_dir(final):
        pass
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_run_killed_between_the_swap_and_the_register_never_reuses_a_number(
    make_project, tmp_path, monkeypatch
) -> None:
    """The letters are out but the run died before the register append: the next run enters
    them first, and its own 函号 continue after them."""
    from generator.letters import register

    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER, "ar.csv": HEADER + ROW})
    monkeypatch.chdir(root)
    real_append = register.append

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt  # the process dies here: nothing after the swap runs

    monkeypatch.setattr(register, "append", killed)
    first = [*LETTERS[:8], "--out", str(tmp_path / "first")]
    assert main(["--project", str(root), *first]) != 0
    assert (tmp_path / "first" / "manifest.csv").is_file()  # the letters are out
    monkeypatch.setattr(register, "append", real_append)
    second = [*LETTERS[:8], "--out", str(tmp_path / "second")]
    assert main(["--project", str(root), *second]) == 0
    with open(root / register.NAME, encoding="utf-8-sig", newline="") as handle:
        numbers = [row["函号"] for row in csv.DictReader(handle)]
    assert len(numbers) == 2 and len(set(numbers)) == 2, numbers
    assert not register.pending_path(Project(root)).exists()


# --- single-file outputs go only where they should ------------------------------------------------


def _ladder(root: Path, *args: str) -> int:
    return main(["--project", str(root), "ladder", "ar.csv", "--as-of", "2026-11-30", *args])


@pytest.fixture
def ladder_project(make_project, monkeypatch) -> Path:
    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER, "ar.csv": HEADER + ROW})
    monkeypatch.chdir(root)
    return root


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a child process: a FIFO that is opened would block it, and the timeout
    turns that regression into a failure instead of a hung suite."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_a_single_file_output_never_replaces_a_device_fifo_or_folder(ladder_project: Path, capsys) -> None:
    root = ladder_project
    os.mkfifo(root / "pipe.csv")
    (root / "folder.csv").mkdir()
    (root / "null.csv").symlink_to("/dev/null")
    cases = {
        "folder.csv": "playbook: error: --out folder.csv is a folder, not a file; "
        "it is never replaced — give a file name",
        "null.csv": "playbook: error: --out null.csv is a device (/dev/null), not a file; "
        "it is never replaced — give a file name",
    }
    for name, message in cases.items():
        assert _ladder(root, "--out", name) == 2
        assert message in capsys.readouterr().err
    for option in ("--out", "--html"):
        result = _cli(root, "ladder", "ar.csv", "--as-of", "2026-11-30", option, "pipe.csv")
        assert result.returncode == 2
        assert (
            f"playbook: error: {option} pipe.csv is a named pipe (FIFO), not a file; "
            "it is never replaced — give a file name"
        ) in result.stderr
    assert stat.S_ISFIFO(os.lstat(root / "pipe.csv").st_mode) and (root / "folder.csv").is_dir()
    assert os.readlink(root / "null.csv") == "/dev/null"


def test_a_single_file_output_writes_through_a_link_and_says_so(ladder_project: Path, capsys) -> None:
    root = ladder_project
    (root / "plans").mkdir()
    (root / "plan.csv").symlink_to("plans/current.csv")
    assert _ladder(root, "--out", "plan.csv") == 0
    assert os.readlink(root / "plan.csv") == "plans/current.csv"  # the link stays
    assert "甲公司" in (root / "plans" / "current.csv").read_text(encoding="utf-8-sig")
    assert f"--out plan.csv is a symbolic link: wrote its target {root / 'plans' / 'current.csv'}" in (
        capsys.readouterr().err
    )


def test_an_output_in_a_symlink_loop_is_one_message(ladder_project: Path, tmp_path, capsys) -> None:
    root = ladder_project
    (root / "a").symlink_to("b")
    (root / "b").symlink_to("a")
    assert _ladder(root, "--out", "a") == 2
    err = capsys.readouterr().err
    assert "playbook: error: --out a is a symbolic link that loops" in err and "Traceback" not in err
    assert _ladder(root, "--out", "a/plan.csv") == 2
    assert "playbook: error: --out a/plan.csv: cannot use it (Too many levels of symbolic links)" in (
        capsys.readouterr().err
    )
    command = [*LETTERS[:8], "--out", "a/letters"]
    assert main(["--project", str(root), *command]) == 2
    err = capsys.readouterr().err
    assert "playbook: error: --out a/letters cannot be used as a folder" in err and "Traceback" not in err
    (root / "x.docx").symlink_to("y.docx")
    (root / "y.docx").symlink_to("x.docx")
    assert main(["--project", str(root), "letters", "template", "reminder-1", "--out", "x.docx"]) == 2
    assert "--out x.docx is a symbolic link; the Word template is always a new file" in capsys.readouterr().err
    assert os.readlink(root / "a") == "b"


# --- every read checked; extreme values; plans and CSV columns --------------------------------------


def test_a_date_far_out_is_one_usage_message(ladder_project: Path, capsys) -> None:
    for command in (
        [*LETTERS[:7], "9999-12-25", "--out", "out"],
        ["ladder", "ar.csv", "--as-of", "9999-12-25"],
        [*LETTERS[:7], "0001-01-01"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(["--project", str(ladder_project), *command])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "expected a date from 1900-01-01 to 2199-12-31, found " in err and "Traceback" not in err
    assert not (ladder_project / "out").exists()


def test_a_250_character_name_gives_a_docx_letter(ladder_project: Path, tmp_path: Path) -> None:
    from docx import Document

    from tests.hostile.cases import LONG_NAME

    (ladder_project / "ar.csv").write_text(HEADER + ROW.replace("甲公司", LONG_NAME), encoding="utf-8")
    out = tmp_path / "letters"
    command = [*LETTERS[:5], "docx", *LETTERS[6:8], "--out", str(out)]
    assert main(["--project", str(ladder_project), *command]) == 0
    (letter,) = out.glob("*.docx")
    assert len(letter.name.encode()) <= 255
    document = Document(str(letter))
    assert LONG_NAME in "\n".join(p.text for p in document.paragraphs)
    assert len(document.core_properties.title) == 255


def test_a_customer_named_like_a_guarded_formula_keeps_its_letter(ladder_project: Path, tmp_path: Path, capsys) -> None:
    """``'=x`` (apostrophe included) is a real name: the plan row is matched as written; ``'=y``
    written for ``=y`` still finds ``=y``; a row the export lacks is named."""
    root = ladder_project
    rows = ROW.replace("甲公司", "'=x") + ROW.replace("甲公司", "=y").replace("F001", "F002")
    (root / "ar.csv").write_text(HEADER + rows, encoding="utf-8")
    (root / "plan.csv").write_text(
        "customer,letter\n'=x,reminder-1\n'=y,reminder-1\n乙公司,reminder-1\n", encoding="utf-8"
    )
    out = tmp_path / "letters"
    command = ["letters", "ar.csv", "--from-plan", "plan.csv", "--format", "html", "--date", "2026-11-30"]
    assert main(["--project", str(root), *command, "--out", str(out)]) == 0
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as handle:
        written = sorted((row["customer"], row["template"]) for row in csv.DictReader(handle))
    assert written == [("'=x", "reminder-1"), ("'=y", "reminder-1")]  # '=y: the manifest's guard on =y
    said = capsys.readouterr().out
    assert "乙公司" in said and "has no such customer" in said


def test_every_text_column_of_the_plan_is_guarded_against_formulas(ladder_project: Path) -> None:
    root = ladder_project
    (root / "site_config" / "policy.yaml").write_text(
        'ladder:\n  reputation:\n    approver: "=HYPERLINK(\\"http://203.0.113.9\\",\\"审批\\")"\n',
        encoding="utf-8",
    )
    assert main(["--project", str(root), "ladder", "ar.csv", "--as-of", "2027-03-01", "--out", "plan.csv"]) == 0
    with open(root / "plan.csv", encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["approver"] == '\'=HYPERLINK("http://203.0.113.9","审批")'
    assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())
