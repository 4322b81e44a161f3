"""The merge fields of a Word letter template: Chinese names a lawyer reads, each tied to
one key of the letter context (``generator/letters/context.py``).

This table is the one owner of the Word field names: the export writes them, the
validator checks against them, the filler builds the values from them and docs/word-templates.md's
reference table is generated from them (``playbook letters template --fields``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from generator.money import format_amount
from generator.render.env import cn_date


@dataclass(frozen=True)
class Field:
    zh: str
    """The name in the Word template: «{{ 客户名称 }}»."""
    key: str
    """Dotted path in the letter context (the HTML templates' name)."""
    kind: str = "text"
    """How the value is printed: text, date (2026年12月31日), money (12,345.60), number, list (joined by 、),
    dates (a list of dates joined by 、)."""
    optional: bool = False
    """May be empty for a customer: the export makes the text that shows it conditional."""
    toggle: str = ""
    """Context path made empty to see what the letter says without this field (default: ``key``)."""
    note: str = ""
    """What the field means (reference table)."""


@dataclass(frozen=True)
class Rows:
    zh: str
    """The list's name: ``{%tr for 发票 in 发票明细 %}``."""
    key: str
    """The context list it comes from."""
    var: str
    """The loop variable the row's fields hang on: «{{ 发票.发票号码 }}»."""
    fields: tuple[Field, ...]
    note: str = ""


FIELDS: tuple[Field, ...] = (
    Field("函件标题", "letter.title", note="函件标题（如 催款函）"),
    Field("函号", "letter.reference", optional=True, note="本函编号；未设置函号格式时为空"),
    Field("函件日期", "letter.date", "date", note="落款日期"),
    Field("期限日期", "letter.deadline", "date", note="函件所称日期（付款期限、暂停供货起始日等，见「期限说明」）"),
    Field("期限说明", "letter.deadline_label", note="该日期在本函中的含义（如 付款期限）"),
    Field("公司名称", "creditor.name", note="我司全称"),
    Field("公司简称", "creditor.short_name"),
    Field("公司地址", "creditor.address"),
    Field("公司邮编", "creditor.postcode", optional=True),
    Field("公司电话", "creditor.phone"),
    Field("开户行", "creditor.bank_name"),
    Field("银行账号", "creditor.bank_account"),
    Field("户名", "creditor.account_name"),
    Field("盖章位置", "creditor.seal_label", note="印章位置文字（如 （盖章））"),
    Field("联系人", "creditor.contact.name", note="我司联系人"),
    Field("联系人职务", "creditor.contact.title", optional=True),
    Field("联系人电话", "creditor.contact.phone", optional=True),
    Field("联系人邮箱", "creditor.contact.email", optional=True),
    Field("客户名称", "debtor.name", note="客户全称"),
    Field("客户联系人", "debtor.contact", optional=True),
    Field("客户地址", "debtor.address", optional=True),
    Field("客户电话", "debtor.phone", optional=True),
    Field("欠款合计", "total", "money", note="未付金额合计（数字，如 12,345.60）"),
    Field("欠款合计大写", "total_in_words", note="人民币大写（如 人民币壹万贰仟叁佰肆拾伍元陆角）"),
    Field("发票金额合计", "total_amount", "money"),
    Field("已付合计", "total_paid", "money"),
    Field("最早到期日", "oldest_due", "date", note="最早一笔未付发票的到期日"),
    Field("最晚到期日", "latest_due", "date"),
    Field("逾期天数", "days_overdue", "number", note="最早一笔未付发票已逾期的天数"),
    Field("合同编号", "contracts", "list", optional=True, note="合同编号（多个用 、 分隔）；没有时为空"),
    Field("送达方式", "delivery.method", optional=True),
    Field("快递单号", "delivery.tracking_no", optional=True),
    Field("寄出日期", "delivery.sent_date", "date", optional=True),
    Field("收件人", "delivery.recipient", optional=True),
    Field("收件人电话", "delivery.recipient_phone", optional=True),
    Field("收件地址", "delivery.address", optional=True),
    Field("寄件人", "delivery.sender", optional=True),
    Field("签收情况", "delivery.note", optional=True),
    # Prior steps and the legal basis: a letter states them only when the case records them, so
    # in Word they are optional fields too, never the sample's dates baked into the text.
    Field(
        "催告日期",
        "history.reminders",
        "dates",
        optional=True,
        note="已书面催告的日期（多个用 、 分隔）；没有记录时为空",
    ),
    Field(
        "已采取措施",
        "history.summary",
        optional=True,
        note="已采取的催收措施（已书面催告、已暂停供货等）的整句；案件没有记录时为空",
    ),
    Field("暂停条款", "suspension.clause", optional=True, note="合同中约定暂停供货/服务的条款"),
    Field("不安抗辩证据", "suspension.evidence", "list", optional=True, note="不安抗辩的证据（用 、 分隔）"),
    Field("受让人", "assignment.assignee", note="债权转让通知书：受让人（保理商等）；其他函件为空"),
    Field("转让日期", "assignment.date", "date"),
    Field("转让协议", "assignment.agreement"),
    Field("受让人户名", "assignment.account_name"),
    Field("受让人开户行", "assignment.bank_name"),
    Field("受让人账号", "assignment.bank_account"),
    Field("送达函件名称", "sent_letter.title", optional=True, toggle="sent_letter", note="送达记录：所送达函件的标题"),
    Field("送达函件函号", "sent_letter.reference", optional=True),
    Field("送达函件内容", "sent_letter.html", "copy", note="送达记录：所送达函件的全文（纯文本）"),
)

_INVOICE_FIELDS = (
    Field("序号", "no", "number"),
    Field("合同编号", "contract_no", optional=True),
    Field("发票号码", "invoice_no"),
    Field("开票日期", "invoice_date", "date", optional=True),
    Field("到期日", "due_date", "date"),
    Field("发票金额", "amount", "money"),
    Field("已付金额", "paid", "money"),
    Field("未付金额", "outstanding", "money"),
    Field("逾期天数", "days_overdue", "number", optional=True, note="未到期时为空"),
)

ROWS: tuple[Rows, ...] = (
    Rows("发票明细", "invoices", "发票", _INVOICE_FIELDS, "未付发票，最早到期的在前"),
    Rows("全部发票", "all_invoices", "发票", _INVOICE_FIELDS, "全部发票（含已付清的）"),
    Rows(
        "还款计划",
        "plan",
        "分期",
        (
            Field("期次", "no", "number"),
            Field("还款日期", "due_date", "date"),
            Field("金额", "amount", "money"),
            Field("金额大写", "amount_in_words"),
        ),
        "还款计划确认书的分期",
    ),
)


def deadline_alias(label: str) -> str | None:
    """The letter's own name for ``letter.deadline`` (付款期限, 暂停供货起始日 …), usable
    beside 期限日期, so a lawyer reads «{{ 付款期限 }}» in a 催款函."""
    # «付款期限（届满未付则合同解除）» → «付款期限»: a merge field's name has no brackets.
    name = label.split("（")[0].split("(")[0].strip() if label else ""
    return name if name and name not in names_in_use() else None


def names_in_use() -> set[str]:
    return {f.zh for f in FIELDS} | {r.zh for r in ROWS}


def row_names(rows: Rows) -> dict[str, Field]:
    return {f.zh: f for f in rows.fields}


# --- values ---------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Text safe in a DOCX: characters XML 1.0 cannot hold (NUL, other control characters)
    are dropped, tabs and line breaks become spaces."""
    from generator.letters.docx import xml_safe

    return xml_safe(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def lookup(context: Any, key: str) -> Any:
    value = context
    for part in key.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


def show(field: Field, value: Any) -> Any:
    """The value as the letter prints it; empty stays empty (so ``{% if %}`` sees it)."""
    if field.kind == "copy":
        return _copy_text(value)
    if value is None or value == "" or value == [] or (field.optional and not value):
        return ""
    if field.kind == "date" and isinstance(value, date):
        return cn_date(value)
    if field.kind == "money" and isinstance(value, Decimal):
        return format_amount(value)
    if field.kind == "list":
        return clean("、".join(str(v) for v in value))
    if field.kind == "dates":
        return "、".join(cn_date(v) for v in value)
    return clean(str(value))


def _copy_text(html: Any) -> Any:
    if not html:
        return ""
    from docxtpl import Listing

    from generator.letters.docx import parse, plain_lines

    return Listing("\n".join(clean(line) for line in plain_lines(parse(str(html)))))


def word_context(context: dict[str, Any], deadline_label: str) -> dict[str, Any]:
    """The letter context (English keys) → the Word template's context (Chinese names)."""
    values: dict[str, Any] = {f.zh: show(f, lookup(context, f.key)) for f in FIELDS}
    alias = deadline_alias(deadline_label)
    if alias:
        values[alias] = values["期限日期"]
    for rows in ROWS:
        items = []
        for n, row in enumerate(context.get(rows.key) or [], start=1):
            row = dict(row)
            row.setdefault("no", n)
            items.append({f.zh: show(f, lookup(row, f.key)) for f in rows.fields})
        values[rows.zh] = items
    return values


def reference_table() -> list[tuple[str, str, str]]:
    """(Chinese field, English key, meaning) for every field, rows as «发票明细 → 发票.发票号码»."""
    table = [
        (f"{{{{ {f.zh} }}}}", f.key, f.note + ("（可能为空）" if f.optional and "空" not in f.note else ""))
        for f in FIELDS
    ]
    table.append(("{{ 付款期限 }} 等", "letter.deadline", "与「期限说明」同名的字段，等同 期限日期"))
    for rows in ROWS:
        table.append((f"{{%tr for {rows.var} in {rows.zh} %}}", rows.key, rows.note + "：表格中每行重复一次"))
        for f in rows.fields:
            table.append((f"{{{{ {rows.var}.{f.zh} }}}}", f"{rows.key}[].{f.key}", f.note))
    return table
