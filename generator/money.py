"""Money: strict ``Decimal`` parsing and the RMB uppercase amount (大写金额).

The uppercase follows 《正确填写票据和结算凭证的基本规定》:

* digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a group of four, 万 and 亿 for groups;
* 整 after 元 when there are no 角/分 (nothing after 角, nothing after 分);
* a 0 between non-zero digits is written 零, a run of zeros only once;
* when the 万 or 元 position is 0 but the next lower position (仟 or 角) is not, the 零
  may be written or left out — we leave it out after 万 (壹拾万柒仟) and write it after
  元 (壹拾万柒仟元零伍角叁分), exactly as in the rule's own examples; a whole zero
  group between two non-zero groups is always written 零 (壹亿零伍仟元整);
* when 角 is 0 and 分 is not, 零 follows 元 (壹万陆仟肆佰零玖元零贰分);
* 壹拾 keeps its 壹.

Amounts are never rounded: more than two decimals, negative, empty or
non-numeric input raises :class:`AmountError` with a message fit for a user.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿")
MAX_AMOUNT = Decimal("999999999999.99")
"""The largest amount written (9,999 亿 …); more would need 万亿, which bills never use."""

CENT = Decimal("0.01")
_NUMBER = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


class AmountError(ValueError):
    """An amount that cannot be used as money; ``str()`` is the user-facing reason."""


def parse_amount(value: object) -> Decimal:
    """Read an amount exactly: ``'1,409.50'``, ``'¥1409.5'``, ``1409``, ``Decimal('1409.50')``.

    Thousands separators and a leading ¥/￥ are accepted; floats (from spreadsheet
    cells) are read through their shortest text form, so 1409.5 stays 1409.5.
    Raises :class:`AmountError` for anything else, including more than two decimals.
    """
    if isinstance(value, bool):
        raise AmountError(f"expected an amount like 1409.50, found {value!r}")
    if isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() else str(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = format(Decimal(repr(value)), "f") if value == value and abs(value) != float("inf") else repr(value)
    elif isinstance(value, str):
        text = value
    elif value is None:
        text = ""
    else:
        raise AmountError(f"expected an amount like 1409.50, found a {type(value).__name__}")
    shown = text.strip()
    if not shown:
        raise AmountError("expected an amount like 1409.50, found an empty cell")
    body = shown.replace(" ", "")
    if body[:1] in "¥￥":
        body = body[1:]
    if body.startswith("-") or body.startswith("−"):
        raise AmountError(f"expected an amount of 0 or more, found '{shown}' (negative)")
    if body.startswith("+"):
        body = body[1:]
    if not _NUMBER.match(body):
        raise AmountError(f"expected an amount like 1409.50, found '{shown}'")
    amount = Decimal(body.replace(",", ""))
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -2 and amount != amount.quantize(CENT):
        raise AmountError(f"expected at most two decimals (分), found '{shown}'; amounts are never rounded")
    return amount.quantize(CENT)


def check_amount(amount: Decimal) -> Decimal:
    """``amount`` as cents, or :class:`AmountError` (negative, > 2 decimals, too large)."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise AmountError(f"expected a finite Decimal amount, found {amount!r}")
    if amount < 0:
        raise AmountError(f"expected an amount of 0 or more, found {amount}")
    if amount != amount.quantize(CENT):
        raise AmountError(f"expected at most two decimals (分), found {amount}")
    if amount > MAX_AMOUNT:
        raise AmountError(f"expected an amount up to {MAX_AMOUNT:,}, found {amount:,}")
    return amount.quantize(CENT)


def rmb_upper(amount: Decimal | str | int, *, prefix: str = "人民币") -> str:
    """¥1,409.50 → 人民币壹仟肆佰零玖元伍角 (see the module docstring for the rules)."""
    value = check_amount(parse_amount(amount) if not isinstance(amount, Decimal) else amount)
    cents = int(value * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    out = _integer_words(yuan)
    if yuan:
        out += "元"
    if jiao == 0 and fen == 0:
        return prefix + (out or "零元") + "整"
    if jiao:
        if yuan and yuan % 10 == 0:
            out += "零"
        out += DIGITS[jiao] + "角"
    if fen:
        if yuan and jiao == 0:
            out += "零"
        out += DIGITS[fen] + "分"
    return prefix + out


def _integer_words(number: int) -> str:
    """The integer part without 元: 107000 → 壹拾万柒仟."""
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    out = ""
    higher_nonzero = False
    previous_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            previous_zero = higher_nonzero
            continue
        if higher_nonzero and (group < 1000 or previous_zero):
            out += "零"
        out += _group_words(group) + GROUP_UNITS[index]
        higher_nonzero = True
        previous_zero = False
    return out


@cache  # at most 9,999 groups; a bulk run writes one amount per customer
def _group_words(group: int) -> str:
    """One group of four digits (1–9999): 1009 → 壹仟零玖, 10 → 壹拾."""
    digits = [int(d) for d in f"{group:04d}"]
    out = ""
    pending_zero = False
    started = False
    for position, digit in enumerate(digits):
        unit = SMALL_UNITS[3 - position]
        if digit == 0:
            pending_zero = started
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += DIGITS[digit] + unit
        started = True
    return out


def format_amount(amount: Decimal) -> str:
    """Figures as printed on letters: 1409.5 → 1,409.50."""
    return f"{amount.quantize(CENT):,.2f}"
