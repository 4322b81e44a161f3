"""Pass 1 over a bulk file: every problem (``FILE[sheet]:ROW: column: what``, the first
:data:`MAX_PROBLEMS`, then it stops reading), what the run summary says, and the control total.

Every column is accounted for: a column no field names is looked at row by row, and one holding
numbers, or a short set of repeated flag-like values (是/否, 红/蓝, 已审核/作废 …), or headed like money,
stops the run with the exact ``columns.yaml`` lines to choose from; only free text is left «not used».
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from operator import ne

from generator.cases.assemble import case_of
from generator.cases.columns import Columns, label_key
from generator.cases.header import MONEY_FIELDS, Header, find_header, money_like, unknown_column_problem
from generator.cases.layout import data_rows
from generator.cases.model import ZERO, Case
from generator.cases.rows import SKIP_SETTLED, SKIP_VOID, Parsed, row_reader
from generator.cases.rules import Horizon, already_listed, over_maximum
from generator.cases.tabular import Row
from generator.cases.values import ValueProblem, parse_date, parse_signed_money, text
from generator.errors import PlaybookError, Problem
from generator.money import MAX_AMOUNT, format_amount

MAX_PROBLEMS = 200
"""Problems listed per run; reading stops after that many (a million bad rows fail in seconds)."""
MAX_SKIPPED = 100_000
"""Skipped rows remembered from pass 1 (a file with more has them looked for again in pass 2)."""
FLAG_VALUES = 8
"""At most this many distinct values, one of them flag-like, make a column a flag (是/否, 红/蓝 …)."""
_FLAG = re.compile(
    r"^(?:是|否|y|n|yes|no|true|false|√|×|x|✓)$|作废|废|红|蓝|冲|审|关闭|取消|撤销|有效|无效|挂起|冻结|结清|"
    r"void|cancel|revers|posted|closed|blocked",
    re.I,
)
_REMARK = re.compile(r"摘要|备注|说明|附言|事由|remark|^text$|note|memo|description", re.I)
"""Headers of free text by nature: a remark saying «销售退回（红字）» is read by a person, not a flag."""
_CODE_LIKE = re.compile(r"^0\d|^\d{11,}$")
"""Numbers that are codes, not amounts: a leading zero (0107), or eleven digits and more (phones, 税号)."""


@dataclass
class Evidence:
    """What pass 1 saw in a column no field names."""

    number: tuple[int, str] | None = None
    """The first cell holding an amount (row, text)."""
    values: set[str] = field(default_factory=set)
    """Distinct values, while there are at most :data:`FLAG_VALUES` of them."""
    many: bool = False
    filled: int = 0


@dataclass
class Summary:
    """What pass 1 learnt: counts, whether rows are together, the problems, what the run summary says."""

    customers: int = 0
    rows: int = 0
    contiguous: bool = True
    problems: list[Problem] = field(default_factory=list)
    header: Header | None = None
    total_rows: int = 0
    credit_notes: int = 0
    red_rows: int = 0
    void_rows: int = 0
    zero_rows: int = 0
    footer_rows: int = 0
    page_rows: int = 0
    coded: int = 0
    """Customers whose code was kept apart from the name."""
    two_codes: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, code, other code): one name written with two codes, read as one customer."""
    control: str = ""
    """How the grand total was checked (or that the file has none)."""
    net_credit: list[tuple[str, Decimal]] = field(default_factory=list)
    """Customers whose credits exceed their invoices: no letter, reported."""
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    stopped_at: int = 0
    """Row after which reading stopped (too many problems), else 0."""
    skipped: set[int] | None = field(default_factory=set)
    """Rows below the header that hold no invoice (totals, footers, void …): pass 2 skips them without
    looking again. None when there are more than :data:`MAX_SKIPPED`."""
    surveyed: bool = False
    """True when pass 1's ``on_case`` saw every case, as pass 2 would make them."""
    unused: list[str] = field(default_factory=list)
    """Free-text columns left out (names, addresses, remarks)."""

    def add(self, problem: Problem) -> bool:
        """Record a problem; False once the cap is reached (the caller stops reading)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        return len(self.problems) < MAX_PROBLEMS

    def skip(self, row: int) -> None:
        if self.skipped is not None:
            self.skipped.add(row)
            if len(self.skipped) > MAX_SKIPPED:
                self.skipped = None


def _money(value: object, unit: Decimal) -> Decimal:
    if type(value) is str and value.strip() in ("-", "--", "—", "–", "－", "——", "/"):
        return ZERO
    return parse_signed_money(value, unit, blank_is_zero=True)


def check(
    rows: Iterator[Row],
    columns: Columns,
    display: str,
    horizon: Horizon | None = None,
    on_case: Callable[[Case], None] | None = None,
    formulas: list[tuple[int, str, str]] | None = None,
) -> Summary:
    """Pass 1: every problem in the file (up to the cap), the customer count, whether rows are grouped,
    the control total and what the run summary says. ``formulas``: cells (row, ref, formula) with no
    saved result, each a problem.

    ``on_case`` is given each customer's case on the way, as pass 2 would make it, while the customers'
    rows are together (:attr:`Summary.surveyed` says whether it saw them all); it must only take notes:
    the file is not known to be clean until this returns."""
    header, rows = find_header(rows, columns, display)
    summary = Summary(header=header)
    for row, ref, formula in formulas or []:
        summary.add(
            Problem(
                display,
                row,
                0,
                f"(cell {ref})",
                f"expected a value, found a formula with no saved result (={formula}); open the file in Excel, "
                "let it calculate, save it and run again",
            )
        )
    if summary.problems or header.aging:  # formulas read as empty would be read as 0: nothing else is worth saying;
        return summary  # an aging report is read by generator.cases.aging
    spelling: dict[str, str] = {}
    """Customer key → the name as its first row writes it (one entry per customer, not per row)."""
    codes: dict[str, str] = {}
    invoices: dict[str, int] = {}
    """Invoice numbers of the current customer (memory does not grow with rows in a grouped file)."""
    totals: dict[str, Decimal] = {}
    present = [name for name in MONEY_FIELDS if name in header.index]
    sums = dict.fromkeys(MONEY_FIELDS, ZERO)
    void_sums = dict.fromkeys(MONEY_FIELDS, ZERO)
    grand: list[tuple[int, list[object]]] = []
    starred: list[tuple[int, list[object], int]] = []
    """SAP sum rows (row, cells, asterisks): which one is the grand total is known at the end."""
    evidence = {position: Evidence() for position in header.unused}

    def on_skip(row: int, cells: list[object], kind: str) -> None:
        summary.skip(row)
        if kind == "footer":
            summary.footer_rows += 1
            return
        if kind == "page":
            summary.page_rows += 1
            return
        summary.total_rows += 1
        if kind == "grand":
            grand.append((row, cells))
        elif kind.startswith("*"):
            starred.append((row, cells, len(kind)))

    read = row_reader(header, columns, display, horizon)
    current: str | None = None
    owed = ZERO
    group: list[Parsed] = []
    index, unit = header.index, header.unit
    for row, cells in data_rows(rows, header, columns, on_skip):
        summary.rows += 1
        for position, seen in evidence.items():
            look(seen, row, cells[position] if position < len(cells) else None)
        parsed, problems, skipped = read(row, cells)
        if problems:
            for problem in problems:
                if not summary.add(problem):
                    summary.stopped_at = row
                    break
            if summary.stopped_at:
                break
        if skipped:
            summary.skip(row)
            if skipped == SKIP_VOID:
                summary.void_rows += 1
            elif skipped == SKIP_SETTLED:
                summary.zero_rows += 1
        if parsed is None and skipped != SKIP_SETTLED and skipped != SKIP_VOID:
            continue
        if parsed is None:  # a void or zero row: what its cells say still counts towards the ERP's totals
            into = void_sums if skipped == SKIP_VOID else sums
            for name in present:
                position = index[name]
                try:
                    into[name] += _money(cells[position] if position < len(cells) else None, unit)
                except ValueProblem:
                    continue  # a void row's unreadable cell: not used
        else:
            for position, name in enumerate(MONEY_FIELDS):  # the order of Parsed.money
                sums[name] += parsed.money[position]
        if parsed is None:
            continue
        invoice = parsed.invoice
        amount = invoice.amount
        if amount < 0:
            summary.credit_notes += 1
        if parsed.red:
            summary.red_rows += 1
        key = parsed.key
        if key != current:
            if key in spelling:
                summary.contiguous = False
            else:
                spelling[key] = parsed.customer
            current = key
            invoices = {}
            owed = totals.get(key, ZERO)
            if on_case is not None and group:
                if summary.contiguous:
                    on_case(case_of(group, len(spelling) - 1, display))
                group = []
        if parsed.code:
            other = codes.setdefault(key, parsed.code)
            if other != parsed.code and len(summary.two_codes) < 50:
                pair = (parsed.customer, other, parsed.code)
                if pair not in summary.two_codes:
                    summary.two_codes.append(pair)
        if on_case is not None and summary.contiguous:
            group.append(parsed)
        number = invoice.invoice_no
        listed = invoices.get(number)
        if listed is not None:
            summary.add(
                Problem(
                    display,
                    row,
                    0,
                    header.label["invoice_no"],
                    already_listed(number, f"row {listed}", "of this customer"),
                )
            )
        else:
            invoices[number] = row
        before = owed
        owed = totals[key] = before + (amount - invoice.paid)
        if owed > MAX_AMOUNT >= before:  # report once, where it tips over
            summary.add(
                Problem(display, row, 0, header.label.get("amount", "amount"), over_maximum(owed, "a customer's") or "")
            )
    unknown = [
        unknown_column_problem(header, position, columns, display, found, flag, frozenset(seen.values))
        for position, seen in evidence.items()
        for found, flag in [verdict(seen, header.unused[position])]
        if found
    ]
    summary.problems[:0] = unknown
    del summary.problems[MAX_PROBLEMS:]
    summary.unused = [header.unused[p] for p, seen in evidence.items() if not verdict(seen, header.unused[p])[0]]
    if on_case is not None and group and summary.contiguous and not summary.problems:
        on_case(case_of(group, len(spelling), display))
        summary.surveyed = True
    if summary.rows == 0 and not summary.problems:
        summary.add(Problem(display, header.row, 0, "(file)", "expected invoice rows below the header, found none"))
    summary.customers = len(spelling)
    summary.coded = len(codes)
    if starred and not grand:
        # The grand total of an SAP list is its one sum row with the most asterisks, at the end.
        # Several rows at the top level are subtotals of a list without a grand total: none is used.
        top = max(level for _row, _cells, level in starred)
        at_top = [(row, cells) for row, cells, level in starred if level == top]
        if len(at_top) == 1 and at_top[0][0] == starred[-1][0]:
            grand.append(at_top[0])
    if not summary.problems:
        _control_total(summary, header, grand, sums, void_sums, display)
    summary.net_credit = [(spelling[k], -t) for k, t in totals.items() if t < 0]
    summary.near_duplicates = near_duplicates(spelling)
    return summary


def look(seen: Evidence, row: int, value: object) -> None:
    """Take note of one cell of a column no field names."""
    shown = text(value)
    if not shown:
        return
    seen.filled += 1
    if not seen.many:
        seen.values.add(shown)
        if len(seen.values) > FLAG_VALUES:
            seen.many = True
            seen.values = set()
    if seen.number is None and not _CODE_LIKE.match(shown):
        try:
            _money(value, Decimal(1))
        except ValueProblem:
            return
        if shown.strip() in ("-", "--", "—", "–", "－", "——", "/"):
            return
        try:
            parse_date(value)
        except ValueProblem:
            seen.number = (row, shown)


def verdict(seen: Evidence, name: str) -> tuple[str, bool]:
    """(what makes the column one that must be understood, whether it is a flag); ("", False) for free text."""
    if _REMARK.search(name):
        return "", False
    if seen.number is not None:
        return f"numbers (e.g. '{seen.number[1]}' at row {seen.number[0]})", False
    if not seen.many and seen.values and any(_FLAG.search(label_key(v)) for v in seen.values):
        listed = ", ".join(sorted(seen.values))
        return f"a short set of repeated values ({listed})", True
    if money_like(name) and seen.filled:
        return "a header that names money or a currency", False
    return "", False


def check_duplicates(
    rows: Iterator[Row], columns: Columns, header: Header, display: str, skipped: set[int] | None
) -> list[Problem]:
    """For a file whose customers' rows are not together: invoice numbers listed twice (whole file)."""
    seen: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    read = row_reader(header, columns, display)
    for row, cells in data_rows(rows, header, columns):
        if skipped is not None and row in skipped:
            continue
        parsed, _problems, _skipped = read(row, cells)
        if parsed is None:
            continue
        ident = (parsed.key, parsed.invoice.invoice_no)
        if ident in seen:
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    header.label["invoice_no"],
                    already_listed(ident[1], f"row {seen[ident]}", "of this customer"),
                )
            )
            if len(problems) >= MAX_PROBLEMS:
                break
        else:
            seen[ident] = row
    return problems


