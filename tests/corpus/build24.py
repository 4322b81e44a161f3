"""Build the second ERP corpus (issue 24; run once, the files are committed): ``python tests/corpus/build24.py``.

Each export is rendered from invoice records made here (seeded, so the files are the same on every run),
in the layout and with the column names of the system it copies; the truth — each customer's
outstanding, or the exact refusal — is computed here from those records, by plain arithmetic that
shares no code with the reader, and written to ``tests/corpus/truth24.json``, which
``tests/test_erp_corpus24.py`` holds the tool to. What each file carries, by the kinds of issue 24:

* 金蝶云星空 应收单列表 (.xlsx): 单据状态, 作废状态 (已作废 rows), 价税合计 / 已核销金额 / 未核销金额
  (settled rows with 0.00), a 合计 row that leaves the void rows out;
* 用友 YonSuite 应收明细 (.xlsx): 客户编码 column, 本币金额 / 本币余额, 红蓝字 with 红字 rows printed
  without a minus sign;
* 用友 T+ 应收明细 ×3 (CSV, UTF-8 with BOM): 价税合计 / 已收金额 / 未收金额 with «编制单位：…» in the
  title; the same with a printed footer and a page header repeated mid-file; 未收金额 alone;
* 金蝶精斗云 销售单 (.xlsx): 应收金额 / 已收款 / 未收款, 审核状态, footer rows (制单人, 打印时间);
* 浪潮 GS 应收账款余额表 (.xls, BIFF8 by xlwt): «应收账款余额表（万元）» in the title, no «单位：»;
* 鼎捷 应收明细 (CSV, GBK): customer cells with and without a leading code («C0107 江苏徐州…»),
  单号 / 立账日期 / 应收金额 / 已冲金额 / 未冲金额, «-» for nothing, amounts as text with separators;
* a ledger with 已到账 (money received) as the paid column;
* SAP Business One Customer Receivables Aging (.xlsx) and a Chinese 账龄分析表 (.xlsx): ladder input;
* Oracle EBS transaction list (CSV): Customer Number, Transaction Number, Original Amount, Amount Due
  Remaining, «Currency: CNY» in the title;
* refused: «币种：美元» in the title; formulas with no saved result; 未核销金额 that disagrees with
  amount − paid; an unknown numeric column (本次收款); an unknown status value (暂存).
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).parent
AS_OF = date(2026, 11, 30)
CENT = Decimal("0.01")

NAMES = [
    "江苏徐州恒达机械有限公司",
    "浙江宁波明远塑业有限公司",
    "广东佛山顺成五金制品有限公司",
    "山东潍坊东方化工有限公司",
    "四川成都蜀安电子科技有限公司",
    "湖北武汉长江物流有限公司",
    "河南郑州中原建材有限公司",
    "福建厦门海丰食品有限公司",
]


@dataclass
class Record:
    customer: str
    code: str
    number: str
    issued: date
    due: date
    amount: Decimal
    paid: Decimal
    void: bool = False
    red: bool = False

    @property
    def owed(self) -> Decimal:
        """What the record adds to the customer's outstanding (a red-ink record is a credit)."""
        if self.void:
            return Decimal(0)
        sign = -1 if self.red else 1
        return sign * (self.amount - self.paid)


