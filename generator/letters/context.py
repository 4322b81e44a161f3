"""The template context of a letter, built from a case, the company and the run's options.

Every field is described once, in ``templates/letters/_context.html.j2`` (tests keep it equal to
:class:`LetterContext`).
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from generator.cases.model import Assignment, Authorization, Case, Delivery, History, Instalment, Invoice, Suspension
from generator.errors import PlaybookError, Problem
from generator.letter_catalog import LetterCatalog
from generator.money import CENT, rmb_upper
from generator.pdf import FONT_FAMILY
from generator.pdf.webfont import STACK
from generator.render.env import cn_date
from generator.schema.cases import SUSPENSION_BASES
from generator.schema.policy import RUNG_IDS
from generator.schema.site import Company, Contact

NEEDS_SUSPENSION = ("stop-supply", "stop-service")
"""Letters whose legal wording depends on the case's ``suspension.basis``."""


def _source_location(case: Case) -> tuple[str, int]:
    path, _, line = case.source.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (case.source, 0)


def check_case_for(template: str, case: Case) -> None:
    """Refuse a letter the case lacks the facts for (the legal basis of a suspension)."""
    if template == "assignment-notice" and case.assignment is None:
        path, line = _source_location(case)
        raise PlaybookError(
            [
                Problem(
                    path,
                    line,
                    0,
                    "assignment",
                    "expected the assignment (assignee, date, bank_name, bank_account) for letter 'assignment-notice', "
                    "found none; add to a YAML case e.g. "
                    "'assignment: {assignee: 上海示例商业保理有限公司, date: 2026-11-30, "
                    "bank_name: …, bank_account: …}'",
                )
            ]
        )
    if template in NEEDS_SUSPENSION and case.suspension is None:
        path, line = _source_location(case)
        raise PlaybookError(
            [
                Problem(
                    path,
                    line,
                    0,
                    "suspension.basis",
                    f"expected the legal basis of the suspension for letter '{template}' "
                    f"({', '.join(SUSPENSION_BASES)}), found none; add to a YAML case "
                    "'suspension: {basis: contract-clause, clause: 《购销合同》第8.2条}', or to a spreadsheet the "
                    "columns 暂停依据 (suspension_basis), 暂停条款, 不安抗辩证据 "
                    "(a person must confirm it: arrears alone are rarely the 确切证据 of 民法典第527条)",
                )
            ]
        )


@dataclass(frozen=True)
class Request:
    """What the user asked for, the same for every letter of a run (picklable)."""

    template: str
    fmt: str = "pdf"
    letter_date: date = field(default_factory=date.today)
    deadline: date | None = None
    instalments: int = 3
    sent_letter: str | None = None


@dataclass(frozen=True)
class Job:
    """One letter to make: the case, its sequence number, 函号 and file name."""

    case: Case
    seq: int
    reference: str
    filename: str


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_of(case: Case, request: Request, letters: LetterCatalog, template: str | None = None) -> date:
    """The date the letter names: ``--deadline``, the case's, or letter date + the letter's days."""
    if request.deadline:
        return request.deadline
    if case.deadline:
        return case.deadline
    return request.letter_date + timedelta(days=letters.info(template or request.template).deadline_days)


def plan_of(case: Case, first: date, count: int) -> tuple[Instalment, ...]:
    """The case's agreed plan, else ``count`` monthly instalments (cents go to the last one)."""
    if case.plan:
        return case.plan
    total = case.outstanding
    count = max(1, min(count, int(total / CENT) or 1))
    share = (total / count).quantize(CENT, rounding="ROUND_DOWN")
    amounts = [share] * (count - 1) + [total - share * (count - 1)]
    return tuple(Instalment(add_months(first, i), amount) for i, amount in enumerate(amounts))


def _invoice_row(invoice: Invoice, on: date) -> dict[str, Any]:
    return {
        "invoice_no": invoice.invoice_no,
        "contract_no": invoice.contract_no,
        "invoice_date": invoice.invoice_date,
        "due_date": invoice.due_date,
        "amount": invoice.amount,
        "paid": invoice.paid,
        "outstanding": invoice.outstanding,
        "days_overdue": max((on - invoice.due_date).days, 0),
    }


def _creditor(company: Company) -> dict[str, Any]:
    found = company.contacts.get(company.letter_contact) or Contact(name=company.short_name)
    contact = {"name": found.name, "title": found.title, "phone": found.phone, "email": found.email}
    return {
        "name": company.name,
        "short_name": company.short_name,
        "address": company.address,
        "postcode": company.postcode,
        "phone": company.phone,
        "bank_name": company.bank_name,
        "bank_account": company.bank_account,
        "account_name": company.name,
        "seal_label": company.seal_label,
        "contact": contact,
    }


