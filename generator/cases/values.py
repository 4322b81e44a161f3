"""Cell values → typed values, each failure a short user-facing reason."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from generator.errors import ANSI_ESCAPE
from generator.money import CENT, AmountError, parse_amount

_DATE = re.compile(
    r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DOTTED_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
"""31.12.2026: SAP's date format 1 (DD.MM.YYYY), what an SAP list exported to a spreadsheet writes.
Dots with the year last are always day first; 12/31/2026 and 31/12/2026 stay refused (ambiguous)."""
_SPACE = re.compile(r"\s+")
_ALL_SPACE = re.compile(r"\s+")
_EXCEL_EPOCH = date(1899, 12, 30)


class ValueProblem(ValueError):
    """A cell that cannot be read; ``str()`` is the reason."""


def text(value: object) -> str:
    """Any cell as trimmed text (numbers from spreadsheets without a trailing .0)."""
    if value is None:
        return ""
    if type(value) is str:
        stripped = value.strip()
        if stripped.isprintable() and "  " not in stripped:  # the usual cell: nothing to tidy
            return stripped
        return _SPACE.sub(" ", stripped.replace("\u3000", " ")).strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _SPACE.sub(" ", str(value).replace("\u3000", " ")).strip()


def _visible(value: str) -> str:
    """Without terminal escape sequences, format characters (zero-width space/joiner, BOM, bidi marks)
    and control characters."""
    if value.isprintable():  # no control, format or unusual space character at all
        return value
    value = ANSI_ESCAPE.sub("", value) if "\x1b" in value else value
    return "".join(c for c in value if unicodedata.category(c) not in ("Cf", "Cc") or c in "\t\n\r")


@lru_cache(maxsize=8192)
def customer_key(value: str) -> str:
    """One debtor, one key: NFKC (full-width brackets and letters), no whitespace of any kind
    (U+3000 included), no zero-width or format characters, case-folded."""
    return _ALL_SPACE.sub("", unicodedata.normalize("NFKC", _visible(value))).casefold()


@lru_cache(maxsize=8192)
def customer_shown(value: str) -> str:
    """The name as a letter prints it: the file's spelling, without invisible characters or doubled spaces."""
    return _SPACE.sub(" ", _visible(value).replace("\u3000", " ")).strip()


def parse_date(value: object) -> date:
    """2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231, or a spreadsheet date."""
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # the usual cell: 2026-12-31
            return date.fromisoformat(value)
        except ValueError:
            pass  # 2026-02-30 and friends: the full path below says what is wrong
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
        dotted = _DOTTED_DMY.match(shown)
        if dotted:
            try:
                return date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
            except ValueError:
                raise ValueProblem(f"expected a real calendar date (day.month.year), found '{shown}'") from None
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


_SIGNED = re.compile(
    r"^(?P<open>\()?(?:(?P<minus>-)|\+)?(?P<number>(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?)"
    r"(?P<close>\))?(?P<trail>-)?$"
)
_PLAIN = re.compile(r"\d+(?:\.\d+)?\Z")
NOISE = Decimal("0.00000001")
"""A millionth of a fen: binary float noise of a spreadsheet cell is smaller than this."""


def parse_signed_money(value: object, unit: Decimal = Decimal(1), *, blank_is_zero: bool = False) -> Decimal:
    """An amount in 元, exactly, that may be a credit: ``-1,000.00``, ``(1,000.00)``, ``1,000.00-``.

    ``unit`` is what one of the file's numbers is worth in 元 (1000 for 千元, 10000 for 万元);
    the result must still be whole fen, else it is refused (amounts are never rounded). A
    spreadsheet number with binary float noise (1130.1100000000001) is read as the amount Excel
    shows when it is within a millionth of a fen of it.
    """
    if isinstance(value, bool):
        raise ValueProblem(f"expected an amount like 1409.50, found {value!r}")
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank_is_zero:
            return Decimal("0.00")
        raise ValueProblem("expected an amount like 1409.50, found an empty cell")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(f"expected an amount like 1409.50, found '{value}'")
        exact = Decimal(repr(value)) * unit
        cents = _cents(exact, repr(value))
        if abs(exact - cents) <= NOISE * unit:
            return cents
        raise ValueProblem(
            f"expected at most two decimals (分), found '{value!r}'{_unit_note(unit)}; amounts are never rounded"
        )
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        shown = str(value)
    elif type(value) is str and _PLAIN.match(value):  # the usual cell: 1234.50
        number = Decimal(value)
        shown = value
    else:
        shown = text(value)
        body = unicodedata.normalize("NFKC", shown).replace(" ", "").replace("−", "-")
        body = body.removeprefix("¥").removeprefix("-¥").replace("¥", "") if "¥" in body else body
        if shown.lstrip().startswith(("-¥", "-￥")):
            body = "-" + body
        match = _SIGNED.match(body)
        if (
            not match
            or bool(match.group("open")) != bool(match.group("close"))
            or (sum(bool(match.group(g)) for g in ("open", "minus", "trail")) > 1)
        ):
            raise ValueProblem(f"expected an amount like 1409.50, found '{shown}'")
        number = Decimal(match.group("number").replace(",", ""))
        if match.group("open") or match.group("minus") or match.group("trail"):
            number = -number
    if not number.is_finite():
        raise ValueProblem(f"expected an amount like 1409.50, found '{shown}'")
    exact = number * unit
    cents = _cents(exact, shown)
    if exact != cents:
        raise ValueProblem(
            f"expected at most two decimals (分), found '{shown}'{_unit_note(unit)}; amounts are never rounded"
        )
    return cents


def _cents(exact: Decimal, shown: str) -> Decimal:
    """``exact`` to the fen; a number too long to hold in fen (1e300) is refused, not a traceback."""
    try:
        return exact.quantize(CENT)
    except InvalidOperation:
        raise ValueProblem(f"expected an amount like 1409.50, found '{shown}'") from None


def _unit_note(unit: Decimal) -> str:
    return f" (in units of {unit:,} 元)" if unit != 1 else ""
