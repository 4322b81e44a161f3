"""Where letters go (issue 10, items 10–13): the user's own files survive every ``--out``,
several formats in one run, the 发函登记簿 and the right letter for the stage."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.writer import MARKER, remove_leftovers
from tests.conftest import copy_upstream

HEADER = "客户名称,发票号码,到期日,金额,已付金额\n"
ROWS = (
    "华东示例贸易有限公司,F1,2026-11-01,8000.00,0\n"  # 30 days overdue on 2026-12-01, below the ¥10,000 of stop-supply
    "北方重工机械有限公司,F2,2026-08-23,50000.00,0\n"  # 100 days overdue, ¥50,000: on the stop-supply rung and beyond
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_upstream(tmp_path / "project")


@pytest.fixture
def ar(tmp_path: Path) -> Path:
    path = tmp_path / "ar.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def letters(project: Path, *args: str | Path) -> int:
    return main(["--project", str(project), "letters", *map(str, args)])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- item 10: the user's own files are never deleted ---------------------------------------


def test_a_folder_with_the_users_own_files_is_refused(project, ar, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "客户回执扫描.pdf").write_bytes(b"%PDF mine")
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", out, "--date", "2026-12-01") == 2
    assert "holds files and is not a letters folder (no manifest.csv)" in capsys.readouterr().err
    assert (out / "客户回执扫描.pdf").read_bytes() == b"%PDF mine"


def test_a_file_added_to_a_letters_folder_is_never_deleted(project, ar, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", out, "--date", "2026-12-01") == 0
    (out / "备注.txt").write_text("已电话确认", encoding="utf-8")
    capsys.readouterr()
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", out, "--date", "2026-12-01") == 2
    err = capsys.readouterr().err
    assert "holds files that no letters run wrote (备注.txt)" in err
    assert (out / "备注.txt").read_text(encoding="utf-8") == "已电话确认"
    (out / "备注.txt").unlink()  # without it, the folder is a previous run's: kept unless --replace
    assert letters(project, ar, "-t", "reminder-1", "-f", "docx", "-o", out, "--date", "2026-12-01") == 2
    assert (
        f"--out {out} holds an earlier letters run (2 html); letters are kept as evidence, so choose a new "
        "folder (or leave out --out: every run gets its own), or give --replace to move the earlier letters "
        "to an archive folder beside it"
    ) in capsys.readouterr().err
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".html", ".html"]
    assert letters(project, ar, "-t", "reminder-1", "-f", "docx", "-o", out, "--date", "2026-12-01", "--replace") == 0
    assert (
        f"the previous letters run in that folder (2 html) was moved to {out}-archive-1/ and the register points there"
    ) in capsys.readouterr().out
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".docx", ".docx"]
    assert sorted(p.suffix for p in Path(f"{out}-archive-1").iterdir()) == [".csv", ".html", ".html"]


def test_a_symlinked_out_keeps_its_link(project, ar, tmp_path) -> None:
    real = tmp_path / "shared" / "letters"
    real.mkdir(parents=True)
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    for again in ((), ("--replace",)):
        assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", link, "--date", "2026-12-01", *again) == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert len(rows(real / "manifest.csv")) == 2


def test_leftovers_of_a_killed_run_are_cleaned_but_not_those_of_a_live_one(tmp_path) -> None:
    final = tmp_path / "out"
    dead = tmp_path / "out.tmp-999999999-abc"  # no such process
    live = tmp_path / f"out.tmp-{os.getpid()}-xyz"
    other = tmp_path / "out-2.tmp-999999999-abc"  # another folder's
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / MARKER).write_text("made by playbook", encoding="utf-8")  # the tool's own
    remove_leftovers(final)
    assert not dead.exists() and live.exists() and other.exists()


# --- item 11: several formats, one run -------------------------------------------------------


def test_several_formats_in_one_run_share_the_numbers(project, ar, tmp_path) -> None:
    out = tmp_path / "out"
    assert letters(project, ar, "-t", "reminder-1", "-f", "html,docx", "-o", out, "--date", "2026-12-01") == 0
    manifest = rows(out / "manifest.csv")
    assert [Path(r["file"]).suffix for r in manifest] == [".html", ".html", ".docx", ".docx"]
    assert [r["reference"] for r in manifest[:2]] == [r["reference"] for r in manifest[2:]]
    assert all((out / r["file"]).is_file() for r in manifest)


def test_an_unknown_format_is_a_usage_error(project, ar, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        letters(project, ar, "-t", "reminder-1", "-f", "pdf,odt")
    assert exc.value.code == 2
    assert "expected one or more of pdf, html, docx separated by commas, found 'pdf,odt'" in capsys.readouterr().err


# --- item 12: the letter register ------------------------------------------------------------


def test_the_register_records_every_letter_and_numbering_continues(project, ar, tmp_path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", first, "--date", "2026-12-01") == 0
    assert (
        letters(project, ar, "-t", "reminder-2", "-f", "html", "-o", second, "--date", "2026-12-02", "--dry-run") == 0
    )
    assert letters(project, ar, "-t", "reminder-2", "-f", "html", "-o", second, "--date", "2026-12-02") == 0
    register = project / "letters-register.csv"
    assert register.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it with the Chinese intact
    entries = rows(register)
    assert list(entries[0])[:7] == ["date", "函号", "customer", "template", "total", "file", "sha256"]
    # the third continues the numbering (the dry run took no number)
    assert [(e["date"], e["函号"], e["customer"], e["template"], e["total"]) for e in entries] == [
        ("2026-12-01", "示例科技催字〔2026〕第0001号", "华东示例贸易有限公司", "reminder-1", "8,000.00"),
        ("2026-12-01", "示例科技催字〔2026〕第0002号", "北方重工机械有限公司", "reminder-1", "50,000.00"),
        ("2026-12-02", "示例科技催字〔2026〕第0003号", "华东示例贸易有限公司", "reminder-2", "8,000.00"),
        ("2026-12-02", "示例科技催字〔2026〕第0004号", "北方重工机械有限公司", "reminder-2", "50,000.00"),
    ]
    letter = Path(entries[3]["file"])

    assert hashlib.sha256(letter.read_bytes()).hexdigest() == entries[3]["sha256"]


def test_every_register_row_points_at_its_file_after_any_sequence_of_runs(project, ar, tmp_path, capsys) -> None:
    """Issue 25: five runs (default folder twice, one --out three times), a refused one and a dry
    run; afterwards every register row names an existing file with exactly its sha256."""
    out = tmp_path / "out"
    html = ("-t", "reminder-1", "-f", "html", "--date", "2026-12-01")
    assert letters(project, ar, *html) == 0
    assert letters(project, ar, *html) == 0  # the same command again: a new folder, not the first one's
    assert letters(project, ar, *html, "-f", "pdf", "-o", out) == 0
    assert letters(project, ar, *html, "-o", out) == 2  # refused: it holds the previous run
    assert letters(project, ar, *html, "-o", out, "--replace", "--dry-run") == 0
    assert letters(project, ar, *html, "-o", out, "--replace") == 0
    assert letters(project, ar, *html, "-f", "docx", "-o", out, "--replace") == 0
    entries = rows(project / "letters-register.csv")
    assert len(entries) == 10 and len({e["函号"] for e in entries}) == 10
    for entry in entries:
        path = project / entry["file"]  # relative to the project, or absolute
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry
    assert sorted(p.name for p in (project / "letters-out").iterdir()) == [
        "reminder-1-20261201-0001",
        "reminder-1-20261201-0003",
    ]
    assert entries[0]["file"] == "letters-out/reminder-1-20261201-0001/0001-华东示例贸易有限公司-reminder-1.html"
    assert entries[4]["file"] == f"{tmp_path}/out-archive-1/0005-华东示例贸易有限公司-reminder-1.pdf"
    assert entries[6]["file"] == f"{tmp_path}/out-archive-2/0007-华东示例贸易有限公司-reminder-1.html"
    assert entries[8]["file"] == f"{tmp_path}/out/0009-华东示例贸易有限公司-reminder-1.docx"


def test_numbering_starts_again_in_a_new_year_and_start_seq_overrides(project, ar, tmp_path) -> None:
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", tmp_path / "a", "--date", "2026-12-01") == 0
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", tmp_path / "b", "--date", "2027-01-04") == 0
    assert (
        letters(
            project,
            ar,
            "-t",
            "reminder-1",
            "-f",
            "html",
            "-o",
            tmp_path / "c",
            "--date",
            "2027-01-05",
            "--start-seq",
            "40",
        )
        == 0
    )
    assert [e["函号"][-6:] for e in rows(project / "letters-register.csv")] == [
        "第0001号",
        "第0002号",
        "第0001号",
        "第0002号",
        "第0040号",
        "第0041号",
    ]


def test_a_second_run_at_the_same_time_is_refused(project, ar, tmp_path, capsys) -> None:
    with open(project / "letters-register.csv.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert (
            letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", tmp_path / "out", "--date", "2026-12-01") == 1
        )
    assert (
        "letters-register.csv: (register): another `playbook letters` run is writing letters in this project"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "out").exists() and not (project / "letters-register.csv").exists()


# --- item 13: the right letter for the stage --------------------------------------------------


def test_letters_that_do_not_fit_the_stage_are_named(project, ar, tmp_path, capsys) -> None:
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", tmp_path / "r1", "--date", "2026-12-01") == 0
    err = capsys.readouterr().err
    assert (
        f"warning: {ar}:3: 北方重工机械有限公司: a friendly 'reminder-1' is for early overdue; "
        "this customer is 100 day(s) overdue, on the 'terminate-authorization' rung; "
        "the ladder proposes 'terminate-authorization' "
        "(--strict makes this an error)"
    ) in err
    assert "华东示例贸易有限公司" not in err.split("warning:", 1)[-1]
    assert letters(project, ar, "-t", "final-demand", "-f", "html", "-o", tmp_path / "fd", "--date", "2026-12-01") == 0
    assert "warning" not in capsys.readouterr().err


def test_strict_refuses_a_stop_supply_letter_below_the_rung(project, ar, tmp_path, capsys) -> None:
    args = ("-t", "stop-supply", "-f", "html", "-o", tmp_path / "ss", "--date", "2026-12-01")
    sheet = tmp_path / "ss.csv"
    sheet.write_text(
        "客户名称,发票号码,到期日,金额,暂停依据,暂停条款\n"
        "华东示例贸易有限公司,F1,2026-11-01,8000.00,合同条款,《购销合同》第8.2条\n",
        encoding="utf-8",
    )
    assert main(["--project", str(project), "letters", str(sheet), *map(str, args), "--strict"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{sheet}:2: stage: 华东示例贸易有限公司: a 'stop-supply' letter is for customers on the "
        "'stop-supply' rung; this one is below it (¥8,000.00 outstanding, the rung starts at ¥10,000.00)"
    ) in err
    assert not (tmp_path / "ss").exists()


def test_a_switched_off_letter_is_never_written(project, ar, tmp_path, capsys) -> None:
    (project / "site_config" / "policy.yaml").write_text(
        "ladder:\n  terminate-authorization:\n    enabled: false\n", encoding="utf-8"
    )
    out = tmp_path / "ta"
    assert letters(project, ar, "-t", "terminate-authorization", "-f", "html", "-o", out, "--date", "2026-12-01") == 1
    assert (
        "--template: the letter 'terminate-authorization' is switched off in the company's policy"
        in capsys.readouterr().err
    )
    assert not out.exists()


# --- issue 15: Chinese column titles for the clerks' Excel ------------------------------------


def test_chinese_headers_for_the_plan_and_the_manifest_and_the_plan_still_feeds_letters(project, ar, tmp_path) -> None:
    plan = tmp_path / "plan.csv"
    assert (
        main(
            [
                "--project",
                str(project),
                "ladder",
                str(ar),
                "--as-of",
                "2026-12-01",
                "--out",
                str(plan),
                "--headers",
                "zh",
            ]
        )
        == 0
    )
    lines = plan.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "客户名称,欠款金额,逾期天数,账龄,分类,阶梯编号,函件编号,审批人,诉讼时效届满日,时效提醒,"
        "行动前须人工确认,惩戒阶梯,函件"
    )
    assert lines[1].startswith("北方重工机械有限公司,50000.00,100,") and lines[1].endswith(",终止授权,终止授权通知函")
    out = tmp_path / "out"
    assert (
        letters(project, ar, "--from-plan", plan, "-f", "html", "-o", out, "--date", "2026-12-01", "--headers", "zh")
        == 0
    )
    manifest = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert manifest[0].startswith("序号,函号,客户名称,函件编号,函件名称,")
    # the folder written with Chinese titles is still recognised as a letters folder
    assert letters(project, ar, "--from-plan", plan, "-f", "html", "-o", out, "--date", "2026-12-01", "--replace") == 0


# --- item 9: output places that cannot be written ---------------------------------------------


def test_unwritable_output_places_give_one_line_and_no_traceback(project, ar, tmp_path, capsys) -> None:
    folder = tmp_path / "plan-folder"
    folder.mkdir()
    assert main(["--project", str(project), "ladder", str(ar), "--as-of", "2026-12-01", "--out", str(folder)]) == 2
    err = capsys.readouterr().err  # refused before the export is read (issue 30: a folder is never replaced)
    assert f"playbook: error: --out {folder} is a folder, not a file; it is never replaced — give a file name" in err
    assert "Traceback" not in err
    out = tmp_path / "no-such-parent-file"
    out.write_text("x", encoding="utf-8")  # a file where the parent folder should be
    assert letters(project, ar, "-t", "reminder-2", "-f", "html", "-o", out / "letters", "--date", "2026-12-01") == 1
    err = capsys.readouterr().err
    assert "playbook: error: cannot write" in err and "Traceback" not in err
    assert not (project / "letters-register.csv").exists()


# --- issue 16: a letter's title and deadline are the company's data ----------------------------


@pytest.mark.site
def test_a_company_retitles_a_letter_and_every_text_follows(project, ar, tmp_path) -> None:
    (project / "site_config" / "policy.yaml").write_text(
        "letters:\n"
        "  reminder-1: {title: 付款提醒函, deadline_days: 20, deadline_label: 请于此日前付款}\n"
        "  terminate-authorization: {title: 终止经销授权通知书}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert letters(project, ar, "-t", "reminder-1", "-f", "html", "-o", out, "--date", "2026-12-01") == 0
    manifest = rows(out / "manifest.csv")
    assert {r["title"] for r in manifest} == {"付款提醒函"}
    assert {r["deadline"] for r in manifest} == {"2026-12-21"}  # 20 days, not upstream's 15
    letter = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "付款提醒函" in letter and ">催款函<" not in letter
    assert "2026年12月21日" in letter
    # The ladder plan names the letter of the customer's rung by the company's title.
    plan = tmp_path / "plan.csv"
    assert main(["--project", str(project), "ladder", str(ar), "--as-of", "2026-12-01", "--out", str(plan)]) == 0
    assert "终止经销授权通知书" in plan.read_text(encoding="utf-8-sig")
    assert "终止授权通知函" not in plan.read_text(encoding="utf-8-sig")
    # The site: the letters index, the letter's own page and the navigation.
    assert main(["--project", str(project), "build"]) == 0
    index = (project / "site" / "letters" / "index.html").read_text(encoding="utf-8")
    assert "付款提醒函" in index and "终止经销授权通知书" in index and "终止授权通知函" not in index
    page = (project / "site" / "letters" / "reminder-1" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "付款提醒函" in page


def test_a_letter_entry_with_a_wrong_key_is_refused_with_its_line(project, ar, capsys) -> None:
    (project / "site_config" / "policy.yaml").write_text(
        "letters:\n  reminder-1:\n    titel: 付款提醒函\n", encoding="utf-8"
    )
    assert letters(project, ar, "-t", "reminder-1", "--dry-run", "--date", "2026-12-01") == 1
    err = capsys.readouterr().err
    assert "site_config/policy.yaml:3:5: letters.reminder-1.titel:" in err and "did you mean 'title'" in err


def test_stage_warnings_of_a_whole_ledger_stop_after_twenty_with_a_count(project, tmp_path, capsys) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(
        HEADER + "".join(f"客户{n:02d}有限公司,F{n},2026-08-23,50000.00,0\n" for n in range(25)), encoding="utf-8"
    )
    assert letters(project, path, "-t", "reminder-1", "--dry-run", "--date", "2026-12-01") == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 21
    assert warnings[-1] == (
        "warning: and 5 more customer(s) whose stage does not fit 'reminder-1' (25 in all; the first 20 are "
        "above; --strict lists them as errors)"
    )


def test_a_name_the_pdf_font_cannot_draw_is_named_before_anything_is_written(project, tmp_path, capsys) -> None:
    """Taken while the file is checked, so a dry run says it too; Word letters use the reader's fonts."""
    path = tmp_path / "ar.csv"
    path.write_text(HEADER + "𠮷野家餐饮有限公司,F9,2026-11-01,1200.00,0\n", encoding="utf-8")
    assert letters(project, path, "-t", "reminder-1", "--dry-run", "--date", "2026-12-01") == 0
    err = capsys.readouterr().err
    assert (
        f"warning: {path}:2: customer: the PDF font has no glyph for 𠮷; it will print as a blank — "
        "check the letter or use --format docx"
    ) in err
    assert letters(project, path, "-t", "reminder-1", "-f", "docx", "--dry-run", "--date", "2026-12-01") == 0
    assert "no glyph" not in capsys.readouterr().err


