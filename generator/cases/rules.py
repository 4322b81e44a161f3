"""The rules one invoice obeys, written once: a YAML case file (:mod:`generator.cases.yamlcase`) and a
bulk row (:mod:`generator.cases.rows`) are checked by these same functions.

:func:`invoice_problems` names every rule an invoice breaks (field, message). A credit note (a bulk row with a
negative amount) has rules of its own: nothing paid on it, and no due date to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.money import MAX_AMOUNT, format_amount

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
"""Dates a run accepts (a letter date, ``--as-of``, an invoice): outside is a typo such as
0001-01-01 or 9999-12-25, and deadlines and limitation periods computed from it would not fit
a calendar date."""


def date_out_of_range(value: date) -> str:
    """Why ``value`` is refused ("" when it is within :data:`EARLIEST`..:data:`LATEST`)."""
    if EARLIEST <= value <= LATEST:
        return ""
    return f"expected a date from {EARLIEST} to {LATEST}, found {value}"


@dataclass(frozen=True)
class Horizon:
    """The day a run is about (letter date, ``--as-of``): an invoice dated later is a typo."""

    day: date
    label: str


def invoice_problems(
    amount: Decimal | None,
    paid: Decimal | None,
    invoice_date: date | None,
    due_date: date | None,
    horizon: Horizon | None,
    *,
    amount_shown: str = "0",
    paid_shown: str = "",
    credits: bool = False,
) -> list[tuple[str, str]]:
    """``(field, message)`` for each rule broken. ``None`` is a value that could not be read (already
    reported). ``credits``: a negative amount is a credit note (bulk files), not an error."""
    found: list[tuple[str, str]] = []
    is_credit = credits and amount is not None and amount < 0
    if amount is not None and (amount == 0 or amount < 0 and not credits):
        found.append(
            (
                "amount",
                f"expected an amount other than 0, found '{amount_shown}'"
                if credits
                else f"expected an amount above 0, found {amount_shown}",
            )
        )
    if paid is not None and paid < 0:
        found.append(("paid", f"expected an amount of 0 or more, found '{paid_shown}' (negative)"))
    elif is_credit:
        if paid:
            found.append(
                (
                    "paid",
                    f"expected nothing paid on a credit note ({format_amount(amount)}), "  # type: ignore[arg-type]
                    f"found {format_amount(paid)}",
                )
            )
    elif amount is not None and paid is not None and paid > amount:
        found.append(
            ("paid", f"expected at most the invoice amount ({format_amount(amount)}), found {format_amount(paid)}")
        )
    for name, day in (("invoice_date", invoice_date), ("due_date", due_date)):
        no_due = is_credit and name == "due_date" and day == date.min  # a credit note's «no due date of its own»
        if day is not None and not no_due and date_out_of_range(day):
            found.append((name, date_out_of_range(day)))
    if horizon is not None and invoice_date is not None and invoice_date > horizon.day:
        found.append(
            (
                "invoice_date",
                f"expected an invoice date on or before {horizon.day} ({horizon.label}), found {invoice_date}",
            )
        )
    if not is_credit and due_date is not None and invoice_date is not None and due_date < invoice_date:
        found.append(("due_date", f"expected a date on or after the invoice date ({invoice_date}), found {due_date}"))
    return found


def already_listed(invoice_no: str, where: str, whose: str = "") -> str:
    """An invoice number a customer lists twice (``where``: ``row 12`` or ``line 30``)."""
    return f"invoice '{invoice_no}'{' ' + whose if whose else ''} is already listed at {where}"


def over_maximum(total: Decimal, whose: str = "an") -> str | None:
    """A customer's outstanding total beyond what a letter can write in words, else None."""
    if total <= MAX_AMOUNT:
        return None
    return (
        f"expected {whose} outstanding total up to {MAX_AMOUNT:,} (what a letter can write in words), found {total:,}"
    )
