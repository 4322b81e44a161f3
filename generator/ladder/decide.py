"""Pure decisions: which bucket, class and rung a customer is in on a given day.

Kept free of I/O so the rules can be tested exhaustively (the rung is monotone in
days overdue: more days never moves a customer down the ladder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from generator.cases import Case
from generator.cases.model import ZERO
from generator.schema.policy import Policy, RungPolicy

SETTLED = "已结清"
CLASS_UNPAID = "未付款"
CLASS_OVERDUE = "逾期付款"
CLASS_DOUBTFUL = "准坏账"
CLASS_BAD = "坏账"
CLASS_DORMANT = "休眠账户"


@dataclass(frozen=True, slots=True)
class Decision:
    """One line of the ladder plan."""

    customer: str
    outstanding: Decimal
    days_overdue: int
    bucket: str
    klass: str
    rung: str
    letter: str
    approver: str
    limitation_ends: date | None
    """None when nothing is unpaid: limitation is counted on unpaid invoices only."""
    limitation_alert: bool


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February."""
    if day.year + years > date.max.year:  # ERP placeholders such as 9999-12-31
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def bucket_of(policy: Policy, days: int) -> str:
    for bucket in policy.aging_buckets:
        if bucket.max_days is None or days <= bucket.max_days:
            return bucket.label
    return policy.aging_buckets[-1].label


def highest_rung(rungs: list[tuple[str, RungPolicy]], days: int, outstanding: Decimal) -> str:
    """:func:`rung_of` over ``Policy.enabled_rungs()`` looked up once."""
    if outstanding <= 0:
        return ""
    chosen = ""
    for rung, rule in rungs:
        if days < rule.days_overdue:
            continue
        if rule.min_amount is not None and outstanding < rule.min_amount:  # type: ignore[operator]
            continue
        chosen = rung
    return chosen


def rung_of(policy: Policy, days: int, outstanding: Decimal) -> str:
    """The highest enabled rung whose trigger (days and minimum amount) is met, or ''."""
    return highest_rung(policy.enabled_rungs(), days, outstanding)


def class_of(
    policy: Policy,
    case: Case,
    days: int,
    as_of: date,
    *,
    outstanding: Decimal | None = None,
    last_activity: date | None = None,
) -> str:
    """未付款 / 逾期付款 / 准坏账 / 坏账 / 休眠账户, checked in that order of severity.
    ``outstanding`` and ``last_activity`` (the latest invoice date, else due date, of any invoice): what
    the case says, when the caller has them already."""
    if (case.outstanding if outstanding is None else outstanding) <= 0:
        return SETTLED
    rules = policy.classification
    if days >= rules.bad_debt_after_days:
        return CLASS_BAD
    if last_activity is None:
        last_activity = max((i.invoice_date or i.due_date) for i in case.invoices)
    if days > 0 and (as_of - last_activity).days >= rules.dormant_after_days:
        return CLASS_DORMANT
    if days >= rules.doubtful_after_days:
        return CLASS_DOUBTFUL
    return CLASS_OVERDUE if days > 0 else CLASS_UNPAID


def decide(policy: Policy, case: Case, as_of: date) -> Decision:
    return decider(policy, as_of)(case)


def decider(policy: Policy, as_of: date) -> Callable[[Case], Decision]:
    """:func:`decide` for the customers of a whole file: what it reads of the policy is looked up once,
    and each case's invoices are walked once (``Case.outstanding``, ``oldest_unpaid_due`` and
    ``limitation_start`` would each walk them again). The same values as those properties."""
    rungs = policy.enabled_rungs()
    warning_days = policy.limitation_warning_days
    buckets: dict[int, str] = {}
    """Days overdue → aging bucket (a file has few distinct values)."""
    ends_of: dict[date, date] = {}
    """Limitation start → end (three years on; a file has few distinct due dates)."""

    def decide_case(case: Case) -> Decision:
        owed = ZERO
        oldest: date | None = None
        active = date.min
        last_of_debt: dict[tuple[str, str], date] = {}
        """One debt (a contract, else an invoice) → its last unpaid due date (see Case.limitation_start)."""
        for invoice in case.invoices:
            left = invoice.amount - invoice.paid
            owed += left
            due = invoice.due_date
            dated = invoice.invoice_date or due
            if dated > active:
                active = dated
            if left > 0:
                if oldest is None or due < oldest:
                    oldest = due
                debt = (invoice.contract_no, "") if invoice.contract_no else ("", invoice.invoice_no)
                last = last_of_debt.get(debt)
                if last is None or due > last:
                    last_of_debt[debt] = due
        outstanding = owed - case.unapplied_credit
        days = max((as_of - oldest).days, 0) if outstanding > 0 and oldest else 0
        rung = highest_rung(rungs, days, outstanding)
        rule = policy.ladder.get(rung) if rung else None
        ends: date | None = None
        if outstanding > 0 and last_of_debt:
            start = min(last_of_debt.values())
            ends = ends_of.get(start)
            if ends is None:
                ends = ends_of[start] = add_years(start, 3)
        bucket = ""
        if outstanding > 0:
            bucket = buckets.get(days) or buckets.setdefault(days, bucket_of(policy, days))
        return Decision(  # positional (in the order of its fields): a third cheaper than by keyword
            case.customer,
            outstanding,
            days,
            bucket,
            class_of(policy, case, days, as_of, outstanding=outstanding, last_activity=active),
            rung,
            (rule.letter or "") if rule else "",
            rule.approver if rule else "",
            ends,
            ends is not None and (ends - as_of).days <= warning_days,
        )

    return decide_case


@dataclass
class Decisions:
    """The ladder's decision for each case of a file, taken as ``open_cases`` checks it (a ``Survey``)."""

    policy: Policy
    as_of: date
    decisions: list[Decision] = field(default_factory=list)
    _decide: Callable[[Case], Decision] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._decide = decider(self.policy, self.as_of)

    def __call__(self, case: Case) -> None:
        self.decisions.append(self._decide(case))

    def restart(self) -> None:
        self.decisions.clear()