def _control_total(
    summary: Summary,
    header: Header,
    grand: list[tuple[int, list[object]]],
    sums: dict[str, Decimal],
    void_sums: dict[str, Decimal],
    display: str,
) -> None:
    """The accountant's check: the last 合计/总计 row equals the sum of the rows read, to the fen (void
    rows left out, or — as some ERPs total them — included; the summary says which)."""
    if not grand:
        summary.control = "no grand-total row (合计/总计) to check the sum against"
        return
    row, cells = grand[-1]
    stated: dict[str, Decimal] = {}
    for name in MONEY_FIELDS:
        position = header.index.get(name)
        if position is None or position >= len(cells) or not text(cells[position]):
            continue
        try:
            stated[name] = parse_signed_money(cells[position], header.unit)
        except ValueProblem as exc:
            summary.add(Problem(display, row, 0, header.label[name], f"grand-total row: {exc}"))
    if summary.problems:
        return
    if not stated:
        summary.control = f"grand-total row {row} holds no amount in the columns read; not checked"
        return
    voids = ""
    if (
        any(stated[n] != sums[n] for n in stated)
        and summary.void_rows
        and all(stated[n] == sums[n] + void_sums[n] for n in stated)
    ):
        voids = f" with the {summary.void_rows} void row(s), as the ERP totals them"
        sums = {n: sums[n] + void_sums[n] for n in sums}
    checked: list[str] = []
    for name, value in stated.items():
        if value != sums[name]:
            summary.add(
                Problem(
                    display,
                    row,
                    0,
                    header.label[name],
                    f"expected this grand total to equal the sum of the rows read, "
                    f"{format_amount(sums[name])}, found {format_amount(value)} (difference "
                    f"{format_amount(value - sums[name])}); a row is missing, doubled or misread — "
                    "nothing is used until they agree",
                )
            )
        else:
            checked.append(f"{header.label[name]} {format_amount(value)}")
    if not summary.problems:
        summary.control = f"grand total at row {row} matches the rows read{voids} to the fen ({', '.join(checked)})"


