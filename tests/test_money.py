"""RMB uppercase (大写金额) and strict amount parsing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.money import MAX_AMOUNT, AmountError, format_amount, parse_amount, rmb_upper

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def parse_upper(text: str) -> Decimal:
    """Read an uppercase amount back (accepts every form the rules allow)."""
    assert text.startswith("人民币"), text
    body = text[3:]
    whole = body.endswith("整")
    body = body.removesuffix("整")
    if "元" in body:
        integer, _, frac = body.partition("元")
    elif whole:
        raise AssertionError(f"整 without 元: {text}")
    else:
        integer, frac = "", body
    total = section = digit = 0
    for ch in integer:
        if ch == "零":
            assert digit == 0, text
        elif ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in UNITS:
            assert digit, f"unit without digit (壹拾 must keep 壹): {text}"
            section += digit * UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    total += section + digit
    cents = 0
    match = re.fullmatch(r"零?(?:([壹贰叁肆伍陆柒捌玖])角)?(?:([壹贰叁肆伍陆柒捌玖])分)?", frac)
    assert match, text
    if match.group(1):
        cents += DIGITS.index(match.group(1)) * 10
    if match.group(2):
        cents += DIGITS.index(match.group(2))
    assert whole == (cents == 0), f"整 exactly when there are no 角/分: {text}"
    return Decimal(total * 100 + cents) / 100


def well_formed(amount: Decimal, text: str) -> None:
    assert parse_upper(text) == amount, (amount, text)
    assert "零零" not in text, text
    if amount == 0:
        assert text == "人民币零元整"
        return
    assert not re.search("零[元万亿整角分]", text), text
    assert not text[3:].startswith("零") or amount == 0, text
    cents = int(amount * 100) % 100
    if int(amount) and cents and cents < 10:
        assert "元零" in text, f"角 is 0, 分 is not: 零 must follow 元: {text}"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    ],
)
def test_official_examples(amount: str, expected: str) -> None:
    assert rmb_upper(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "人民币零元整"),
        ("0.00", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角"),
        ("0.53", "人民币伍角叁分"),
        ("1", "人民币壹元整"),
        ("10", "人民币壹拾元整"),
        ("10.50", "人民币壹拾元零伍角"),
        ("11", "人民币壹拾壹元整"),
        ("110", "人民币壹佰壹拾元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("1001", "人民币壹仟零壹元整"),
        ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
        ("100000", "人民币壹拾万元整"),
        ("100001", "人民币壹拾万零壹元整"),
        ("1000700", "人民币壹佰万零柒佰元整"),
        ("10000000.01", "人民币壹仟万元零壹分"),
        ("100000000", "人民币壹亿元整"),
        ("100005000", "人民币壹亿零伍仟元整"),
        ("100050000", "人民币壹亿零伍万元整"),
        ("1000000001", "人民币壹拾亿零壹元整"),
        ("9999999999.99", "人民币玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_edge_cases(amount: str, expected: str) -> None:
    assert rmb_upper(Decimal(amount)) == expected
    well_formed(Decimal(amount), expected)


def test_prefix_can_be_dropped() -> None:
    assert rmb_upper(Decimal("12"), prefix="") == "壹拾贰元整"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.234", "expected at most two decimals (分), found '1.234'; amounts are never rounded"),
        ("1.005", "expected at most two decimals (分), found '1.005'; amounts are never rounded"),
        ("-1", "expected an amount of 0 or more, found '-1' (negative)"),
        ("", "expected an amount like 1409.50, found an empty cell"),
        ("   ", "expected an amount like 1409.50, found an empty cell"),
        (None, "expected an amount like 1409.50, found an empty cell"),
        ("abc", "expected an amount like 1409.50, found 'abc'"),
        ("1e3", "expected an amount like 1409.50, found '1e3'"),
        ("1,23.4", "expected an amount like 1409.50, found '1,23.4'"),
        ("12元", "expected an amount like 1409.50, found '12元'"),
        (True, "expected an amount like 1409.50, found True"),
    ],
)
def test_bad_amounts_are_errors(value: object, message: str) -> None:
    with pytest.raises(AmountError) as exc:
        parse_amount(value)
    assert str(exc.value) == message


@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("0.001"), Decimal("NaN"), MAX_AMOUNT + Decimal("0.01")])
def test_rmb_upper_refuses_what_it_cannot_write(value: Decimal) -> None:
    with pytest.raises(AmountError):
        rmb_upper(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,409.50", "1409.50"),
        ("¥1409.5", "1409.50"),
        ("￥ 1,000", "1000.00"),
        (1409, "1409.00"),
        (1409.5, "1409.50"),
        (0.1, "0.10"),
        (Decimal("1.230"), "1.23"),
        ("+5", "5.00"),
    ],
)
def test_good_amounts_are_exact(value: object, expected: str) -> None:
    assert parse_amount(value) == Decimal(expected)
    assert str(parse_amount(value)) == expected


def test_format_amount() -> None:
    assert format_amount(Decimal("1234567.5")) == "1,234,567.50"


def test_every_amount_up_to_two_thousand_yuan_and_every_whole_yuan_to_a_hundred_thousand() -> None:
    for cents in range(200_001):
        amount = Decimal(cents) / 100
        well_formed(amount, rmb_upper(amount))
    for yuan in range(100_001):
        amount = Decimal(yuan)
        well_formed(amount, rmb_upper(amount))


@settings(max_examples=3000, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_round_trip_up_to_ten_billion(cents: int) -> None:
    amount = Decimal(cents) / 100
    well_formed(amount, rmb_upper(amount))


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=0, max_value=99_999_999_999_999))
def test_round_trip_up_to_the_maximum(cents: int) -> None:
    amount = Decimal(cents) / 100
    well_formed(amount, rmb_upper(amount))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from("0000000123456789"), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=99),
)
def test_round_trip_with_many_zeros(digits: list[str], cents: int) -> None:
    amount = Decimal("".join(digits)) + Decimal(cents) / 100
    well_formed(amount, rmb_upper(amount))
