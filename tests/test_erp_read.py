"""Reading ERP exports (issue 10): what is read, what is refused, what the run summary says."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cases import open_cases
from generator.cases.values import customer_key, parse_signed_money
from generator.cli import main
from generator.errors import PlaybookError, printable
from generator.project import Project
from tests.conftest import sample_repo

REPO = sample_repo()  # upstream as shipped, never this checkout's own site_config/
PROJECT = Project.at(REPO)
HEAD = "客户名称,发票号码,到期日,金额\n"


def problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(PlaybookError) as info:
        open_cases(path, PROJECT, display=path.name, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def totals(path: Path, **kwargs: object) -> dict[str, Decimal]:
    return {c.customer: c.outstanding for c in open_cases(path, PROJECT, display=path.name, **kwargs)}  # type: ignore[arg-type]


def test_one_debtor_whatever_the_brackets_spaces_and_invisible_characters(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(
        HEAD + "甲公司（上海）,F1,2026-10-01,100\n甲公司 (上海),F2,2026-10-01,200\n"
        "甲\u3000公司\u200b(上海),F3,2026-10-01,300\nＡＢＣ有限公司,F4,2026-10-01,1\n"
        "abc有限公司,F5,2026-10-01,2\n",
        encoding="utf-8",
    )
    assert totals(path) == {"甲公司（上海）": Decimal("600.00"), "ＡＢＣ有限公司": Decimal("3.00")}
    assert customer_key("甲\u3000公司\u200b（上海）\ufeff") == customer_key("甲公司(上海)")


def test_names_that_differ_slightly_are_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(
        HEAD + "上海甲贸易有限公司,F1,2026-10-01,100\n上海甲贸易有限责任公司,F2,2026-10-01,1\n"
        "北京乙科技有限公司,F3,2026-10-01,1\n北京已科技有限公司,F4,2026-10-01,1\n",
        encoding="utf-8",
    )
    lines = open_cases(path, PROJECT, display="ar.csv").summary_lines()
    assert (
        "warning: ar.csv: customers '上海甲贸易有限公司' and '上海甲贸易有限责任公司' differ only slightly; "
        "if they are one debtor, write the name the same way in the export"
    ) in lines
    assert any(
        "'北京乙科技有限公司' and '北京已科技有限公司'" in line
        or "'北京已科技有限公司' and '北京乙科技有限公司'" in line
        for line in lines
    )


def test_total_rows_are_found_in_any_column_with_any_spaces(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(
        "客户名称,摘要,发票号码,到期日,金额\n甲公司,,F1,2026-10-01,100\n甲公司,小 计,,,100\n"
        "乙公司,,F2,2026-10-01,50\n乙公司,客户合计,,,50\n本期合计,,,,150\nTotal,,,,150\n"
        "总　计,,,,150\n",
        encoding="utf-8",
    )
    assert totals(path) == {"甲公司": Decimal("100.00"), "乙公司": Decimal("50.00")}


def test_sap_sum_rows_the_grand_total_is_the_one_with_most_asterisks(tmp_path: Path) -> None:
    head = "标记,客户名称,发票号码,到期日,金额\n"
    rows = ",甲公司,F1,2026-10-01,100\n,甲公司,F2,2026-10-01,20\n*,,,,120\n,乙公司,F3,2026-10-01,50\n*,,,,50\n"
    path = tmp_path / "sap.csv"
    path.write_text(head + rows + "**,,,,170\n", encoding="utf-8")
    assert totals(path) == {"甲公司": Decimal("120.00"), "乙公司": Decimal("50.00")}
    assert any(
        "grand total at row 7 matches the rows read to the fen (金额 170.00)" in line
        for line in open_cases(path, PROJECT, display="sap.csv").summary_lines()
    )
    path.write_text(head + rows + "**,,,,171\n", encoding="utf-8")  # a row lost: refused, not guessed
    assert problems(path) == [
        "sap.csv:7: 金额: expected this grand total to equal the sum of the rows read, "
        "170.00, found 171.00 (difference 1.00); a row is missing, doubled or misread — "
        "nothing is used until they agree"
    ]
    path.write_text(head + rows, encoding="utf-8")  # customer subtotals only: no grand total to check against
    lines = open_cases(path, PROJECT, display="sap.csv").summary_lines()
    assert any("2 total row(s) skipped" in line and "no grand-total row" in line for line in lines)


def test_old_excel_text_and_web_pages_named_xls(tmp_path: Path) -> None:
    path = tmp_path / "fbl5n.xls"  # SAP «Local File → Spreadsheet»: tab-separated text, SAP date format 1
    path.write_bytes(
        "客户名称\t发票号码\t到期日\t金额\n甲公司\tF1\t31.10.2026\t1,000.00\n甲公司\tF2\t31.10.2026\t200.00-\n".encode(
            "gbk"
        )
    )
    assert totals(path) == {"甲公司": Decimal("800.00")}
    path.write_bytes("客户名称\t发票号码\t到期日\t金额\n甲公司\tF1\t31.02.2026\t1\n".encode("gbk"))
    assert problems(path) == ["fbl5n.xls:2: 到期日: expected a real calendar date (day.month.year), found '31.02.2026'"]
    path.write_text("<html><body><table><tr><td>客户名称</td></tr></table></body></html>", encoding="utf-8")
    assert problems(path) == [
        "fbl5n.xls: (file): expected an old Excel (.xls) workbook, found a web page (HTML) "
        "saved with the .xls extension, as some web exports do; open it in Excel and save "
        "it as .xlsx"
    ]
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # a broken real .xls
    assert problems(path)[0].startswith(
        "fbl5n.xls: (file): expected an old Excel (.xls) workbook, found a damaged or unreadable file ("
    )


def test_a_customer_named_like_a_label_prefix_is_still_a_customer(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(HEAD + "合计科技有限公司,F1,2026-10-01,100\n", encoding="utf-8")
    assert totals(path) == {"合计科技有限公司": Decimal("100.00")}


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ar.txt"  # Excel «Unicode 文本»: UTF-16 LE with BOM, tab-separated
    path.write_bytes("客户名称\t发票号码\t到期日\t金额\r\n甲公司\tF1\t2026-10-01\t1,234.50\r\n".encode("utf-16"))
    source = open_cases(path, PROJECT, display="ar.txt")
    assert {c.customer: c.outstanding for c in source} == {"甲公司": Decimal("1234.50")}
    assert "read as UTF-16 text" in source.summary_lines()[0]


def test_xlsx_float_noise_is_what_excel_shows_but_real_fractions_are_refused() -> None:
    assert parse_signed_money(1130.1100000000001) == Decimal("1130.11")
    assert parse_signed_money(0.30000000000000004) == Decimal("0.30")
    assert parse_signed_money(12.35, Decimal(10000)) == Decimal("123500.00")
    with pytest.raises(ValueError, match="at most two decimals"):
        parse_signed_money(1130.111)
    for text, value in (
        ("(1,000.00)", "-1000.00"),
        ("1,000.00-", "-1000.00"),
        ("-¥1,000.00", "-1000.00"),
        ("￥12,345.6", "12345.60"),
        ("１２３", "123.00"),
    ):
        assert parse_signed_money(text) == Decimal(value)


def test_visible_sheets_hidden_sheets_and_the_sheet_option(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "10月"
    first.append(["客户名称", "发票号码", "到期日", "金额"])
    first.append(["甲公司", "F1", datetime(2026, 10, 1), 100])
    second = book.create_sheet("11月")
    second.append(["客户名称", "发票号码", "到期日", "金额"])
    second.append(["甲公司", "F2", datetime(2026, 11, 1), 200])
    book.active = 1
    first.sheet_view.tabSelected = False
    path = tmp_path / "ar.xlsx"
    book.save(path)
    assert totals(path) == {"甲公司": Decimal("200.00")}  # the active sheet, not the first
    assert totals(path, sheet="10月") == {"甲公司": Decimal("100.00")}
    source = open_cases(path, PROJECT, display="ar.xlsx")
    assert source.display == "ar.xlsx[11月]"
    assert source.summary_lines()[0].endswith(
        "read sheet '11月' (the active sheet); not read: sheet '10月' (use --sheet NAME)"
    )
    second.sheet_state = "hidden"
    book.active = 0
    first.sheet_view.tabSelected = True
    second.sheet_view.tabSelected = False
    book.save(path)
    source = open_cases(path, PROJECT, display="ar.xlsx")
    assert "not read: sheet '11月' (hidden)" in source.summary_lines()[0]


def test_messages_name_the_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "应收明细"
    book.active.append(["客户名称", "发票号码", "到期日", "金额"])
    book.active.append(["甲公司", "F1", "明天", 100])
    book.save(tmp_path / "ar.xlsx")
    assert problems(tmp_path / "ar.xlsx") == [
        "ar.xlsx[应收明细]:2: 到期日: expected a date like 2026-12-31, found '明天'"
    ]


def test_sheet_option_on_a_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(HEAD + "甲公司,F1,2026-10-01,1\n", encoding="utf-8")
    assert problems(path, sheet="x") == [
        "--sheet: expected a workbook (.xlsx, .xls), found a CSV file (ar.csv), which has no sheets"
    ]


def test_fifo_device_and_oversize_files_are_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    fifo = tmp_path / "ar.csv"
    os.mkfifo(fifo)  # opening it would block forever
    assert problems(fifo) == ["ar.csv: (file): expected a case file (.yaml, .csv or .xlsx), found a named pipe (FIFO)"]
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    assert problems(zero) == ["zero.csv: (file): expected a case file (.yaml, .csv or .xlsx), found a device"]
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:  # sparse: 2 GiB on paper, nothing on disk
        handle.truncate(2 << 30)
    assert problems(big) == [
        "big.csv: (file): expected a file up to 1,024 MB, found 2,048 MB; split the export "
        "(e.g. by period) and run once per file"
    ]


def test_names_echoed_to_the_terminal_are_escaped(tmp_path: Path, capsys, monkeypatch) -> None:
    assert printable("甲\x1b[2J\x1b]0;pwned\x07公司\u202e\r") == "甲\\x1b[2J\\x1b]0;pwned\\x07公司\\u202e\\x0d"
    path = tmp_path / "ar.csv"
    path.write_text(HEAD + '"甲\x1b[31m公司",F1,2026-10-01,100\n"乙\x1b[2J公司",F2,2026-10-01,-5\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert (
        main(["--project", str(REPO), "letters", "ar.csv", "-t", "reminder-1", "--dry-run", "--date", "2026-11-30"])
        == 0
    )
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err
    assert "甲公司" in out.out  # control characters never reach a letter or a key
    assert "customer '乙公司' is in credit by ¥5.00" in out.err


def test_mixed_encodings_name_the_first_row_of_the_other_kind(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_bytes(
        HEAD.encode("gbk")
        + "甲公司,F1,2026-10-01,1\n".encode("gbk")
        + '"乙公司\n分部",F2,2026-10-01,1\n'.encode("gbk")
        + "丙公司,F3,2026-10-01,1\n".encode()
    )
    assert problems(path) == [
        "ar.csv:4: (file): expected one encoding in the whole file, found UTF-8 here after GBK "
        "rows above (row 1); names would be garbled — re-export the file in one go"
    ]


def test_debit_credit_layout_and_unused_columns_in_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(
        "客户,单据号,日期,到期日,借方,贷方,部门\n甲公司,F1,2026-01-01,2026-02-01,100,,销售一部\n"
        "甲公司,F2,2026-02-01,2026-03-01,50,,销售一部\n甲公司,SK1,2026-02-15,,,120,销售一部\n",
        encoding="utf-8",
    )
    source = open_cases(path, PROJECT, display="ar.csv")
    [case] = list(source)
    assert case.outstanding == Decimal("30.00")
    assert [(i.invoice_no, i.outstanding) for i in case.invoices] == [("F1", Decimal("0.00")), ("F2", Decimal("30.00"))]
    assert "ar.csv: columns not used: 日期, 部门" in source.summary_lines()


def test_limitation_is_counted_on_unpaid_invoices(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_text(
        "客户名称,合同编号,发票号码,到期日,金额,已付金额\n甲公司,HT-1,F1,2024-01-10,100,100\n"
        "甲公司,HT-2,F2,2025-03-01,100,0\n甲公司,HT-3,F3,2026-06-01,100,0\n",
        encoding="utf-8",
    )
    [case] = list(open_cases(path, PROJECT, display="ar.csv"))
    assert case.limitation_start.isoformat() == "2025-03-01"  # not the paid 2024 one, not the latest


def test_two_row_header_with_merged_cells(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "应收明细"
    sheet.append(["客户往来明细账"])
    sheet.merge_cells("A1:F1")
    sheet.append(["客户", "单据号", "到期日", "金额", None, "摘要"])  # 金额 over 借方|贷方
    sheet.append([None, None, None, "借方", "贷方", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    sheet.merge_cells("D2:E2")
    sheet.merge_cells("F2:F3")
    sheet.append(["甲公司", "F1", datetime(2026, 10, 1), 1000, None, "销售"])
    sheet.append(["甲公司", "SK1", None, None, 400, "收款"])
    sheet.append(["合计", None, None, 1000, 400, None])
    book.save(tmp_path / "ar.xlsx")
    source = open_cases(tmp_path / "ar.xlsx", PROJECT, display="ar.xlsx")
    assert {c.customer: c.outstanding for c in source} == {"甲公司": Decimal("600.00")}
    assert (
        "grand total at row 6 matches the rows read to the fen (借方 1,000.00, 贷方 400.00)"
        in source.summary_lines()[1]
    )


def test_a_yaml_case_and_a_bulk_row_break_a_rule_in_the_same_words(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(
        "customer: 甲公司\ninvoices:\n  - invoice_no: A1\n    due_date: 2026-01-31\n"
        "    invoice_date: 2026-02-01\n    amount: 100\n    paid: 120\n",
        encoding="utf-8",
    )
    (tmp_path / "bulk.csv").write_text(
        "客户名称,发票号码,开票日期,到期日,金额,已付金额\n甲公司,A1,2026-02-01,2026-01-31,100,120\n", encoding="utf-8"
    )
    yaml_found = [p.split(": ", 2)[2] for p in problems(tmp_path / "one.yaml")]
    bulk_found = [p.split(": ", 2)[2] for p in problems(tmp_path / "bulk.csv")]
    assert (
        sorted(yaml_found)
        == sorted(bulk_found)
        == sorted(
            [
                "expected at most the invoice amount (100.00), found 120.00",
                "expected a date on or after the invoice date (2026-02-01), found 2026-01-31",
            ]
        )
    )


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("合计", "grand"),
        (" 合　计 ", "grand"),
        ("ＴＯＴＡＬ", "grand"),
        ("total:", "grand"),
        ("\u3000总计", "grand"),
        ("小 计", "sub"),
        ("Subtotal", "sub"),
        ("本期合计", "sub"),  # a period's total inside the file, not the file's grand total
        ("客户合计", "sub"),
    ],
)
def test_total_labels_are_found_however_they_start(label: str, kind: str) -> None:
    from generator.cases.columns import load_columns

    columns = load_columns(PROJECT)
    assert columns.row_total_kind(["", label, "1,000.00"]) == kind  # 合计 and 小计 never mixed up
    assert columns.row_total_kind(["测试商贸有限公司", "HT-1", "2026-01-05", "Totalcare"]) is None


def test_an_amount_too_long_for_fen_is_refused_not_a_traceback(tmp_path: Path, capsys) -> None:
    from generator.cli import main

    path = tmp_path / "ar.csv"
    path.write_text(
        "客户名称,发票号码,到期日,金额\n甲公司,F1,2026-12-31,999999999999999999999999999999\n", encoding="utf-8"
    )
    assert (
        main(
            [
                "--project",
                str(PROJECT.root),
                "ladder",
                str(path),
                "--as-of",
                "2026-12-31",
                "--out",
                str(tmp_path / "plan.csv"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "ar.csv:2: 金额: expected an amount like 1409.50, found '999999999999999999999999999999'" in err
    assert "Traceback" not in err and not (tmp_path / "plan.csv").exists()
