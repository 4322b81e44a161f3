"""One row of a bulk file → one invoice (or credit note), a skipped row, or every problem it has.

This is the only way a row is read: pass 1 (the check) and pass 2 (the cases) call the same
:func:`row_reader`, so what is checked is what is used. What a row's cells mean:

* **amounts**: ``amount``, or ``debit − credit`` (借方/贷方); ``0``, a blank and ``-`` in a money column
  are zero; amounts stored as text (``1,234.50``, ``¥1,234.50``) are numbers; negative amounts,
  ``(1,000.00)`` and ``1,000.00-`` are credit notes;
* **balance** (未收金额, 余额 …): what is still owed; with amount and paid beside it, ``amount − paid``
  must equal it to the fen (the control), else the row is refused; without paid, paid is
  ``amount − balance``; a balance of 0 is a settled invoice;
* **void / status** (作废状态=是, 单据状态=已作废): the row is skipped and counted; a status value not
  in ``columns.yaml`` stops the run naming it;
* **红蓝字**: a red-ink row is a credit note whatever the sign it is printed with;
* **customer**: a leading code («C0107 江苏徐州…有限公司») is kept apart from the name; the name is the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from difflib import get_close_matches

from generator.cases.columns import Columns, label_key
from generator.cases.header import CNY, Header
from generator.cases.model import ZERO, Invoice, Suspension
from generator.cases.rules import Horizon, invoice_problems
from generator.cases.values import ValueProblem, customer_key, customer_shown, parse_date, parse_signed_money, text
from generator.errors import Problem, printable
from generator.money import format_amount
from generator.schema.cases import BASIS_WORDS, SUSPENSION_BASES

_DASHES = {"-", "--", "—", "–", "－", "——", "/"}
"""What an ERP prints for «nothing» in a money column."""
_YES = {"是", "y", "yes", "true", "1", "√", "✓", "t"}
_NO = {"否", "n", "no", "false", "0", "×", "f", ""}
_CODE = re.compile(r"^\s*([A-Za-z]{0,4}[0-9][0-9A-Za-z.\-_]{1,19})[\s\u3000:：\-_/]+(.*[\u3400-\u9fff].*)$")
"""«C0107 江苏徐州…有限公司», «0107-江苏…», «KH001：…»: a code (letters then digits), a separator, then a
name with a Chinese character (an English name starting with a number is left alone)."""

SKIP_VOID = "void"
SKIP_SETTLED = "zero"
"""Why a row holds no invoice: void, or nothing at all (amount 0, or a credit note fully used)."""

RowResult = tuple["Parsed | None", list[Problem], str]


@dataclass(slots=True)
class Parsed:
    key: str
    customer: str
    contact: str
    address: str
    invoice: Invoice
    """A credit note is an Invoice with a negative amount."""
    suspension: Suspension | None = None
    code: str = ""
    """The customer's code (a 客户编码 column, or split off the name cell); never shown on a letter."""
    red: bool = False
    """A red-ink (红字) row."""


def split_code(name: str) -> tuple[str, str]:
    """(code, name) of a customer cell: «C0107 江苏徐州…» → («C0107», «江苏徐州…»); else ("", name)."""
    match = _CODE.match(name)
    if match and match.group(2).strip():
        return match.group(1), match.group(2).strip()
    return "", name


