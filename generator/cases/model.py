"""Typed cases: one debtor (客户) with its invoices, amounts as ``Decimal``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Invoice:
    """One invoice (发票) of a customer, as read from a row or a YAML entry."""

    invoice_no: str
    due_date: date
    amount: Decimal
    paid: Decimal = ZERO
    invoice_date: date | None = None
    contract_no: str = ""
    row: int = 0
    """Spreadsheet row (header = 1) or YAML line it came from."""

    @property
    def outstanding(self) -> Decimal:
        """amount − paid."""
        return self.amount - self.paid

    def with_paid(self, paid: Decimal) -> Invoice:
        """This invoice with ``paid`` instead: ``dataclasses.replace(self, paid=paid)``, spelt out (a big
        export applies thousands of credit notes, and ``replace`` is several times slower)."""
        return Invoice(self.invoice_no, self.due_date, self.amount, paid, self.invoice_date, self.contract_no, self.row)


@dataclass(frozen=True, slots=True)
class Instalment:
    """One line of a payment plan (还款计划)."""

    due_date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Delivery:
    """How a letter was sent (送达记录); every field may be left blank to fill in by hand."""

    method: str = "EMS"
    tracking_no: str = ""
    sent_date: date | None = None
    recipient: str = ""
    recipient_phone: str = ""
    address: str = ""
    letter: str = ""
    """Id of the letter that was sent (e.g. ``final-demand``)."""
    reference: str = ""
    """函号 of the letter that was sent."""
    sender: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Suspension:
    """The legal basis of a suspension of supply or service (停止供货 / 停止服务 letters)."""

    basis: str
    """contract-clause / prior-performance (民法典第526条) / insecurity (第527–528条)."""
    clause: str = ""
    """The contract clause relied on, e.g. «《购销合同》（HT-2026-018）第8.2条»."""
    evidence: tuple[str, ...] = ()
    """For insecurity: the 确切证据 of Art. 527 (被执行记录、停产、转移财产 …)."""
    contracts: tuple[str, ...] = ()
    """The contracts the basis belongs to: supply stops under these only (民法典 526/527 and most
    suspension clauses work contract by contract). Empty: every invoice of the case (a case
    without contract numbers, or a ``cross_default`` clause)."""
    cross_default: str = ""
    """A cross-default clause (交叉违约条款) that lets a default under one contract suspend the
    others; only with it does the suspension reach every contract of the case."""


@dataclass(frozen=True, slots=True)
class History:
    """Steps already taken; letters state a prior step only when it is recorded here."""

    reminders: tuple[date, ...] = ()
    """Dates written reminders (催款函) were sent."""
    final_demand: date | None = None
    supply_suspended: date | None = None
    service_suspended: date | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """The receivable's assignment to a third party (债权转让 / 保理)."""

    assignee: str
    date: date
    agreement: str
    account_name: str
    bank_name: str
    bank_account: str
    invoices: tuple[str, ...] = ()
    """Invoice numbers assigned (the 保理 schedule); empty: every unpaid invoice of the case."""


@dataclass(frozen=True, slots=True)
class Authorization:
    """The distribution agreement a terminate-authorization letter terminates."""

    agreement: str = ""
    """Name and number, e.g. «《经销合同》（JX-2026-002）»."""
    clause: str = ""
    """Its termination clause (民法典第562条第2款); empty: 第563条第1款第3项."""


@dataclass(frozen=True, slots=True)
class Case:
    """One debtor with its invoices; what every letter and the ladder are filled from."""

    customer: str
    invoices: tuple[Invoice, ...]
    contact: str = ""
    address: str = ""
    phone: str = ""
    source: str = ""
    """Where the case came from, as shown in messages (``invoices.csv:2``)."""
    number: int = 0
    """1-based position of the customer in its file."""
    deadline: date | None = None
    """Case-specific deadline (YAML only); letters otherwise compute one from the letter date."""
    plan: tuple[Instalment, ...] = field(default=())
    """Agreed instalments (YAML only); ``payment-plan`` otherwise proposes equal monthly ones."""
    delivery: Delivery | None = None
    """Delivery details (YAML only) for ``delivery-record``."""
    suspension: Suspension | None = None
    """Legal basis of a suspension (YAML only); required by stop-supply and stop-service."""
    history: History = field(default_factory=History)
    """Steps already taken (YAML only); letters state no prior step that is not recorded."""
    assignment: Assignment | None = None
    """The receivable's assignment (YAML only); required by assignment-notice."""
    authorization: Authorization | None = None
    """The distribution agreement terminate-authorization terminates (YAML only)."""
    credits: tuple[Invoice, ...] = field(default=())
    """Credit notes (红字发票, negative amounts or 贷方); already applied to ``invoices`` oldest first."""
    unapplied_credit: Decimal = ZERO
    """Credit left after every invoice is settled: the customer is in credit (no letter)."""

    @property
    def total_amount(self) -> Decimal:
        return sum((i.amount for i in self.invoices), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((i.paid for i in self.invoices), ZERO)

    @property
    def outstanding(self) -> Decimal:
        """Σ (amount − paid) over the customer's invoices, less credit not applied (negative: in credit)."""
        return sum((i.outstanding for i in self.invoices), ZERO) - self.unapplied_credit

    @property
    def unpaid(self) -> tuple[Invoice, ...]:
        """Invoices with something still outstanding, oldest due date first."""
        return tuple(
            sorted(
                (i for i in self.invoices if i.outstanding > 0),
                key=lambda i: (i.due_date, i.invoice_no),
            )
        )

    @property
    def oldest_unpaid_due(self) -> date | None:
        """Earliest due date among invoices not fully paid (None when all are paid)."""
        return min((i.due_date for i in self.invoices if i.outstanding > 0), default=None)

    @property
    def latest_due(self) -> date:
        """Latest due date among all invoices."""
        return max((i.due_date for i in self.invoices), default=date.min)

    @property
    def limitation_start(self) -> date | None:
        """The due date the limitation period (诉讼时效) that ends first runs from, counted on unpaid
        invoices only: each unpaid invoice is its own debt, except that the unpaid invoices of one
        contract are one debt in instalments, whose period runs from the last instalment
        (《民法典》第一百八十九条). None when nothing is unpaid."""
        last_of_debt: dict[str, date] = {}
        for invoice in self.invoices:
            if invoice.outstanding <= 0:
                continue
            debt = f"contract:{invoice.contract_no}" if invoice.contract_no else f"invoice:{invoice.invoice_no}"
            last_of_debt[debt] = max(last_of_debt.get(debt, invoice.due_date), invoice.due_date)
        return min(last_of_debt.values(), default=None)

    @property
    def contracts(self) -> tuple[str, ...]:
        """Contract numbers in first-seen order, without blanks or repeats."""
        return tuple(dict.fromkeys(i.contract_no for i in self.invoices if i.contract_no))

    def days_overdue(self, on: date) -> int:
        """Days since the oldest unpaid due date (0 when nothing is overdue)."""
        oldest = self.oldest_unpaid_due
        return max((on - oldest).days, 0) if oldest else 0
