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
_CODE = re.compile(r"^\s*([A-Za-z]{0,4}[0-9]{2}[0-9A-Za-z.\-_]{0,18})[\s\u3000:：\-_/]+(.*[\u3400-\u9fff].*)$")
"""«C0107 江苏徐州…有限公司», «0107-江苏…», «KH001：…»: a code (letters then digits), a separator, then a
name with a Chinese character (an English name starting with a number is left alone, and so is «3M 中国…»:
a code has two digits at least). With a 客户编码 column, only that row's code is split off."""

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
    money: tuple[Decimal, ...] = ()
    """amount, paid, debit, credit, balance as the row writes them (signed for red ink, 0 when absent):
    what the grand-total row is checked against."""


def split_code(name: str) -> tuple[str, str]:
    """(code, name) of a customer cell: «C0107 江苏徐州…» → («C0107», «江苏徐州…»); else ("", name)."""
    match = _CODE.match(name)
    if match and match.group(2).strip():
        return match.group(1), match.group(2).strip()
    return "", name


def status_problem(value: str, field: str, header: Header, columns: Columns) -> str:
    def listed(meaning: str) -> str:
        values = sorted((k for k, v in columns.statuses.items() if v == meaning), key=lambda k: (k.isascii(), k))
        return ", ".join(values[:6]) + (" …" if len(values) > 6 else "")

    known = [k for k, v in columns.statuses.items() if v in _MEANINGS[field]]
    choices = " or ".join(f"'{m}: [{value}]' ({_SAYS[m]})" for m in _MEANINGS[field])
    close = get_close_matches(label_key(value), known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return (
        f"expected a value this tool knows ({'; '.join(f'{m}: {listed(m)}' for m in _MEANINGS[field])}), "
        f"found '{printable(value)}'{hint}; in {columns.config} add under 'status_values:' {choices}"
    )


_MEANINGS = {"status": ("void", "valid"), "void": ("void", "valid"), "red_blue": ("red", "blue")}
_SAYS = {
    "void": "the row does not count",
    "valid": "the row counts",
    "red": "a red-ink credit",
    "blue": "an ordinary row",
}


_PADDING = {0: ".00", 1: "0", 2: ""}
"""Decimals written → what makes them two: ``Decimal("5" + ".00")`` is what :func:`parse_signed_money`
gives for ``5`` in 元 (the value quantized to the fen: same digits, sign and exponent)."""


def _amount(value: object, unit: Decimal, in_yuan: bool) -> Decimal:
    """A money cell: ``0``, a blank and ``-`` are zero (:data:`_DASHES`); else :func:`parse_signed_money`.
    A plain ``1234.5`` in 元 — most cells of a big export — is read here by its very steps, without the
    multiplication and the quantize (tests/test_erp_columns.py holds the two to identical results)."""
    if type(value) is str:
        if in_yuan and len(value) <= 18 and value.isascii():
            whole, point, decimals = value.partition(".")
            digits = whole[1:] if whole[:1] == "-" else whole
            padding = _PADDING.get(len(decimals))
            if digits.isdigit() and padding is not None and (decimals.isdigit() or not point):
                exact = Decimal(digits + ("." + decimals + padding if point else ".00"))
                return -exact if whole[:1] == "-" else exact  # as parse_signed_money negates: -0 is 0
        if value.strip() in _DASHES:
            return ZERO
    return parse_signed_money(value, unit, blank_is_zero=True)


def row_reader(
    header: Header, columns: Columns, display: str, horizon: Horizon | None = None
) -> Callable[[int, list[object]], RowResult]:
    """The reader of every row of one file: positions looked up once, then per row ``(parsed, problems,
    skipped)`` — ``parsed`` None when the row has a problem or is skipped (``skipped`` says why)."""
    index, label, unit = header.index, header.label, header.unit
    width, nameless = header.width, header.nameless
    absent = 1 << 30  # the position of a column the file does not have: beyond every row, read as empty
    p_customer, p_no, p_due = index["customer"], index["invoice_no"], index["due_date"]
    p_amount, p_debit, p_credit = (index.get(n, absent) for n in ("amount", "debit", "credit"))
    p_paid, p_balance, p_date, p_currency = (
        index.get(n, absent) for n in ("paid", "balance", "invoice_date", "currency")
    )
    p_code, p_contract, p_contact, p_address = (
        index.get(n, absent) for n in ("customer_code", "contract_no", "contact", "address")
    )
    has_amount, has_debit, has_paid, has_balance = (n in index for n in ("amount", "debit", "paid", "balance"))
    flags = [(name, index[name]) for name in ("void", "status", "red_blue") if name in index]
    has_suspension = "suspension_basis" in index
    statuses = columns.statuses
    amount_label = label.get("amount", label.get("debit", "amount"))
    money_columns = [
        (slot, column, index[column])
        for slot, column in enumerate(("amount", "paid", "debit", "credit", "balance"))
        if column in index
    ]
    in_yuan = unit.as_tuple() == Decimal(1).as_tuple()
    days: dict[str, date] = {}
    last_raw: list[object] = [object()]
    last: list[str] = ["", "", ""]
    """The previous row's customer cell, and its name, key and code (files are sorted by customer)."""

    def read(row: int, cells: list[object]) -> RowResult:
        problems: list[Problem] = []
        size = len(cells)
        red = False
        for name, position in flags:  # whether the row counts at all
            value = text(cells[position]) if position < size else ""
            key = label_key(value) if value else ""
            meaning = statuses.get(key)
            if meaning is None:
                if name == "void":
                    meaning = "void" if key in _YES else "valid" if key in _NO else None
                elif not key:
                    meaning = "valid" if name == "status" else "blue"
            if meaning is None or meaning not in _MEANINGS[name]:
                problems.append(Problem(display, row, 0, label[name], status_problem(value, name, header, columns)))
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
        raw = cells[p_customer] if p_customer < size else None
        if raw is last_raw[0] or (type(raw) is str and raw == last_raw[0]):
            customer, key, code = last
        else:
            shown = customer_shown(text(raw))
            code, customer = split_code(shown)
            if p_code < absent and code and code != (text(cells[p_code]) if p_code < size else ""):
                code, customer = "", shown  # a 客户编码 column says what the code is: this one is part of the name
            key = customer_key(customer)
            last_raw[0] = raw
            last[:] = [customer, key, code]
        if p_code < size:
            code = text(cells[p_code]) or code
        if not customer:
            problems.append(
                Problem(display, row, 0, label["customer"], "expected the customer's name, found an empty cell")
            )
        invoice_no = text(cells[p_no]) if p_no < size else ""
        if not invoice_no:
            problems.append(
                Problem(display, row, 0, label["invoice_no"], "expected the invoice number, found an empty cell")
            )
        if p_currency < size:
            currency = text(cells[p_currency])
            if currency and currency.replace(" ", "").casefold() not in CNY and _nfkc(currency) not in CNY:
                problems.append(
                    Problem(
                        display,
                        row,
                        0,
                        label["currency"],
                        f"expected 人民币 (CNY): letters state amounts in RMB, found '{printable(currency)}'; "
                        "convert the row or leave it out of the export",
                    )
                )
        money: list[Decimal | None] = [ZERO, ZERO, ZERO, ZERO, ZERO]
        """amount, paid, debit, credit, balance as the row writes them (signed for red ink; None: unreadable)."""
        for slot, column, at in money_columns:
            try:
                number = _amount(cells[at] if at < size else None, unit, in_yuan)
            except ValueProblem as exc:
                problems.append(Problem(display, row, 0, label[column], str(exc)))
                money[slot] = None
                continue
            money[slot] = -abs(number) if red else number  # printed with or without its minus sign
        amount_cell, paid, debit, credit, balance = money
        amount = (None if debit is None or credit is None else debit - credit) if has_debit else amount_cell
        if has_balance and balance is not None:
            if not has_amount and not has_debit:
                amount, paid = balance, ZERO
            elif amount is not None and paid is not None:
                if has_paid and amount - paid != balance:
                    problems.append(
                        Problem(
                            display,
                            row,
                            0,
                            label["balance"],
                            f"expected {amount_label} − {label['paid']} = {format_amount(amount)} − "
                            f"{format_amount(paid)} = {format_amount(amount - paid)}, found {format_amount(balance)} "
                            f"(difference {format_amount(balance - amount + paid)}); the row's amounts disagree — "
                            "nothing is used until they do"
                            + (
                                f" (a running balance of a ledger is not the row's own: list "
                                f"'{label['balance']}' under 'ignore:' in {columns.config})"
                                if has_debit
                                else ""
                            ),
                        )
                    )
                elif not has_paid:
                    if amount >= 0 and not ZERO <= balance <= amount or amount < 0 and not amount <= balance <= 0:
                        problems.append(
                            Problem(
                                display,
                                row,
                                0,
                                label["balance"],
                                f"expected a balance between 0 and the amount {format_amount(amount)}, "
                                f"found {format_amount(balance)}",
                            )
                        )
                    else:
                        paid = amount - balance
        if amount is not None and paid is not None and amount < 0 and amount <= paid < 0:
            amount, paid = amount - paid, ZERO  # a credit note partly or wholly used: what is left of it
        if not problems and amount == 0 and paid == 0:
            return None, [], SKIP_SETTLED
        invoice_date: date | None = None
        if p_date < size and text(cells[p_date]):
            invoice_date = _day(cells[p_date], days, problems, display, row, label["invoice_date"])
        due_cell = cells[p_due] if p_due < size else None
        if amount is not None and amount < 0 and not text(due_cell):
            due: date | None = invoice_date or date.min  # a credit note needs no due date of its own
        else:
            due = _day(due_cell, days, problems, display, row, label["due_date"])
        shown_at = p_amount if has_amount else p_balance
        for rule, message in invoice_problems(
            amount,
            paid,
            invoice_date,
            due,
            horizon,
            amount_shown=text(cells[shown_at]) if shown_at < size else "",
            paid_shown=text(cells[p_paid]) if p_paid < size else "",
            credits=True,
        ):
            problems.append(Problem(display, row, 0, label.get(rule, rule), message))
        suspension = None
        if has_suspension:

            def bad(name: str, message: str) -> None:
                problems.append(Problem(display, row, 0, label.get(name, name), message))

            suspension = _suspension(lambda p: cells[p] if p is not None and p < size else None, index, bad)
        if problems:
            return None, problems, ""
        assert due is not None and amount is not None and paid is not None
        invoice = Invoice(
            invoice_no, due, amount, paid, invoice_date, text(cells[p_contract]) if p_contract < size else "", row
        )
        parsed = Parsed(
            key,
            customer,
            text(cells[p_contact]) if p_contact < size else "",
            text(cells[p_address]) if p_address < size else "",
            invoice,
            suspension,
            code,
            red,
            tuple(money),  # type: ignore[arg-type]  # no None left: a None is a problem above
        )
        return parsed, [], ""

    return read


def _day(
    value: object, days: dict[str, date], problems: list[Problem], display: str, row: int, where: str
) -> date | None:
    """:func:`parse_date`, once per distinct text (a problem is added to ``problems``)."""
    if type(value) is str:
        found = days.get(value)
        if found is not None:
            return found
    try:
        found = parse_date(value)
    except ValueProblem as exc:
        problems.append(Problem(display, row, 0, where, str(exc)))
        return None
    if type(value) is str and len(days) < 4096:
        days[value] = found
    return found


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
