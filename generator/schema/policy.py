"""Schema of ``site_config/policy.yaml``: the company's collection policy.

The penalty ladder becomes a policy here: which rungs the company uses, when each
is triggered, who approves it and which letter goes out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from generator.schema.base import Id, Strict, Text

RUNG_IDS = ["stop-supply", "stop-service", "terminate-authorization", "reputation", "legal-action"]
"""The rungs of the ladder, in order (ids of items in the 惩戒阶梯 module)."""


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("negative", "expected an amount of 0 or more, found {value}", {"value": str(value)})
    return value


def _money(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("money", "expected an amount like 50000 or 50000.00")
    amount = Decimal(value)
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PydanticCustomError(
            "money_precision", "expected at most two decimals (分), found {value}", {"value": str(value)}
        )
    return _non_negative(amount)


Money = Annotated[object, AfterValidator(_money)]
"""An amount in 元 (a number with at most two decimals); never a float."""


class RungPolicy(Strict):
    """One rung of the company's ladder."""

    enabled: bool = True
    """Whether the company uses this rung; a disabled rung disappears from the site,
    checklists, handouts and letter links."""
    days_overdue: int = Field(ge=0)
    """Trigger: days since the due date of the customer's oldest unpaid invoice.
    Must increase strictly along the enabled rungs."""
    min_amount: Money | None = None
    """Optional trigger: only when the customer's outstanding amount is at least this (元)."""
    approver: Text
    """Role that must approve the rung before it is applied (e.g. «销售总监»)."""
    letter: Id | None = None
    """Id of the letter template sent for this rung (``templates/letters/<id>.html.j2``)."""
    requires: list[Id] = Field(default_factory=list)
    """What must have happened first: letter ids (e.g. ``final-demand``) or earlier rung ids."""


class AgingBucket(Strict):
    """One bucket of the aging report (账龄)."""

    label: Text
    """Label shown in reports, e.g. «31–60天»."""
    max_days: int | None = None
    """Largest days-overdue value in this bucket (0 = not yet due); leave empty on the last bucket."""


class Classification(Strict):
    """Rules that put a customer into 未付款 / 逾期付款 / 准坏账 / 坏账 / 休眠账户."""

    doubtful_after_days: int = Field(default=180, ge=1)
    """准坏账 from this many days overdue."""
    bad_debt_after_days: int = Field(default=365, ge=1)
    """坏账 from this many days overdue (must be more than ``doubtful_after_days``)."""
    dormant_after_days: int = Field(default=365, ge=1)
    """休眠账户: an outstanding balance with no new invoice for this many days (checked after 坏账)."""


class ModuleSwitch(Strict):
    """Per-module switch."""

    enabled: bool = True
    """Whether the module (page, handout, checklist) is published."""


class LetterSwitch(Strict):
    """One letter as the company uses it: on or off, and its wording around the template
    (upstream's are in ``defaults/policy.yaml``; a company retitles one in its own file)."""

    enabled: bool = True
    """Whether the company sends this letter; a switched-off letter is not listed on the
    site, not linked from items and cannot be generated."""
    title: str | None = Field(default=None, min_length=1)
    """The heading printed on the letter, also its name on the site, in plans and manifests."""
    summary: str | None = Field(default=None, min_length=1)
    """What the letter does, one sentence (the letters page)."""
    when: str | None = Field(default=None, min_length=1)
    """When to send it (the letters page)."""
    deadline_days: int | None = Field(default=None, ge=0, le=365)
    """Days from the letter date to the date the letter names (``--deadline`` overrides)."""
    deadline_label: str | None = Field(default=None, min_length=1)
    """What that date means in this letter (付款期限, 回函期限 …)."""


class Policy(Strict):
    """``site_config/policy.yaml``: the company's collection policy."""

    ladder: dict[str, RungPolicy]
    """Rung id → its policy, for all of: stop-supply, stop-service,
    terminate-authorization, reputation, legal-action."""
    aging_buckets: list[AgingBucket] = Field(min_length=1)
    """Aging buckets in increasing order; the last one has no ``max_days``."""
    classification: Classification = Field(default_factory=Classification)
    """How customers are classified."""
    limitation_warning_days: int = Field(default=90, ge=1)
    """Flag customers whose 诉讼时效 ends within this many days."""
    modules: dict[str, ModuleSwitch] = Field(default_factory=dict)
    """Module id → switch; modules not listed stay enabled."""
    letters: dict[str, LetterSwitch] = Field(default_factory=dict)
    """Letter id → switch; letters not listed stay enabled (unless only a disabled rung sends them)."""

    # What the policy switches on and off: the one place each rule is spelled (the site, the
    # printouts, the letters and the ladder plan all ask these).

    def enabled_rungs(self) -> list[tuple[str, RungPolicy]]:
        """The rungs the company takes, in ladder order, with their policy."""
        return [(rung, rule) for rung in RUNG_IDS if (rule := self.ladder.get(rung)) is not None and rule.enabled]

    def enabled_rung_ids(self) -> tuple[str, ...]:
        """The ids of :meth:`enabled_rungs` (what a letter's ``ladder.enabled`` lists)."""
        return tuple(rung for rung, _rule in self.enabled_rungs())

    def rung_sending(self) -> dict[str, tuple[str, RungPolicy]]:
        """Letter id → the enabled rung that sends it (and that rung's policy)."""
        return {rule.letter: (rung, rule) for rung, rule in self.enabled_rungs() if rule.letter}

    def switched_off(self) -> set[str]:
        """Ids of the rungs and modules the company switched off (they leave the playbook)."""
        rungs = {rung for rung, rule in self.ladder.items() if not rule.enabled}
        modules = {name for name, switch in self.modules.items() if not switch.enabled}
        return rungs | modules

    def letters_off(self) -> set[str]:
        """Letters the company does not send: those switched off under ``letters``, and those
        that only serve disabled rungs. They are not linked, listed or generated."""
        enabled = {rule.letter for rule in self.ladder.values() if rule.enabled and rule.letter}
        serving_off = {
            rule.letter
            for rule in self.ladder.values()
            if not rule.enabled and rule.letter and rule.letter not in enabled
        }
        return serving_off | {name for name, switch in self.letters.items() if not switch.enabled}
