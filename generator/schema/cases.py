"""Schema of case files (``playbook letters case.yaml``) and of ``site_config/columns.yaml``.

A YAML case file holds one debtor with its invoices; bulk CSV/XLSX files are read
row by row (see :mod:`generator.cases`) and only use ``columns.yaml`` from here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from generator.errors import did_you_mean, valid_choices
from generator.money import AmountError, parse_amount
from generator.schema.base import Id, Strict, Text


def _money(value: Any) -> Decimal:
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise PydanticCustomError("money", str(exc)) from None


def _code(value: Any) -> Any:
    """Invoice and contract numbers written without quotes become text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Money = Annotated[Decimal, BeforeValidator(_money)]
"""An amount in yuan with at most two decimals, e.g. ``12000.50`` or ``"12,000.50"``."""

Code = Annotated[str, BeforeValidator(_code)]
"""A number such as an invoice number; quote it if it has leading zeros."""


class InvoiceEntry(Strict):
    """One invoice of the debtor."""

    invoice_no: Annotated[Text, BeforeValidator(_code)]
    """发票号码."""
    due_date: date
    """到期日: the agreed payment date, written 2026-12-31."""
    amount: Money
    """金额: the invoice amount in yuan."""
    paid: Money = Decimal("0.00")
    """已付金额: what the debtor already paid on this invoice (default 0)."""
    invoice_date: date | None = None
    """开票日期."""
    contract_no: Code = ""
    """合同编号."""


class InstalmentEntry(Strict):
    """One instalment of a payment plan."""

    due_date: date
    """The date this instalment is due."""
    amount: Money
    """The instalment amount in yuan."""


class DeliveryEntry(Strict):
    """How a letter was sent, for the 送达记录 (blank fields are printed as lines to fill in)."""

    method: str = "EMS"
    """送达方式, e.g. EMS, 顺丰, 当面送达, 电子邮件."""
    tracking_no: Code = ""
    """快递单号 (EMS number)."""
    sent_date: date | None = None
    """寄出日期."""
    recipient: str = ""
    """收件人 as written on the envelope."""
    recipient_phone: str = ""
    """收件人电话."""
    address: str = ""
    """收件地址 (default: the case's address)."""
    letter: Id | None = None
    """Id of the letter that was sent (e.g. ``final-demand``); copied into the record."""
    reference: str = ""
    """函号 of the letter that was sent."""
    sender: str = ""
    """经办人 who posted it (default: the company's letter contact)."""
    note: str = ""
    """备注, e.g. 签收情况."""


SUSPENSION_BASES = ("contract-clause", "prior-performance", "insecurity")
"""Legal bases of a suspension of supply or service, as the case file names them."""


BASIS_WORDS = {
    "合同条款": "contract-clause",
    "合同约定": "contract-clause",
    "先履行抗辩权": "prior-performance",
    "先履行抗辩": "prior-performance",
    "不安抗辩权": "insecurity",
    "不安抗辩": "insecurity",
}
"""Chinese names a finance clerk may type in a spreadsheet cell, for each basis."""


class SuspensionEntry(Strict):
    """Why the company may suspend supply or service: the stop-supply and stop-service letters
    choose their legal wording from this (a person confirms it; the ladder plan only proposes)."""

    basis: str
    """``contract-clause``: the contract lets us suspend when payment is late (give ``clause``);
    ``prior-performance``: payment was due before the next delivery (先履行抗辩权, 民法典第526条);
    ``insecurity``: 不安抗辩权 (第527–528条), only with ``evidence``."""
    clause: str = ""
    """The clause relied on, e.g. «《购销合同》（HT-2026-018）第8.2条»; required for contract-clause."""
    evidence: list[Text] = Field(default_factory=list)
    """For ``insecurity``: the 确切证据 of Art. 527, one per line (被执行记录、停产、转移财产 …)."""
    contracts: list[Text] = Field(default_factory=list)
    """The contract numbers the basis belongs to (supply stops under these only; the others
    continue). Default: the case's contract numbers named in ``clause``; required when the case
    has invoices under more than one contract and ``clause`` names none."""
    cross_default: str = ""
    """A cross-default clause (交叉违约条款), e.g. «《经销合同》（JX-2026-002）第9.3条»: only with
    it does the suspension reach every contract of the case."""

    @field_validator("basis")
    @classmethod
    def _known_basis(cls, value: str) -> str:
        if value not in SUSPENSION_BASES:
            raise PydanticCustomError(
                "suspension_basis",
                "expected the legal basis of the suspension ({choices}), found '{value}'{hint}",
                {
                    "choices": valid_choices(list(SUSPENSION_BASES)),
                    "value": value,
                    "hint": did_you_mean(value, list(SUSPENSION_BASES)),
                },
            )
        return value


