"""Bulk files: one row per invoice, grouped by customer, checked in full before use.

Pass 1 streams every row and collects *every* problem (``FILE:ROW: column: what``);
pass 2 streams the rows again and yields one :class:`Case` per customer. When each
customer's rows are together (the usual ERP export, sorted by customer) pass 2 holds
one customer at a time; otherwise it groups the invoices in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import get_close_matches

from generator.cases.columns import CHINESE, REQUIRED, Columns
from generator.cases.model import Case, Invoice, Suspension
from generator.cases.tabular import Row
from generator.cases.values import ValueProblem, customer_key, parse_date, parse_money, text
from generator.errors import PlaybookError, Problem
from generator.money import MAX_AMOUNT, format_amount
from generator.schema.cases import BASIS_WORDS, SUSPENSION_BASES

HEADER_SCAN = 10
"""How many rows may precede the header (ERP exports put a title above it)."""


@dataclass
class Header:
    row: int
    index: dict[str, int]
    """field → column position."""
    label: dict[str, str]
    """field → the header as written in the file (used in messages)."""


@dataclass(slots=True)
class Parsed:
    key: str
    customer: str
    contact: str
    address: str
    invoice: Invoice
    suspension: Suspension | None = None


@dataclass
class Summary:
    """What pass 1 learnt: how many customers and whether their rows are together."""

    customers: int = 0
    rows: int = 0
    contiguous: bool = True
    problems: list[Problem] = field(default_factory=list)


def find_header(rows: Iterator[Row], columns: Columns, display: str) -> Header:
    first: tuple[int, list[object]] | None = None
    for row, cells in rows:
        labels = [text(c) for c in cells]
        if not any(labels):
            continue
        first = first or (row, cells)
        found = {columns.field_of(label) for label in labels} - {None}
        if {"customer", "amount"} <= found:
            return _header(row, labels, columns, display)
        if row >= HEADER_SCAN:
            break
    if first is None:
        raise PlaybookError(
            [
                Problem(
                    display,
                    1,
                    0,
                    "(file)",
                    "expected a header row and invoice rows, found an empty file",
                )
            ]
        )
    return _header(first[0], [text(c) for c in first[1]], columns, display)  # raises: no customer/amount


def _header(row: int, labels: list[str], columns: Columns, display: str) -> Header:
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    problems: list[Problem] = []
    for position, name in enumerate(labels):
        which = columns.field_of(name) if name else None
        if which is None:
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
    unknown = [name for name in labels if name and columns.field_of(name) is None]
    for name in REQUIRED:
        if name not in index:
            close = get_close_matches(name, unknown, n=1, cutoff=0.6) or get_close_matches(
                CHINESE[name], unknown, n=1, cutoff=0.5)
            hint = f"; is the column '{close[0]}' meant to be it? rename it to '{name}'" if close else ""
            problems.append(
                Problem(
                    display,
                    row,
                    0,
                    name,
                    f"expected a column headed '{name}' or '{CHINESE[name]}' "
                    f"(or a name listed in site_config/columns.yaml), found none{hint}",
                )
            )
    if problems:
        raise PlaybookError(problems)
    return Header(row, index, label)


@dataclass(frozen=True)
class Horizon:
    """The day a run is about (letter date, ``--as-of``): an invoice dated later is a typo."""

    day: date
    label: str


def parse_row(row: int, cells: list[object], header: Header, display: str,
              horizon: Horizon | None = None) -> tuple[Parsed | None, list[Problem]]:
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

    customer = text(cell("customer"))
    if not customer:
        bad("customer", "expected the customer's name, found an empty cell")
    invoice_no = text(cell("invoice_no"))
    if not invoice_no:
        bad("invoice_no", "expected the invoice number, found an empty cell")
    invoice_date = None
    if "invoice_date" in header.index and text(cell("invoice_date")):
        invoice_date = read("invoice_date", parse_date)
    due = read("due_date", parse_date)
    amount = read("amount", parse_money)
    paid = read("paid", lambda v: parse_money(v, blank_is_zero=True))
    if amount is not None and amount == 0:
        bad("amount", f"expected an amount above 0, found '{text(cell('amount'))}'")
    if amount is not None and paid is not None and paid > amount:  # type: ignore[operator]
        bad(
            "paid",
            f"expected at most the invoice amount ({format_amount(amount)}), "  # type: ignore[arg-type]
            f"found {format_amount(paid)}",
        )  # type: ignore[arg-type]
    if horizon is not None and invoice_date is not None and invoice_date > horizon.day:  # type: ignore[operator]
        bad("invoice_date", f"expected an invoice date on or before {horizon.day} ({horizon.label}), "
                            f"found {invoice_date}")
    if due is not None and invoice_date is not None and due < invoice_date:  # type: ignore[operator]
        bad(
            "due_date",
            f"expected a date on or after the invoice date ({invoice_date}), found {due}",
        )
    suspension = _suspension(cell, bad)
    if problems:
        return None, problems
    invoice = Invoice(
        invoice_no=invoice_no,
        due_date=due,
        amount=amount,
        paid=paid,  # type: ignore[arg-type]
        invoice_date=invoice_date,
        contract_no=text(cell("contract_no")),  # type: ignore[arg-type]
        row=row,
    )
    return Parsed(customer_key(customer), customer, text(cell("contact")), text(cell("address")), invoice,
                  suspension), []


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
        bad("suspension_basis", f"expected the legal basis of the suspension (one of {choices}), "
                                f"found '{written}'{hint}")
        return None
    clause = text(cell("suspension_clause"))
    evidence = tuple(e.strip() for e in text(cell("suspension_evidence")).replace(";", "；").split("；") if e.strip())
    if basis == "contract-clause" and not clause:
        bad("suspension_clause", "expected the contract clause that allows the suspension with basis "
                                 "'contract-clause', found an empty cell")
    if basis == "insecurity" and not evidence:
        bad("suspension_evidence", "expected the evidence required by 民法典第527条 (被执行记录、停产、转移财产 …, "
                                   "separated by «；») with basis 'insecurity', found an empty cell")
    return Suspension(basis, clause, evidence)


def _is_skipped(cells: list[object], header: Header, columns: Columns) -> bool:
    if not any(text(c) for c in cells):
        return True
    position = header.index["customer"]
    name = text(cells[position]) if position < len(cells) else ""
    return bool(name) and name.startswith(columns.total_labels)


def data_rows(rows: Iterator[Row], header: Header, columns: Columns) -> Iterator[Row]:
    for row, cells in rows:
        if row > header.row and not _is_skipped(cells, header, columns):
            yield row, cells


def check(rows: Iterator[Row], columns: Columns, display: str, horizon: Horizon | None = None) -> Summary:
    """Pass 1: every problem in the file, the customer count, whether rows are grouped."""
    header = find_header(rows, columns, display)
    summary = Summary()
    first_row: dict[str, int] = {}
    invoices: dict[tuple[str, str], int] = {}
    totals: dict[str, Decimal] = {}
    current: str | None = None
    for row, cells in data_rows(rows, header, columns):
        summary.rows += 1
        parsed, problems = parse_row(row, cells, header, display, horizon)
        summary.problems.extend(problems)
        if parsed is None:
            continue
        if parsed.key != current:
            if parsed.key in first_row:
                summary.contiguous = False
            else:
                first_row[parsed.key] = row
            current = parsed.key
        ident = (parsed.key, parsed.invoice.invoice_no)
        if ident in invoices:
            summary.problems.append(
                Problem(
                    display,
                    row,
                    0,
                    header.label["invoice_no"],
                    f"invoice '{parsed.invoice.invoice_no}' of this customer "
                    f"is already listed at row {invoices[ident]}",
                )
            )
        else:
            invoices[ident] = row
        total = totals.get(parsed.key, Decimal(0)) + parsed.invoice.outstanding
        totals[parsed.key] = total
        if total > MAX_AMOUNT >= total - parsed.invoice.outstanding:  # report once, where it tips over
            summary.problems.append(Problem(display, row, 0, header.label["amount"],
                                            f"expected a customer's outstanding total up to {MAX_AMOUNT:,} "
                                            f"(what a letter can write in words), found {total:,}"))
    if summary.rows == 0 and not summary.problems:
        summary.problems.append(
            Problem(
                display,
                header.row,
                0,
                "(file)",
                "expected invoice rows below the header, found none",
            )
        )
    summary.customers = len(first_row)
    return summary


def cases(rows: Iterator[Row], columns: Columns, display: str, contiguous: bool) -> Iterator[Case]:
    """Pass 2 (the file is known to be clean): one Case per customer, in file order."""
    header = find_header(rows, columns, display)
    parsed_rows = (parse_row(row, cells, header, display)[0] for row, cells in data_rows(rows, header, columns))
    if contiguous:
        group: list[Parsed] = []
        number = 0
        for parsed in parsed_rows:
            assert parsed is not None
            if group and parsed.key != group[0].key:
                number += 1
                yield _case(group, number, display)
                group = []
            group.append(parsed)
        if group:
            yield _case(group, number + 1, display)
        return
    groups: dict[str, list[Parsed]] = {}
    for parsed in parsed_rows:
        assert parsed is not None
        groups.setdefault(parsed.key, []).append(parsed)
    for number, group in enumerate(groups.values(), start=1):
        yield _case(group, number, display)


def _case(group: list[Parsed], number: int, display: str) -> Case:
    first = group[0]
    contact = next((p.contact for p in group if p.contact), "")
    suspension = next((p.suspension for p in group if p.suspension), None)
    address = next((p.address for p in group if p.address), "")
    return Case(
        customer=first.customer,
        invoices=tuple(p.invoice for p in group),
        contact=contact,
        address=address,
        source=f"{display}:{first.invoice.row}",
        number=number,
        suspension=suspension,
    )
