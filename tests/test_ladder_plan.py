"""The ladder plan: policy thresholds applied to receivables, exactly."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cases.model import Case, Invoice
from generator.cli import main
from generator.ladder.decide import add_years, decide, rung_of
from generator.loader import load
from generator.project import Project
from tests.conftest import LETTERS, sample_repo

REPO = sample_repo()
"""Upstream's project with the sample company (never the repository's own site_config/)."""

POLICY = load(Project.at(REPO), letter_ids=LETTERS).policy
AS_OF = date(2026, 12, 31)


def case(*invoices: tuple[int, str, str], customer: str = "甲公司") -> Case:
    """invoices: (days before AS_OF the invoice fell due, amount, paid)."""
    return Case(
        customer=customer,
        invoices=tuple(
            Invoice(f"INV-{i}", AS_OF - timedelta(days=days), Decimal(amount), Decimal(paid))
            for i, (days, amount, paid) in enumerate(invoices)
        ),
    )


def test_exact_threshold_reaches_the_rung():
    d = decide(POLICY, case((30, "20000.00", "0")), AS_OF)
    assert (d.days_overdue, d.rung, d.letter, d.approver) == (30, "stop-supply", "stop-supply", "销售总监")
    assert d.bucket == "1–30天" and d.klass == "逾期付款"


def test_one_day_short_stays_below():
    d = decide(POLICY, case((29, "20000.00", "0")), AS_OF)
    assert (d.days_overdue, d.rung, d.letter) == (29, "", "")


def test_fully_paid_has_no_rung_even_when_old():
    d = decide(POLICY, case((400, "20000.00", "20000.00")), AS_OF)
    assert (d.outstanding, d.days_overdue, d.rung, d.bucket, d.klass) == (Decimal("0.00"), 0, "", "", "已结清")


def test_partially_paid_counts_only_the_rest():
    d = decide(POLICY, case((50, "30000.00", "25000.00")), AS_OF)
    assert d.outstanding == Decimal("5000.00")
    assert d.rung == ""  # 50 days but below the 10,000 minimum of stop-supply and stop-service


def test_several_invoices_use_the_oldest_unpaid_invoice():
    d = decide(POLICY, case((200, "10000", "10000"), (95, "60000", "0"), (10, "5000", "0")), AS_OF)
    assert d.days_overdue == 95  # the 200-day invoice is paid
    assert d.outstanding == Decimal("65000")
    assert d.rung == "terminate-authorization"
    assert d.bucket == "90天以上"
    # limitation runs per unpaid invoice: the 95-day one expires first (the paid 200-day one does not count)
    assert d.limitation_ends == add_years(AS_OF - timedelta(days=95), 3)


def test_limitation_of_one_contract_in_instalments_runs_from_the_last_instalment():
    invoices = (
        Invoice("A", AS_OF - timedelta(days=900), Decimal(100), Decimal(100), contract_no="HT-1"),
        Invoice("B", AS_OF - timedelta(days=400), Decimal(100), contract_no="HT-1"),
        Invoice("C", AS_OF - timedelta(days=100), Decimal(100), contract_no="HT-1"),
        Invoice("D", AS_OF - timedelta(days=300), Decimal(100), contract_no="HT-2"),
    )
    d = decide(POLICY, Case(customer="甲公司", invoices=invoices), AS_OF)
    assert d.limitation_ends == add_years(AS_OF - timedelta(days=300), 3)  # HT-2 ends before HT-1's last instalment


def test_limitation_alert_within_the_window():
    d = decide(POLICY, case((3 * 365 - 30, "1000", "0")), AS_OF)
    assert d.limitation_alert and d.klass == "坏账"
    assert not decide(POLICY, case((200, "1000", "0")), AS_OF).limitation_alert


def test_add_years_handles_leap_day():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


@given(
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=3000),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
)
def test_rung_is_monotone_in_days_overdue(a: int, b: int, amount: Decimal):
    order = ["", "stop-supply", "stop-service", "terminate-authorization", "reputation", "legal-action"]
    low, high = sorted((a, b))
    assert order.index(rung_of(POLICY, low, amount)) <= order.index(rung_of(POLICY, high, amount))


def test_cli_writes_csv_and_sortable_html(tmp_path, capsys):
    data = tmp_path / "ar.csv"
    data.write_text(
        "客户名称,联系人,地址,合同编号,发票号码,开票日期,到期日,金额,已付金额\n"
        "甲公司,张三,上海,HT-1,F001,2026-10-01,2026-12-01,20000.00,0\n"
        "=乙公司,李四,北京,HT-2,F002,2026-01-01,2026-02-01,80000.00,10000.00\n"
        "丙公司,王五,广州,HT-3,F003,2026-12-01,2027-01-31,5000.00,0\n",
        encoding="gbk",
    )
    out, html = tmp_path / "plan.csv", tmp_path / "plan.html"
    code = main(
        ["--project", str(REPO), "ladder", str(data), "--as-of", "2026-12-31", "--out", str(out), "--html", str(html)]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:9] == [
        "customer",
        "outstanding",
        "days_overdue",
        "bucket",
        "class",
        "rung",
        "letter",
        "approver",
        "limitation_ends",
    ]
    assert rows[1][:9] == [
        "'=乙公司",
        "70000.00",
        "333",
        "90天以上",
        "准坏账",
        "legal-action",
        "delivery-record",
        "总经理",
        "2029-02-01",
    ]
    assert rows[2][:7] == ["甲公司", "20000.00", "30", "1–30天", "逾期付款", "stop-supply", "stop-supply"]
    assert rows[3][:6] == ["丙公司", "5000.00", "0", "未到期", "未付款", ""]

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.headers: list[str] = []
            self.in_th = False

        def handle_starttag(self, tag, attrs):
            self.in_th = tag == "th"

        def handle_data(self, data):
            if self.in_th and data.strip():
                self.headers.append(data.strip())

    parser = Cells()
    page = html.read_text(encoding="utf-8")
    parser.feed(page)
    assert "逾期天数" in parser.headers and "诉讼时效届满" in parser.headers
    # the plan's rows as the page shows them (the customer as named, not the CSV's formula guard), with
    # the values the sort reads, and the script that sorts by them
    plan = page[page.index('id="plan"') :]
    shown = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>.*?</td>", row, re.S)][:6]
        for row in re.findall(r"<tr>\s*<td.*?</tr>", plan, re.S)
    ]
    assert shown == [
        ["=乙公司", "70,000.00", "333", "90天以上", "准坏账", "法律途径"],
        ["甲公司", "20,000.00", "30", "1–30天", "逾期付款", "停止供货"],
        ["丙公司", "5,000.00", "0", "未到期", "未付款", ""],
    ]
    assert '<td class="num" data-value="70000.00">70,000.00</td>' in plan
    assert 'document.querySelectorAll("#plan th")' in page  # click a heading to sort
    assert "3 customers; 2 at a rung" in capsys.readouterr().err


def test_cli_bad_rows_are_reported_and_nothing_written(tmp_path, capsys):
    data = tmp_path / "ar.csv"
    data.write_text(
        "customer,invoice_no,due_date,amount,paid\n甲,F1,2026-02-30,100,0\n乙,F2,2026-01-01,abc,0\n", encoding="utf-8"
    )
    out = tmp_path / "plan.csv"
    assert main(["--project", str(REPO), "ladder", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{data}:2: due_date:" in err and f"{data}:3: amount:" in err
    assert not out.exists()


@pytest.mark.slow
def test_plan_feeds_letters(tmp_path, capsys):
    data = tmp_path / "ar.csv"
    data.write_text(
        "customer,contact,address,contract_no,invoice_no,invoice_date,due_date,amount,paid,暂停依据\n"
        "甲公司,张三,上海,HT-1,F001,2026-10-01,2026-12-01,20000.00,0,先履行抗辩权\n"
        "=乙公司,李四,北京,HT-2,F002,2026-01-01,2026-02-01,80000.00,10000.00,\n"
        "丙公司,王五,广州,HT-3,F003,2026-12-01,2027-01-31,5000.00,0,\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.csv"
    assert main(["--project", str(REPO), "ladder", str(data), "--as-of", "2026-12-31", "--out", str(plan)]) == 0
    out = tmp_path / "letters"
    assert (
        main(
            [
                "--project",
                str(REPO),
                "letters",
                str(data),
                "--from-plan",
                str(plan),
                "--format",
                "html",
                "--date",
                "2026-12-31",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    manifest = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text(encoding="utf-8-sig"))))
    assert [(row["customer"].lstrip("'"), row["template"]) for row in manifest] == [
        ("甲公司", "stop-supply"),
        ("=乙公司", "delivery-record"),
    ]  # 丙公司 reached no rung: no letter
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".html", ".html"]


def test_plan_with_unknown_letter_is_reported(tmp_path, capsys):
    data = tmp_path / "ar.csv"
    data.write_text("customer,invoice_no,due_date,amount\n甲公司,F1,2026-01-01,100\n", encoding="utf-8")
    plan = tmp_path / "plan.csv"
    plan.write_text("customer,letter\n甲公司,final-demnad\n", encoding="utf-8")
    out = tmp_path / "letters"
    assert main(["--project", str(REPO), "letters", str(data), "--from-plan", str(plan), "--out", str(out)]) == 1
    assert (
        f"{plan}:2: letter: unknown letter template 'final-demnad'; did you mean 'final-demand'?"
        in capsys.readouterr().err
    )
    assert not out.exists()
