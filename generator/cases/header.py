"""The header of a bulk file and the title block above it.

The header row is found among the first :data:`HEADER_SCAN` rows (titles, a period and a unit come
first in ERP exports); a two-row header (客户 merged down, 金额 merged across 借方|贷方) is read as one.
The title rows are read for what changes every amount: a unit («单位：万元», «（万元）», «金额单位：千元»)
and a currency («币种：美元», «Currency: USD»). 编制单位 / 制表单位 / 公司名称 name a company, not a unit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import get_close_matches
from itertools import chain

from generator.cases.buckets import buckets_of
from generator.cases.columns import CHINESE, UNITS, Columns, choice_lines, header_unit, looks_like_money, normalise
from generator.cases.tabular import Row
from generator.cases.values import text
from generator.errors import PlaybookError, Problem, printable

HEADER_SCAN = 12
"""How many rows may precede the header (ERP exports put a title, a period and a unit above it)."""
MONEY_FIELDS = ("amount", "paid", "debit", "credit", "balance")
CNY = {"cny", "rmb", "人民币", "人民币元", "元", "¥", "本位币", "rmb¥", "综合本位币"}

_UNIT_LABEL = re.compile(
    r"(?:^|(?<=[\s,，;；:：|(（\[【])|(?<=金额)|(?<=货币)|(?<=计量))单位\s*[：:]\s*([^\s,，;；)）\]】]+)"
)
"""«单位：万元» and «金额单位：千元», never «编制单位：杭州…» or «制表单位：»: the word before 单位 must be
nothing, a separator, 金额, 货币 or 计量."""
_UNIT_BRACKETED = re.compile(r"[（(【\[]\s*(?:单位\s*[：:]?\s*)?(元|人民币元|千元|万元|百万元|亿元)\s*[)）】\]]")
"""«应收账款余额表（万元）»: a unit in brackets anywhere in a title row."""
_CURRENCY = re.compile(r"(?:币种|币别|货币|原币|currency)\s*[：:]\s*([^\s,，;；)）]+)", re.I)


@dataclass
class Header:
    row: int
    index: dict[str, int]
    """field → column position."""
    label: dict[str, str]
    """field → the header as written in the file (used in messages)."""
    width: int = 0
    """Position after the last named header: a filled cell at or beyond it has no column."""
    nameless: frozenset[int] = frozenset()
    """Positions before ``width`` whose header is blank."""
    unit: Decimal = Decimal(1)
    unit_label: str = "元"
    unit_where: str = ""
    unused: dict[int, str] = field(default_factory=dict)
    """Position → header of the columns no field names (each looked at, row by row, in pass 1)."""
    ignored: list[str] = field(default_factory=list)
    labels: tuple[str, ...] = ()
    """Every header cell as written: a row repeating them mid-file is a page header."""
    titles: tuple[tuple[str, ...], ...] = ()
    """The filled cells of each title row: a row repeating one mid-file is a page header too."""
    buckets: dict[int, tuple[str, int]] = field(default_factory=dict)
    """An aging report's bucket columns: position → (label, lower bound in days; -1 for 未到期)."""
    labels_as_written: tuple[str, ...] = ()

    @property
    def aging(self) -> bool:
        """An aging report (账龄分析表): customer rows and bucket columns, no invoice lines."""
        return bool(self.buckets)


def find_header(rows: Iterator[Row], columns: Columns, display: str) -> tuple[Header, Iterator[Row]]:
    """The header row (up to :data:`HEADER_SCAN` rows of titles above it) and the rows after it.
    A two-row header — 客户/单据号 merged down over two rows, 金额 merged across 借方|贷方 below — is
    read as one: the lower row names the money columns, the upper one the cells merged down."""
    first: tuple[int, list[object]] | None = None
    titles: list[tuple[int, list[str]]] = []
    for row, cells in rows:
        labels = [text(c) for c in cells]
        if not any(labels):
            continue
        first = first or (row, cells)
        found = {columns.field_of(label) for label in labels} - {None}
        if "customer" in found and (found & {"amount", "debit", "balance"} or len(buckets_of(labels)) >= 2):
            for below, lower_cells in rows:
                lower = [text(c) for c in lower_cells]
                if not any(lower):
                    continue
                lower_found = {columns.field_of(label) for label in lower}
                if lower_found & {"debit", "credit"} and "customer" not in lower_found:
                    merged = [low or (labels[i] if i < len(labels) else "") for i, low in enumerate(lower)]
                    merged += labels[len(lower) :]
                    merged = [
                        ""
                        if columns.field_of(m) == "amount"
                        and columns.field_of(low or "") is None
                        and "debit" in {columns.field_of(x) for x in merged}
                        else m
                        for m, low in zip(merged, lower + [""] * len(merged), strict=False)
                    ]
                    return _header(below, merged, columns, display, titles), rows
                return _header(row, labels, columns, display, titles), chain([(below, lower_cells)], rows)
            return _header(row, labels, columns, display, titles), rows
        titles.append((row, labels))
        if row >= HEADER_SCAN:
            break
    if first is None:
        raise PlaybookError(
            [Problem(display, 1, 0, "(file)", "expected a header row and invoice rows, found an empty file")]
        )
    return _header(first[0], [text(c) for c in first[1]], columns, display, []), rows  # raises: no customer/amount