def records(seed: int, customers: int, per: int, *, voids: int = 0, reds: int = 0, settled: int = 1) -> list[Record]:
    rng = random.Random(seed)
    out: list[Record] = []
    for c in range(customers):
        name = NAMES[(seed + c) % len(NAMES)]
        code = f"C{seed:02d}{c + 1:02d}"
        for i in range(per):
            issued = AS_OF - timedelta(days=rng.randint(20, 400))
            amount = Decimal(rng.randint(50_000, 9_000_000)) * CENT
            paid = (amount * Decimal(rng.choice([0, 0, 0, 25, 50]) / 100)).quantize(CENT)
            out.append(
                Record(name, code, f"{seed:02d}{c:02d}{i:03d}", issued, issued + timedelta(days=30), amount, paid)
            )
        # at least one unpaid invoice per customer: the truth never depends on a zero total
        out[-per].paid = Decimal("0.00")
    rng.shuffle(out)
    out.sort(key=lambda r: r.customer)  # exports are sorted by customer
    taken = [r for r in out if r.paid == 0]
    for r in taken[1 : 1 + settled]:
        r.paid = r.amount
    for r in out[1 : 1 + voids]:
        r.void = True
    reds_left = reds
    for r in out[::-1]:
        if reds_left and not r.void and r.paid == 0 and r.amount < Decimal("30000"):
            r.red = True
            reds_left -= 1
    return out


def truth(rows: list[Record], unit: Decimal = Decimal(1)) -> dict[str, str]:
    totals: dict[str, Decimal] = {}
    for r in rows:
        totals[r.customer] = totals.get(r.customer, Decimal(0)) + r.owed * unit
    return {k: str(v.quantize(CENT)) for k, v in totals.items()}


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def plain(value: Decimal) -> str:
    return f"{value:.2f}"


TRUTH: dict[str, dict[str, object]] = {}


def accept(name: str, rows: list[Record], config: str = "", unit: Decimal = Decimal(1), **extra: object) -> None:
    TRUTH[name] = {"config": config, "outstanding": truth(rows, unit), **extra}


def refuse(name: str, first: str, config: str = "") -> None:
    TRUTH[name] = {"config": config, "refusal": first}


def write_csv(name: str, lines: list[list[str]], encoding: str = "utf-8-sig") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(name: str, lines: list[list[object]], sheet: str = "Sheet1") -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for line in lines:
        ws.append(line)
    book.save(HERE / name)


# --- the exports -------------------------------------------------------------------------------------


def kingdee_cloud() -> None:
    rows = records(1, 3, 4, voids=2)
    name = "kingdee-cloud-应收单列表.xlsx"
    lines: list[list[object]] = [
        [
            "单据编号",
            "业务日期",
            "到期日",
            "客户",
            "单据状态",
            "作废状态",
            "币别",
            "价税合计",
            "已核销金额",
            "未核销金额",
        ]
    ]
    for r in rows:
        lines.append(
            [
                f"AR{r.number}",
                datetime.combine(r.issued, datetime.min.time()),
                datetime.combine(r.due, datetime.min.time()),
                r.customer,
                "已审核",
                "已作废" if r.void else "未作废",
                "人民币",
                float(r.amount),
                float(r.paid),
                float(r.amount - r.paid),
            ]
        )
    live = [r for r in rows if not r.void]
    lines.append(
        [
            "合计",
            None,
            None,
            None,
            None,
            None,
            None,
            float(sum(r.amount for r in live)),
            float(sum(r.paid for r in live)),
            float(sum(r.amount - r.paid for r in live)),
        ]
    )
    write_xlsx(name, lines, "应收单")
    assert sum(r.void for r in rows) == 2
    accept(name, rows, void_rows=2)


def yonsuite() -> None:
    rows = records(2, 3, 4, reds=2)
    name = "yonyou-yonsuite-应收明细.xlsx"
    lines: list[list[object]] = [
        ["应收明细"],
        ["组织：华东销售公司", None, None, "币种：人民币"],
        ["客户编码", "客户名称", "单据编号", "单据日期", "到期日", "红蓝字", "本币金额", "本币余额"],
    ]
    for r in rows:  # 红字 rows are printed without a minus sign, as a red-ink invoice prints
        lines.append(
            [r.code, r.customer, r.number, r.issued.isoformat(), r.due.isoformat(), "红字" if r.red else "蓝字"]
            + [float(r.amount), float(r.amount - r.paid)]
        )
    write_xlsx(name, lines, "应收明细")
    assert sum(r.red for r in rows) == 2
    accept(name, rows, red_rows=2)


