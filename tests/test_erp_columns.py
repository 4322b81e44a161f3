"""Exports understood column by column, or refused (issue 24): balance, paid synonyms, status, void and
红蓝字 columns, the title block, footers, formula cells, customer codes, aging reports, and the
hints for unknown columns (applying one must lead to the right reading, never invert a meaning)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cases import Horizon, open_cases
from generator.cases.columns import suggestions
from generator.cli import main
from generator.errors import PlaybookError
from generator.project import Project

AS_OF = Horizon(__import__("datetime").date(2026, 11, 30), "the --as-of date")


def read(root: Path, name: str, content: str | bytes, config: str = "") -> dict[str, Decimal]:
    """Per-customer outstanding of ``content`` read as ``name`` (or PlaybookError)."""
    (root / "site_config" / "columns.yaml").write_text(config, encoding="utf-8")
    path = root / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return {c.customer: c.outstanding for c in open_cases(path, Project.at(root), horizon=AS_OF, aging_reports=True)}


def refusal(root: Path, name: str, content: str | bytes, config: str = "") -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        read(root, name, content, config)
    return [str(p) for p in caught.value.problems]


def summary(root: Path, name: str) -> str:
    source = open_cases(root / name, Project.at(root), horizon=AS_OF, aging_reports=True)
    return "\n".join(source.summary_lines())


TPLUS = "应收账款明细表\n编制单位：杭州某某电子有限公司,,,,,,\n"


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        (  # 价税合计, 已收金额 and 未收金额: the balance is checked row by row
            "客户名称,单据编号,单据日期,到期日,价税合计,已收金额,未收金额",
            [
                "苏州甲电子有限公司,XS001,2026-06-01,2026-07-01,1000.00,400.00,600.00",
                "苏州甲电子有限公司,XS002,2026-07-01,2026-08-01,500.00,500.00,0.00",
                "无锡乙机械有限公司,XS003,2026-07-01,2026-08-31,2000.00,-,2000.00",
            ],
            {"苏州甲电子有限公司": "600.00", "无锡乙机械有限公司": "2000.00"},
        ),
        (  # 价税合计 and 未收金额 only: paid is the difference
            "客户名称,单据编号,到期日,价税合计,未收金额",
            [
                "苏州甲电子有限公司,XS001,2026-07-01,1000.00,600.00",
                "苏州甲电子有限公司,XS002,2026-08-01,500.00,0",
                "无锡乙机械有限公司,XS003,2026-08-31,2000.00,2000.00",
            ],
            {"苏州甲电子有限公司": "600.00", "无锡乙机械有限公司": "2000.00"},
        ),
        (  # 未收金额 alone (an open-items list)
            "客户名称,单据编号,到期日,未收金额",
            [
                "苏州甲电子有限公司,XS001,2026-07-01,600.00",
                "苏州甲电子有限公司,XS002,2026-08-01,0.00",
                '无锡乙机械有限公司,XS003,2026-08-31,"2,000.00"',
            ],
            {"苏州甲电子有限公司": "600.00", "无锡乙机械有限公司": "2000.00"},
        ),
    ],
)
def test_the_three_tplus_unpaid_exports_work(make_project, header: str, rows: list[str], expected: dict) -> None:
    root = make_project({})
    got = read(root, "tplus.csv", TPLUS + header + "\n" + "\n".join(rows) + "\n")
    assert got == {k: Decimal(v) for k, v in expected.items()}
    assert "编制单位" not in summary(root, "tplus.csv") and "(no unit declared)" in summary(root, "tplus.csv")


def test_amount_minus_paid_must_equal_the_balance(make_project) -> None:
    root = make_project({})
    found = refusal(
        root, "ar.csv", "客户名称,单据编号,到期日,金额,已到账,未核销金额\n甲公司,X1,2026-07-01,100.00,40.00,50.00\n"
    )
    assert found == [
        "ar.csv:2: 未核销金额: expected 金额 − 已到账 = 100.00 − 40.00 = 60.00, found 50.00 (difference -10.00); "
        "the row's amounts disagree — nothing is used until they do"
    ]


def test_received_columns_are_paid(make_project) -> None:
    root = make_project({})
    for paid in ("已到账", "已回款", "已收款", "已核销"):
        got = read(
            root,
            "ar.csv",
            f"客户名称,单据编号,到期日,金额,{paid}\n甲公司,X1,2026-07-01,100.00,100.00\n乙公司,X2,2026-07-01,80,30\n",
        )
        assert got == {"甲公司": Decimal("0.00"), "乙公司": Decimal("50.00")}, paid


def test_void_rows_are_skipped_and_counted_and_red_ink_is_a_credit(make_project) -> None:
    root = make_project({})
    text = (
        "客户名称,单据编号,到期日,金额,作废状态,单据状态,红蓝字\n"
        "甲公司,X1,2026-07-01,100.00,否,已审核,蓝字\n"
        "甲公司,X2,2026-07-01,500.00,是,已审核,蓝字\n"
        "甲公司,X3,2026-07-01,300.00,否,已作废,蓝字\n"
        "甲公司,X4,2026-07-01,30.00,否,已审核,红字\n"
        "合计,,,870.00,,,\n"
    )
    assert read(root, "ar.csv", text) == {"甲公司": Decimal("70.00")}
    said = summary(root, "ar.csv")
    assert "2 void row(s) (作废) skipped; 1 red-ink (红字) row(s) read as credits" in said
    assert "with the 2 void row(s), as the ERP totals them to the fen" in said


def test_an_unknown_status_stops_the_run_naming_it_and_the_lines_to_add(make_project) -> None:
    root = make_project({})
    text = (
        "客户名称,单据编号,到期日,金额,单据状态\n甲公司,X1,2026-07-01,100.00,已审核\n甲公司,X2,2026-07-01,9.00,暂存\n"
    )
    [message] = refusal(root, "ar.csv", text)
    assert message.startswith("ar.csv:3: 单据状态: expected a value this tool knows (")
    assert message.endswith(
        "found '暂存'; in site_config/columns.yaml add under 'status_values:' 'void: [暂存]' (the row does not "
        "count) or 'valid: [暂存]' (the row counts)"
    )
    assert read(root, "ar.csv", text, "status_values:\n  void: [暂存]\n") == {"甲公司": Decimal("100.00")}


def test_units_and_currency_anywhere_in_the_title(make_project) -> None:
    root = make_project({})
    body = "客户名称,单据编号,到期日,金额\n甲公司,X1,2026-07-01,1.5\n"
    assert read(root, "a.csv", "应收账款余额表（万元）\n" + body) == {"甲公司": Decimal("15000.00")}
    assert read(root, "b.csv", "应收账款余额表\n金额单位：千元,编制单位：杭州某某有限公司\n" + body) == {
        "甲公司": Decimal("1500.00")
    }
    assert refusal(root, "c.csv", "应收账款余额表\n币种：美元\n" + body) == [
        "c.csv:2: (title): expected amounts in 人民币 (CNY): letters state amounts in RMB, found the currency "
        "'美元' stated in the title; export the report in 人民币 (本位币)"
    ]
    assert refusal(root, "d.csv", "AR Aging,Currency: USD\n" + body)[0].startswith("d.csv:1: (title): expected amounts")


def test_footers_and_repeated_page_headers_are_skipped_and_counted(make_project) -> None:
    root = make_project({})
    text = (
        "应收账款明细表\n客户名称,单据编号,到期日,金额\n甲公司,X1,2026-07-01,100.00\n第 1 页,,,\n"
        "应收账款明细表\n客户名称,单据编号,到期日,金额\n乙公司,X2,2026-07-01,50.00\n合计,,,150.00\n"
        "制表人：张三,审核：李四,打印日期：2026-12-01,\n"
    )
    assert read(root, "ar.csv", text) == {"甲公司": Decimal("100.00"), "乙公司": Decimal("50.00")}
    assert "2 footer row(s) (制表人, 审核, 第 N 页 …) skipped; 2 repeated page header row(s) skipped" in summary(
        root, "ar.csv"
    )


def test_a_formula_without_a_saved_value_stops_the_run_naming_the_cell(make_project) -> None:
    from openpyxl import Workbook

    root = make_project({})
    book = Workbook()
    sheet = book.active
    sheet.append(["客户名称", "单据编号", "到期日", "金额", "已收金额", "未收金额"])
    sheet.append(["甲公司", "X1", "2026-07-01", 100, 40, "=D2-E2"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert refusal(root, "ar.xlsx", buffer.getvalue()) == [
        "ar.xlsx[Sheet]:2: (cell F2): expected a value, found a formula with no saved result (=D2-E2); open the "
        "file in Excel, let it calculate, save it and run again"
    ]


def test_text_amounts_and_dashes(make_project) -> None:
    root = make_project({})
    text = '客户名称,单据编号,到期日,金额,已收金额\n甲公司,X1,2026-07-01,"¥1,234.50",-\n甲公司,X2,2026-07-01,0,\n'
    assert read(root, "ar.csv", text) == {"甲公司": Decimal("1234.50")}


def test_a_customer_with_and_without_its_code_is_one_customer(make_project) -> None:
    root = make_project({})
    text = (
        "客户名称,单据编号,到期日,金额\nC0107 江苏徐州某某有限公司,X1,2026-07-01,100.00\n"
        "江苏徐州某某有限公司,X2,2026-07-01,50.00\n"
    )
    assert read(root, "ar.csv", text) == {"江苏徐州某某有限公司": Decimal("150.00")}
    assert "1 customer code(s) kept apart from the names" in summary(root, "ar.csv")


AGING = (
    "应收账款账龄分析表\n截止日期：2026-11-30,,,,,,\n"
    "客户名称,发票金额,未到期,1-30天,31-60天,61-90天,90天以上,合计\n"
    "甲公司,9000,100.00,200.00,,,300.00,600.00\n乙公司,500,,,50.00,,,50.00\n"
    "合计,,100.00,200.00,50.00,,300.00,650.00\n"
)


def test_an_aging_report_is_ladder_input_and_letters_refuse_it(make_project, capsys, monkeypatch) -> None:
    from tests.hostile.cases import LADDER, MODULE

    root = make_project({"playbook/mod-a.yaml": MODULE, "playbook/ladder.yaml": LADDER, "aging.csv": AGING})
    monkeypatch.chdir(root)
    args = ["--project", str(root), "ladder", "aging.csv", "--as-of", "2026-11-30", "--out", "plan.csv"]
    assert main(args) == 0
    err = capsys.readouterr().err
    plan = list(csv.reader(io.StringIO((root / "plan.csv").read_text(encoding="utf-8-sig"))))
    assert {r[0]: (r[1], r[2]) for r in plan[1:]} == {"甲公司": ("600.00", "90"), "乙公司": ("50.00", "31")}
    assert "days overdue are the lower bound of each customer's oldest non-empty bucket" in err
    args = ["--project", str(root), "letters", "aging.csv", "-t", "reminder-1", "--date", "2026-11-30", "--out", "o"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "aging.csv:3: (file): expected invoice lines (one row per invoice, with its number and due date), "
        "found an aging report (账龄分析表: one row per customer, buckets 未到期, 1-30天, 31-60天, 61-90天, 90天以上)"
    )
    assert "Traceback" not in err and not (root / "o").exists()


def test_an_aging_report_whose_buckets_disagree_with_its_total_is_refused(make_project) -> None:
    root = make_project({})
    assert refusal(root, "aging.csv", AGING.replace("300.00,600.00", "300.00,650.00")) == [
        "aging.csv:4: 合计: expected the sum of the buckets, 600.00, found 650.00 (difference 50.00); nothing is "
        "used until they agree"
    ]


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("未收金额2", "balance"),
        ("本币未收款", "balance"),
        ("未核销余额", "balance"),
        ("剩余应收", "balance"),
        ("未到账金额", "balance"),
        ("已到账金额2", "paid"),
        ("收款金额2", "paid"),
        ("本次核销", "paid"),
        ("本期实收", "paid"),  # 金蝶 K/3 应收款明细表
        ("已收回金额", "paid"),
        ("未收回金额", "balance"),
        ("Received Amount", "paid"),
        ("Open Amt", "balance"),
        ("币种名", "currency"),
    ],
)
def test_the_first_hint_is_the_right_reading(make_project, header: str, meaning: str) -> None:
    """The line a message suggests first, applied as it is, reads the file right (未收 is not 已收)."""
    assert suggestions(header, flag_like=False)[0] == meaning
    if meaning == "currency":
        return
    root = make_project({})
    value = "60.00" if meaning == "balance" else "40.00"
    text = f"客户名称,单据编号,到期日,金额,{header}\n甲公司,X1,2026-07-01,100.00,{value}\n"
    [message] = refusal(root, "ar.csv", text)
    first = re.search(r"one of '([^']+)'", message)
    assert first is not None, message
    assert first.group(1) == f"{meaning}: [{header}]"
    assert read(root, "ar.csv", text, f"columns:\n  {first.group(1)}\n") == {"甲公司": Decimal("60.00")}


def test_every_unknown_column_is_listed_in_one_run_free_text_is_not_used(make_project) -> None:
    root = make_project({})
    text = (
        "客户名称,单据编号,到期日,金额,信用额度,是否作废标记,业务员\n"
        "甲公司,X1,2026-07-01,100.00,5000,否,张三\n甲公司,X2,2026-07-01,1,5000,是,李四\n"
    )
    found = refusal(root, "ar.csv", text)
    assert [f.split(": ", 2)[1] for f in found] == ["信用额度", "是否作废标记"]
    assert "'void: [是否作废标记]' (是 = the row is void)" in found[1]
    config = "columns:\n  void: [是否作废标记]\nignore: [信用额度]\n"
    assert read(root, "ar.csv", text, config) == {"甲公司": Decimal("100.00")}
    assert "columns not used: 业务员" in summary(root, "ar.csv")


def test_the_quick_read_of_a_plain_amount_is_parse_signed_money() -> None:
    """rows._amount reads a plain ``1234.5`` in 元 by itself: the same value, sign and exponent as the
    general reading, and every other cell goes the general way (a dash or a blank is zero)."""
    import random

    from generator.cases.rows import _amount
    from generator.cases.values import ValueProblem, parse_signed_money

    rng = random.Random(24)
    cells = ["-", "—", "", " ", "0", "-0", "00.10", "5.", ".5", "1e3", "１２", "1,234.50", "(5.00)", "5.00-", "¥12"]
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 12)))
        decimals = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 3)))
        cells.append(rng.choice(["", "-"]) + digits + (("." + decimals) if decimals or rng.random() < 0.1 else ""))
    for unit in (Decimal(1), Decimal(10000)):
        for cell in cells:
            try:
                dash = cell.strip() in ("-", "—")
                expected = repr(Decimal(0) if dash else parse_signed_money(cell, unit, blank_is_zero=True))
            except ValueProblem as exc:
                expected = str(exc)
            try:
                got = repr(_amount(cell, unit, unit == 1))
            except ValueProblem as exc:
                got = str(exc)
            assert got == expected.replace("Decimal('0')", "Decimal('0.00')"), (cell, unit)


def test_a_code_is_split_off_only_when_it_is_one(make_project) -> None:
    root = make_project({})
    text = (
        "客户编码,客户名称,单据编号,到期日,金额\nC0107,C0107 江苏徐州某某有限公司,X1,2026-07-01,100.00\n"
        "C0107,江苏徐州某某有限公司,X2,2026-07-01,50.00\n,3M 中国有限公司,X3,2026-07-01,7.00\n"
        ",360 安全科技有限公司,X4,2026-07-01,8.00\n"
    )
    assert read(root, "ar.csv", text) == {
        "江苏徐州某某有限公司": Decimal("150.00"),
        "3M 中国有限公司": Decimal("7.00"),
        "360 安全科技有限公司": Decimal("8.00"),
    }
