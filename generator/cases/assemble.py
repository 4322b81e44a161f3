"""Pass 2 over a bulk file known to be clean: one :class:`Case` per customer, in file order.

Rows are read by the same :func:`generator.cases.rows.row_reader` as pass 1. When each customer's
rows are together (the usual ERP export, sorted by customer) one customer is held at a time;
otherwise the invoices are grouped in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from generator.cases.columns import Columns
from generator.cases.header import Header, find_header
from generator.cases.layout import blank, data_rows
from generator.cases.model import ZERO, Case, History, Invoice, Suspension
from generator.cases.rows import Parsed, row_reader
from generator.cases.tabular import Row


def known_rows(rows: Iterator[Row], header: Header, skipped: set[int]) -> Iterator[Row]:
    """:func:`data_rows` again, for the same file, once pass 1 has said which rows hold no invoice."""
    last = header.row
    for row, cells in rows:
        if row <= last or row in skipped:
            continue
        first = cells[0] if cells else None  # filled text, as usual: not blank
        if type(first) is str and first.strip() or not blank(cells):
            yield row, cells


def cases(
    rows: Iterator[Row],
    columns: Columns,
    display: str,
    contiguous: bool,
    header: Header | None = None,
    skipped: set[int] | None = None,
) -> Iterator[Case]:
    """One Case per customer, in file order. ``skipped``: pass 1's :attr:`Summary.skipped` for this
    header (else every row is looked at again)."""
    if header is None:
        header, rows = find_header(rows, columns, display)
        skipped = None
    read = row_reader(header, columns, display)
    found = data_rows(rows, header, columns) if skipped is None else known_rows(rows, header, skipped)
    parsed_rows = (parsed for parsed, _problems, _skipped in (read(row, cells) for row, cells in found) if parsed)
    if contiguous:
        group: list[Parsed] = []
        number = 0
        key = None
        for parsed in parsed_rows:
            if parsed.key != key:
                if group:
                    number += 1
                    yield case_of(group, number, display)
                    group = []
                key = parsed.key
            group.append(parsed)
        if group:
            yield case_of(group, number + 1, display)
        return
    groups: dict[str, list[Parsed]] = {}
    for parsed in parsed_rows:
        groups.setdefault(parsed.key, []).append(parsed)
    for number, group in enumerate(groups.values(), start=1):
        yield case_of(group, number, display)


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


def case_of(group: list[Parsed], number: int, display: str) -> Case:
    """One customer's case from its rows (in one pass over them: a big export has a case per few rows)."""
    first = group[0]
    contact = address = ""
    suspension: Suspension | None = None
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