def tplus() -> None:
    title = [["应收账款明细表"], ["编制单位：杭州某某电子有限公司", "", "", "", "期间：2026年1月-2026年11月"]]
    head = ["往来单位", "单据编号", "单据日期", "到期日", "价税合计", "已收金额", "未收金额"]
    rows = records(3, 3, 4)
    body = [
        [r.customer, r.number, r.issued.isoformat(), r.due.isoformat()]
        + [money(r.amount), plain(r.paid), money(r.amount - r.paid)]
        for r in rows
    ]
    total = [
        "合计",
        "",
        "",
        "",
        money(sum(r.amount for r in rows)),
        money(sum(r.paid for r in rows)),
        money(sum(r.amount - r.paid for r in rows)),
    ]
    write_csv("tplus-应收明细-未收金额.csv", title + [head] + body + [total])
    accept("tplus-应收明细-未收金额.csv", rows)

    rows = records(4, 2, 5)
    body = [
        [r.customer, r.number, r.issued.isoformat(), r.due.isoformat()]
        + [money(r.amount), plain(r.paid) if r.paid else "-", money(r.amount - r.paid)]
        for r in rows
    ]
    half = len(body) // 2
    pages = title + [head] + body[:half] + [["第 1 页 共 2 页"]] + title[:1] + [head] + body[half:]
    pages += [["制表人：王会计", "", "审核：李主管", "", "打印日期：2026-12-01"], ["第 2 页 共 2 页"]]
    write_csv("tplus-应收明细-未收金额-分页.csv", pages)
    accept("tplus-应收明细-未收金额-分页.csv", rows, footer_rows=3, page_rows=2)

    rows = [r for r in records(5, 3, 3) if r.paid != r.amount]
    for r in rows:
        r.paid = Decimal(0)  # an open-items list: what is still owed, nothing else
    head = ["往来单位", "单据编号", "到期日", "未收金额"]
    body = [[r.customer, r.number, r.due.isoformat(), money(r.amount)] for r in rows]
    write_csv("tplus-未收款明细.csv", title + [head] + body)
    accept("tplus-未收款明细.csv", rows)


def jingdouyun() -> None:
    rows = records(6, 3, 3)
    name = "jingdouyun-销售单.xlsx"
    lines: list[list[object]] = [["单据日期", "单据编号", "客户", "到期日", "应收金额", "已收款", "未收款", "审核状态"]]
    for r in rows:
        lines.append(
            [
                r.issued.isoformat(),
                f"XS-{r.number}",
                r.customer,
                r.due.isoformat(),
                float(r.amount),
                float(r.paid),
                float(r.amount - r.paid),
                "已审核",
            ]
        )
    lines += [[], ["制单人：张三", None, None, None, None, None, None, None], ["打印时间：2026-12-01 09:30"]]
    write_xlsx(name, lines, "销售单")
    accept(name, rows, footer_rows=2)


def inspur_gs_xls() -> None:
    import xlwt  # type: ignore[import-untyped]

    rows = records(7, 3, 3)
    for r in rows:  # amounts of a report in 万元: four decimals keep them whole fen
        settled = r.paid == r.amount
        r.amount = (r.amount / 10000).quantize(Decimal("0.0001")) * 10000
        r.paid = r.amount if settled else (r.paid / 10000).quantize(Decimal("0.0001")) * 10000
    name = "inspur-gs-应收账款余额表.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("应收账款余额表")
    sheet.write_merge(0, 0, 0, 5, "应收账款余额表（万元）")
    sheet.write(1, 0, "核算单位：浪潮示例集团有限公司")
    for c, label in enumerate(["客户名称", "单据号", "入账日期", "到期日", "金额", "已收金额"]):
        sheet.write(2, c, label)
    for i, r in enumerate(rows, start=3):
        values = [
            r.customer,
            r.number,
            r.issued.isoformat(),
            r.due.isoformat(),
            float(r.amount / 10000),
            float(r.paid / 10000),
        ]
        for c, v in enumerate(values):
            sheet.write(i, c, v)
    book.save(str(HERE / name))
    accept(name, rows, unit_note="amounts in 万元 (declared in row 1; multiplied by 10,000)")


