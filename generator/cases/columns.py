"""Column names: upstream's (``defaults/columns.yaml``) plus a company's (``site_config/columns.yaml``).

Also the labels of total rows, the headers deliberately ignored, and which unknown
headers look too much like money to be left out silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from generator.errors import PlaybookError, Problem
from generator.project import Project
from generator.schema.base import validate
from generator.schema.cases import ColumnsFile
from generator.yamlload import load_file

FIELDS = (
    "customer",
    "contact",
    "address",
    "contract_no",
    "invoice_no",
    "invoice_date",
    "due_date",
    "amount",
    "paid",
    "debit",
    "credit",
    "currency",
    "balance",
    "status",
    "void",
    "red_blue",
    "customer_code",
    # Optional (branch legal): the legal basis of a suspension, for stop-supply / stop-service letters.
    "suspension_basis",
    "suspension_clause",
    "suspension_evidence",
)
REQUIRED = ("customer", "invoice_no", "due_date", "amount")
CHINESE = {
    "customer": "客户名称",
    "contact": "联系人",
    "address": "地址",
    "contract_no": "合同编号",
    "invoice_no": "发票号码",
    "invoice_date": "开票日期",
    "due_date": "到期日",
    "amount": "金额",
    "paid": "已付金额",
    "debit": "借方",
    "credit": "贷方",
    "currency": "币别",
    "balance": "未收金额",
    "status": "单据状态",
    "void": "作废状态",
    "red_blue": "红蓝字",
    "customer_code": "客户编码",
    "suspension_basis": "暂停依据",
    "suspension_clause": "暂停条款",
    "suspension_evidence": "不安抗辩证据",
}
UNITS = {"元": Decimal(1), "人民币元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}
"""Units a title row or a header may declare, and what one of them is in 元."""

_UNIT = re.compile(
    r"[（(\[【]\s*(?:单位\s*[：:]?\s*)?(元|人民币元|千元|万元|百万元|亿元|人民币|rmb|cny)\s*[)）\]】]$", re.I
)
_MONEY_LIKE = re.compile(
    r"付|收|核销|贷|借|余额|币|金额|额|款|amount|amt|currency|curr|paid|credit|debit|balance", re.I
)
UPSTREAM_DEFAULTS = Path(__file__).resolve().parents[2] / "defaults" / "columns.yaml"
_WIDE = re.compile(r"[\uff01-\uff5e：]")
"""Full-width letters and colon: a label may be typed with them (ＴＯＴＡＬ, 合计：)."""
_SPACES = re.compile(r"[\s_\-]+")
HEAD = itemgetter(slice(0, 1))
"""A text cell's first character (``cell[:1]``; a TypeError for a cell that is not text)."""


def normalise(header: str) -> str:
    """Compare headers loosely: width, case, spaces, a BOM and a trailing «（元）» do not matter."""
    cleaned = unicodedata.normalize("NFKC", header.replace("\ufeff", "")).strip().casefold()
    cleaned = _UNIT.sub("", cleaned)
    return _SPACES.sub("", cleaned)


def header_unit(header: str) -> str | None:
    """The unit a header declares (``金额（万元）`` → ``万元``), or None."""
    match = _UNIT.search(unicodedata.normalize("NFKC", header).strip())
    if not match:
        return None
    unit = match.group(1)
    return "元" if unit.casefold() in ("人民币", "rmb", "cny") else unit