PDF_STACK = f'"{FONT_FAMILY}", sans-serif'
"""PDFs use the shipped font only, so they come out the same on every machine."""


def build(
    company: Company,
    case: Case,
    request: Request,
    *,
    seq: int,
    reference: str,
    template: str | None = None,
    rungs: tuple[str, ...] = tuple(RUNG_IDS),
    letters: LetterCatalog,
) -> dict[str, Any]:
    """The context for one letter (``template`` defaults to the run's template); ``rungs`` are the
    enabled rungs of the company's policy (``Policy.enabled_rung_ids``), ``letters`` its letter
    catalogue (``Session.letters``)."""
    template = template or request.template
    check_case_for(template, case)
    letter_info = letters.info(template)
    on = request.letter_date
    deadline = deadline_of(case, request, letters, template)
    total = case.outstanding
    unpaid = case.unpaid
    raw = {
        # PDFs name only the shipped font (the same output on every machine); HTML names the
        # reader's own fonts first and the shipped one last (generator/pdf/webfont.py).
        "font_stack": Markup(PDF_STACK if request.fmt == "pdf" else STACK),
        "letter": {
            "id": template,
            "title": letter_info.title,
            "reference": reference,
            "seq": seq,
            "date": on,
            "deadline": deadline,
            "deadline_label": letter_info.deadline_label,
            "format": request.fmt,
        },
        "creditor": _creditor(company),
        "debtor": {
            "name": case.customer,
            "contact": case.contact,
            "address": case.address,
            "phone": case.phone,
        },
        "invoices": [_invoice_row(i, on) for i in unpaid],
        "all_invoices": [_invoice_row(i, on) for i in case.invoices],
        "contracts": list(case.contracts),
        "total": total,
        "total_in_words": rmb_upper(total),
        "total_amount": case.total_amount,
        "total_paid": case.total_paid,
        "oldest_due": case.oldest_unpaid_due,
        "latest_due": case.latest_due,
        "days_overdue": case.days_overdue(on),
        "plan": [
            {
                "no": n,
                "due_date": p.due_date,
                "amount": p.amount,
                "amount_in_words": rmb_upper(p.amount),
            }
            for n, p in enumerate(plan_of(case, deadline, request.instalments), start=1)
        ],
        "delivery": _delivery(case, company),
        "ladder": {"enabled": list(rungs)},
        "suspension": _suspension(case.suspension, case, max((deadline - on).days, 1)),
        "history": _history(case.history),
        "assignment": _assignment(case.assignment, case, on),
        "authorization": _authorization(case.authorization),
        "sent_letter": None,
        "embedded": False,
        "font_css": "",
    }
    return LetterContext.model_validate(raw).template_dict()


# --- the typed context (what a letter template may use) ---------------------------------------

_MODEL = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class LetterMeta(BaseModel):
    """The letter itself."""

    model_config = _MODEL
    id: str = Field(description="函件模板 id，如 reminder-1")
    title: str = Field(description="函件标题（印在函件上），如「催款函」")
    reference: str = Field(description="函号，如 示例科技催字（2026）第0001号")
    seq: int = Field(description="本次运行中的序号（从 --start-seq 或登记簿继续）")
    date: _dt.date = Field(description="发函日期")
    deadline: _dt.date = Field(description="函件所写的日期（付款期限、回函期限等，见 deadline_label）")
    deadline_label: str = Field(description="deadline 在本函中的含义，如「付款期限」")
    format: str = Field(description="输出格式：pdf、html 或 docx")


class CreditorContact(BaseModel):
    """The creditor's contact person printed on letters."""

    model_config = _MODEL
    name: str = Field(description="联系人姓名")
    title: str = Field(description="职务，如「财务经理」")
    phone: str = Field(description="电话（为空时模板用公司电话）")
    email: str = Field(description="电子邮箱")


class Creditor(BaseModel):
    """Our company, from site_config/company.yaml."""

    model_config = _MODEL
    name: str = Field(description="公司全称")
    short_name: str = Field(description="公司简称")
    address: str = Field(description="地址")
    postcode: str = Field(description="邮编")
    phone: str = Field(description="电话")
    bank_name: str = Field(description="开户行")
    bank_account: str = Field(description="账号")
    account_name: str = Field(description="户名（公司全称）")
    seal_label: str = Field(description="印章位置文字，如「（盖章）」")
    contact: CreditorContact = Field(description="函件联系人（company.letter_contact）")


