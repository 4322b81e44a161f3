"""Aging reports (账龄分析表) as ladder input: one row per customer, bucket columns (未到期, 1-30天,
31-60天 … 1年以上) and a 合计 column.

A customer's outstanding is the sum of its buckets, checked against its 合计 cell and the buckets'
and 合计's sums against the grand-total row, to the fen. An aging report has no invoices: each
non-empty bucket becomes one line dated at its lower bound (``31-60天`` → due 31 days before the
run's date), so the days overdue are those of the oldest non-empty bucket's lower bound — the
summary says so. Letters need invoice lines: ``letters`` refuses an aging report (see
:func:`letters_refusal`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from generator.cases.assemble import case_of
from generator.cases.columns import Columns
from generator.cases.header import Header, unknown_column_problem
from generator.cases.layout import data_rows
from generator.cases.model import ZERO, Case, Invoice
from generator.cases.rows import Parsed, split_code
from generator.cases.tabular import Row
from generator.cases.values import ValueProblem, customer_key, customer_shown, parse_signed_money, text
from generator.cases.verify import Evidence, look, verdict
from generator.errors import PlaybookError, Problem, printable
from generator.money import format_amount

_TOTAL = re.compile(
    r"^(?:合计|总计|合计金额|余额合计|应收余额|应收账款余额|期末余额|余额|total|balance|balancedue|totaldue)$", re.I
)


def total_column(header: Header) -> int | None:
    """The 合计 column of an aging report: a 合计/余额 header among the columns no field names, or the
    balance column."""
    for position, name in header.unused.items():
        if _TOTAL.match(unicodedata.normalize("NFKC", name).replace(" ", "")):
            return position
    return header.index.get("balance")


def letters_refusal(header: Header, display: str) -> PlaybookError:
    columns = ", ".join(label for label, _days in header.buckets.values())
    return PlaybookError(
        [
            Problem(
                display,
                header.row,
                0,
                "(file)",
                f"expected invoice lines (one row per invoice, with its number and due date), found an aging "
                f"report (账龄分析表: one row per customer, buckets {columns}); letters state each unpaid invoice, "
                "so export the 应收明细 / 应收单据明细 (用友: 应收款管理 → 应收明细账; 金蝶: 应收款明细表) and run "
                "letters on it — `playbook ladder` reads this aging report as it is",
            )
        ]
    )


@dataclass
class AgingSummary:
    rows: int = 0
    customers: int = 0
    total_rows: int = 0
    footer_rows: int = 0
    control: str = ""
    unused: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def read_aging(rows: Iterator[Row], header: Header, columns: Columns, display: str, on: date) -> AgingSummary:
    """Every customer's case of an aging report (as of ``on``, the run's date), or every problem."""
    summary = AgingSummary()
    unit = header.unit
    total_at = total_column(header)
    grand: list[list[object]] = []
    grand_row: list[int] = []

    def on_skip(row: int, cells: list[object], kind: str) -> None:
        if kind in ("footer", "page"):
            summary.footer_rows += 1
            return
        summary.total_rows += 1
        if kind == "grand" or kind.startswith("*"):
            grand.append(cells)
            grand_row.append(row)

    def money(row: int, cells: list[object], position: int, name: str) -> Decimal | None:
        value = cells[position] if position < len(cells) else None
        if type(value) is str and value.strip() in ("-", "--", "—", "–", "－", "/"):
            return ZERO
        try:
            return parse_signed_money(value, unit, blank_is_zero=True)
        except ValueProblem as exc:
            summary.problems.append(Problem(display, row, 0, name, str(exc)))
            return None

    evidence = {p: Evidence() for p in header.unused if p != total_at}
    sums = dict.fromkeys(header.buckets, ZERO)
    total_sum = ZERO
    groups: dict[str, list[Parsed]] = {}
    p_customer = header.index["customer"]
    for row, cells in data_rows(rows, header, columns, on_skip):
        summary.rows += 1
        for position, seen in evidence.items():
            look(seen, row, cells[position] if position < len(cells) else None)
        code, name = split_code(customer_shown(text(cells[p_customer] if p_customer < len(cells) else None)))
        if not name:
            summary.problems.append(
                Problem(display, row, 0, header.label["customer"], "expected the customer's name, found an empty cell")
            )
            continue
        amounts: list[tuple[str, int, Decimal]] = []
        ok = True
        for position, (label, days) in header.buckets.items():
            value = money(row, cells, position, label)
            if value is None:
                ok = False
                continue
            sums[position] += value
            if value:
                amounts.append((label, days, value))
        if not ok:
            continue
        outstanding = sum((a for _l, _d, a in amounts), ZERO)
        if total_at is not None:
            stated = money(row, cells, total_at, header.labels_as_written[total_at])
            if stated is None:
                continue
            total_sum += stated
            if stated != outstanding:
                summary.problems.append(
                    Problem(
                        display,
                        row,
                        0,
                        header.labels_as_written[total_at],
                        f"expected the sum of the buckets, {format_amount(outstanding)}, found "
                        f"{format_amount(stated)} (difference {format_amount(stated - outstanding)}); "
                        "nothing is used until they agree",
                    )
                )
                continue
        key = customer_key(name)
        for label, days, value in amounts:
            due = on + timedelta(days=1) if days < 0 else on - timedelta(days=days)
            invoice = Invoice(f"账龄 {label}", due, value, ZERO, None, "", row)
            groups.setdefault(key, []).append(Parsed(key, name, "", "", invoice, None, code))
    unknown = []
    for position, seen in evidence.items():
        found, flag = verdict(seen, header.unused[position])
        if found:
            unknown.append(
                unknown_column_problem(header, position, columns, display, found, flag, frozenset(seen.values))
            )
        else:
            summary.unused.append(header.unused[position])
    summary.problems[:0] = unknown
    if grand and not summary.problems:
        cells, row = grand[-1], grand_row[-1]
        checked = []
        for position, (label, _days) in header.buckets.items():
            if position < len(cells) and text(cells[position]):
                stated = money(row, cells, position, label)
                if stated is not None and stated != sums[position]:
                    summary.problems.append(_grand_problem(display, row, label, sums[position], stated))
                elif stated is not None:
                    checked.append(label)
        if total_at is not None and total_at < len(cells) and text(cells[total_at]):
            name = header.labels_as_written[total_at]
            stated = money(row, cells, total_at, name)
            if stated is not None and stated != total_sum:
                summary.problems.append(_grand_problem(display, row, name, total_sum, stated))
            elif stated is not None:
                checked.append(name)
        summary.control = (
            f"grand total at row {row} matches the rows read to the fen ({', '.join(checked)})"
            if checked
            else f"grand-total row {row} holds no amount in the bucket columns; not checked"
        )
    elif not grand:
        summary.control = "no grand-total row (合计/总计) to check the sum against"
    summary.cases = [case_of(group, number, display) for number, group in enumerate(groups.values(), start=1)]
    summary.customers = len(summary.cases)
    if summary.rows == 0 and not summary.problems:
        summary.problems.append(
            Problem(display, header.row, 0, "(file)", "expected customer rows below the header, found none")
        )
    return summary


def _grand_problem(display: str, row: int, name: str, read: Decimal, stated: Decimal) -> Problem:
    return Problem(
        display,
        row,
        0,
        name,
        f"expected this grand total to equal the sum of the rows read, {format_amount(read)}, found "
        f"{format_amount(stated)} (difference {format_amount(stated - read)}); a row is missing, doubled or "
        "misread — nothing is used until they agree",
    )


def summary_lines(summary: AgingSummary, header: Header, display: str) -> list[str]:
    buckets = ", ".join(f"{label} ≥ {max(days, 0)} days" for label, days in header.buckets.values())
    return [
        f"{display}: an aging report (账龄分析表): read {summary.rows:,} row(s) of {summary.customers:,} "
        f"customer(s); outstanding = the sum of the buckets ({buckets}); {summary.control}",
        f"{display}: days overdue are the lower bound of each customer's oldest non-empty bucket "
        "(未到期 is not overdue); the dates in the plan are those bounds counted back from the --as-of date, "
        f"not invoice due dates; amounts in {header.unit_label}; {summary.total_rows} total row(s) and "
        f"{summary.footer_rows} footer row(s) skipped",
        *(
            [f"{display}: columns not used: {', '.join(printable(n) for n in summary.unused)}"]
            if summary.unused
            else []
        ),
        *(
            [
                f"{display}: columns not used in an aging report (its outstanding is the sum of its buckets): "
                + ", ".join(
                    printable(header.label[n]) for n in ("amount", "paid", "debit", "credit") if n in header.label
                )
            ]
            if any(n in header.label for n in ("amount", "paid", "debit", "credit"))
            else []
        ),
    ]
