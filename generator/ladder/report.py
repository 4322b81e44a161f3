"""Writing the ladder plan: CSV for people and ``playbook letters --from-plan``, HTML to review."""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.ladder.decide import Decision
from generator.letters.manifest import neutralise
from generator.model import Playbook
from generator.project import Project
from generator.render.env import make_env, render

COLUMNS = ["customer", "outstanding", "days_overdue", "bucket", "class", "rung", "letter", "approver",
           "limitation_ends", "limitation_alert", "to_confirm"]
"""The plan's columns; the first nine are a contract other tools read."""


def confirmations(playbook: Playbook) -> dict[str, str]:
    """Rung id → what a person must still confirm before acting (the plan proposes, a person
    decides): the rung's own checks from the playbook, so the plan and the checklist never differ."""
    return {rung: "；".join(check.title for check in item.checks) for rung, _rule, item in playbook.enabled_rungs()}


def plan_csv(decisions: Iterable[Decision], to_confirm: dict[str, str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in decisions:
        writer.writerow([neutralise(d.customer), f"{d.outstanding:.2f}", d.days_overdue, d.bucket, d.klass,
                         d.rung, d.letter, d.approver, d.limitation_ends.isoformat(),
                         "yes" if d.limitation_alert else "", (to_confirm or {}).get(d.rung, "")])
    return out.getvalue()


@dataclass
class Total:
    label: str
    customers: int = 0
    amount: Decimal = Decimal("0.00")


def totals(decisions: list[Decision], key: str, order: list[str]) -> list[Total]:
    groups: OrderedDict[str, Total] = OrderedDict((label, Total(label)) for label in order)
    for d in decisions:
        label = getattr(d, key) or "—"
        groups.setdefault(label, Total(label))
        groups[label].customers += 1
        groups[label].amount += d.outstanding
    return [t for t in groups.values() if t.customers]


def plan_html(project: Project, playbook: Playbook, decisions: list[Decision], as_of: date,
              source: str) -> str:
    assert playbook.policy is not None
    rung_titles = {rung: item.title for rung, _rule, item in playbook.enabled_rungs()}
    env = make_env(project, html=True)
    return render(env, project, "reports/ladder-plan.html.j2", {
        "company": playbook.company,
        "decisions": decisions,
        "as_of": as_of,
        "source": source,
        "rung_titles": rung_titles,
        "to_confirm": confirmations(playbook),
        "by_bucket": totals(decisions, "bucket", [b.label for b in playbook.policy.aging_buckets]),
        "by_rung": totals(decisions, "rung", list(rung_titles)),
        "total": sum((d.outstanding for d in decisions), Decimal("0.00")),
        "warning_days": playbook.policy.limitation_warning_days,
    })
