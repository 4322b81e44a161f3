"""The ERP corpus (tests/corpus/, built by tests/corpus/build.py): each export gives exactly the
expected outstanding per customer, with the company's columns.yaml a clerk would write once."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cli import main

CORPUS = Path(__file__).parent / "corpus"

CONFIG = {
    "yonyou-u8-应收明细.xlsx": "",  # 未核销金额 is understood: checked against 应收金额 − 已核销金额
    "kingdee-k3-应收款明细表.csv": "columns:\n  invoice_date: [日期]\nignore: [余额]\n",
    "sap-fbl5n.xlsx": "ignore: [Customer]\n",
    "sap-fbl5n-小计.txt": "ignore: [Customer]\n",
    "tplus-应收余额-万元.csv": "",
    "yonyou-u8-应收明细-2003.xls": "",
    "sap-fbl5n-spreadsheet.xls": "ignore: [Customer]\n",
}
EXPECTED = {
    "yonyou-u8-应收明细.xlsx": {  # （集团） and (集团) are one customer; 丙 is in credit (-1,200.50)
        "上海甲贸易有限公司": "14130.11",
        "北京乙科技（集团）有限公司": "100000.00",
        "杭州丙商贸有限公司": "-1200.50",
    },
    "kingdee-k3-应收款明细表.csv": {"深圳丁电子有限公司": "7500.50", "广州戊实业有限公司": "9499.99"},
    "sap-fbl5n.xlsx": {"苏州己精密机械有限公司": "93200.80", "ACME (Shanghai) Trading Co., Ltd.": "20000.00"},
    "sap-fbl5n-小计.txt": {"苏州己精密机械有限公司": "93200.80", "ACME (Shanghai) Trading Co., Ltd.": "20000.00"},
    "tplus-应收余额-万元.csv": {"南京庚建材有限公司": "108765.00", "无锡辛物流有限公司": "2345678.00"},
    "yonyou-u8-应收明细-2003.xls": {"宁波壬五金制品有限公司": "18000.00", "合肥癸新材料有限公司": "30000.10"},
    "sap-fbl5n-spreadsheet.xls": {"温州子电气有限公司": "54000.50", "厦门丑食品有限公司": "7777.77"},
}
SUMMARY = {
    "yonyou-u8-应收明细.xlsx": [
        "read sheet '应收明细' (the active sheet); not read: sheets '上月', '底稿' (hidden) (use --sheet NAME)",
        "4 total row(s) skipped; 2 credit note(s) applied oldest invoice first; grand total at row 14 matches the "
        "rows read to the fen (应收金额 123,275.28, 已核销金额 10,345.67, 未核销金额 112,929.61)",
        "columns not used: 摘要",
        "3 customer code(s) kept apart from the names",
        "customer '杭州丙商贸有限公司' is in credit by ¥1,200.50 (credit notes exceed invoices): no letter, no rung",
    ],
    "kingdee-k3-应收款明细表.csv": [
        "read as GBK text",
        "amounts in 元 (no unit declared)",
        "grand total at row 13 matches the rows read to the fen (借方金额 52,000.49, 贷方金额 35,000.00)",
        "columns not used: 摘要",
        "columns ignored (columns.yaml 'ignore:'): 余额",
    ],
    "sap-fbl5n.xlsx": [
        "read sheet 'Sheet1' (the only sheet)",
        "no grand-total row (合计/总计) to check",
        "columns not used: Assignment, Document Type, Text",
    ],
    "sap-fbl5n-小计.txt": [
        "read 5 row(s) of 2 customer(s); read as GBK text",
        "3 total row(s) skipped; 1 credit note(s) applied oldest invoice first; grand total at "
        "row 13 matches the rows read to the fen (Amount in local currency 113,200.80)",
    ],
    "tplus-应收余额-万元.csv": [
        "amounts in 万元 (declared in row 2; multiplied by 10,000)",
        "grand total at row 7 matches the rows read to the fen (金额 12,477,943.00, 已收金额 10,023,500.00)",
    ],
    "yonyou-u8-应收明细-2003.xls": [
        "read sheet '应收明细' (the only sheet)",
        "amounts in 元 (declared in row 2); 2 total row(s) skipped",
        "grand total at row 8 matches the rows read to the fen (应收金额 50,345.77, 已核销金额 2,345.67)",
    ],
    "sap-fbl5n-spreadsheet.xls": [  # * = a customer's subtotal, ** = the grand total (SAP list sum rows)
        "a text file named .xls (what SAP's «Local File → Spreadsheet» saves), read as GBK text",
        "3 total row(s) skipped; 1 credit note(s) applied oldest invoice first",
        "grand total at row 8 matches the rows read to the fen (Amount in LC 61,778.27)",
        "columns not used: Assignment, Type, Text",
    ],
}


def project(make_project, name: str) -> Path:
    root = make_project({})
    (root / "site_config" / "columns.yaml").write_text(CONFIG[name], encoding="utf-8")
    shutil.copy(CORPUS / name, root / name)
    return root


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_gives_the_expected_outstanding(make_project, capsys, monkeypatch, name: str) -> None:
    from tests.hostile.cases import LADDER, MODULE

    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER})
    (root / "site_config" / "columns.yaml").write_text(CONFIG[name], encoding="utf-8")
    shutil.copy(CORPUS / name, root / name)
    monkeypatch.chdir(root)
    assert main(["--project", str(root), "ladder", name, "--as-of", "2026-11-30", "--out", "plan.csv"]) == 0
    err = capsys.readouterr().err
    rows = list(csv.reader(io.StringIO((root / "plan.csv").read_text(encoding="utf-8-sig"))))[1:]
    got = {r[0]: Decimal(r[1]) for r in rows}
    assert got == {k: Decimal(v) for k, v in EXPECTED[name].items()}
    for part in SUMMARY[name]:
        assert part in err, (part, err)


def test_credit_is_applied_to_the_oldest_invoice_first(make_project, capsys, monkeypatch) -> None:
    from generator.cases import open_cases
    from generator.project import Project

    name = "yonyou-u8-应收明细.xlsx"
    root = project(make_project, name)
    cases = {c.customer: c for c in open_cases(root / name, Project.at(root))}
    first = cases["上海甲贸易有限公司"]
    assert [(i.invoice_no, i.outstanding) for i in first.invoices] == [
        ("0000102", Decimal("0.00")),
        ("0000117", Decimal("14130.11")),
    ]  # 2,000 credit: 1,130.11 then 869.89
    assert first.oldest_unpaid_due.isoformat() == "2026-08-02"
    assert [i.invoice_no for i in first.credits] == ["0000135"]


def test_letters_skip_the_customer_in_credit(make_project, capsys, monkeypatch) -> None:
    name = "yonyou-u8-应收明细.xlsx"
    root = project(make_project, name)
    monkeypatch.chdir(root)
    assert main(["--project", str(root), "letters", name, "-t", "reminder-1", "--dry-run", "--date", "2026-11-30"]) == 0
    out = capsys.readouterr()
    letters = [line for line in out.out.splitlines() if line[:4].isdigit()]  # one line per letter: 0001 …
    assert [line.split()[1:3] for line in letters] == [
        ["上海甲贸易有限公司", "¥14,130.11"],
        ["北京乙科技（集团）有限公司", "¥100,000.00"],
    ]
    assert "杭州丙商贸有限公司: in credit ¥1,200.50" in out.out  # listed among the customers without a letter
    assert "is in credit by ¥1,200.50" in out.err


def test_sheet_option_reads_another_sheet(make_project, capsys, monkeypatch) -> None:
    name = "yonyou-u8-应收明细.xlsx"
    root = project(make_project, name)
    monkeypatch.chdir(root)
    assert (
        main(
            [
                "--project",
                str(root),
                "letters",
                name,
                "-t",
                "reminder-1",
                "--dry-run",
                "--date",
                "2026-11-30",
                "--sheet",
                "底稿",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert "不应读取公司  ¥1.00" in out.out
    assert "read sheet '底稿' (chosen with --sheet)" in out.err
    assert main(["--project", str(root), "ladder", name, "--sheet", "应收"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "--sheet: expected a sheet of yonyou-u8-应收明细.xlsx, found no sheet '应收'; did you mean '应收明细'? "
        "(sheets: 上月, 应收明细, 底稿)"
    )


def test_an_old_xls_export_is_read_like_the_xlsx(make_project, capsys, monkeypatch) -> None:
    """The U8 ledger saved as Excel 97-2003 .xls (BIFF8, written by xlwt; tests/corpus/build.py): the
    active sheet (from the workbook's WINDOW1 record), not last month's, gives the same outstanding as
    the .xlsx; --sheet reads another one."""
    name = "yonyou-u8-应收明细.xls"
    root = make_project({})
    (root / "site_config" / "columns.yaml").write_text(CONFIG["yonyou-u8-应收明细.xlsx"], encoding="utf-8")
    shutil.copy(CORPUS / name, root / name)
    monkeypatch.chdir(root)
    assert main(["--project", str(root), "ladder", name, "--as-of", "2026-11-30", "--out", "plan.csv"]) == 0
    err = capsys.readouterr().err
    rows = list(csv.reader(io.StringIO((root / "plan.csv").read_text(encoding="utf-8-sig"))))[1:]
    expected = EXPECTED["yonyou-u8-应收明细.xlsx"]
    assert {r[0]: Decimal(r[1]) for r in rows} == {k: Decimal(v) for k, v in expected.items()}
    assert "read sheet '应收明细' (the active sheet); not read: sheets '上月', '底稿' (hidden)" in err
    assert (
        "grand total at row 14 matches the rows read to the fen "
        "(应收金额 123,275.28, 已核销金额 10,345.67, 未核销金额 112,929.61)" in err
    )
    assert (
        main(
            [
                "--project",
                str(root),
                "letters",
                name,
                "-t",
                "reminder-1",
                "--dry-run",
                "--date",
                "2026-11-30",
                "--sheet",
                "底稿",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert "不应读取公司  ¥1.00" in out.out and "read sheet '底稿' (chosen with --sheet)" in out.err


def test_an_xls_whose_active_sheet_cannot_be_told_is_refused_with_its_sheets(tmp_path: Path) -> None:
    """Without a WINDOW1 record (here its record type overwritten) the active sheet is unknown: the
    visible sheets are listed and --sheet asked for, never guessed."""
    from generator.cases.tabular import open_table, xls_active_sheet
    from generator.errors import PlaybookError

    data = (CORPUS / "yonyou-u8-应收明细.xls").read_bytes()
    assert xls_active_sheet(CORPUS / "yonyou-u8-应收明细.xls") == 1
    broken = tmp_path / "ar.xls"
    broken.write_bytes(data.replace(b"\x3d\x00\x12\x00", b"\x3e\x00\x12\x00", 1))  # WINDOW1 record gone
    assert xls_active_sheet(broken) is None
    with pytest.raises(PlaybookError) as info:
        open_table(broken, "ar.xls")
    assert str(info.value) == (
        "ar.xls: (file): expected one sheet to read, found 2 visible sheets (上月, 应收明细, "
        "底稿 (hidden)); choose one with --sheet NAME"
    )


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncated", "Cfb error: Sector 16 points past end of file"),
        ("overwritten", "End of stream 'dbcs'"),
        ("not a workbook", "Cfb error: Invalid OLE (14 bytes is too small"),
    ],
)
def test_a_damaged_xls_is_refused_in_one_line(make_project, capsys, monkeypatch, damage: str, reason: str) -> None:
    root = make_project({})
    data = (CORPUS / "yonyou-u8-应收明细.xls").read_bytes()
    broken = {
        "truncated": data[:5000],
        "overwritten": data[:2000] + b"\xff" * 600 + data[2600:],
        "not a workbook": b"not a workbook",
    }[damage]
    (root / "ar.xls").write_bytes(broken)
    monkeypatch.chdir(root)
    assert main(["--project", str(root), "ladder", "ar.xls", "--sheet", "应收明细", "--out", "plan.csv"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "ar.xls: (file): expected an old Excel (.xls) workbook, found a damaged or unreadable "
        f"file (CalamineError: {reason}"
    )
    assert err.endswith("open it in Excel and save it again\n1 problem found; nothing was written\n")
    assert "Traceback" not in err and not (root / "plan.csv").exists()


def test_sap_sum_lines_are_totals_and_the_last_one_is_the_control_total(make_project, capsys, monkeypatch) -> None:
    """FBL5N marks its ALV sum lines with * (subtotal) and ** (total) in the first column: a ** line that
    does not match the items read fails the run, naming both numbers."""
    name = "sap-fbl5n-小计.txt"
    root = project(make_project, name)
    data = (root / name).read_bytes().replace(b"**\t\t\t\t\t\t\t\t113,200.80", b"**\t\t\t\t\t\t\t\t113,200.08")
    (root / name).write_bytes(data)
    monkeypatch.chdir(root)
    assert main(["--project", str(root), "ladder", name, "--out", "plan.csv"]) == 1
    assert capsys.readouterr().err == (
        f"{name}:13: Amount in local currency: expected this grand total to equal the sum of the rows read, "
        "113,200.80, found 113,200.08 (difference -0.72); a row is missing, doubled or misread — nothing is used "
        "until they agree\n1 problem found; nothing was written\n"
    )
    assert not (root / "plan.csv").exists()


class Seen(list[object]):
    """A survey that keeps every case it is given."""

    def __call__(self, case: object) -> None:
        self.append(case)

    def restart(self) -> None:
        self.clear()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_check_hands_over_the_cases_the_run_reads(make_project, name: str) -> None:
    """``ladder`` and the letters' stage and glyph checks take their notes while the file is checked
    (``open_cases(survey=…)``): each case exactly as the run reads it afterwards, in the same order."""
    from generator.cases import open_cases
    from generator.project import Project

    root = project(make_project, name)
    seen = Seen()
    source = open_cases(root / name, Project.at(root), survey=seen)
    assert source.summary is not None and source.summary.surveyed == source.summary.contiguous
    assert seen == list(source) and len(seen) == len(EXPECTED[name])


def test_customers_whose_rows_are_apart_are_surveyed_in_a_pass_of_their_own(make_project) -> None:
    from generator.cases import open_cases
    from generator.project import Project

    root = make_project({})
    (root / "ar.csv").write_text(
        "客户名称,发票号码,到期日,金额\n甲公司,A1,2026-09-30,100.00\n乙公司,B1,2026-09-30,200.00\n"
        "甲公司,A2,2026-10-31,50.00\n",
        encoding="utf-8",
    )
    seen = Seen()
    source = open_cases(root / "ar.csv", Project.at(root), survey=seen)
    assert source.summary is not None and not source.summary.surveyed
    assert seen == list(source)  # 甲公司 once, with both invoices: not the first row alone, then again
    assert [(c.customer, c.outstanding) for c in seen] == [("甲公司", Decimal("150.00")), ("乙公司", Decimal("200.00"))]
