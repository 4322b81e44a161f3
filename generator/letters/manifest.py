"""``manifest.csv``: one row per letter, to review before anything is sent.

UTF-8 with BOM so Excel (and WPS) open it with the Chinese intact. Cells that a
spreadsheet would run as a formula (starting with = + - @, or a tab / carriage
return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from typing import IO

from generator.cells import neutralise

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
ZH = {
    "seq": "序号",
    "reference": "函号",
    "customer": "客户名称",
    "template": "函件编号",
    "title": "函件名称",
    "invoices": "发票数",
    "total": "欠款金额",
    "total_in_words": "金额大写",
    "oldest_due": "最早到期日",
    "deadline": "期限日期",
    "file": "文件",
    "sha256": "sha256",
    "source": "来源",
}
"""Column titles for ``--headers zh`` (clerks open the manifest in Excel); the order stays the same."""


class Manifest:
    def __init__(self, handle: IO[str], headers: str = "en"):
        self.writer = csv.writer(handle, lineterminator="\r\n")
        self.writer.writerow([ZH[c] for c in COLUMNS] if headers == "zh" else COLUMNS)
        self.rows = 0

    def add(self, row: dict[str, object]) -> None:
        self.writer.writerow([neutralise(row.get(c, "")) for c in COLUMNS])
        self.rows += 1