class Debtor(BaseModel):
    """The customer the letter goes to."""

    model_config = _MODEL
    name: str = Field(description="客户全称（文件中第一行的写法）")
    contact: str = Field(description="客户联系人")
    address: str = Field(description="客户地址")
    phone: str = Field(description="客户电话")


class InvoiceRow(BaseModel):
    """One invoice of the case."""

    model_config = _MODEL
    invoice_no: str = Field(description="发票号码")
    contract_no: str = Field(description="合同编号（可为空）")
    invoice_date: _dt.date | None = Field(description="开票日期（可为空）")
    due_date: _dt.date = Field(description="到期日")
    amount: Decimal = Field(description="发票金额（元）")
    paid: Decimal = Field(description="已付金额（元）")
    outstanding: Decimal = Field(description="未付金额 = amount − paid")
    days_overdue: int = Field(description="截至发函日的逾期天数（未到期为 0）")


class PlanRow(BaseModel):
    """One instalment of a payment plan."""

    model_config = _MODEL
    no: int = Field(description="期数，从 1 起")
    due_date: _dt.date = Field(description="该期还款日")
    amount: Decimal = Field(description="该期金额（元）")
    amount_in_words: str = Field(description="该期金额大写，如 人民币壹万元整")


class DeliveryInfo(BaseModel):
    """How the letter was (or will be) delivered; blanks are filled in by hand."""

    model_config = _MODEL
    method: str = Field(description="送达方式，如 EMS")
    tracking_no: str = Field(description="快递单号")
    sent_date: _dt.date | None = Field(description="寄出日期")
    recipient: str = Field(description="收件人（默认客户联系人）")
    recipient_phone: str = Field(description="收件人电话")
    address: str = Field(description="收件地址")
    letter: str = Field(description="所送达函件的模板 id")
    reference: str = Field(description="所送达函件的函号")
    sender: str = Field(description="寄件人（经办人）")
    note: str = Field(description="签收情况")


class Ladder(BaseModel):
    """The company's penalty ladder, as far as letters need it."""

    model_config = _MODEL
    enabled: list[str] = Field(description="公司政策启用的惩戒级别 id，按阶梯顺序")


class SuspensionInfo(BaseModel):
    """The legal basis of a suspension (stop-supply, stop-service) and its scope: the contracts
    the basis belongs to (Civil Code art. 526/527 and most suspension clauses work contract by contract)."""

    model_config = _MODEL
    basis: str = Field(description="依据：contract-clause / prior-performance / insecurity（未填为空）")
    clause: str = Field(description="合同条款，如《购销合同》第8.2条")
    evidence: list[str] = Field(description="不安抗辩的证据（insecurity）")
    contracts: list[str] = Field(description="暂停范围内的合同编号（依据所属的合同；空 = 案件的全部合同）")
    orders: bool = Field(description="未列合同编号的订单（发票）也在暂停范围内")
    every_contract: bool = Field(description="暂停及于案件的全部发票（无合同编号、只有一份合同或有交叉违约条款）")
    cross_default: str = Field(description="交叉违约条款（只有它使暂停及于其他合同）")
    continuing: list[str] = Field(description="不在暂停范围内、照常履行的合同编号")
    total: Decimal = Field(description="暂停范围内合同项下的到期未付款合计")
    total_in_words: str = Field(description="上项的大写")
    notice_days: int = Field(description="自送达之日起第几日开始暂停（= 期限日期 − 发函日期）")


class HistoryInfo(BaseModel):
    """Steps already taken, as the case records them (a letter states only these)."""

    model_config = _MODEL
    reminders: list[_dt.date] = Field(description="已发催款函的日期")
    final_demand: _dt.date | None = Field(description="最后催告函的日期")
    supply_suspended: _dt.date | None = Field(description="暂停供货的起始日")
    service_suspended: _dt.date | None = Field(description="暂停服务的起始日")
    summary: str = Field(description="已采取步骤的一句话（无记录时为空）")


class AssignmentInfo(BaseModel):
    """The assignment of the receivable (assignment-notice)."""

    model_config = _MODEL
    assignee: str = Field(description="受让人")
    date: _dt.date = Field(description="转让日期")
    agreement: str = Field(description="转让（保理）合同")
    account_name: str = Field(description="受让人户名")
    bank_name: str = Field(description="受让人开户行")
    bank_account: str = Field(description="受让人账号")
    every_invoice: bool = Field(description="案件的全部未付发票都已转让（未填 assignment.invoices）")
    invoices: list[InvoiceRow] = Field(description="转让的未付发票（保理清单所列）")
    others: list[str] = Field(description="未转让、仍向我司支付的未付发票号码")
    total: Decimal = Field(description="转让的未付金额合计")
    total_in_words: str = Field(description="上项的大写")