class HistoryEntry(Strict):
    """Steps already taken. Letters state a prior step (已书面催告, 已暂停供货 …) only when it is here."""

    reminders: list[date] = Field(default_factory=list)
    """Dates on which written reminders (催款函) were sent, oldest first."""
    final_demand: date | None = None
    """Date the 最后催告函 was sent."""
    supply_suspended: date | None = None
    """Date supply was suspended (停止供货)."""
    service_suspended: date | None = None
    """Date service was suspended (停止服务)."""


class AssignmentEntry(Strict):
    """The receivable was assigned (债权转让, 保理): the assignment-notice letter tells the debtor (民法典第546条)."""

    assignee: Text
    """受让人: the assignee's registered name (e.g. the factoring company)."""
    date: date
    """转让日: the date the receivable was assigned."""
    agreement: str = ""
    """The assignment or factoring agreement, e.g. «《国内保理业务合同》（BL-2026-007）»."""
    account_name: str = ""
    """户名 of the account the debtor must now pay into (default: the assignee)."""
    bank_name: Text
    """开户行 of that account."""
    bank_account: Text
    """账号 of that account."""
    invoices: list[Text] = Field(default_factory=list)
    """The invoice numbers assigned, from the 保理 schedule (应收账款转让清单); default: every
    unpaid invoice of the case. Where only some are factored, name them: the notice then
    transfers those alone and says the others are still paid to us."""


class AuthorizationEntry(Strict):
    """The distribution (经销 / 代理) agreement the terminate-authorization letter terminates."""

    agreement: str = ""
    """Its name and number, e.g. «《经销合同》（JX-2026-002）»; blank: a line to fill in by hand."""
    clause: str = ""
    """Its termination clause, e.g. «第12.3条» (民法典第562条第2款); blank: the letter relies on
    第563条第1款第3项 (迟延履行主要债务，经催告后在合理期限内仍未履行)."""


class CaseFile(Strict):
    """A YAML case file: one debtor (客户) and its invoices."""

    customer: Text
    """客户名称: the debtor's registered name, exactly as on its seal."""
    contact: str = ""
    """联系人 at the debtor."""
    address: str = ""
    """地址 letters are sent to."""
    phone: str = ""
    """The contact's phone number."""
    invoices: list[InvoiceEntry] = Field(min_length=1)
    """The debtor's invoices (paid ones may be listed too)."""
    deadline: date | None = None
    """The date the letter names (payment deadline or effective date); default: by letter date."""
    plan: list[InstalmentEntry] = Field(default_factory=list)
    """Agreed instalments for ``payment-plan``; they must add up to the outstanding amount."""
    delivery: DeliveryEntry | None = None
    """Delivery details for ``delivery-record``."""
    suspension: SuspensionEntry | None = None
    """Legal basis of a suspension; required by the stop-supply and stop-service letters."""
    history: HistoryEntry | None = None
    """Steps already taken (reminders, final demand, suspension); letters state only these."""
    assignment: AssignmentEntry | None = None
    """The receivable's assignment; required by the assignment-notice letter."""
    authorization: AuthorizationEntry | None = None
    """The distribution agreement terminate-authorization terminates (name, number, clause)."""


