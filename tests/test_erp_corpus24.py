"""The second ERP corpus (issue 24; tests/corpus/, built by tests/corpus/build24.py): each export gives
exactly the per-customer outstanding its generator computed from its own records (truth24.json), or
exactly the refusal it names — one message, no traceback, nothing written — run as a clerk would:
``playbook ladder FILE --as-of 2026-11-30``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cli import main

CORPUS = Path(__file__).parent / "corpus"
TRUTH: dict[str, dict] = json.loads((CORPUS / "truth24.json").read_text(encoding="utf-8"))
COUNTS = {
    "void_rows": "{} void row(s) (作废) skipped",
    "red_rows": "{} red-ink (红字) row(s) read as credits",
    "footer_rows": "{} footer row(s) (制表人, 审核, 第 N 页 …) skipped",
    "page_rows": "{} repeated page header row(s) skipped",
}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_each_export_gives_its_truth_or_its_refusal(make_project, capsys, monkeypatch, name: str) -> None:
    from tests.hostile.cases import LADDER, MODULE

    truth = TRUTH[name]
    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER})
    (root / "site_config" / "columns.yaml").write_text(truth["config"], encoding="utf-8")
    shutil.copy(CORPUS / name, root / name)
    monkeypatch.chdir(root)
    code = main(["--project", str(root), "ladder", name, "--as-of", "2026-11-30", "--out", "plan.csv"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if "refusal" in truth or "refusal_start" in truth:
        assert code == 1 and not (root / "plan.csv").exists()
        lines = err.splitlines()
        assert lines[-1] == "1 problem found; nothing was written"
        if "refusal" in truth:
            assert lines[0] == truth["refusal"]
        else:
            assert lines[0].startswith(truth["refusal_start"])
        return
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((root / "plan.csv").read_text(encoding="utf-8-sig"))))[1:]
    assert {r[0]: Decimal(r[1]) for r in rows} == {k: Decimal(v) for k, v in truth["outstanding"].items()}
    if "days" in truth:
        assert {r[0]: int(r[2]) for r in rows} == truth["days"]
    for key, text in COUNTS.items():
        if key in truth:
            assert text.format(truth[key]) in err, (key, err)
    if "unit_note" in truth:
        assert truth["unit_note"] in err


def test_letters_read_the_invoice_exports_and_refuse_the_aging_reports(make_project, capsys, monkeypatch) -> None:
    root = make_project({})
    for name in ("digiwin-应收明细-gbk.csv", "账龄分析表.xlsx"):
        shutil.copy(CORPUS / name, root / name)
    monkeypatch.chdir(root)
    args = ["letters", "-t", "reminder-1", "--dry-run", "--date", "2026-11-30"]
    assert main(["--project", str(root), args[0], "digiwin-应收明细-gbk.csv", *args[1:]]) == 0
    out = capsys.readouterr().out
    for customer, owed in TRUTH["digiwin-应收明细-gbk.csv"]["outstanding"].items():
        assert f"¥{Decimal(owed):,.2f}" in out and customer in out
    assert "C08" not in out  # the codes stay off the letters
    assert main(["--project", str(root), args[0], "账龄分析表.xlsx", *args[1:]]) == 1
    err = capsys.readouterr().err
    assert "found an aging report (账龄分析表" in err and "export the 应收明细" in err
