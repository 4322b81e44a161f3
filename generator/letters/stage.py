"""The right letter for the stage: a letter compared with where the company's ladder puts
each customer, before anything is written.

A stop-supply letter to a customer below that rung's days or amount announces a measure
the policy does not allow yet; a friendly reminder-1 to a customer the ladder already puts
on a rung (or who is past the last aging bucket) undersells a serious debt. Either is
worth a second look, so each such customer is named; ``--strict`` makes them errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from generator.cases.model import Case
from generator.errors import printable
from generator.ladder.decide import decider
from generator.money import format_amount
from generator.schema.policy import Policy

FRIENDLY = ("reminder-1",)
"""Letters meant for customers not yet on any rung."""
BEFORE_MEASURES = ("final-demand",)
"""The last notice before the first measure: for customers who are overdue at all."""


def checker(policy: Policy, template: str, as_of: date) -> Callable[[Case], str | None]:
    """For one customer: why ``template`` is not the letter of its stage, or None when it is."""
    rungs = policy.rung_sending()
    bounded = [b.max_days for b in policy.aging_buckets if b.max_days is not None]
    late = max(bounded) if bounded else None
    decide = decider(policy, as_of)

    def mismatch(case: Case) -> str | None:
        decision = decide(case)
        days, amount = decision.days_overdue, decision.outstanding  # decision.outstanding is case.outstanding
        if amount <= 0:
            return None
        who = f"{case.source}: {printable(case.customer)}"
        if template in rungs:
            rung, rule = rungs[template]
            short = []
            if days < rule.days_overdue:
                short.append(f"{days} day(s) overdue, the rung starts at {rule.days_overdue}")
            least = rule.min_amount  # a Decimal or None (schema.policy.Money validates it)
            if isinstance(least, Decimal) and amount < least:
                short.append(f"¥{format_amount(amount)} outstanding, the rung starts at ¥{format_amount(least)}")
            if short:
                return (
                    f"{who}: a '{template}' letter is for customers on the '{rung}' rung; "
                    f"this one is below it ({'; '.join(short)})"
                )
        elif template in FRIENDLY and (decision.rung or (late is not None and days > late)):
            where = f"on the '{decision.rung}' rung" if decision.rung else f"more than {late} days overdue"
            proposed = f"; the ladder proposes '{decision.letter}'" if decision.letter else ""
            return (
                f"{who}: a friendly '{template}' is for early overdue; this customer is {days} day(s) "
                f"overdue, {where}{proposed}"
            )
        elif template in BEFORE_MEASURES and days <= 0:
            return f"{who}: a '{template}' letter is for overdue customers; nothing this customer owes is overdue yet"
        return None

    return mismatch


def mismatches(policy: Policy, cases: Iterable[Case], template: str, as_of: date) -> list[str]:
    """One line per customer for whom ``template`` is not the letter of its stage."""
    mismatch = checker(policy, template, as_of)
    return [line for case in cases if (line := mismatch(case)) is not None]