def _title_facts(titles: list[tuple[int, list[str]]]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(row, unit) and (row, currency) stated anywhere in the title rows."""
    units: list[tuple[int, str]] = []
    currencies: list[tuple[int, str]] = []
    for row, cells in titles:
        for cell in cells:
            if not cell:
                continue
            plain = unicodedata.normalize("NFKC", cell)
            for match in chain(_UNIT_LABEL.finditer(plain), _UNIT_BRACKETED.finditer(plain)):
                units.append((row, match.group(1)))
            for match in _CURRENCY.finditer(plain):
                currencies.append((row, match.group(1)))
    return units, currencies


def _header(row: int, labels: list[str], columns: Columns, display: str, titles: list[tuple[int, list[str]]]) -> Header:
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    problems: list[Problem] = []
    unused: dict[int, str] = {}
    ignored: list[str] = []
    for position, name in enumerate(labels):
        if not name:
            continue
        which = columns.field_of(name)
        if which is None:
            if columns.ignored(name):
                ignored.append(name)
            else:
                unused[position] = name
            continue
        if which in index:
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    name,
                    f"this column means '{which}' like column '{label[which]}'; keep only one of them",
                )
            )
            continue
        index[which] = position
        label[which] = name
    buckets = {p: b for p, b in buckets_of(labels).items() if p in unused}
    if len(buckets) < 2 or "invoice_no" in index:
        buckets = {}
    for position in buckets:
        del unused[position]
    known = [n for n in labels if n and columns.field_of(n) is None]
    required = ["customer"] if buckets else ["customer", "invoice_no", "due_date"]
    if "debit" not in index and "balance" not in index and not buckets:
        required.append("amount")
    for name in required:
        if name not in index:
            close = get_close_matches(name, known, n=1, cutoff=0.6) or get_close_matches(
                CHINESE[name], known, n=1, cutoff=0.5
            )
            hint = f"; is the column '{close[0]}' meant to be it? rename it to '{name}'" if close else ""
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    name,
                    f"expected a column headed '{name}' or '{CHINESE[name]}' "
                    f"(or a name listed in {columns.config}), found none{hint}",
                )
            )
    if "amount" in index and ("debit" in index or "credit" in index):
        problems.append(
            Problem(
                display,
                row,
                0,
                label["amount"],
                "expected either an amount column or 借方/贷方 columns, found both; "
                f"list the one not to use under 'ignore:' in {columns.config}",
            )
        )
    if "credit" in index and "debit" not in index:
        problems.append(
            Problem(
                display,
                row,
                0,
                label["credit"],
                "expected a 借方 (debit) column next to this 贷方 (credit) column, found none",
            )
        )
    units, currencies = _title_facts(titles)
    for at, currency in currencies:
        if unicodedata.normalize("NFKC", currency).casefold() not in CNY:
            problems.append(
                Problem(
                    display,
                    at,
                    0,
                    "(title)",
                    f"expected amounts in 人民币 (CNY): letters state amounts in RMB, found the currency "
                    f"'{printable(currency)}' stated in the title; export the report in 人民币 (本位币)",
                )
            )
    # units: the title rows and the money headers must agree, and be one we know
    declared: dict[str, tuple[int, str]] = {}
    for at, stated in units:
        declared.setdefault(f"row {at}", (at, stated))
    for name in MONEY_FIELDS:
        if name in label:
            in_header = header_unit(label[name])
            if in_header:
                declared[f"column '{label[name]}'"] = (row, in_header)
    unit_label, where = "元", ""
    for place, (at, unit) in declared.items():
        if unit.casefold() in ("人民币", "rmb", "cny"):
            unit = "元"
        if unit not in UNITS:
            problems.append(
                Problem(
                    display,
                    at,
                    0,
                    "(unit)",
                    f"expected amounts in 元, 千元 or 万元, found '单位：{printable(unit)}' ({place}); "
                    "export the report in 元",
                )
            )
        elif where and UNITS[unit] != UNITS[unit_label]:
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    "(unit)",
                    f"expected one unit for all amounts, found {unit_label} ({where}) and {unit} ({place})",
                )
            )
        else:
            unit_label, where = unit, place
    if problems:
        raise PlaybookError(problems)
    named = [p for p, n in enumerate(labels) if n]
    width = named[-1] + 1 if named else 0
    return Header(
        row,
        index,
        label,
        width=width,
        nameless=frozenset(p for p in range(width) if not labels[p]),
        unit=UNITS.get(unit_label, Decimal(1)),
        unit_label=unit_label,
        unit_where=where,
        unused=unused,
        ignored=ignored,
        labels=tuple(normalise(n) for n in labels[:width]),
        titles=tuple(tuple(c for c in cells if c) for _row, cells in titles),
        buckets=buckets,
        labels_as_written=tuple(labels),
    )


def unknown_column_problem(
    header: Header,
    position: int,
    columns: Columns,
    display: str,
    evidence: str,
    flag_like: bool,
    values: frozenset[str] = frozenset(),
) -> Problem:
    """The message for a column no field names that could change an amount or whether a row counts."""
    name = header.unused[position]
    return Problem(
        display,
        header.row,
        0,
        name,
        f"expected every column that could change an amount or whether a row counts to be understood, "
        f"found {evidence} in this one; {choice_lines(name, flag_like, columns.config, values)}",
    )


def money_like(name: str) -> bool:
    """A header that names money or a currency: never left out silently, even when its cells are text."""
    return looks_like_money(name)
