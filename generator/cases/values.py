"""Cell values → typed values, each failure a short user-facing reason."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from generator.money import AmountError, parse_amount

_DATE = re.compile(
    r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_SPACE = re.compile(r"\s+")
_EXCEL_EPOCH = date(1899, 12, 30)


class ValueProblem(ValueError):
    """A cell that cannot be read; ``str()`` is the reason."""


def text(value: object) -> str:
    """Any cell as trimmed text (numbers from spreadsheets without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _SPACE.sub(" ", str(value).replace("\u3000", " ")).strip()


def customer_key(value: str) -> str:
    """Names that differ only in spacing are the same customer."""
    return _SPACE.sub(" ", value.replace("\u3000", " ")).strip()


def parse_date(value: object) -> date:
    """2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231, or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(value))  # an unformatted Excel date cell
    shown = text(value)
    if not shown:
        raise ValueProblem("expected a date like 2026-12-31, found an empty cell")
    match = _DATE.match(shown)
    if not match:
        raise ValueProblem(f"expected a date like 2026-12-31, found '{shown}'")
    year, month, day = (
        match.group(1),
        match.group(2) or match.group(4),
        match.group(3) or match.group(5),
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueProblem(f"expected a real calendar date, found '{shown}'") from None


def parse_money(value: object, *, blank_is_zero: bool = False) -> Decimal:
    """An amount, exactly (see :func:`generator.money.parse_amount`)."""
    if blank_is_zero and (value is None or (isinstance(value, str) and not value.strip())):
        return Decimal("0.00")
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise ValueProblem(str(exc)) from None