class ColumnNames(Strict):
    """Extra header names for each column, as your ERP (用友, 金蝶, SAP …) writes them.

    Upstream's names are in ``defaults/columns.yaml``; yours are added to them."""

    customer: list[Text] = Field(default_factory=list)
    """Headers meaning 客户名称."""
    contact: list[Text] = Field(default_factory=list)
    """Headers meaning 联系人."""
    address: list[Text] = Field(default_factory=list)
    """Headers meaning 地址."""
    contract_no: list[Text] = Field(default_factory=list)
    """Headers meaning 合同编号."""
    invoice_no: list[Text] = Field(default_factory=list)
    """Headers meaning 发票号码 / document number."""
    invoice_date: list[Text] = Field(default_factory=list)
    """Headers meaning 开票日期."""
    due_date: list[Text] = Field(default_factory=list)
    """Headers meaning 到期日."""
    amount: list[Text] = Field(default_factory=list)
    """Headers meaning 金额 (a negative amount is a credit note)."""
    paid: list[Text] = Field(default_factory=list)
    """Headers meaning 已付金额 / 已核销金额."""
    debit: list[Text] = Field(default_factory=list)
    """Headers meaning 借方 (the invoice side of a 借方/贷方 layout)."""
    credit: list[Text] = Field(default_factory=list)
    """Headers meaning 贷方 (credit notes and receipts of a 借方/贷方 layout)."""
    currency: list[Text] = Field(default_factory=list)
    """Headers meaning 币别 / 币种 / Currency (every row must be in 人民币)."""
    balance: list[Text] = Field(default_factory=list)
    """Headers meaning what is still owed on the row (未收金额, 余额, 未核销金额 …); with amount and paid
    beside it, amount − paid must equal it to the fen."""
    status: list[Text] = Field(default_factory=list)
    """Headers meaning the document's status (单据状态 …): values under ``status_values``."""
    void: list[Text] = Field(default_factory=list)
    """Headers meaning «void?» (作废状态, 是否作废): 是/否, or values under ``status_values``."""
    red_blue: list[Text] = Field(default_factory=list)
    """Headers meaning 红字/蓝字 (红蓝字): a red-ink row is a credit whatever its sign."""
    customer_code: list[Text] = Field(default_factory=list)
    """Headers meaning the customer's code (客户编码): kept apart from the name, never on a letter."""
    suspension_basis: list[Text] = Field(default_factory=list)
    """Headers meaning the legal basis of a suspension, optional (built in: suspension_basis, 暂停依据);
    cells: contract-clause / prior-performance / insecurity, or 合同条款 / 先履行抗辩权 / 不安抗辩权."""
    suspension_clause: list[Text] = Field(default_factory=list)
    """Headers meaning the contract clause relied on, optional (built in: suspension_clause, 暂停条款)."""
    suspension_evidence: list[Text] = Field(default_factory=list)
    """Headers meaning the evidence of 不安抗辩, optional (built in: suspension_evidence, 不安抗辩证据,
    暂停证据); several items separated by «；»."""


class StatusValues(Strict):
    """What the cells of the status, void and 红蓝字 columns mean (spaces and case do not matter)."""

    void: list[Text] = Field(default_factory=list)
    """Values of a void row (作废, 已作废 …): skipped and counted."""
    valid: list[Text] = Field(default_factory=list)
    """Values of a row that counts (已审核, 正常 …)."""
    red: list[Text] = Field(default_factory=list)
    """Values of a red-ink row (红字): a credit whatever its sign."""
    blue: list[Text] = Field(default_factory=list)
    """Values of an ordinary (blue) row (蓝字)."""


class ColumnsFile(Strict):
    """``columns.yaml``: how your spreadsheets name the columns (``site_config/`` adds to ``defaults/``)."""

    columns: ColumnNames = Field(default_factory=ColumnNames)
    """Header names, per column."""
    status_values: StatusValues = Field(default_factory=StatusValues)
    """What status, void and 红蓝字 cells mean (added to upstream's)."""
    footer_labels: list[Text] = Field(default_factory=list)
    """Labels that start a printed footer row (制表人, 审核 …): such rows are skipped and counted."""
    ignore: list[Text] = Field(default_factory=list)
    """Headers the tool must not use and must not ask about (e.g. 余额 of a running ledger)."""
    total_labels: list[Text] = Field(default_factory=list)
    """Cell texts that make a row a total row (小计, 客户合计 …; spaces do not matter); such rows are skipped."""
    grand_total_labels: list[Text] = Field(default_factory=list)
    """Labels of the grand-total row (合计, 总计): the amounts read must add up to it, to the fen."""
