"""Cells of the CSV files people open in Excel or WPS (manifest, register, ladder plan).

A cell a spreadsheet would run as a formula (starting with = + - @, their full-width forms,
a tab or a carriage return) is prefixed with an apostrophe, so a customer's name from an
ERP export can never become a formula on a clerk's machine.
"""

from __future__ import annotations

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text
