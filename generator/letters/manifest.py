"""``manifest.csv``: one row per letter, to review before anything is sent.

UTF-8 with BOM so Excel (and WPS) open it with the Chinese intact. Cells that a
spreadsheet would run as a formula (starting with = + - @, or a tab / carriage
return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from typing import IO

COLUMNS = (
    "seq",
    "reference",
    "customer",
    "template",
    "title",
    "invoices",
    "total",
    "total_in_words",
    "oldest_due",
    "deadline",
    "file",
    "sha256",
    "source",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


class Manifest:
    def __init__(self, handle: IO[str]):
        self.writer = csv.writer(handle, lineterminator="\r\n")
        self.writer.writerow(COLUMNS)
        self.rows = 0

    def add(self, row: dict[str, object]) -> None:
        self.writer.writerow([neutralise(row.get(c, "")) for c in COLUMNS])
        self.rows += 1