class AuthorizationInfo(BaseModel):
    """The distribution agreement terminate-authorization terminates."""

    model_config = _MODEL
    agreement: str = Field(description="经销（代理）合同名称及编号（空：函件留空白手填）")
    clause: str = Field(description="该合同的解除条款（空：依民法典第563条第1款第3项）")


class SentLetter(BaseModel):
    """The letter a delivery record copies (for templates that read ``sent_letter``)."""

    model_config = _MODEL
    id: str = Field(description="所送达函件的模板 id")
    title: str = Field(description="所送达函件的标题")
    reference: str = Field(description="所送达函件的函号")
    html: Any = Field(description="所送达函件正文的 HTML 副本（Markup）")


class LetterContext(BaseModel):
    """Everything a letter template (templates/letters/*.html.j2) may use; Typst and Word
    templates get the same fields."""

    model_config = _MODEL
    font_stack: Any = Field(description="CSS font-family 值（Markup）：PDF 只用随附字体，HTML 读者字体优先")
    letter: LetterMeta = Field(description="本函：id、标题、函号、日期、期限")
    creditor: Creditor = Field(description="我司（债权人）")
    debtor: Debtor = Field(description="客户（债务人）")
    invoices: list[InvoiceRow] = Field(description="未付发票，最早到期的在前")
    all_invoices: list[InvoiceRow] = Field(description="案件的全部发票（含已付）")
    contracts: list[str] = Field(description="合同编号")
    total: Decimal = Field(description="欠款合计 = Σ(amount − paid)")
    total_in_words: str = Field(description="欠款合计大写，如 人民币壹拾贰万元整")
    total_amount: Decimal = Field(description="发票金额合计")
    total_paid: Decimal = Field(description="已付金额合计")
    oldest_due: _dt.date | None = Field(description="最早一笔未付发票的到期日")
    latest_due: _dt.date | None = Field(description="最晚的到期日")
    days_overdue: int = Field(description="最早一笔未付发票的逾期天数")
    plan: list[PlanRow] = Field(description="分期还款计划（payment-plan）")
    delivery: DeliveryInfo = Field(description="送达信息（delivery-record；空白项手填）")
    ladder: Ladder = Field(description="公司启用的惩戒级别")
    suspension: SuspensionInfo = Field(description="暂停履行的法律依据（stop-supply、stop-service 必填）")
    history: HistoryInfo = Field(description="案件记录的已采取步骤")
    assignment: AssignmentInfo | None = Field(description="债权转让信息（assignment-notice 必填），无则为空")
    authorization: AuthorizationInfo = Field(description="解除经销（代理）关系的函件所针对的经销（代理）合同")
    sent_letter: SentLetter | None = Field(description="所送达函件的副本（仅读取 sent_letter 的模板得到）")
    embedded: bool = Field(description="作为副本嵌在另一封函件中渲染时为真")
    font_css: Any = Field(description="PDF 字体的 @font-face 规则（Markup；HTML/DOCX 为空）")

    def template_dict(self) -> dict[str, Any]:
        """The context as the mapping Jinja and Word templates read (dates and Decimals kept)."""
        out = {name: getattr(self, name) for name in type(self).model_fields}
        for name, value in out.items():
            if isinstance(value, BaseModel):
                out[name] = value.model_dump()
            elif isinstance(value, list):
                out[name] = [v.model_dump() if isinstance(v, BaseModel) else v for v in value]
        return out


def _suspension(s: Suspension | None, case: Case, notice_days: int) -> dict[str, Any]:
    """The basis and the scope of a suspension: supply stops under ``contracts`` only."""
    if s is None:
        s = Suspension("")
    every = not s.contracts
    inside = [i for i in case.unpaid if every or i.contract_no in s.contracts]
    scoped = sum((i.outstanding for i in inside), Decimal("0.00"))
    return {
        "basis": s.basis,
        "clause": s.clause,
        "evidence": list(s.evidence),
        "contracts": [c for c in s.contracts if c] if s.contracts else list(case.contracts),
        "orders": "" in s.contracts or (every and any(not i.contract_no for i in case.invoices)),
        "every_contract": every,
        "cross_default": s.cross_default,
        "continuing": [] if every else [c for c in case.contracts if c not in s.contracts],
        "total": scoped,
        "total_in_words": rmb_upper(scoped),
        "notice_days": notice_days,
    }


