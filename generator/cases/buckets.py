"""Aging buckets (账龄段) as headers write them: 未到期, 1-30天, 31-60天, 91-180天, 1-2年, 3年以上 …"""

from __future__ import annotations

import re
import unicodedata

_UNIT_DAYS = {"天": 1, "日": 1, "day": 1, "days": 1, "d": 1, "月": 30, "个月": 30, "month": 30, "months": 30, "年": 365}
_U = r"(?:天|日|个月|月|年|days?|d|months?)"
_BUCKET = re.compile(
    rf"^(?:账龄|逾期|超期)?(?:"
    rf"(?P<a>\d+)(?P<ua>{_U})?[-~～至到—–](?P<b>\d+)(?P<ub>{_U})?"
    rf"|(?P<c>\d+)(?P<uc>{_U})?(?:以上|以后|及以上|\+|＋)|(?:over|>)(?P<e>\d+)(?P<ue>{_U})?"
    rf"|(?P<d>\d+)(?P<ud>{_U})(?:以内|以下|内))(?:金额)?$",
    re.I,
)
_NOT_DUE = re.compile(r"^(?:未到期|未逾期|信用期内|信用期以内|notdue|current|futureremit)(?:金额)?$", re.I)


def bucket_days(label: str) -> int | None:
    """The lower bound of an aging bucket in days (``31-60天`` → 31, ``1年以上`` → 365, ``未到期`` → -1),
    or None when ``label`` is not a bucket."""
    key = unicodedata.normalize("NFKC", label).replace(" ", "").casefold()
    if _NOT_DUE.match(key):
        return -1
    match = _BUCKET.match(key)
    if not match:
        return None
    if match.group("a"):
        unit = match.group("ua") or match.group("ub") or "天"
        return int(match.group("a")) * _UNIT_DAYS[unit]
    if match.group("c") or match.group("e"):
        number, unit = (
            (match.group("c"), match.group("uc")) if match.group("c") else (match.group("e"), match.group("ue"))
        )
        return int(number) * _UNIT_DAYS[unit or "天"]
    return 0


def buckets_of(labels: list[str]) -> dict[int, tuple[str, int]]:
    """Position → (label, lower bound in days) of each bucket column of a header."""
    found = {}
    for position, label in enumerate(labels):
        days = bucket_days(label) if label else None
        if days is not None:
            found[position] = (label, days)
    return found