def status_problem(value: str, field: str, header: Header, columns: Columns) -> str:
    known = sorted({k for k, v in columns.statuses.items() if v in _MEANINGS[field]})
    choices = " or ".join(f"'{m}: [{value}]' ({_SAYS[m]})" for m in _MEANINGS[field])
    close = get_close_matches(label_key(value), known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return (
        f"expected a value this tool knows ({', '.join(known[:12])}{' …' if len(known) > 12 else ''}), "
        f"found '{printable(value)}'{hint}; in {columns.config} add under 'status_values:' {choices}"
    )


_MEANINGS = {"status": ("void", "valid"), "void": ("void", "valid"), "red_blue": ("red", "blue")}
_SAYS = {
    "void": "the row does not count",
    "valid": "the row counts",
    "red": "a red-ink credit",
    "blue": "an ordinary row",
}


def row_reader(
    header: Header, columns: Columns, display: str, horizon: Horizon | None = None
) -> Callable[[int, list[object]], RowResult]:
    """The reader of every row of one file: positions looked up once, then per row ``(parsed, problems,
    skipped)`` — ``parsed`` None when the row has a problem or is skipped (``skipped`` says why)."""
    index, label, unit = header.index, header.label, header.unit
    width, nameless = header.width, header.nameless

    def at(name: str) -> int | None:
        return index.get(name)

    p_customer, p_no, p_due = index["customer"], index["invoice_no"], index["due_date"]
    p_amount, p_debit, p_credit = at("amount"), at("debit"), at("credit")
    p_paid, p_balance, p_date = at("paid"), at("balance"), at("invoice_date")
    p_currency, p_status, p_void, p_red = at("currency"), at("status"), at("void"), at("red_blue")
    p_code, p_contract, p_contact, p_address = at("customer_code"), at("contract_no"), at("contact"), at("address")
    has_suspension = "suspension_basis" in index
    statuses = columns.statuses
    days: dict[str, date] = {}
    last_raw: list[object] = [object()]
    last: list[str] = ["", "", ""]
    """The previous row's customer cell, and its name, key and code (files are sorted by customer)."""

    def read(row: int, cells: list[object]) -> RowResult:
        problems: list[Problem] = []
        size = len(cells)

        def cell(position: int | None) -> object:
            return cells[position] if position is not None and position < size else None

        def bad(name: str, message: str) -> None:
            problems.append(Problem(display, row, 0, label.get(name, name), message))

        # whether the row counts at all
        red = False
        for name, position in (("void", p_void), ("status", p_status), ("red_blue", p_red)):
            if position is None:
                continue
            value = text(cell(position))
            key = label_key(value)
            meaning = statuses.get(key)
            if name == "void" and meaning is None:
                meaning = "void" if key in _YES else "valid" if key in _NO else None
            if name == "status" and not key:
                meaning = "valid"
            if name == "red_blue" and not key:
                meaning = "blue"
            if meaning is None or meaning not in _MEANINGS[name]:
                bad(name, status_problem(value, name, header, columns))
            elif meaning == "void":
                return None, [], SKIP_VOID
            elif meaning == "red":
                red = True
        if size > width:
            for position in range(width, size):
                if text(cells[position]):
                    problems.append(
                        Problem(
                            display,
                            row,
                            0,
                            f"(cell {position + 1})",
                            f"expected at most {width} cells as in the header (row {header.row}), "
                            f"found '{printable(text(cells[position]))}' beyond it; a number written "
                            "1,234.56 without quotes in a CSV splits into two cells",
                        )
                    )
                    break
        for position in nameless:
            if position < size and text(cells[position]):
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
        # the customer: a name, and a code kept apart from it
        raw = cell(p_customer)
        if raw is last_raw[0] or (type(raw) is str and raw == last_raw[0]):
            customer, key, code = last
        else:
            code, customer = split_code(customer_shown(text(raw)))
            key = customer_key(customer)
            last_raw[0] = raw
            last[:] = [customer, key, code]
        if p_code is not None:
            code = text(cell(p_code)) or code
        if not customer:
            bad("customer", "expected the customer's name, found an empty cell")
        invoice_no = text(cell(p_no))
        if not invoice_no:
            bad("invoice_no", "expected the invoice number, found an empty cell")
        currency = text(cell(p_currency))
        if currency and currency.replace(" ", "").casefold() not in CNY and _nfkc(currency) not in CNY:
            bad(
                "currency",
                f"expected 人民币 (CNY): letters state amounts in RMB, found '{printable(currency)}'; "
                "convert the row or leave it out of the export",
            )

        def money(name: str, position: int | None) -> Decimal | None:
            value = cell(position)
            if type(value) is str and value.strip() in _DASHES:
                return ZERO
            try:
                return parse_signed_money(value, unit, blank_is_zero=True)
            except ValueProblem as exc:
                bad(name, str(exc))
                return None

        def day(name: str, position: int) -> date | None:
            value = cell(position)
            if type(value) is str:
                found = days.get(value)
                if found is not None:
                    return found
            try:
                found = parse_date(value)
            except ValueProblem as exc:
                bad(name, str(exc))
                return None
            if type(value) is str and len(days) < 4096:
                days[value] = found
            return found

        invoice_date = day("invoice_date", p_date) if p_date is not None and text(cell(p_date)) else None
        amount: Decimal | None
        if p_debit is not None:
            debit, credit = money("debit", p_debit), money("credit", p_credit)
            amount = None if debit is None or credit is None else debit - credit
        elif p_amount is not None:
            amount = money("amount", p_amount)
        else:
            amount = None
        paid = money("paid", p_paid) if p_paid is not None else ZERO
        balance = money("balance", p_balance) if p_balance is not None else None
        if red:  # printed with or without its minus sign, a red-ink row is a credit
            amount = -abs(amount) if amount is not None else None
            paid = -abs(paid) if paid is not None else None
            balance = -abs(balance) if balance is not None else None
        if p_balance is not None and balance is not None:
            if p_amount is None and p_debit is None:
                amount, paid = balance, ZERO
            elif amount is not None and paid is not None:
                if p_paid is not None and amount - paid != balance:
                    bad(
                        "balance",
                        f"expected {label.get('amount', label.get('debit', 'amount'))} − {label['paid']} = "
                        f"{format_amount(amount)} − {format_amount(paid)} = {format_amount(amount - paid)}, "
                        f"found {format_amount(balance)} (difference {format_amount(balance - amount + paid)}); "
                        "the row's amounts disagree — nothing is used until they do"
                        + (
                            f" (a running balance of a ledger is not the row's own: list "
                            f"'{label['balance']}' under 'ignore:' in {columns.config})"
                            if p_debit is not None
                            else ""
                        ),
                    )
                elif p_paid is None:
                    if amount >= 0 and not ZERO <= balance <= amount or amount < 0 and not amount <= balance <= 0:
                        bad(
                            "balance",
                            f"expected a balance between 0 and the amount {format_amount(amount)}, "
                            f"found {format_amount(balance)}",
                        )
                    else:
                        paid = amount - balance
        if amount is not None and paid is not None and amount < 0 and amount <= paid < 0:
            amount, paid = amount - paid, ZERO  # a credit note partly or wholly used: what is left of it
        if not problems and amount == 0 and paid == 0:
            return None, [], SKIP_SETTLED
        is_credit = amount is not None and amount < 0
        # a credit note needs no due date of its own
        due = (invoice_date or date.min) if is_credit and not text(cell(p_due)) else day("due_date", p_due)
        for name, message in invoice_problems(
            amount,
            paid,
            invoice_date,
            due,
            horizon,
            amount_shown=text(cell(p_amount if p_amount is not None else p_balance)),
            paid_shown=text(cell(p_paid)),
            credits=True,
        ):
            bad(name, message)
        suspension = _suspension(cell, index, bad) if has_suspension else None
        if problems:
            return None, problems, ""
        assert due is not None and amount is not None and paid is not None
        invoice = Invoice(invoice_no, due, amount, paid, invoice_date, text(cell(p_contract)), row)
        return (
            Parsed(key, customer, text(cell(p_contact)), text(cell(p_address)), invoice, suspension, code, red),
            [],
            "",
        )

    return read


def _nfkc(value: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", value).replace(" ", "").casefold()


def _suspension(
    cell: Callable[[int | None], object], index: dict[str, int], bad: Callable[[str, str], None]
) -> Suspension | None:
    """The optional suspension columns of a row (branch legal; same rules as a YAML case's ``suspension``)."""
    written = text(cell(index.get("suspension_basis")))
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
    clause = text(cell(index.get("suspension_clause")))
    evidence = tuple(
        e.strip() for e in text(cell(index.get("suspension_evidence"))).replace(";", "；").split("；") if e.strip()
    )
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