def _assignment(a: Assignment | None, case: Case, on: date) -> dict[str, Any] | None:
    """The assignment; only the invoices of the 保理 schedule when it names them."""
    if a is None:
        return None
    unpaid = case.unpaid
    assigned = [i for i in unpaid if not a.invoices or i.invoice_no in a.invoices]
    amount = sum((i.outstanding for i in assigned), Decimal("0.00"))
    return {
        "assignee": a.assignee,
        "date": a.date,
        "agreement": a.agreement,
        "account_name": a.account_name,
        "bank_name": a.bank_name,
        "bank_account": a.bank_account,
        "every_invoice": len(assigned) == len(unpaid),
        "invoices": [_invoice_row(i, on) for i in assigned],
        "others": [i.invoice_no for i in unpaid if i not in assigned],
        "total": amount,
        "total_in_words": rmb_upper(amount),
    }


def _authorization(a: Authorization | None) -> dict[str, Any]:
    return {"agreement": a.agreement, "clause": a.clause} if a else {"agreement": "", "clause": ""}


def _history(h: History) -> dict[str, Any]:
    return {
        "reminders": list(h.reminders),
        "final_demand": h.final_demand,
        "supply_suspended": h.supply_suspended,
        "service_suspended": h.service_suspended,
        "summary": prior_steps(h),
    }


def prior_steps(h: History) -> str:
    """The sentence stating the steps already taken, or "" when the case records none.

    One owner for this sentence: the HTML letters print it and a Word template gets it as one
    field, so a letter never claims a step that did not happen."""
    steps = []
    if h.reminders:
        steps.append("已于" + "、".join(cn_date(d) for d in h.reminders) + "向贵司书面催告")
    if h.final_demand:
        steps.append(f"已于{cn_date(h.final_demand)}向贵司发出最后催告函")
    if h.supply_suspended:
        steps.append(f"已自{cn_date(h.supply_suspended)}起暂停向贵司供货")
    if h.service_suspended:
        steps.append(f"已自{cn_date(h.service_suspended)}起暂停向贵司提供服务")
    return f"我司{'，'.join(steps)}，贵司至今仍未支付。" if steps else ""


def _delivery(case: Case, company: Company) -> dict[str, Any]:
    d = case.delivery or Delivery(method="")
    contact = company.contacts.get(company.letter_contact)
    return {
        "method": d.method,
        "tracking_no": d.tracking_no,
        "sent_date": d.sent_date,
        "recipient": d.recipient or case.contact,
        "recipient_phone": d.recipient_phone or case.phone,
        "address": d.address or case.address,
        "letter": d.letter,
        "reference": d.reference,
        "sender": d.sender or (contact.name if contact else ""),
        "note": d.note,
    }


def sample_case() -> Case:
    """A fictitious debtor for the site's sample renderings (no real company)."""
    return Case(
        customer="华东示例贸易有限公司",
        contact="陈经理（财务部）",
        address="江苏省苏州市示例区样板路 88 号 3 楼",
        phone="0512-5555 0188",
        source="(示例数据)",
        number=1,
        invoices=(
            Invoice(
                "26310001",
                date(2026, 8, 31),
                Decimal("107000.53"),
                Decimal("0.00"),
                date(2026, 7, 31),
                "HT-2026-018",
                2,
            ),
            Invoice(
                "26310057",
                date(2026, 9, 30),
                Decimal("16409.02"),
                Decimal("10000.00"),
                date(2026, 8, 31),
                "HT-2026-018",
                3,
            ),
            Invoice(
                "26310112",
                date(2026, 10, 31),
                Decimal("6007.14"),
                Decimal("0.00"),
                date(2026, 9, 30),
                "HT-2026-031",
                4,
            ),
        ),
        delivery=Delivery(
            method="EMS",
            tracking_no="1170 0000 0000 0",
            sent_date=date(2026, 12, 1),
            recipient="陈经理",
            letter="final-demand",
        ),
        suspension=Suspension("prior-performance", "《购销合同》（HT-2026-018）第5.2条", contracts=("HT-2026-018",)),
        history=History(reminders=(date(2026, 10, 15), date(2026, 11, 5)), final_demand=date(2026, 11, 20)),
        assignment=Assignment(
            "上海示例商业保理有限公司",
            date(2026, 11, 30),
            "《国内保理业务合同》（BL-2026-007）",
            "上海示例商业保理有限公司",
            "中国建设银行上海示例支行",
            "3100 0000 0000 0000 0007",
        ),
    )


SAMPLE_DATE = date(2026, 12, 1)
"""Letter date of the site's samples (fixed, so the site build is reproducible)."""