_NUMERALS = set("0123456789一二三四五六七八九十")
"""Names that differ in one numeral (第一分公司, 第二分公司; 3号店, 4号店) are different customers."""
_FORMS = (("有限责任公司", "有限公司"), ("股份有限公司", "有限公司"), ("责任", ""))
NEAR_DUPLICATES_SHOWN = 50


def near_duplicates(spelling: dict[str, str], limit: int = NEAR_DUPLICATES_SHOWN) -> list[tuple[str, str]]:
    """Pairs of customers whose names differ by one character, or only by 有限公司/有限责任公司.
    Compares neighbours in sorted order (forwards and backwards), so it stays fast for many customers."""
    pairs: dict[tuple[str, str], None] = {}
    canonical: dict[str, str] = {}
    for key in spelling:
        form = key
        for long, short in _FORMS:
            form = form.replace(long, short)
        other = canonical.setdefault(form, key)
        if other != key:
            pairs[(other, key)] = None
    for order in (sorted(spelling), sorted(spelling, key=lambda k: k[::-1])):
        for a, b in zip(order, order[1:], strict=False):
            if len(a) == len(b) and len(a) >= 4:
                differ = compress(range(len(a)), map(ne, a, b))  # where they differ, found in C, up to the second
                at = next(differ, None)
                if at is not None and next(differ, None) is None and not (a[at] in _NUMERALS and b[at] in _NUMERALS):
                    pairs[(a, b) if a < b else (b, a)] = None
        if len(pairs) >= limit:
            break
    return [(spelling[a], spelling[b]) for a, b in list(pairs)[:limit]]


def fail_if_problems(summary: Summary, display: str) -> None:
    if summary.stopped_at:
        summary.problems.append(
            Problem(
                display,
                0,
                0,
                "(file)",
                f"stopped reading at row {summary.stopped_at} after the first {MAX_PROBLEMS} "
                "problems (listed below); fix these and run again",
            )
        )
    if summary.problems:
        raise PlaybookError(summary.problems)
