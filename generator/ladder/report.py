"""Writing the ladder plan: CSV for people and ``playbook letters --from-plan``, HTML to review."""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from generator.cells import neutralise
from generator.ladder.decide import Decision
from generator.playbook import Playbook
from generator.project import Project
from generator.render.env import make_env, render

COLUMNS = [
    "customer",
    "outstanding",
    "days_overdue",
    "bucket",
    "class",
    "rung",
    "letter",
    "approver",
    "limitation_ends",
    "limitation_alert",
    "to_confirm",
    "rung_title",
    "letter_title",
]
"""The plan's columns; the first nine are a contract other tools read. ``rung`` and ``letter`` are
ids for machines (``letters --from-plan``); their titles stand in the last two columns for people."""
ZH = {
    "customer": "客户名称",
    "outstanding": "欠款金额",
    "days_overdue": "逾期天数",
    "bucket": "账龄",
    "class": "分类",
    "rung": "阶梯编号",
    "letter": "函件编号",
    "approver": "审批人",
    "limitation_ends": "诉讼时效届满日",
    "limitation_alert": "时效提醒",
    "to_confirm": "行动前须人工确认",
    "rung_title": "惩戒阶梯",
    "letter_title": "函件",
}
"""Column titles for ``--headers zh`` (clerks open the plan in Excel); ``letters --from-plan`` reads both."""


def confirmations(playbook: Playbook) -> dict[str, str]:
    """Rung id → what a person must still confirm before acting (the plan proposes, a person
    decides): the rung's own checks from the playbook, so the plan and the checklist never differ."""
    return {rung: "；".join(check.title for check in item.checks) for rung, _rule, item in playbook.enabled_rungs()}


def plan_csv(
    decisions: Iterable[Decision],
    to_confirm: dict[str, str] | None = None,
    *,
    rung_titles: dict[str, str] | None = None,
    letter_titles: Callable[[str], str] | None = None,
    headers: str = "en",
) -> str:
    letter_title = letter_titles or (lambda letter_id: letter_id)
    confirm, titles = to_confirm or {}, rung_titles or {}
    tails: dict[tuple[str, str], tuple[str, str, str]] = {}
    """(rung, letter) → the last three columns, the same for every customer on a rung: made once."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([ZH[c] for c in COLUMNS] if headers == "zh" else COLUMNS)
    for d in decisions:
        tail = tails.get((d.rung, d.letter))
        if tail is None:
            tail = tails[(d.rung, d.letter)] = (
                confirm.get(d.rung, ""),
                titles.get(d.rung, d.rung),
                letter_title(d.letter) if d.letter else "",
            )
        writer.writerow(
            [
                neutralise(d.customer),
                f"{d.outstanding:.2f}",
                d.days_overdue,
                # every text column is guarded, not only the customer's: bucket labels, approvers
                # and titles come from a company's policy and playbook files
                neutralise(d.bucket),
                neutralise(d.klass),
                neutralise(d.rung),
                neutralise(d.letter),
                neutralise(d.approver),
                d.limitation_ends.isoformat() if d.limitation_ends else "",
                "yes" if d.limitation_alert else "",
                *map(neutralise, tail),
            ]
        )
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


def plan_html(
    project: Project,
    playbook: Playbook,
    decisions: list[Decision],
    as_of: date,
    source: str,
    *,
    embed_font: bool = True,
) -> str:
    """The report; it carries the glyphs of the shipped font it uses (opened alone from disk,
    it shows Chinese on a machine without Chinese fonts) and draws its totals as bar charts."""
    from markupsafe import Markup

    from generator.letter_catalog import letter_catalog
    from generator.pdf.webfont import RESHAPE_SCRIPT, STACK, embedded_font_css
    from generator.pictures.charts import Bar, bars

    letter_title = letter_catalog(playbook.policy).title
    from generator.pictures.svg import theme_palette

    assert playbook.policy is not None
    rung_titles = {rung: item.title for rung, _rule, item in playbook.enabled_rungs()}
    by_bucket = totals(decisions, "bucket", [b.label for b in playbook.policy.aging_buckets])
    by_rung = totals(decisions, "rung", list(rung_titles))
    by_approver = totals(
        decisions, "approver", list(dict.fromkeys(rule.approver for _r, rule, _i in playbook.enabled_rungs() if rule))
    )
    palette = theme_palette(project)

    def chart(title: str, rows: list[Total], label: Any) -> Markup:
        return Markup(bars(title, [Bar(label(t.label), t.amount, t.customers) for t in rows], palette))

    def letter_name(letter_id: str) -> str:
        return letter_title(letter_id) if letter_id else ""

    env = make_env(project, html=True)
    context = {
        "company": playbook.company,
        "decisions": decisions,
        "as_of": as_of,
        "source": source,
        "rung_titles": rung_titles,
        "to_confirm": confirmations(playbook),
        "letter_name": letter_name,
        "by_bucket": by_bucket,
        "by_rung": by_rung,
        "by_approver": by_approver,
        "charts": [
            chart("按账龄", by_bucket, lambda label: "已结清" if label == "—" else label),
            chart("按惩戒阶梯", by_rung, lambda label: rung_titles.get(label, "未达到任何一级")),
            chart("按审批人", by_approver, lambda label: "无需审批" if label == "—" else label),
        ],
        "total": sum((d.outstanding for d in decisions), Decimal("0.00")),
        "warning_days": playbook.policy.limitation_warning_days,
        "font_stack": Markup(STACK),
        "theme": palette,
        "font_css": Markup(""),
        "reshape_script": Markup(RESHAPE_SCRIPT),
    }
    html = render(env, project, "reports/ladder-plan.html.j2", context)
    if not embed_font:  # `playbook validate` only checks that the template renders
        return html
    context["font_css"] = Markup(embedded_font_css(html, cache_dir=project.cache_dir / "webfont"))
    return render(env, project, "reports/ladder-plan.html.j2", context)