def digiwin_gbk() -> None:
    rows = records(8, 3, 4)
    name = "digiwin-应收明细-gbk.csv"
    lines = [["应收账款明细"], ["客户名称", "单号", "立账日期", "到期日", "应收金额", "已冲金额", "未冲金额"]]
    for i, r in enumerate(rows):
        shown = f"{r.code} {r.customer}" if i % 2 == 0 else r.customer  # with and without its code
        lines.append(
            [shown, r.number, r.issued.strftime("%Y/%m/%d"), r.due.strftime("%Y/%m/%d")]
            + [money(r.amount), money(r.paid) if r.paid else "-", money(r.amount - r.paid)]
        )
    write_csv(name, lines, "gbk")
    accept(name, rows)


def received_ledger() -> None:
    rows = records(9, 2, 4)
    name = "ledger-已到账.csv"
    lines = [["客户名称", "发票号", "开票日期", "到期日", "发票金额", "已到账"]]
    lines += [
        [r.customer, r.number, r.issued.isoformat(), r.due.isoformat(), plain(r.amount), plain(r.paid)] for r in rows
    ]
    write_csv(name, lines, "utf-8")
    accept(name, rows)


BUCKETS_B1 = [("Future Remit", -1), ("0-30", 0), ("31-60", 31), ("61-90", 61), ("91-120", 91), ("121+", 121)]
BUCKETS_CN = [
    ("未到期", -1),
    ("1-30天", 1),
    ("31-60天", 31),
    ("61-90天", 61),
    ("91-180天", 91),
    ("181-365天", 181),
    ("1年以上", 365),
]


def aging(
    name: str, seed: int, buckets: list[tuple[str, int]], head: list[str], title: list[list[object]], total: str
) -> None:
    rng = random.Random(seed)
    lines: list[list[object]] = [*title, head]
    sums = [Decimal(0)] * len(buckets)
    outstanding: dict[str, str] = {}
    days: dict[str, int] = {}
    for c in range(4):
        customer = NAMES[(seed + c) % len(NAMES)]
        values = [Decimal(rng.choice([0, 0, rng.randint(1000, 900000)])) * CENT for _ in buckets]
        if not any(values):
            values[2] = Decimal("1234.56")
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        outstanding[customer] = str(sum(values, Decimal(0)))
        oldest = max(d for (_label, d), v in zip(buckets, values, strict=True) if v)
        days[customer] = max(oldest, 0)
        lines.append(
            [f"C{c:03d}", customer, float(sum(values, Decimal(0)))] + [float(v) if v else None for v in values]
        )
    lines.append([total, None, float(sum(sums, Decimal(0)))] + [float(v) for v in sums])
    write_xlsx(name, lines)
    TRUTH[name] = {"config": "", "outstanding": outstanding, "days": days, "aging": True}


def agings() -> None:
    aging(
        "sap-b1-customer-receivables-aging.xlsx",
        10,
        BUCKETS_B1,
        ["Customer Code", "Customer Name", "Balance Due", *[b for b, _d in BUCKETS_B1]],
        [["Customer Receivables Aging"], ["Aging Date: 30.11.2026"]],
        "Total",
    )
    aging(
        "账龄分析表.xlsx",
        11,
        BUCKETS_CN,
        ["客户编码", "客户名称", "合计", *[b for b, _d in BUCKETS_CN]],
        [["应收账款账龄分析表"], ["编制单位：杭州某某电子有限公司", None, "截止日期：2026-11-30"]],
        "合计",
    )


