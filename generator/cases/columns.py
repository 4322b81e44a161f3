"""Column names: the standard ones, their Chinese aliases and a company's own headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    "suspension_basis",
    "suspension_clause",
    "suspension_evidence",
)
REQUIRED = ("customer", "invoice_no", "due_date", "amount")

BUILTIN: dict[str, tuple[str, ...]] = {
    "customer": ("客户名称", "客户", "往来单位"),
    "contact": ("联系人",),
    "address": ("地址", "联系地址"),
    "contract_no": ("合同编号", "合同号"),
    "invoice_no": ("发票号码", "发票号"),
    "invoice_date": ("开票日期", "发票日期"),
    "due_date": ("到期日", "到期日期"),
    "amount": ("金额", "发票金额", "价税合计"),
    "paid": ("已付金额", "已付", "已收金额"),
    # Optional (branch legal): the legal basis of a suspension, for stop-supply / stop-service letters.
    "suspension_basis": ("暂停依据",),
    "suspension_clause": ("暂停条款",),
    "suspension_evidence": ("不安抗辩证据", "暂停证据"),
}
CHINESE = {name: names[0] for name, names in BUILTIN.items()}

_UNIT = re.compile(r"[（(]\s*(?:元|人民币|rmb|cny)\s*[)）]$", re.I)


def normalise(header: str) -> str:
    """Compare headers loosely: case, spaces, a BOM and a trailing «（元）» do not matter."""
    cleaned = header.replace("\ufeff", "").replace("\u3000", " ").strip().lower()
    cleaned = _UNIT.sub("", cleaned)
    return re.sub(r"[\s_\-]+", "", cleaned)


@dataclass
class Columns:
    """Which header names mean which column, plus the labels of total rows."""

    names: dict[str, str] = field(default_factory=dict)
    """normalised header → field."""
    total_labels: tuple[str, ...] = ("合计", "总计", "小计")

    def field_of(self, header: str) -> str | None:
        return self.names.get(normalise(header))

    def aliases(self, name: str) -> list[str]:
        return [h for h, f in self.names.items() if f == name]


def load_columns(project: Project) -> Columns:
    """Built-in names plus ``site_config/columns.yaml`` when present."""
    columns = Columns()
    for name in FIELDS:
        columns.names[normalise(name)] = name
        for alias in BUILTIN[name]:
            columns.names[normalise(alias)] = name
    path = project.site_config_dir / "columns.yaml"
    if not path.exists():
        return columns
    doc = load_file(path, project.display(path))
    if doc.data is None:
        return columns
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
    columns.names.update(mine)
    columns.total_labels = tuple(parsed.total_labels)
    return columns
