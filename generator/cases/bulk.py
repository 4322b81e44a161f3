"""Bulk files: one row per invoice, grouped by customer, checked in full before use.

Pass 1 streams every row and collects every problem (``FILE[sheet]:ROW: column: what``,
the first :data:`MAX_PROBLEMS`, then it stops reading) and what the run summary says;
pass 2 streams the rows again and yields one :class:`Case` per customer. When each
customer's rows are together (the usual ERP export, sorted by customer) pass 2 holds
one customer at a time; otherwise it groups the invoices in memory.

What is read, and what is refused rather than guessed:

* a title row ``单位：万元`` (or a header ``金额（千元）``) scales every amount; another unit is refused;
* a row with a total label (``合计``, ``小 计``, ``Total`` …) in any text cell is a total row, never an
  invoice; the grand total (合计/总计) must equal the sum read, to the fen;
* a negative amount, ``(1,000.00)``, ``1,000.00-`` or a 贷方 amount is a credit note: it reduces the
  customer's outstanding, applied to the oldest unpaid invoices first;
* a currency other than 人民币, a cell beyond the header, an unknown header that looks like money:
  errors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from difflib import get_close_matches
from functools import cached_property
from itertools import chain, compress, starmap
from operator import ne

from generator.cases.columns import CHINESE, HEAD, UNITS, Columns, header_unit, looks_like_money
from generator.cases.model import ZERO, Case, History, Invoice, Suspension
from generator.cases.rules import Horizon, already_listed, invoice_problems, obeys_all, over_maximum
from generator.cases.tabular import Row
from generator.cases.values import (
    ValueProblem,
    customer_key,
    customer_shown,
    parse_date,
    parse_signed_money,
    text,
)
from generator.errors import PlaybookError, Problem, printable
from generator.money import CENT, MAX_AMOUNT, format_amount
from generator.schema.cases import BASIS_WORDS, SUSPENSION_BASES

HEADER_SCAN = 12
"""How many rows may precede the header (ERP exports put a title, a period and a unit above it)."""
MAX_PROBLEMS = 200
"""Problems listed per run; reading stops after that many (a million bad rows fail in seconds)."""
MAX_SKIPPED = 100_000
"""Total rows remembered from pass 1 (a file with more has them looked for again in pass 2)."""
MONEY_FIELDS = ("amount", "paid", "debit", "credit")
CNY = {"cny", "rmb", "人民币", "人民币元", "元", "¥", "本位币", "rmb¥"}
_UNIT_IN_TITLE = re.compile(r"(?:金额)?单位\s*[：:]\s*([^\s,，;；)）]+)")


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
    unused: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @cached_property
    def positions(self) -> tuple[int, ...]:
        """Positions of :data:`_ROW_FIELDS` (a missing column reads as an empty cell), for :func:`clean_row`."""
        return tuple(self.index.get(name, _ABSENT) for name in _ROW_FIELDS)

    @cached_property
    def has_debit(self) -> bool:
        return "debit" in self.index

    @cached_property
    def has_invoice_date(self) -> bool:
        return "invoice_date" in self.index

    @cached_property
    def has_suspension(self) -> bool:
        return "suspension_basis" in self.index


@dataclass(slots=True)
class Parsed:
    key: str
    customer: str
    contact: str
    address: str
    invoice: Invoice
    """A credit note is an Invoice with a negative amount."""
    suspension: Suspension | None = None


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
    control: str = ""
    """How the grand total was checked (or that the file has none)."""
    net_credit: list[tuple[str, Decimal]] = field(default_factory=list)
    """Customers whose credits exceed their invoices: no letter, reported."""
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    stopped_at: int = 0
    """Row after which reading stopped (too many problems), else 0."""
    skipped: set[int] | None = field(default_factory=set)
    """Total rows below the header: pass 2 skips them without looking for total labels again.
    None when there are more than :data:`MAX_SKIPPED` (pass 2 then looks at every row again)."""
    surveyed: bool = False
    """True when pass 1's ``on_case`` saw every case, as pass 2 would make them (a file whose
    customers' rows are together, read without a problem)."""

    def add(self, problem: Problem) -> bool:
        """Record a problem; False once the cap is reached (the caller stops reading)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        return len(self.problems) < MAX_PROBLEMS


def _fail(display: str, row: int, where: str, message: str) -> PlaybookError:
    return PlaybookError([Problem(display, row, 0, where, message)])


def _title_unit(cells: list[object]) -> str | None:
    for cell in cells:
        if isinstance(cell, str):
            match = _UNIT_IN_TITLE.search(unicodedata.normalize("NFKC", cell))
            if match:
                return match.group(1)
    return None


def find_header(rows: Iterator[Row], columns: Columns, display: str) -> tuple[Header, Iterator[Row]]:
    """The header row (up to :data:`HEADER_SCAN` rows of titles above it) and the rows after it.
    A two-row header — 客户/单据号 merged down over two rows, 金额 merged across 借方|贷方 below — is
    read as one: the lower row names the money columns, the upper one the cells merged down."""
    first: tuple[int, list[object]] | None = None
    title_unit: tuple[int, str] | None = None
    for row, cells in rows:
        labels = [text(c) for c in cells]
        if not any(labels):
            continue
        first = first or (row, cells)
        found = {columns.field_of(label) for label in labels} - {None}
        if "customer" in found and found & {"amount", "debit"}:
            for below, lower_cells in rows:
                lower = [text(c) for c in lower_cells]
                if not any(lower):
                    continue
                if {columns.field_of(label) for label in lower} & {"debit", "credit"} and not {
                    columns.field_of(label) for label in lower
                } & {"customer"}:
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
                    return _header(below, merged, columns, display, title_unit), rows
                return _header(row, labels, columns, display, title_unit), chain([(below, lower_cells)], rows)
            return _header(row, labels, columns, display, title_unit), rows
        unit = _title_unit(cells)
        if unit and title_unit is None:
            title_unit = (row, unit)
        if row >= HEADER_SCAN:
            break
    if first is None:
        raise _fail(display, 1, "(file)", "expected a header row and invoice rows, found an empty file")
    return _header(first[0], [text(c) for c in first[1]], columns, display, None), rows  # raises: no customer/amount


def _header(row: int, labels: list[str], columns: Columns, display: str, title_unit: tuple[int, str] | None) -> Header:
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    problems: list[Problem] = []
    unused: list[str] = []
    ignored: list[str] = []
    for position, name in enumerate(labels):
        if not name:
            continue
        which = columns.field_of(name)
        if which is None:
            if columns.ignored(name):
                ignored.append(name)
            elif looks_like_money(name):
                problems.append(
                    Problem(
                        display,
                        row,
                        0,
                        name,
                        "expected every amount, paid, credit or currency column to be used, found "
                        f"this one unknown; in {columns.config} add the line "
                        f"'{_guess_field(name)}: [{name}]' under 'columns:', or '{name}' "
                        "under 'ignore:' if the tool must not use it",
                    )
                )
            else:
                unused.append(name)
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
    known = [n for n in labels if n and columns.field_of(n) is None]
    required = ["customer", "invoice_no", "due_date"] + (["amount"] if "debit" not in index else [])
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
    # units: a title row and the money headers must agree, and be one we know
    declared: dict[str, str] = {}
    if title_unit:
        declared[f"row {title_unit[0]}"] = title_unit[1]
    for name in MONEY_FIELDS:
        if name in label:
            unit = header_unit(label[name])
            if unit:
                declared[f"column '{label[name]}'"] = unit
    unit_label, where = "元", ""
    for place, unit in declared.items():
        if unit not in UNITS:
            problems.append(
                Problem(
                    display,
                    title_unit[0] if title_unit and place.startswith("row") else row,
                    0,
                    "(unit)",
                    f"expected amounts in 元, 千元 or 万元, found '单位：{unit}' ({place}); export the report in 元",
                )
            )
        elif unit_label != "元" and UNITS[unit] != UNITS[unit_label] or (where and UNITS[unit] != UNITS[unit_label]):
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
    )


def _guess_field(header: str) -> str:
    """The column an unknown money-like header most likely is, for the line a message suggests."""
    for words, name in (
        ("币", "currency"),
        ("curr", "currency"),
        ("贷", "credit"),
        ("credit", "credit"),
        ("借", "debit"),
        ("debit", "debit"),
        ("付", "paid"),
        ("收", "paid"),
        ("核销", "paid"),
        ("paid", "paid"),
    ):
        if words in header.casefold():
            return name
    return "amount"


def _currency_ok(value: str) -> bool:
    return not value or unicodedata.normalize("NFKC", value).replace(" ", "").casefold() in CNY


def parse_row(
    row: int,
    cells: list[object],
    header: Header,
    display: str,
    horizon: Horizon | None = None,
    read: Callable[[int, list[object]], Parsed] | None = None,
) -> tuple[Parsed | None, list[Problem]]:
    """A row as an invoice (or a credit note), or every problem it has. ``read`` is
    :func:`row_reader` of ``header`` (made once per file by the caller), else :func:`clean_row`."""
    try:  # most rows are clean: read them once and check the result; a row with any doubt takes the long way
        parsed = read(row, cells) if read is not None else clean_row(row, cells, header)
    except ValueProblem:
        parsed = None
    if parsed is not None and plain_checker(header, horizon)(parsed, cells):
        return parsed, []
    return _parse_row_in_detail(row, cells, header, display, horizon)


def row_parser(
    header: Header, display: str, horizon: Horizon | None = None
) -> Callable[[int, list[object]], tuple[Parsed | None, list[Problem]]]:
    """:func:`parse_row` for every row of one file: its reader and its check made once, not per row."""
    read = row_reader(header)
    plainly_clean = plain_checker(header, horizon)

    def parse(row: int, cells: list[object]) -> tuple[Parsed | None, list[Problem]]:
        try:
            parsed: Parsed | None = read(row, cells)
        except ValueProblem:
            parsed = None
        if parsed is not None and plainly_clean(parsed, cells):
            return parsed, []
        return _parse_row_in_detail(row, cells, header, display, horizon)

    return parse


def plain_checker(header: Header, horizon: Horizon | None) -> Callable[[Parsed, list[object]], bool]:
    """For one header and horizon: whether none of the checks of :func:`_parse_row_in_detail` can fail
    for a row (what it looks up of the header is looked up once)."""
    width, nameless = header.width, header.nameless
    suspension = "suspension_basis" in header.index  # its cells have rules of their own: the detailed path checks them
    currency = header.index.get("currency")

    def plainly_clean(parsed: Parsed, cells: list[object]) -> bool:
        invoice = parsed.invoice
        if (
            suspension
            or not parsed.customer
            or not invoice.invoice_no
            or not obeys_all(invoice.amount, invoice.paid, invoice.invoice_date, invoice.due_date, horizon)
        ):
            return False
        size = len(cells)
        if size > width and any(text(c) for c in cells[width:]):
            return False
        if nameless and any(p < size and text(cells[p]) for p in nameless):
            return False
        return currency is None or currency >= size or _currency_ok(text(cells[currency]))

    return plainly_clean


def _parse_row_in_detail(
    row: int, cells: list[object], header: Header, display: str, horizon: Horizon | None = None
) -> tuple[Parsed | None, list[Problem]]:
    problems: list[Problem] = []

    def cell(name: str) -> object:
        position = header.index.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def bad(name: str, message: str) -> None:
        problems.append(Problem(display, row, 0, header.label.get(name, name), message))

    def read(name: str, parse: Callable[[object], object]) -> object:
        try:
            return parse(cell(name))
        except ValueProblem as exc:
            bad(name, str(exc))
            return None

    for position in range(header.width, len(cells)):
        if text(cells[position]):
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    f"(cell {position + 1})",
                    f"expected at most {header.width} cells as in the header (row {header.row}), "
                    f"found '{printable(text(cells[position]))}' beyond it; a number written "
                    "1,234.56 without quotes in a CSV splits into two cells",
                )
            )
            break
    for position in header.nameless:
        if position < len(cells) and text(cells[position]):
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    f"(cell {position + 1})",
                    f"expected every filled cell under a header, found "
                    f"'{printable(text(cells[position]))}' under a blank header",
                )
            )
            break
    customer = customer_shown(text(cell("customer")))
    if not customer:
        bad("customer", "expected the customer's name, found an empty cell")
    invoice_no = text(cell("invoice_no"))
    if not invoice_no:
        bad("invoice_no", "expected the invoice number, found an empty cell")
    currency = text(cell("currency"))
    if not _currency_ok(currency):
        bad(
            "currency",
            f"expected 人民币 (CNY): letters state amounts in RMB, found '{printable(currency)}'; "
            "convert the row or leave it out of the export",
        )
    invoice_date = None
    if "invoice_date" in header.index and text(cell("invoice_date")):
        invoice_date = read("invoice_date", parse_date)
    unit = header.unit
    if "debit" in header.index:
        debit = read("debit", lambda v: parse_signed_money(v, unit, blank_is_zero=True))
        credit = read("credit", lambda v: parse_signed_money(v, unit, blank_is_zero=True))
        amount = None if debit is None or credit is None else debit - credit  # type: ignore[operator]
        if amount is not None and debit == 0 and credit == 0:
            bad("debit", "expected an amount in 借方 or 贷方, found none")
            amount = None
    else:
        amount = read("amount", lambda v: parse_signed_money(v, unit))
    paid = read("paid", lambda v: parse_signed_money(v, unit, blank_is_zero=True))
    is_credit = amount is not None and amount < 0
    due_blank = not text(cell("due_date"))
    # a credit note needs no due date of its own
    due = (invoice_date or date.min) if is_credit and due_blank else read("due_date", parse_date)
    for name, message in invoice_problems(
        amount,
        paid,  # type: ignore[arg-type]
        invoice_date,  # type: ignore[arg-type]
        due,  # type: ignore[arg-type]
        horizon,
        amount_shown=text(cell("amount")),
        paid_shown=text(cell("paid")),
        credits=True,
    ):
        bad(name, message)
    suspension = _suspension(cell, bad)
    if problems:
        return None, problems
    invoice = Invoice(
        invoice_no=invoice_no,
        due_date=due,  # type: ignore[arg-type]
        amount=amount,  # type: ignore[arg-type]
        paid=paid,  # type: ignore[arg-type]
        invoice_date=invoice_date,  # type: ignore[arg-type]
        contract_no=text(cell("contract_no")),
        row=row,
    )
    return Parsed(
        customer_key(customer), customer, text(cell("contact")), text(cell("address")), invoice, suspension
    ), []


def _suspension(cell: Callable[[str], object], bad: Callable[[str, str], None]) -> Suspension | None:
    """The optional suspension columns of a row (branch legal; same rules as a YAML case's ``suspension``)."""
    written = text(cell("suspension_basis"))
    if not written:
        return None
    basis = BASIS_WORDS.get(written, written)
    if basis not in SUSPENSION_BASES:
        choices = ", ".join((*SUSPENSION_BASES, *BASIS_WORDS))
        close = get_close_matches(written, [*SUSPENSION_BASES, *BASIS_WORDS], n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        bad(
            "suspension_basis",
            f"expected the legal basis of the suspension (one of {choices}), found '{written}'{hint}",
        )
        return None
    clause = text(cell("suspension_clause"))
    evidence = tuple(e.strip() for e in text(cell("suspension_evidence")).replace(";", "；").split("；") if e.strip())
    if basis == "contract-clause" and not clause:
        bad(
            "suspension_clause",
            "expected the contract clause that allows the suspension with basis 'contract-clause', found an empty cell",
        )
    if basis == "insecurity" and not evidence:
        bad(
            "suspension_evidence",
            "expected the evidence required by 民法典第527条 (被执行记录、停产、转移财产 …, "
            "separated by «；») with basis 'insecurity', found an empty cell",
        )
    return Suspension(basis, clause, evidence)


_ROW_FIELDS = (
    "customer",
    "amount",
    "debit",
    "credit",
    "paid",
    "invoice_date",
    "due_date",
    "invoice_no",
    "contract_no",
    "contact",
    "address",
)
_ABSENT = 1 << 30
"""Position of a field the file has no column for: beyond every row, so it reads as an empty cell."""


def clean_row(row: int, cells: list[object], header: Header) -> Parsed:
    """:func:`parse_row` for a row pass 1 found clean: the same values, none of the checks (pass 2 reads
    every row again; this keeps it cheap). tests/test_erp_read.py holds the two to the same result."""
    count = len(cells)
    (
        customer_cell,
        amount_cell,
        debit_cell,
        credit_cell,
        paid_cell,
        date_cell,
        due_cell,
        invoice_cell,
        contract_cell,
        contact_cell,
        address_cell,
    ) = [cells[p] if p < count else None for p in header.positions]
    unit = header.unit
    customer = customer_shown(text(customer_cell))
    if header.has_debit:
        amount = parse_signed_money(debit_cell, unit, blank_is_zero=True) - parse_signed_money(
            credit_cell, unit, blank_is_zero=True
        )
    else:
        amount = parse_signed_money(amount_cell, unit)
    invoice_date = parse_date(date_cell) if header.has_invoice_date and text(date_cell) else None
    due = (invoice_date or date.min) if amount < 0 and not text(due_cell) else parse_date(due_cell)
    invoice = Invoice(
        text(invoice_cell),
        due,
        amount,
        parse_signed_money(paid_cell, unit, blank_is_zero=True),
        invoice_date,
        text(contract_cell),
        row,
    )
    # Rows with suspension columns always take the detailed path (see _plainly_clean) in pass 1.
    suspension = None
    if header.has_suspension:
        index = header.index

        def cell(name: str) -> object:
            position = index.get(name)
            return cells[position] if position is not None and position < count else None

        suspension = _suspension(cell, lambda _name, _message: None)
    return Parsed(customer_key(customer), customer, text(contact_cell), text(address_cell), invoice, suspension)


_BLANK = Decimal("0.00")
"""What a blank paid/debit/credit cell reads as (:func:`parse_signed_money` with ``blank_is_zero``)."""
_ASCII_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?\Z")
_KEPT = 4096
"""Distinct date (or paid) cells a reader remembers (an export spans a few years: a few hundred days)."""


_FEN_PADDING = {0: ".00", 1: "0", 2: ""}
"""A plain number's count of decimals → what writes it with two, as quantizing it to the fen writes it
(``5`` → ``5.00``, ``5.5`` → ``5.50``); none for more than two."""


def row_reader(header: Header) -> Callable[[int, list[object]], Parsed]:
    """:func:`clean_row` for one header, made cheap for the rows a million-row export is made of.

    Same steps, same results (tests/test_erp_fast.py holds the two to identical values, signs and
    exponents): the column positions are looked up once, not per cell; a customer name is read once
    for the run of rows that repeat it (files are sorted by customer), and so are a contact, an
    address and a contract number; a date or paid cell is read once per distinct text; an amount
    written plainly (``1234.50``, ``-1234.50``) or left blank is read here by the very steps
    :func:`parse_signed_money` takes for it; every other cell goes through the same functions as
    :func:`clean_row`. Files with 借方/贷方 or suspension columns use :func:`clean_row` itself."""
    index, unit = header.index, header.unit
    if "debit" in index or "suspension_basis" in index or "amount" not in index:
        return lambda row, cells: clean_row(row, cells, header)
    p_customer, p_no, p_due, p_amount = index["customer"], index["invoice_no"], index["due_date"], index["amount"]
    p_paid, p_date = index.get("paid"), index.get("invoice_date")
    p_contract, p_contact, p_address = index.get("contract_no"), index.get("contact"), index.get("address")
    quantize, ascii_plain = Decimal.quantize, _ASCII_PLAIN.match
    # In 元 (unit 1, exponent 0) ``exact * unit`` is ``exact``, and an amount with at most two decimals
    # quantized to the fen is the same digits written with two: Decimal("100.00") is the result of
    # "100", sign and exponent included, without a multiplication and a quantize (see _FEN_PADDING).
    in_yuan = unit.as_tuple() == Decimal(1).as_tuple()
    earliest = date.min
    # The previous row's cells of the columns that repeat along a customer's rows, and how they read.
    last_customer: object = None
    customer, key = "", ""
    last_contact: object = None
    last_address: object = None
    last_contract: object = None
    contact = address = contract = ""
    days: dict[object, date] = {}
    """Date text → its date (see :data:`_KEPT`); looked up with any cell, it holds only text."""
    paid_texts: dict[object, Decimal] = {}
    """Paid text → the amount: paid cells repeat (0, an instalment) as amounts do not (see :data:`_KEPT`)."""

    def money(value: object, blank_is_zero: bool) -> Decimal:
        if type(value) is str and len(value) <= 18:  # longer: quantize may overflow; the long way says so
            whole, point, decimals = value.partition(".")
            # parse_signed_money's own branch for 1234.50 (its _PLAIN: str.isdecimal() is \d, Unicode's Nd)
            if whole.isdecimal() and (decimals.isdecimal() or not point):
                negative, digits = False, value
            elif value[:1] == "-" and ascii_plain(value, 1):  # its _SIGNED branch, for -1234.50
                negative, digits = True, value[1:]
                decimals = digits.partition(".")[2]
            elif blank_is_zero and not value:
                return _BLANK
            else:
                return parse_signed_money(value, unit, blank_is_zero=blank_is_zero)
            if in_yuan and (padding := _FEN_PADDING.get(len(decimals))) is not None:  # see above
                exact = Decimal(digits + padding if padding else digits)
                return -exact if negative else exact
            exact = (-Decimal(digits) if negative else Decimal(digits)) * unit
            cents = quantize(exact, CENT)
            if exact == cents:
                return cents
        if value is None and blank_is_zero:
            return _BLANK
        return parse_signed_money(value, unit, blank_is_zero=blank_is_zero)

    def day(value: object) -> date:
        """:func:`parse_date`, once per distinct text (only what it reads without a problem is kept)."""
        if type(value) is not str:
            return parse_date(value)
        found = days.get(value)
        if found is None:
            found = parse_date(value)
            if len(days) >= _KEPT:
                days.clear()
            days[value] = found
        return found

    def paid(value: object) -> Decimal:
        """``money(value, True)``, once per distinct text (Decimals are immutable: one may serve many rows)."""
        if type(value) is not str:
            return money(value, True)
        found = paid_texts.get(value)
        if found is None:
            found = money(value, True)
            if len(paid_texts) >= _KEPT:
                paid_texts.clear()
            paid_texts[value] = found
        return found

    def shown(value: object) -> str:
        """:func:`text`, with its usual cell (trimmed, printable, no double space) settled here."""
        if type(value) is str:
            stripped = value.strip()
            if stripped.isprintable() and "  " not in stripped:
                return stripped
        return text(value)

    def read(row: int, cells: list[object]) -> Parsed:
        nonlocal last_customer, customer, key, last_contact, contact, last_address, address, last_contract, contract
        size = len(cells)
        raw = cells[p_customer] if p_customer < size else None
        if not (raw is last_customer or raw == last_customer and type(raw) is str):
            customer = text(raw)
            # text() is trimmed and has no double space: printable, it is already as customer_shown() shows it
            if not customer.isprintable():
                customer = customer_shown(customer)
            key = customer_key(customer)
            last_customer = raw
        amount = money(cells[p_amount] if p_amount < size else None, False)
        raw_date = cells[p_date] if p_date is not None and p_date < size else None
        # text(x) is empty exactly when a str is blank: its first branch strips, nothing else can empty it
        invoice_date = (
            (days.get(raw_date) or day(raw_date))
            if p_date is not None and (raw_date.strip() if type(raw_date) is str else text(raw_date))
            else None
        )
        raw_due = cells[p_due] if p_due < size else None
        due = (invoice_date or earliest) if amount < 0 and not text(raw_due) else days.get(raw_due) or day(raw_due)
        if p_contact is not None:
            raw = cells[p_contact] if p_contact < size else None
            if not (raw is last_contact or raw == last_contact and type(raw) is str):
                contact, last_contact = shown(raw), raw
        if p_address is not None:
            raw = cells[p_address] if p_address < size else None
            if not (raw is last_address or raw == last_address and type(raw) is str):
                address, last_address = shown(raw), raw
        if p_contract is not None:
            raw = cells[p_contract] if p_contract < size else None
            if not (raw is last_contract or raw == last_contract and type(raw) is str):
                contract, last_contract = shown(raw), raw
        invoice = Invoice(
            shown(cells[p_no]) if p_no < size else "",
            due,
            amount,
            paid(cells[p_paid]) if p_paid is not None and p_paid < size else _BLANK,
            invoice_date,
            contract,
            row,
        )
        return Parsed(key, customer, contact, address, invoice, None)

    return read


def _total_kind(cells: list[object], columns: Columns) -> str | None:
    """``grand``/``sub`` when any text cell is a total label (合计, 小 计, Total …), ``*``, ``**`` …
    for an SAP list's sum row (see :func:`_sap_level`), else None."""
    texts = [c for c in cells if type(c) is str and c]
    if texts and texts[0][0] == "*" and _sap_level(cells):
        return "*" * _sap_level(cells)
    return columns.row_total_kind(texts)


def _sap_level(cells: list[object]) -> int:
    """SAP lists (FBL5N …) exported to a spreadsheet mark sum rows with asterisks in the first
    filled cell: ``*`` the lowest subtotal level, ``**`` the next, the grand total the most."""
    for value in cells:
        shown = text(value)
        if shown:
            return len(shown) if shown == "*" * len(shown) and len(shown) <= 5 else 0
    return 0


def _blank(cells: list[object]) -> bool:
    first = cells[0] if cells else None  # usually a filled text cell, which settles it (see text())
    return not (type(first) is str and first.strip()) and not any(c is not None and c != "" and text(c) for c in cells)


_SAP_SUM = re.compile(r"\s*\*{1,3}\s*\Z")


def data_rows(
    rows: Iterator[Row],
    header: Header,
    columns: Columns,
    on_total: Callable[[int, list[object], str], None] | None = None,
) -> Iterator[Row]:
    after = header.row
    total_kind, may_start_total = columns.row_total_kind, columns.may_start_total
    text_only = True
    """Every row so far had only text cells, as a CSV's have: their first characters are taken in one go."""
    for row, cells in rows:
        if row <= after:
            continue
        first = cells[0] if cells else None  # filled text, as usual: not blank (the test of _blank, inline)
        if not (type(first) is str and first.strip()) and _blank(cells):
            continue
        if text_only:  # the usual row, settled at once: no cell starts with * (SAP's sums) or a total label
            try:
                heads = set(map(HEAD, cells))  # type: ignore[arg-type]  # any cell not text: the TypeError
            except TypeError:  # a workbook's number, date or empty cell: the way below from now on
                text_only = False
            else:
                if "*" not in heads and not may_start_total(heads):
                    yield row, cells
                    continue
        # _total_kind, its usual outcome inline: a row whose first text does not start with * (SAP's sums)
        texts = [c for c in cells if type(c) is str and c]
        kind = _total_kind(cells, columns) if texts and texts[0][0] == "*" else total_kind(texts)
        if kind:
            if on_total is not None:
                on_total(row, cells, kind)
            continue
        yield row, cells


def check(
    rows: Iterator[Row],
    columns: Columns,
    display: str,
    horizon: Horizon | None = None,
    on_case: Callable[[Case], None] | None = None,
) -> Summary:
    """Pass 1: every problem in the file (up to the cap), the customer count, whether rows are grouped,
    the control total and what the run summary says.

    ``on_case`` is given each customer's case on the way, as :func:`cases` would make it, while the
    customers' rows are together (:attr:`Summary.surveyed` says whether it saw them all); it must
    only take notes: the file is not known to be clean until this returns."""
    header, rows = find_header(rows, columns, display)
    summary = Summary(header=header)
    spelling: dict[str, str] = {}
    """Customer key → the name as its first row writes it (one entry per customer, not per row)."""
    invoices: dict[str, int] = {}
    """Invoice numbers of the current customer (memory does not grow with rows in a grouped file)."""
    totals: dict[str, Decimal] = {}
    sums = dict.fromkeys(MONEY_FIELDS, ZERO)
    grand: list[tuple[int, list[object]]] = []
    current: str | None = None

    starred: list[tuple[int, list[object], int]] = []
    """SAP sum rows (row, cells, asterisks): which one is the grand total is known at the end."""

    def on_total(row: int, cells: list[object], kind: str) -> None:
        if summary.skipped is not None:
            summary.skipped.add(row)
            if len(summary.skipped) > MAX_SKIPPED:
                summary.skipped = None
        summary.total_rows += 1
        if kind == "grand":
            grand.append((row, cells))
        elif kind.startswith("*"):
            starred.append((row, cells, len(kind)))

    parse = row_parser(header, display, horizon)
    by_side = "debit" in header.index
    """Sum the 借方/贷方 columns separately, as a 合计 row states them."""
    amount_sum = paid_sum = ZERO
    """Σ amount and Σ paid (``sums`` once read: a name, not a dict entry, per row)."""
    owed = ZERO
    """The current customer's outstanding so far (``totals[current]``)."""
    group: list[Parsed] = []
    """The current customer's rows, while ``on_case`` is given the cases."""
    for row, cells in data_rows(rows, header, columns, on_total):
        summary.rows += 1
        parsed, problems = parse(row, cells)
        if problems:
            for problem in problems:
                if not summary.add(problem):
                    summary.stopped_at = row
                    break
            if summary.stopped_at:
                break
        if parsed is None:
            continue
        invoice = parsed.invoice
        amount = invoice.amount
        if by_side:
            for name in ("debit", "credit"):
                if name in header.index:
                    sums[name] += parse_signed_money(cells[header.index[name]], header.unit, blank_is_zero=True)
        else:
            amount_sum += amount
        paid_sum += invoice.paid
        if amount < 0:
            summary.credit_notes += 1
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
                    on_case(_case(group, len(spelling) - 1, display))
                group = []
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
    sums["amount"], sums["paid"] = amount_sum, paid_sum
    if on_case is not None and group and summary.contiguous and not summary.problems:
        on_case(_case(group, len(spelling), display))
        summary.surveyed = True
    if summary.rows == 0 and not summary.problems:
        summary.add(Problem(display, header.row, 0, "(file)", "expected invoice rows below the header, found none"))
    summary.customers = len(spelling)
    if starred and not grand:
        # The grand total of an SAP list is its one sum row with the most asterisks, at the end.
        # Several rows at the top level are subtotals of a list without a grand total: none is used.
        top = max(level for _row, _cells, level in starred)
        at_top = [(row, cells) for row, cells, level in starred if level == top]
        if len(at_top) == 1 and at_top[0][0] == starred[-1][0]:
            grand.append(at_top[0])
    if not summary.problems:
        _control_total(summary, header, grand, sums, display)
    summary.net_credit = [(spelling[k], -t) for k, t in totals.items() if t < 0]
    summary.near_duplicates = near_duplicates(spelling)
    return summary


def check_duplicates(rows: Iterator[Row], columns: Columns, header: Header, display: str) -> list[Problem]:
    """For a file whose customers' rows are not together: invoice numbers listed twice (whole file)."""
    seen: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    parse = row_parser(header, display)
    for row, cells in data_rows(rows, header, columns):
        if row <= header.row:
            continue
        parsed, _ = parse(row, cells)
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
    summary: Summary, header: Header, grand: list[tuple[int, list[object]]], sums: dict[str, Decimal], display: str
) -> None:
    """The accountant's check: the last 合计/总计 row equals the sum of the rows read, to the fen."""
    if not grand:
        summary.control = "no grand-total row (合计/总计) to check the sum against"
        return
    row, cells = grand[-1]
    checked: list[str] = []
    for name in MONEY_FIELDS:
        position = header.index.get(name)
        if position is None or position >= len(cells) or not text(cells[position]):
            continue
        try:
            stated = parse_signed_money(cells[position], header.unit)
        except ValueProblem as exc:
            summary.add(Problem(display, row, 0, header.label[name], f"grand-total row: {exc}"))
            continue
        if stated != sums[name]:
            summary.add(
                Problem(
                    display,
                    row,
                    0,
                    header.label[name],
                    f"expected this grand total to equal the sum of the rows read, "
                    f"{format_amount(sums[name])}, found {format_amount(stated)} (difference "
                    f"{format_amount(stated - sums[name])}); a row is missing, doubled or misread — "
                    "nothing is used until they agree",
                )
            )
        else:
            checked.append(f"{header.label[name]} {format_amount(stated)}")
    if checked:
        summary.control = f"grand total at row {row} matches the rows read to the fen ({', '.join(checked)})"
    elif not summary.problems:
        summary.control = f"grand-total row {row} holds no amount in the columns read; not checked"


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


def known_rows(rows: Iterator[Row], header: Header, skipped: set[int]) -> Iterator[Row]:
    """:func:`data_rows` again, for the same file, once pass 1 has said which rows are total rows."""
    last = header.row
    for row, cells in rows:
        if row <= last or row in skipped:
            continue
        first = cells[0] if cells else None  # filled text, as usual: not blank (the test of _blank, inline)
        if type(first) is str and first.strip() or not _blank(cells):
            yield row, cells


def cases(
    rows: Iterator[Row],
    columns: Columns,
    display: str,
    contiguous: bool,
    header: Header | None = None,
    skipped: set[int] | None = None,
) -> Iterator[Case]:
    """Pass 2 (the file is known to be clean): one Case per customer, in file order. ``skipped``:
    pass 1's :attr:`Summary.skipped` for this header (else every row is looked at again)."""
    if header is None:
        header, rows = find_header(rows, columns, display)
        skipped = None
    read = row_reader(header)
    found = data_rows(rows, header, columns) if skipped is None else known_rows(rows, header, skipped)
    parsed_rows = starmap(read, found)
    if contiguous:
        group: list[Parsed] = []
        number = 0
        key = None
        for parsed in parsed_rows:
            if parsed.key != key:
                if group:
                    number += 1
                    yield _case(group, number, display)
                    group = []
                key = parsed.key
            group.append(parsed)
        if group:
            yield _case(group, number + 1, display)
        return
    groups: dict[str, list[Parsed]] = {}
    for parsed in parsed_rows:
        groups.setdefault(parsed.key, []).append(parsed)
    for number, group in enumerate(groups.values(), start=1):
        yield _case(group, number, display)


def apply_credits(invoices: list[Invoice], credits: list[Invoice]) -> tuple[tuple[Invoice, ...], Decimal]:
    """Credit notes reduce the oldest unpaid invoices first (FIFO, as an aging report does): the applied
    part is added to the invoice's ``paid``. Returns the invoices and the credit left over."""
    left = sum((-c.amount for c in credits), ZERO)
    if not left:
        return tuple(invoices), ZERO
    by_age = sorted(range(len(invoices)), key=lambda i: (invoices[i].due_date, invoices[i].invoice_no))
    result = list(invoices)
    for i in by_age:
        if not left:
            break
        take = min(result[i].outstanding, left)
        if take > 0:
            result[i] = result[i].with_paid(result[i].paid + take)
            left -= take
    return tuple(result), left


_NO_HISTORY = History()
"""A bulk row records no earlier steps."""


def _case(group: list[Parsed], number: int, display: str) -> Case:
    """One customer's case from its rows (in one pass over them: a big export has a case per few rows)."""
    first = group[0]
    contact = address = ""
    suspension = None
    scope: dict[str, None] = {}  # contracts whose rows give the basis (in first-seen order)
    debits: list[Invoice] = []
    credits: list[Invoice] = []
    for parsed in group:  # the first contact, address and suspension given; invoices and credit notes apart
        contact = contact or parsed.contact
        address = address or parsed.address
        suspension = suspension or parsed.suspension
        if parsed.suspension is not None and parsed.suspension == suspension:
            # The basis belongs to a contract: rows of a contract without it stay outside the suspension
            # ("" stands for the rows without a contract number).
            scope[parsed.invoice.contract_no] = None
        invoice = parsed.invoice
        if invoice.amount > 0:
            debits.append(invoice)
        elif invoice.amount < 0:
            credits.append(invoice)
    invoices, left = apply_credits(debits, credits) if credits else (tuple(debits), ZERO)
    return Case(
        customer=first.customer,
        invoices=invoices,
        contact=contact,
        address=address,
        source=f"{display}:{first.invoice.row}",
        number=number,
        suspension=_scoped(suspension, tuple(scope), debits),
        history=_NO_HISTORY,  # what the default makes, once (it is frozen): not a new one per customer
        credits=tuple(credits),
        unapplied_credit=left,
    )


def _scoped(suspension: Suspension | None, scope: tuple[str, ...], rows: list[Invoice]) -> Suspension | None:
    """The suspension limited to the contracts whose rows give it (none limited: no contract numbers)."""
    if suspension is None or not any(i.contract_no for i in rows):
        return suspension
    return replace(suspension, contracts=scope)


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