def label_key(text: str) -> str:
    """A total label as compared: no spaces of any width, no trailing colon, case-folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).rstrip(":").casefold()


def looks_like_money(header: str) -> bool:
    """Headers that must never be left out silently (amount, paid, credit, currency …)."""
    return bool(_MONEY_LIKE.search(header))


@dataclass
class Columns:
    """Which header names mean which column, plus the labels of total rows."""

    names: dict[str, str] = field(default_factory=dict)
    """normalised header → field."""
    ignore: set[str] = field(default_factory=set)
    """normalised headers deliberately not used."""
    total_labels: set[str] = field(default_factory=set)
    grand_total_labels: set[str] = field(default_factory=set)
    config: str = "site_config/columns.yaml"
    """Where a company adds names (as messages show it)."""
    statuses: dict[str, str] = field(default_factory=dict)
    """A status / void / 红蓝字 cell as compared (:func:`label_key`) → ``void``, ``valid``, ``red`` or ``blue``."""
    footer_labels: set[str] = field(default_factory=set)
    """Words that start a printed footer row (制表人, 审核 …), as compared (:func:`label_key`)."""
    _labels: re.Pattern[str] | None = None
    _first: re.Pattern[str] = re.compile("(?!)")
    _seen: set[str] = field(default_factory=set)
    """First characters of cells looked at so far (filled as rows are read)."""
    _may: set[str] = field(default_factory=set)
    """Those of :attr:`_seen` a total label may start with."""

    def field_of(self, header: str) -> str | None:
        return self.names.get(normalise(header))

    def ignored(self, header: str) -> bool:
        return normalise(header) in self.ignore

    def total_kind(self, cell: str) -> str | None:
        """``grand`` or ``sub`` when ``cell`` is a total label, else None."""
        key = label_key(cell)
        if key in self.grand_total_labels:
            return "grand"
        if key in self.total_labels:
            return "sub"
        return None

    def may_start_total(self, heads: set[str]) -> bool:
        """Whether a cell whose first character is one of ``heads`` may be a total label. Every label starts
        with one of a few characters (compared as the full search compares them: NFKC, case-insensitively,
        after spaces): most rows are settled so, with set operations (a file has few distinct first
        characters; each is looked at once, then remembered)."""
        if self._labels is None:
            labels = sorted(self.total_labels | self.grand_total_labels, key=len, reverse=True)
            spaced = "|".join(r"\s*".join(re.escape(c) for c in label) for label in labels) or "(?!)"
            self._labels = re.compile(rf"(?:^|\x1f)\s*(?:{spaced})\s*:?\s*(?=\x1f|$)", re.I)
            first = "".join(sorted({re.escape(label[0]) for label in labels if label}))
            self._first = re.compile(f"[{first}]" if first else "(?!)", re.I)
        if not heads <= self._seen:
            for head in heads - self._seen:
                if head.isspace() or self._first.match(unicodedata.normalize("NFKC", head)):
                    self._may.add(head)
            self._seen |= heads
        return not heads.isdisjoint(self._may)

    def row_total_kind(self, texts: list[str]) -> str | None:
        """``grand``/``sub`` when any of a row's text cells is a total label, else None. Most rows are
        settled by their cells' first characters; the others by one regular expression over the whole row
        (labels with any spaces between their characters), then the exact check on the cells it found."""
        if not self.may_start_total(set(map(HEAD, texts))):
            return None
        assert self._labels is not None
        joined = "\x1f".join(texts)
        if not joined.isascii() and _WIDE.search(joined):
            joined = unicodedata.normalize("NFKC", joined)
        if not self._labels.search(joined):
            return None
        kinds = {self.total_kind(t) for t in texts} - {None}
        return "grand" if "grand" in kinds else kinds.pop() if kinds else None

    def aliases(self, name: str) -> list[str]:
        return [h for h, f in self.names.items() if f == name]


_BALANCE_WORDS = re.compile(
    r"未收|未核销|未结|未到账|未回款|未付|余额|剩余|欠|结余|outstanding|open|balance|remaining|due", re.I
)
_PAID_WORDS = re.compile(
    r"已收|实收|收回|已到账|已回款|已核销|已付|已结|到账|回款|收款|核销|付款|received|paid|cleared|receipt", re.I
)
_CHOICES = {
    "balance": "what is still owed on the row",
    "paid": "money already received against the row",
    "amount": "the invoice amount",
    "credit": "a 贷方 (credit) amount",
    "debit": "a 借方 (debit) amount",
    "currency": "the row's currency",
    "void": "是 = the row is void",
    "status": "the document's status",
    "red_blue": "红字/蓝字",
}


_YES_NO = {"是", "否", "y", "n", "yes", "no", "true", "false", "√", "×", "x", "✓"}


def suggestions(header: str, flag_like: bool, values: frozenset[str] = frozenset()) -> list[str]:
    """The ``columns.yaml`` meanings an unknown column may have, the likeliest first. What is not yet owed
    or paid (未收, 未核销, 余额) is looked for before what is paid (收, 核销): «未收金额» contains «收» and
    is a balance, never paid — a hint must not invert a meaning (tests/test_erp_columns.py)."""
    key = unicodedata.normalize("NFKC", header).casefold()
    if flag_like:
        if values and {v.casefold() for v in values} <= _YES_NO:
            return ["void"]  # 是/否: only «is the row void?» reads them; 红字 is told by 红/蓝, never by 是/否
        if re.search(r"红|蓝|red|blue", key):
            return ["red_blue", "status"]
        if re.search(r"作废|废|void|cancel", key):
            return ["void", "status"]
        return ["status", "void", "red_blue"]
    if re.search(r"币种|币别|货币|curr", key):
        return ["currency"]
    if _BALANCE_WORDS.search(key):
        return ["balance", "paid", "amount"]
    if _PAID_WORDS.search(key):
        return ["paid", "balance", "amount"]
    if re.search(r"贷|credit", key):
        return ["credit", "paid"]
    if re.search(r"借|debit", key):
        return ["debit", "amount"]
    return ["amount", "paid", "balance"]


def choice_lines(header: str, flag_like: bool, config: str, values: frozenset[str] = frozenset()) -> str:
    """The exact ``columns.yaml`` lines a message offers for an unknown column, one per choice."""
    quoted = f"'{header}'" if re.search(r"[\[\]{},:#&*!|>'\"%@`]", header) or header != header.strip() else header
    if (
        "红冲" in header or "冲销" in header
    ):  # 是否红冲 / 已红冲: which reading is right depends on what else the export holds
        return (
            f"in {config} add under 'columns:' 'void: [{quoted}]' if the red-ink rows that reverse these "
            f"invoices are NOT in the export; or the top-level line 'ignore: [{quoted}]' if they are (an "
            "invoice and its red-ink row then cancel out)"
        )
    lines = [f"'{name}: [{quoted}]' ({_CHOICES[name]})" for name in suggestions(header, flag_like, values)]
    lines.append(f"'ignore: [{quoted}]' (it changes no amount and no row)")
    return f"in {config} add under 'columns:' one of " + ", ".join(lines[:-1]) + f"; or the top-level line {lines[-1]}"


def _read(path: Path, project: Project, columns: Columns, *, company: bool) -> None:
    doc = load_file(path, project.display(path))
    if doc.data is None:
        return
    parsed, problems = validate(ColumnsFile, doc)
    if parsed is None:
        raise PlaybookError(problems)
    clashes: list[Problem] = []
    mine: dict[str, str] = {}
    for name in FIELDS:
        for i, header in enumerate(getattr(parsed.columns, name)):
            key = normalise(header)
            other = mine.get(key)
            if other and other != name:
                clashes.append(
                    doc.problem(
                        ("columns", name, i),
                        f"header '{header}' is already listed under '{other}'; a header can mean only one column",
                    )
                )
            mine[key] = name
    if clashes:
        raise PlaybookError(clashes)
    if company:  # a company's name wins over upstream's meaning of the same header
        columns.ignore -= set(mine)
    columns.names.update(mine)
    columns.ignore |= {normalise(h) for h in parsed.ignore}
    if company:
        for key in columns.ignore:
            columns.names.pop(key, None)
    for meaning in ("void", "valid", "red", "blue"):
        for value in getattr(parsed.status_values, meaning):
            columns.statuses[label_key(value)] = meaning
    columns.footer_labels |= {label_key(x) for x in parsed.footer_labels}
    columns.total_labels |= {label_key(x) for x in parsed.total_labels}
    columns.grand_total_labels |= {label_key(x) for x in parsed.grand_total_labels}


def load_columns(project: Project) -> Columns:
    """``defaults/columns.yaml`` (upstream's names) with ``site_config/columns.yaml`` merged over it."""
    columns = Columns(config=project.display(project.site_config_dir / "columns.yaml"))
    for name in FIELDS:
        columns.names[normalise(name)] = name
    defaults = project.root / "defaults" / "columns.yaml"
    if not defaults.is_file():  # a project folder without defaults/: upstream's, next to this package
        defaults = UPSTREAM_DEFAULTS
    for path, company in ((defaults, False), (project.site_config_dir / "columns.yaml", True)):
        if path.is_file():
            _read(path, project, columns, company=company)
    if not columns.total_labels and not columns.grand_total_labels:  # a project without defaults/
        columns.total_labels = {"小计"}
        columns.grand_total_labels = {"合计", "总计"}
    return columns
