"""Reading case files: YAML, CSV (UTF-8 / BOM / GBK) and XLSX, with every bad row reported."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cases import open_cases, read_cases
from generator.errors import PlaybookError
from generator.project import Project
from tests.conftest import sample_repo

REPO = sample_repo()
"""Upstream's project with the sample company (never the repository's own site_config/)."""

PROJECT = Project.at(REPO)
NEVER = "amounts are never rounded"
HEADER = "customer,contact,address,contract_no,invoice_no,invoice_date,due_date,amount,paid\n"


def problems(path: Path, project: Project = PROJECT) -> list[str]:
    with pytest.raises(PlaybookError) as exc:
        list(read_cases(path, project))
    return [str(p) for p in exc.value.problems]


def summary(path: Path, project: Project = PROJECT) -> list[tuple[str, str, date | None, date, int]]:
    return [
        (c.customer, str(c.outstanding), c.oldest_unpaid_due, c.latest_due, len(c.invoices))
        for c in read_cases(path, project)
    ]


EXPECTED = [
    ("华东示例贸易有限公司", "119416.69", date(2026, 8, 31), date(2026, 10, 31), 3),
    ("北方样例机电设备有限公司", "9409.50", date(2026, 7, 15), date(2026, 8, 15), 2),
    ("西南演示科技有限公司", "0.00", None, date(2026, 6, 20), 1),
]


def test_utf8_csv_example() -> None:
    assert summary(REPO / "examples" / "invoices.csv") == EXPECTED


def test_gbk_csv_with_chinese_headers() -> None:
    path = REPO / "examples" / "invoices-gbk.csv"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("客户名称,")
    assert summary(path) == EXPECTED


def test_utf8_with_bom(tmp_path: Path) -> None:
    text = (REPO / "examples" / "invoices.csv").read_text(encoding="utf-8")
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert summary(path) == EXPECTED


def test_yaml_case_example() -> None:
    [case] = read_cases(REPO / "examples" / "case.yaml", PROJECT)
    assert case.customer == "华东示例贸易有限公司"
    assert case.outstanding == Decimal("119416.69")
    assert case.total_paid == Decimal("10000.00")
    assert [p.amount for p in case.plan] == [
        Decimal("40000.00"),
        Decimal("40000.00"),
        Decimal("39416.69"),
    ]
    assert case.delivery is not None and case.delivery.letter == "final-demand"
    assert case.invoices[0].invoice_no == "26310001"
    assert case.days_overdue(date(2026, 9, 10)) == 10


def test_xlsx_with_title_row_real_dates_numbers_and_a_total_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["应收账款逾期明细（2026年12月）"])
    sheet.append([])
    sheet.append(
        [
            "客户名称",
            "联系人",
            "地址",
            "合同编号",
            "发票号码",
            "开票日期",
            "到期日",
            "金额",
            "已付金额",
        ]
    )
    sheet.append(
        [
            "甲公司",
            "张三",
            "北京",
            "HT-1",
            26310001,
            datetime(2026, 1, 5),
            datetime(2026, 2, 5),
            1409.5,
            None,
        ]
    )
    sheet.append(
        [
            "甲公司",
            "张三",
            "北京",
            "HT-1",
            26310002,
            datetime(2026, 1, 9),
            datetime(2026, 3, 5),
            6007.14,
            7,
        ]
    )
    sheet.append(["乙公司", None, None, None, "A-9", "2026-01-02", "2026年4月1日", "107,000.53", 0])
    sheet.append(["合计", None, None, None, None, None, None, 114417.17, 7])
    path = tmp_path / "erp.xlsx"
    book.save(path)
    cases = list(read_cases(path, PROJECT))
    assert [(c.customer, c.outstanding) for c in cases] == [
        ("甲公司", Decimal("7409.64")),
        ("乙公司", Decimal("107000.53")),
    ]
    assert cases[0].invoices[0].invoice_no == "26310001"
    assert cases[0].invoices[0].row == 4
    assert cases[1].latest_due == date(2026, 4, 1)
    assert cases[1].source.endswith("erp.xlsx[Sheet]:6")


def test_xlsx_bad_rows_use_spreadsheet_row_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["customer", "invoice_no", "due_date", "amount"])
    sheet.append(["甲公司", "1", datetime(2026, 2, 5), 1.005])
    sheet.append([])
    sheet.append(["甲公司", "2", "soon", -3])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    shown = project_display(path)
    assert problems(path) == [  # -3 is a credit note (it needs no due date, but one given must be a date)
        f"{shown}[Sheet]:2: amount: expected at most two decimals (分), found '1.005'; " + NEVER,
        f"{shown}[Sheet]:4: due_date: expected a date like 2026-12-31, found 'soon'",
    ]


def project_display(path: Path) -> str:
    return PROJECT.display(path)


def test_every_bad_row_is_reported_once_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "客户名称,发票号码,开票日期,到期日,金额,已付金额\n"
        "甲公司,001,2026-01-01,2026-02-01,100.00,\n"  # 2: fine
        ",002,2026-01-01,2026-02-01,abc,\n"  # 3: customer, amount
        '"乙公司\n（分公司）",003,2026-01-01,2025-12-01,50,60\n'  # 4: line break in quotes
        "丙公司,,2026-02-30,2026-03-01,1.234,-1\n"  # 5: invoice_no, date, amount, paid
        "甲公司,001,2026-01-01,2026-02-01,5,\n",  # 6: duplicate invoice
        encoding="utf-8",
    )
    shown = project_display(path)
    assert problems(path) == [
        f"{shown}:3: 客户名称: expected the customer's name, found an empty cell",
        f"{shown}:3: 金额: expected an amount like 1409.50, found 'abc'",
        f"{shown}:4: 到期日: expected a date on or after the invoice date (2026-01-01), found 2025-12-01",
        f"{shown}:4: 已付金额: expected at most the invoice amount (50.00), found 60.00",
        f"{shown}:5: 发票号码: expected the invoice number, found an empty cell",
        f"{shown}:5: 已付金额: expected an amount of 0 or more, found '-1' (negative)",
        f"{shown}:5: 开票日期: expected a real calendar date, found '2026-02-30'",
        f"{shown}:5: 金额: expected at most two decimals (分), found '1.234'; " + NEVER,
        f"{shown}:6: 发票号码: invoice '001' of this customer is already listed at row 2",
    ]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("customer,amount,paid,金额\n甲,1,0,2\n", encoding="utf-8")
    shown = project_display(path)
    assert problems(path) == [
        f"{shown}:1: due_date: expected a column headed 'due_date' or '到期日' "
        "(or a name listed in site_config/columns.yaml), found none",
        f"{shown}:1: invoice_no: expected a column headed 'invoice_no' or '发票号码' "
        "(or a name listed in site_config/columns.yaml), found none",
        f"{shown}:1: 金额: this column means 'amount' like column 'amount'; keep only one of them",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ":1: (file): expected a header row and invoice rows, found an empty file"),
        (HEADER.encode(), ":1: (file): expected invoice rows below the header, found none"),
        (
            "客户名称\t发票号码\t到期日\t金额\n".encode("utf-16"),  # UTF-16 with BOM (Excel «Unicode 文本») is read
            ":1: (file): expected invoice rows below the header, found none",
        ),
    ],
)
def test_empty_and_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert problems(path) == [project_display(path) + message]


def test_wrong_kind_of_file(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert problems(path) == [  # .xls is read (python-calamine); a damaged one is refused clearly
        f"{project_display(path)}: (file): expected an old Excel (.xls) workbook, found a damaged or unreadable "
        "file (CalamineError: Cfb error: Invalid OLE (4 bytes is too small, signature \\xd0\\xcf\\x11\\xe0 "
        "invalid, not an office document?)); open it in Excel and save it again"
    ]
    assert problems(tmp_path / "missing.csv") == [
        f"{project_display(tmp_path / 'missing.csv')}: expected a case file (.yaml, .csv, .xlsx or .xls), "
        "found no such file"
    ]


def test_rows_of_a_customer_need_not_be_together(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        HEADER + "甲,,,,1,,2026-01-01,10,\n乙,,,,2,,2026-01-01,20,\n甲 ,,,,3,,2026-02-01,30,5\n",
        encoding="utf-8",
    )
    source = open_cases(path, PROJECT)
    assert source.customers == 2
    assert [(c.customer, c.outstanding, c.number) for c in source] == [
        ("甲", Decimal("35.00"), 1),
        ("乙", Decimal("20.00"), 2),
    ]


def test_grouped_rows_are_streamed(tmp_path: Path) -> None:
    path = tmp_path / "sorted.csv"
    path.write_text(HEADER + "".join(f"客户{i},,,,{i},,2026-01-01,1,\n" for i in range(50)), encoding="utf-8")
    cases = read_cases(path, PROJECT)
    first = next(cases)
    assert first.customer == "客户0"
    assert sum(1 for _ in cases) == 49


def test_company_header_names_from_columns_yaml(make_project, tmp_path: Path) -> None:
    root = make_project(
        {
            "site_config/columns.yaml": """\
        columns:
          customer: [往来单位名称]
          amount: [应收金额]
          due_date: [应收日期]
          invoice_no: [单据编号]
        """
        }
    )
    path = tmp_path / "erp.csv"
    path.write_text("往来单位名称,单据编号,应收日期,应收金额（元）\n甲,X1,2026-01-01,12.5\n", encoding="utf-8")
    [case] = read_cases(path, Project.at(root))
    assert case.outstanding == Decimal("12.50")


def test_columns_yaml_mistakes_are_located(make_project) -> None:
    root = make_project(
        {
            "site_config/columns.yaml": """\
        columns:
          custmer: [往来单位]
        """
        }
    )
    path = Path(root) / "x.csv"
    path.write_text(HEADER + "甲,,,,1,,2026-01-01,1,\n", encoding="utf-8")
    [message] = problems(path, Project.at(root))
    assert message.startswith(
        "site_config/columns.yaml:2:3: columns.custmer: unknown key 'custmer'; did you mean 'customer'?"
    )


def test_yaml_case_mistakes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "customer: 甲公司\n"
        "invoices:\n"
        "  - invoice_no: 1\n"
        "    due_date: 2026-01-01\n"
        "    amount: 10.005\n"
        "  - invoice_no: 2\n"
        "    due_date: 2026-01-01\n"
        "    amount: 5\n"
        "    paid: 6\n"
        "plan:\n"
        "  - {due_date: 2026-02-01, amount: 1}\n",
        encoding="utf-8",
    )
    shown = project_display(path)
    assert problems(path) == [
        f"{shown}:5:13: invoices[0].amount: expected at most two decimals (分), found '10.005'; "
        "amounts are never rounded",
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("10.005", "10"), encoding="utf-8")
    assert problems(path) == [
        f"{shown}:9:11: invoices[1].paid: expected at most the invoice amount (5.00), found 6.00",
        f"{shown}:11:3: plan: expected the instalments to add up to the outstanding amount 9.00, found 1.00",
    ]
