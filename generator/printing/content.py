"""Playbook objects → what the print templates show (rows, timings, Markdown as HTML)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import markdown as md
from markupsafe import Markup, escape

from generator.money import format_amount
from generator.playbook import Playbook
from generator.printing.catalog import COURSE_KIT
from generator.schema.playbook import (
    AgendaEntry,
    Course,
    Example,
    Item,
    Module,
    QuizQuestion,
    RolePlay,
    teaching_minutes,
)


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
    """Clock time, «09:00»."""
    end: str
    title: str
    activity: str
    minutes: int
    kind: str = "session"
    """``session``, or a pause: ``break`` (茶歇), ``lunch`` (午餐)."""
    day: int = 1
    block: AgendaEntry | None = None


@dataclass
class AgendaDay:
    """One course day of an agenda: its rows on the clock and its teaching minutes."""

    day: int
    rows: list[AgendaRow]
    teaching: int
    start: str
    end: str


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def agenda_days(course: Course, agenda: list[AgendaEntry], teaching: int | None = None) -> list[AgendaDay]:
    """The agenda on the clock, per day: each day starts at ``course.day_start``; pauses
    (茶歇, 午餐) take clock time but no teaching time."""
    del teaching  # the schema checks the sum; the days carry their own
    days: list[AgendaDay] = []
    for block in agenda:
        if not days or block.day != days[-1].day:
            start = _clock(_minutes_of(course.day_start))
            days.append(AgendaDay(block.day, [], 0, start, start))
        day = days[-1]
        begin = _minutes_of(day.end)
        day.rows.append(
            AgendaRow(
                _clock(begin),
                _clock(begin + block.minutes),
                block.title,
                block.activity,
                block.minutes,
                block.kind,
                block.day,
                block,
            )
        )
        day.end = _clock(begin + block.minutes)
        if block.kind == "session":
            day.teaching += block.minutes
    return days


def agenda_rows(course: Course) -> list[AgendaRow]:
    """The main agenda on the clock (all days, in order)."""
    return [row for day in agenda_days(course, course.agenda) for row in day.rows]


def agenda_total(course: Course) -> int:
    """Teaching minutes of the main agenda (pauses not counted)."""
    return teaching_minutes(course.agenda)


@dataclass
class Segment:
    """One teaching block of the 讲师手册: the agenda row, what it covers and the examples
    (model 话术, cases) of the items it refers to."""

    row: AgendaRow
    covers: list[str]
    examples: list[tuple[str, Example]]
    role_plays: list[RolePlay]


def _examples(item: Item, skip: list[str], depth: int = 2) -> list[tuple[str, Example]]:
    """The examples of ``item`` and its sub-items, leaving out the items in ``skip`` (the cases)."""
    if item.id in skip:
        return []
    out = [(item.title, example) for example in item.examples]
    if depth > 1:
        for sub in item.items:
            out.extend(_examples(sub, skip, depth - 1))
    return out


def segments(playbook: Playbook, course: Course) -> list[Segment]:
    """The teaching blocks of the main agenda with their material (cases come separately)."""
    plays = {play.id: play for play in course.role_plays}
    out = []
    for row in agenda_rows(course):
        if row.kind != "session" or row.block is None:
            continue
        covers: list[str] = []
        examples: list[tuple[str, Example]] = []
        role_plays = []
        for ref in row.block.refs:
            if ref in plays:
                role_plays.append(plays[ref])
                continue
            entry = playbook.index.get(ref)
            if entry is None:
                continue
            covers.append(entry.title)
            # Cases are printed in full in their own section, not among the examples.
            found = _examples(entry.obj, course.cases) if isinstance(entry.obj, Item) else []
            if isinstance(entry.obj, Module):  # a whole module: the examples of its items
                found = [ex for item in entry.obj.items for ex in _examples(item, course.cases)]
            examples.extend(ex for ex in found if ex not in examples)
        out.append(Segment(row, covers, examples, role_plays))
    return out


def course_cases(playbook: Playbook, course: Course) -> list[Item]:
    """The items whose examples are the course's case studies, printed in full."""
    out = []
    for ref in course.cases:
        entry = playbook.index.get(ref)
        if entry is not None and isinstance(entry.obj, Item):
            out.append(entry.obj)
    return out


def print_list(course: Course) -> list[dict[str, str]]:
    """The 打印清单 of a course: which PDF, for whom, how many copies."""
    copies = {
        "workbook": "每位学员 1 份",
        "worksheet": "每位学员 1 份",
        "guide": "讲师 1 份",
        "slides": "投影用；讲师可打印 1 份备用",
        "observer": "每组每个演练 1 份（观察员用）",
        "brief": "每组每个演练 1 份（只给扮演客户的学员，保密）",
        "pretest": "每位学员 1 份（开场时发，收回）",
        "posttest": "每位学员 1 份（测验时发，收回）",
        "evaluation": "每位学员 1 份（结束前发）",
        "certificate": "每位通过课后测的学员 1 份",
        "signin": "每天 1 份",
        "answers": "讲师 1 份（不发给学员）",
    }
    return [
        {"label": part.label, "file": f"{part.kind}-{course.id}.pdf", "copies": copies.get(part.kind, "")}
        for part in COURSE_KIT
        if not part.needs or getattr(course, part.needs)
    ]


def points_of(questions: list[QuizQuestion]) -> int:
    return sum(q.points for q in questions)


def pass_points(course: Course) -> int:
    """The pass mark of the 课后测 in points (rounded up)."""
    total = points_of(course.quiz)
    return -(-total * course.pass_mark // 100)


def choice_label(index: int) -> str:
    return "ABCDEFGHIJ"[index] if index < 10 else str(index + 1)


_CONFIG_ASIDE = re.compile(r"（[^（）]*site_config/[^（）]*）")
_SENTENCE = re.compile(r"[^。！？\n]*(?:[。！？]|$)")


def for_trainees(text: str) -> str:
    """Printouts go to trainees: no configuration internals («（由 site_config/policy.yaml
    生成）»). Editors' marks («（编者补充）», «……为编者补充。») stay: a trainer must see
    what the source course does not say."""
    text = _CONFIG_ASIDE.sub("", str(text))
    if "site_config/" not in text:
        return text
    kept = [s for s in _SENTENCE.findall(text) if "site_config/" not in s]
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