def oracle_ebs() -> None:
    rows = records(12, 3, 3)
    name = "oracle-ebs-transactions.csv"
    lines = [["Receivables Transactions Register"], ["Currency: CNY"]]
    lines.append(
        [
            "Customer Name",
            "Customer Number",
            "Transaction Number",
            "Transaction Date",
            "Due Date",
            "Original Amount",
            "Amount Applied",
            "Amount Due Remaining",
        ]
    )
    for r in rows:
        lines.append(
            [
                r.customer,
                r.code,
                r.number,
                r.issued.strftime("%Y-%m-%d"),
                r.due.strftime("%Y-%m-%d"),
                plain(r.amount),
                plain(r.paid),
                plain(r.amount - r.paid),
            ]
        )
    write_csv(name, lines, "utf-8")
    accept(name, rows)


def refusals() -> None:
    head = ["客户名称", "单据编号", "到期日", "金额"]
    write_csv(
        "title-币种美元.csv",
        [["应收账款余额表"], ["币种：美元"], head, ["浙江宁波明远塑业有限公司", "X1", "2026-10-01", "100.00"]],
    )
    refuse(
        "title-币种美元.csv",
        "title-币种美元.csv:2: (title): expected amounts in 人民币 (CNY): letters state amounts in RMB, found the "
        "currency '美元' stated in the title; export the report in 人民币 (本位币)",
    )
    write_xlsx(
        "formula-未收金额.xlsx",
        [
            ["客户名称", "单据编号", "到期日", "金额", "已收金额", "未收金额"],
            ["浙江宁波明远塑业有限公司", "X1", "2026-10-01", 100, 40, "=D2-E2"],
        ],
    )
    refuse(
        "formula-未收金额.xlsx",
        "formula-未收金额.xlsx[Sheet1]:2: (cell F2): expected a value, found a formula with no saved result "
        "(=D2-E2); open the file in Excel, let it calculate, save it and run again",
    )
    write_csv(
        "mismatch-未核销金额.csv",
        [
            ["客户名称", "单据编号", "到期日", "金额", "已核销金额", "未核销金额"],
            ["浙江宁波明远塑业有限公司", "X1", "2026-10-01", "100.00", "40.00", "50.00"],
        ],
    )
    refuse(
        "mismatch-未核销金额.csv",
        "mismatch-未核销金额.csv:2: 未核销金额: expected 金额 − 已核销金额 = 100.00 − 40.00 = 60.00, found 50.00 "
        "(difference -10.00); the row's amounts disagree — nothing is used until they do",
    )
    write_csv(
        "unknown-本次收款.csv",
        [
            ["客户名称", "单据编号", "到期日", "金额", "本次收款"],
            ["浙江宁波明远塑业有限公司", "X1", "2026-10-01", "100.00", "30.00"],
        ],
    )
    refuse(
        "unknown-本次收款.csv",
        "unknown-本次收款.csv:1: 本次收款: expected every column that could change an amount or whether a row "
        "counts to be understood, found numbers (e.g. '30.00' at row 2) in this one; in site_config/columns.yaml "
        "add under 'columns:' one of 'paid: [本次收款]' (money already received against the row), 'balance: "
        "[本次收款]' (what is still owed on the row), 'amount: [本次收款]' (the invoice amount); or the top-level "
        "line 'ignore: [本次收款]' (it changes no amount and no row)",
    )
    write_csv(
        "status-暂存.csv",
        [
            ["客户名称", "单据编号", "到期日", "金额", "单据状态"],
            ["浙江宁波明远塑业有限公司", "X1", "2026-10-01", "100.00", "暂存"],
        ],
    )
    TRUTH["status-暂存.csv"] = {
        "config": "",
        "refusal_start": "status-暂存.csv:2: 单据状态: expected a value this tool knows (",
    }


def main() -> None:
    kingdee_cloud()
    yonsuite()
    tplus()
    jingdouyun()
    inspur_gs_xls()
    digiwin_gbk()
    received_ledger()
    agings()
    oracle_ebs()
    refusals()
    (HERE / "truth24.json").write_text(
        json.dumps(TRUTH, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
