"""Playbook objects → what the print templates show (rows, timings, Markdown as HTML)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import markdown as md
from markupsafe import Markup, escape

from generator.money import format_amount
from generator.playbook import Playbook
from generator.schema.playbook import Course, Item, Module


@dataclass
class Row:
    """One line of a checklist: a tick box, a title and its short explanation."""

    title: str
    note: str
    level: int
    """0 = top line; 1, 2 … = sub-lines, indented."""
    kind: str
    """``item`` or ``check``."""
    number: str
    """Printed numbering: «一», «1», «(1)» by level."""


CN_NUMBERS = "一二三四五六七八九十"


def _number(level: int, index: int) -> str:
    if level == 0:
        return CN_NUMBERS[index] if index < len(CN_NUMBERS) else str(index + 1)
    if level == 1:
        return str(index + 1)
    return f"({index + 1})"


def checklist_rows(lines: list[Item], *, depth: int, with_checks: bool, mode: str) -> list[Row]:
    """The tick-box lines of a checklist, depth-first.

    ``mode="items"``: each item is a line, followed by its checks and sub-items (down to
    ``depth`` levels). ``mode="checks"``: the lines are the items' ``checks`` only.
    """
    rows: list[Row] = []
    if mode == "checks":
        for item in lines:
            for i, check in enumerate(item.checks):
                rows.append(Row(check.title, check.hint, 0, "check", _number(1, i)))
        return rows

    def walk(items: list[Item], level: int) -> None:
        for i, item in enumerate(items):
            rows.append(Row(item.title, item.summary, level, "item", _number(level, i)))
            if level + 1 >= depth:
                continue
            if with_checks:
                for j, check in enumerate(item.checks):
                    rows.append(Row(check.title, check.hint, level + 1, "check", _number(level + 1, j)))
            walk(item.items, level + 1)

    walk(lines, 0)
    return rows


def cautions_of(items: list[Item]) -> list[str]:
    """Every 合规提示 of the items and their sub-items, in order, without repeats."""
    out: list[str] = []

    def walk(level: list[Item]) -> None:
        for item in level:
            for caution in item.cautions:
                if caution not in out:
                    out.append(caution)
            walk(item.items)

    walk(items)
    return out


def discussion_of(module: Module) -> list[str]:
    """The module's discussion questions, then those of its items."""
    out = list(module.discussion)

    def walk(items: list[Item]) -> None:
        for item in items:
            out.extend(q for q in item.discussion if q not in out)
            walk(item.items)

    walk(module.items)
    return out


@dataclass
class AgendaRow:
    start: str
    end: str
    title: str
    activity: str
    minutes: int


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def agenda_rows(course: Course) -> list[AgendaRow]:
    """The agenda with elapsed start/end times; the last end is the course's duration."""
    rows = []
    start = 0
    for block in course.agenda:
        rows.append(
            AgendaRow(
                _clock(start),
                _clock(start + block.minutes),
                block.title,
                block.activity,
                block.minutes,
            )
        )
        start += block.minutes
    return rows


def agenda_total(course: Course) -> int:
    return sum(block.minutes for block in course.agenda)


def choice_label(index: int) -> str:
    return "ABCDEFGHIJ"[index] if index < 10 else str(index + 1)


_EDITOR_MARK = re.compile(r"（编者补充）\s*")
_CONFIG_ASIDE = re.compile(r"（[^（）]*site_config/[^（）]*）")
_SENTENCE = re.compile(r"[^。！？\n]*(?:[。！？]|$)")


def for_trainees(text: str) -> str:
    """Printouts go to trainees: no editors' notes («（编者补充）», «本页…为编者补充。»)
    and no configuration internals («（由 site_config/policy.yaml 生成）»)."""
    text = _CONFIG_ASIDE.sub("", _EDITOR_MARK.sub("", str(text)))
    if "编者补充" not in text and "site_config/" not in text:
        return text
    kept = [s for s in _SENTENCE.findall(text) if "编者补充" not in s and "site_config/" not in s]
    return "".join(kept).strip()


def markdown_block(text: str) -> Markup:
    """Markdown from the YAML as HTML (trainee wording, see ``for_trainees``); the text's
    own HTML is escaped first."""
    return Markup(md.markdown(str(escape(for_trainees(text))), extensions=["tables"]))


def markdown_inline(text: str) -> Markup:
    """Markdown for a single line (no surrounding paragraph)."""
    html = md.markdown(str(escape(for_trainees(text))))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def _amount(value: object) -> str:
    """In a sentence: 10,000 元 rather than 10,000.00 元."""
    return format_amount(Decimal(str(value))).removesuffix(".00")


def rung_policy(playbook: Playbook, rung: str) -> dict[str, str] | None:
    """The company's rule for a ladder rung (``site_config/policy.yaml``), as printable text."""
    policy = getattr(playbook, "policy", None)
    rules = getattr(policy, "ladder", None)
    rule = rules.get(rung) if isinstance(rules, dict) else None
    if rule is None:
        return None
    start = f"逾期 {rule.days_overdue} 天以上"
    if getattr(rule, "min_amount", None):
        start += f"且欠款不低于 {_amount(rule.min_amount)} 元"
    return {"start": start, "approver": str(rule.approver)}


def ladder_rows(playbook: Playbook) -> list[dict[str, str]]:
    """The company's ladder (``policy.yaml``, enabled rungs) as printable rows."""
    from generator.letter_catalog import letter_catalog

    letter_title = letter_catalog(playbook.policy).title

    def requirement(need: str) -> str:
        entry = playbook.index.get(need)
        return f"已实施「{entry.title}」" if entry is not None else f"已发出{letter_title(need)}"

    rows = []
    for n, (_rung, rule, item) in enumerate(playbook.enabled_rungs(), start=1):
        rows.append(
            {
                "level": str(n),
                "title": item.title,
                "days": f"{rule.days_overdue} 天" if rule else "—",
                "amount": f"¥{format_amount(Decimal(str(rule.min_amount)))}"
                if rule and rule.min_amount is not None
                else "不限",
                "approver": str(rule.approver) if rule else "—",
                "letter": letter_title(rule.letter) if rule and rule.letter else "—",
                "requires": "、".join(requirement(r) for r in rule.requires) if rule and rule.requires else "—",
            }
        )
    return rows