def test_dry_run_paths_are_the_ones_the_user_can_open(project, ar, tmp_path, capsys, monkeypatch) -> None:
    """Relative to the current folder when inside it (also when given absolute), else absolute."""
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    elsewhere = tmp_path / "elsewhere"
    for out, expected in (
        ("out", "out/"),
        (".", ""),
        (str(tmp_path / "here" / "abs"), "abs/"),
        (str(elsewhere), f"{elsewhere}/"),
        ("/", "/"),
    ):
        assert letters(project, ar, "-t", "final-demand", "--dry-run", "-o", out, "--date", "2026-12-01") == 0
        lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("0001")]
        assert lines and lines[0].endswith(f"→ {expected}0001-华东示例贸易有限公司-final-demand.pdf"), (out, lines)


# --- issue 25 item 6: honest summaries --------------------------------------------------------


def test_the_summary_names_every_customer_without_a_letter_and_why(project, tmp_path, capsys) -> None:
    sheet = tmp_path / "ar.csv"
    sheet.write_text(
        HEADER + ROWS + "西南演示科技有限公司,F3,2026-06-20,12000.00,12000.00\n"  # paid in full
        "东海贷记有限公司,F4,2026-10-01,-500.00,0\n",  # only a credit note: the customer is in credit
        encoding="utf-8",
    )
    plan = tmp_path / "plan.csv"
    ladder = ["--project", str(project), "ladder", str(sheet), "--as-of", "2026-12-01", "--out", str(plan)]
    assert main(ladder) == 0
    capsys.readouterr()
    assert (
        letters(project, sheet, "--from-plan", plan, "-f", "html", "-o", tmp_path / "out", "--date", "2026-12-01") == 0
    )
    printed = capsys.readouterr().out
    assert printed.endswith(
        "no letter for 3 customer(s):\n"
        "  华东示例贸易有限公司: 30 day(s) overdue, ¥8000.00: no rung of the ladder applies yet (days or amount), "
        "so the plan chose no letter\n"
        "  西南演示科技有限公司: nothing outstanding (the plan: 已结清)\n"
        "  东海贷记有限公司: nothing outstanding (the plan: 已结清)\n"
    ), printed
    assert "wrote 1 letter(s) and manifest.csv" in printed
    # a fully paid customer has no limitation date: limitation is counted on unpaid invoices only
    settled = [line for line in plan.read_text(encoding="utf-8-sig").splitlines() if line.startswith("西南")]
    assert settled == ["西南演示科技有限公司,0.00,0,,已结清,,,,,,,,"]
    assert (
        letters(project, sheet, "-t", "final-demand", "-f", "html", "-o", tmp_path / "fd", "--date", "2026-12-01") == 0
    )
    assert capsys.readouterr().out.endswith(
        "no letter for 2 customer(s):\n"
        "  西南演示科技有限公司: nothing outstanding\n"
        "  东海贷记有限公司: in credit ¥500.00\n"
    )
