"""Pure decisions: which bucket, class and rung a customer is in on a given day.

Kept free of I/O so the rules can be tested exhaustively (the rung is monotone in
days overdue: more days never moves a customer down the ladder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from generator.cases import Case
from generator.schema.policy import RUNG_IDS, Policy

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
    limitation_ends: date
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


def rung_of(policy: Policy, days: int, outstanding: Decimal) -> str:
    """The highest enabled rung whose trigger (days and minimum amount) is met, or ''."""
    if outstanding <= 0:
        return ""
    chosen = ""
    for rung in RUNG_IDS:
        rule = policy.ladder.get(rung)
        if rule is None or not rule.enabled or days < rule.days_overdue:
            continue
        if rule.min_amount is not None and outstanding < rule.min_amount:  # type: ignore[operator]
            continue
        chosen = rung
    return chosen


def class_of(policy: Policy, case: Case, days: int, as_of: date) -> str:
    """未付款 / 逾期付款 / 准坏账 / 坏账 / 休眠账户, checked in that order of severity."""
    if case.outstanding <= 0:
        return SETTLED
    rules = policy.classification
    if days >= rules.bad_debt_after_days:
        return CLASS_BAD
    last_activity = max((i.invoice_date or i.due_date) for i in case.invoices)
    if days > 0 and (as_of - last_activity).days >= rules.dormant_after_days:
        return CLASS_DORMANT
    if days >= rules.doubtful_after_days:
        return CLASS_DOUBTFUL
    return CLASS_OVERDUE if days > 0 else CLASS_UNPAID


def decide(policy: Policy, case: Case, as_of: date) -> Decision:
    outstanding = case.outstanding
    days = case.days_overdue(as_of) if outstanding > 0 else 0
    rung = rung_of(policy, days, outstanding)
    rule = policy.ladder.get(rung) if rung else None
    start = case.limitation_start  # unpaid invoices only (item 14 of issue 10)
    ends = add_years(start or case.latest_due, 3)
    alert = outstanding > 0 and (ends - as_of).days <= policy.limitation_warning_days
    return Decision(
        customer=case.customer,
        outstanding=outstanding,
        days_overdue=days,
        bucket=bucket_of(policy, days) if outstanding > 0 else "",
        klass=class_of(policy, case, days, as_of),
        rung=rung,
        letter=(rule.letter or "") if rule else "",
        approver=rule.approver if rule else "",
        limitation_ends=ends,
        limitation_alert=alert,
    )


@dataclass
class Decisions:
    """The ladder's decision for each case of a file, taken as ``open_cases`` checks it (a ``Survey``)."""

    policy: Policy
    as_of: date
    decisions: list[Decision] = field(default_factory=list)

    def __call__(self, case: Case) -> None:
        self.decisions.append(decide(self.policy, case, self.as_of))

    def restart(self) -> None:
        self.decisions.clear()
