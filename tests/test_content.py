"""The knowledge in ``playbook/``: module structure, sources, cautions and courses.

These tests pin what the issue asks of the content, so that an edit which drops a
module item, a compliance caution or a source is caught before it goes out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.loader import load
from generator.playbook import Playbook
from generator.project import Project
from generator.schema.playbook import EDITOR_SOURCE, Item, Module
from tests.conftest import sample_repo

ROOT = Path(__file__).resolve().parents[1]

MODULES: dict[str, tuple[int, str, int]] = {
    # id: (order, section, number of top-level items)
    "know-both-sides": (10, "回款流程", 2),
    "five-preparations": (20, "回款流程", 5),
    "non-malicious-collection": (30, "回款流程", 7),
    "partial-recovery": (40, "回款流程", 5),
    "penalty-ladder": (50, "回款流程", 7),
    "collection-principles": (60, "催款技巧", 8),
    "account-classification": (70, "风险管理", 6),
    "bad-debt-warnings": (80, "风险管理", 6),
    "subtle-pressure": (90, "催款技巧", 4),
    "interview-collection": (100, "催款技巧", 3),
    "overdue-prevention": (110, "风险管理", 13),
    "customer-relationship": (120, "风险管理", 3),
    "legal-toolkit": (130, "法律工具", 5),
    "legal-remedies": (140, "法律工具", 11),
}

TOP_LEVEL_IDS: dict[str, list[str]] = {
    "know-both-sides": ["know-self", "know-customer"],
    "five-preparations": [
        "prep-no-major-issues",
        "prep-clear-accounts",
        "prep-key-people",
        "prep-activity-pattern",
        "prep-join-suppliers",
    ],
    "non-malicious-collection": [
        "judge-non-malicious",
        "collection-timing",
        "avoid-contract-word",
        "exchange-strategy",
        "discount-strategy",
        "sympathy-strategy",
        "non-malicious-interview",
    ],
    "partial-recovery": ["partial-in-contract", "split-contract", "stage-results", "propose-plan", "promise-mechanism"],
    "collection-principles": [
        "principle-open",
        "principle-self-discipline",
        "principle-firm",
        "principle-investigate",
        "principle-records",
        "principle-flexible",
        "principle-bad-debt",
        "principle-pressure",
    ],
    "account-classification": [
        "class-unpaid",
        "class-overdue",
        "class-doubtful",
        "class-bad-debt",
        "class-dormant",
        "collection-plan",
    ],
    "bad-debt-warnings": [
        "warning-purchasing",
        "warning-sales-method",
        "warning-personnel",
        "warning-payment-time",
        "warning-business-shift",
        "warning-force-majeure",
    ],
    "subtle-pressure": [
        "pressure-small-batches",
        "pressure-policies",
        "pressure-key-products",
        "pressure-no-pay-no-ship",
    ],
    "interview-collection": ["interview-before", "interview-during", "interview-after"],
    "customer-relationship": ["regular-contact", "market-insight", "value-added-service"],
}

LADDER_RUNGS = ["stop-supply", "stop-service", "terminate-authorization", "reputation", "legal-action"]

EDITOR_ITEMS = {
    # 面谈催收：原文只有标题的部分
    "interview-six-words",
    "interview-evasion",
    "interview-excuses",
    "interview-scenarios",
    # 预防逾期：原文只有标题的部分
    "receivable-features",
    "overdue-losses",
    "case-electromechanical",
    "customer-types",
    "risk-nature",
    "risk-industry",
    "risk-finance",
    "danger-signals",
    "tracking-process",
    "tracking-tools",
    "credit-assessment",
    # 灵魂三问的第一问：原文只有问题
    "receivables-ceiling",
}

# Sub-items that must exist under each stage of the interview (they become checklist lines).
INTERVIEW_STAGES = {
    "interview-before": [
        "interview-materials",
        "interview-network",
        "interview-principles",
        "interview-six-words",
        "interview-booking",
    ],
    "interview-during": [
        "interview-atmosphere",
        "interview-pmp",
        "interview-evasion",
        "interview-excuses",
        "interview-lscp",
        "refusal-excuses",
        "interview-scenarios",
    ],
    "interview-after": ["interview-agreement", "interview-no-agreement"],
}

# Methods with legal risk: item id -> words its 合规提示 must contain (any one of each group).
CAUTIONS: dict[str, list[tuple[str, ...]]] = {
    "prep-activity-pattern": [("骚扰",), ("隐私",), ("工作时间",)],
    "prep-join-suppliers": [("串通",), ("联合抵制",)],
    "sympathy-strategy": [("不实", "虚假")],
    "firm-mutual-understanding": [("虚假", "不实")],
    "flexible-by-type": [("骚扰",), ("隐私",), ("名誉",)],
    "flexible-by-excuse": [("串通",)],
    "investigate-contacts": [("商业秘密",), ("商业贿赂",)],
    "exchange-strategy": [("商业贿赂",)],
    "discount-strategy": [("审批",)],
    "stop-supply": [("527",), ("通知",), ("担保",)],
    "stop-service": [("527",)],
    "terminate-authorization": [("解除",)],
    "reputation": [("真实",), ("诽谤", "名誉权")],
    "legal-action": [("188",), ("195",), ("送达",)],
    "pressure-small-batches": [("527",)],
    "pressure-policies": [("合同",)],
    "pressure-key-products": [("527",)],
    "pressure-no-pay-no-ship": [("527",), ("所有权保留",)],
    "prep-clear-accounts": [("195",)],
    "propose-plan": [("195",)],
    "stage-results": [("527",)],
    "talk-fallback": [("停止供货",)],
}

GLOSSARY_WORDS = [
    "扎账日期",
    "询证函",
    "货款征询函",
    "对账函",
    "签收单",
    "信用账期",
    "赊销",
    "准坏账",
    "休眠账户",
    "不安抗辩权",
    "诉讼时效",
    "诉讼时效中断",
    "支付令",
    "PMP",
    "LSCP",
    "应收账款",
    "逾期",
    "坏账",
    "对账单",
    "承兑汇票",
    "财产保全",
    "失信被执行人",
]


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return load(Project.at(sample_repo()))  # the shipped content with the sample company, never a fork's tailoring


def module(playbook: Playbook, id_: str) -> Module:
    found = [m for m in playbook.modules if m.id == id_]
    assert found, f"module {id_} is missing"
    return found[0]


def item(playbook: Playbook, id_: str) -> Item:
    entry = playbook.index.get(id_)
    assert entry is not None and entry.kind == "item", f"item {id_} is missing"
    return entry.obj


def text_of(it: Item) -> str:
    return "\n".join(it.cautions)


def test_modules_orders_sections_and_counts(playbook: Playbook) -> None:
    assert [m.id for m in playbook.modules] == list(MODULES)
    for id_, (order, section, count) in MODULES.items():
        mod = module(playbook, id_)
        assert (mod.order, mod.section, len(mod.items)) == (order, section, count), id_


@pytest.mark.parametrize("module_id", sorted(TOP_LEVEL_IDS))
def test_top_level_item_ids(playbook: Playbook, module_id: str) -> None:
    assert [i.id for i in module(playbook, module_id).items] == TOP_LEVEL_IDS[module_id]


def test_every_module_has_discussion_questions(playbook: Playbook) -> None:
    for mod in playbook.modules:
        assert 1 <= len(mod.discussion) <= 3, mod.id


def test_every_item_has_a_known_source(playbook: Playbook) -> None:
    titles = {s.title for s in playbook.sources.sources} | {EDITOR_SOURCE}
    for mod, it, _parent in playbook.items():
        assert it.source in titles, f"{mod.id}/{it.id} has source {it.source!r}"
    cited = {it.source for _m, it, _p in playbook.items()}
    assert {s.title for s in playbook.sources.sources} <= cited | {c.source for c in playbook.course_list()}


LEGAL_MODULES = ("legal-toolkit", "legal-remedies")
"""Modules the editors wrote entirely (each item names the statute it rests on)."""


def test_editor_items_are_exactly_the_expected_ones(playbook: Playbook) -> None:
    found = {it.id for m, it, _p in playbook.items() if it.source == EDITOR_SOURCE and m.id not in LEGAL_MODULES}
    assert found == EDITOR_ITEMS


def test_every_item_has_summary_and_top_level_items_have_aliases(playbook: Playbook) -> None:
    for mod in playbook.modules:
        for it in mod.items:
            assert it.aliases, f"{mod.id}/{it.id} has no aliases"
    for _m, it, _p in playbook.items():
        assert it.summary.strip() and "\n" not in it.summary.strip(), it.id


def test_no_chinese_text_is_folded_across_lines() -> None:
    """Folded YAML (``>``) or a wrapped plain scalar puts stray spaces between Chinese words."""
    gap = re.compile(r"[\u3400-\u9fff，。；：、）」]\s+[\u3400-\u9fff（「]")

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, f"{where}.{key}")
        elif isinstance(value, list):
            for i, child in enumerate(value):
                walk(child, f"{where}[{i}]")
        elif isinstance(value, str):
            for paragraph in value.split("\n"):
                assert not gap.search(paragraph), f"{where}: {paragraph[:40]}"

    for path in sorted((ROOT / "playbook").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def test_ladder_rungs_in_order(playbook: Playbook) -> None:
    ids = [i.id for i in module(playbook, "penalty-ladder").items]
    assert [i for i in ids if i in LADDER_RUNGS] == LADDER_RUNGS
    assert {"malicious-vs-not", "penalty-flow"} <= set(ids)
    assert ids.index("malicious-vs-not") < ids.index("stop-supply")


def test_five_preparations_clear_accounts_mentions_documents(playbook: Playbook) -> None:
    it = item(playbook, "prep-clear-accounts")
    body = it.summary + "".join(it.points)
    for word in ("发票", "签收单", "货款征询函", "盖章"):
        assert word in body


def test_non_malicious_interview_has_four_steps(playbook: Playbook) -> None:
    it = item(playbook, "non-malicious-interview")
    assert [c.id for c in it.items] == ["talk-opening", "talk-bargaining", "talk-actions", "talk-fallback"]
    titles = "".join(c.title for c in it.items)
    for word in ("开场", "讨价还价", "明确具体行动", "未达成预期"):
        assert word in titles


def test_propose_plan_aliases(playbook: Playbook) -> None:
    assert "分期付款" in item(playbook, "propose-plan").aliases


def test_interview_stages_cover_the_outline(playbook: Playbook) -> None:
    for stage, children in INTERVIEW_STAGES.items():
        it = item(playbook, stage)
        ids = [c.id for c in it.items]
        assert set(children) <= set(ids), stage
        for child in it.items:
            assert child.summary.strip(), child.id
    refusals = [c.title for c in item(playbook, "refusal-excuses").items]
    for word in ("资金周转困难", "对产品不满意", "账单"):
        assert any(word in t for t in refusals), word
    lscp = item(playbook, "interview-lscp")
    assert [s[0] for s in lscp.steps] == ["L", "S", "C", "P"]


def test_collection_principles_sub_points(playbook: Playbook) -> None:
    basics = [c.title for c in item(playbook, "investigate-basics").items]
    assert len(basics) == 5
    for word in ("结算时间", "结算方式", "签字", "对账", "发票"):
        assert any(word in t for t in basics), word
    assert len(item(playbook, "principle-self-discipline").items) == 4
    assert len(item(playbook, "principle-records").items) == 3
    assert len(item(playbook, "principle-flexible").items) == 4
    assert "bad-debt-warnings" in item(playbook, "principle-bad-debt").related
    assert "subtle-pressure" in item(playbook, "principle-pressure").related


def test_subtle_pressure_links_to_stop_supply(playbook: Playbook) -> None:
    for id_ in ("pressure-key-products", "pressure-no-pay-no-ship"):
        assert "stop-supply" in item(playbook, id_).related


def test_overdue_prevention_causes(playbook: Playbook) -> None:
    causes = [c.title for c in item(playbook, "overdue-causes").items]
    assert len(causes) == 4
    for word in ("审核", "认识", "关注", "方法"):
        assert any(word in t for t in causes), word
    rights = [c.title for c in item(playbook, "rights-documents").items]
    assert rights == ["合同", "发票", "收货单", "对账单"]


@pytest.mark.parametrize("item_id", sorted(CAUTIONS))
def test_compliance_cautions(playbook: Playbook, item_id: str) -> None:
    cautions = text_of(item(playbook, item_id))
    assert cautions, f"{item_id} has no 合规提示"
    for group in CAUTIONS[item_id]:
        assert any(word in cautions for word in group), f"{item_id}: none of {group}"


def test_glossary(playbook: Playbook) -> None:
    terms = playbook.terms()
    assert all(t.id.startswith("term-") for t in terms)
    words = {t.term for t in terms} | {a for t in terms for a in t.aliases}
    for word in GLOSSARY_WORDS:
        assert any(word in w for w in words), word


def test_courses(playbook: Playbook) -> None:
    courses = {c.id: c for c in playbook.course_list()}
    assert set(courses) == {"sales-collection-course", "interview-collection-course"}
    sales, interview = courses["sales-collection-course"], courses["interview-collection-course"]
    assert (sales.title, sales.duration_label, sales.duration_minutes) == ("销售回款", "0.5天（6小时/天）", 180)
    assert (interview.title, interview.duration_label, interview.duration_minutes) == (
        "面谈催收流程",
        "1–2天（6小时/天）",
        360,
    )
    assert len(sales.outline) == 5
    assert len(sales.role_plays) >= 2 and len(interview.role_plays) >= 3
    for course in (sales, interview):
        assert sum(block.minutes for block in course.agenda if block.kind == "session") == course.duration_minutes
        assert 6 <= len(course.quiz) <= 8, course.id
        for question in course.quiz:
            assert question.answer.strip()
    assert interview.questions[:3] == [
        "我们能承受多大规模的应收账款？",
        "客户的风险有哪些？",
        "如何识别客户风险并有效降低风险？",
    ]
    assert any("预约客户" in q for q in interview.questions)
    assert any("危险信号" in q for q in interview.questions)
