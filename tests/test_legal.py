"""The playbook is right in law (issue 13): each defect pinned by the corrected wording or the absence
of the wrong one, and the legal modules carry their statutes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.loader import load
from generator.playbook import Playbook
from generator.project import Project
from generator.schema.playbook import Item
from tests.conftest import sample_repo

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return load(Project.at(sample_repo()))  # the shipped content with the sample company


def item(playbook: Playbook, id_: str) -> Item:
    entry = playbook.index[id_]
    assert entry.kind == "item", id_
    return entry.obj  # type: ignore[return-value]


def text(it: Item) -> str:
    """Everything an item says, sub-items included."""
    parts = [
        it.title,
        it.summary,
        it.body,
        *it.points,
        *it.steps,
        *it.cautions,
        *(c.title + c.hint for c in it.checks),
        *(e.text for e in it.examples),
    ]
    return "\n".join(parts + [text(sub) for sub in it.items])


def term(playbook: Playbook, id_: str) -> str:
    return next(t.definition for t in playbook.terms() if t.id == id_)


def all_yaml() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "playbook").glob("*.yaml")))


# 1. stop-supply rests on three bases, not on 527 alone
def test_1_stop_supply_offers_contract_526_and_527_with_evidence(playbook: Playbook) -> None:
    body = text(item(playbook, "stop-supply"))
    assert "合同约定的暂停条款" in body and "第526条" in body and "上批不结下批不发" in body
    assert "欠款逾期本身通常不是《民法典》第527条所说的「确切证据」" in body
    assert "被执行记录" in body and "可以解除合同（第528条）" in body
    assert "停止供货是在行使《民法典》第527–528条规定的不安抗辩权" not in body
    assert "第526条" in term(playbook, "term-prior-performance")
    assert "仅仅是欠款逾期，通常不构成「确切证据」" in term(playbook, "term-right-of-defense")
    letter = (ROOT / "templates/letters/stop-supply.html.j2").read_text(encoding="utf-8")
    assert "我司有理由认为贵司存在丧失或者可能丧失履行债务能力的情形" not in letter
    answer = next(q for c in playbook.course_list() for q in c.quiz if "停止供货" in q.question)
    assert "第527–528条的不安抗辩权，没有证据" not in answer.explanation


# 2 and 3. the stop-supply checks include the legal basis and what a person confirms
def test_2_3_stop_supply_checks_legal_basis_and_malice(playbook: Playbook) -> None:
    titles = [c.title for c in item(playbook, "stop-supply").checks]
    assert "暂停供货的法律依据已确认" in titles
    assert "已确认属于恶意欠款或协商无果" in titles
    assert "已确认属于恶意欠款或协商无果" in [c.title for c in item(playbook, "stop-service").checks]
    checklists = yaml.safe_load((ROOT / "playbook/checklists.yaml").read_text(encoding="utf-8"))
    assert "逾期天数和金额只是启动条件" in checklists["ladder"]["purpose"]


def test_3_ladder_plan_names_what_a_person_confirms(tmp_path: Path) -> None:
    from generator.cli import main

    data = tmp_path / "ar.csv"
    data.write_text("customer,invoice_no,due_date,amount\n甲公司,F1,2026-11-20,20000.00\n", encoding="utf-8")
    plan, html = tmp_path / "plan.csv", tmp_path / "plan.html"
    assert (
        main(
            [
                "--project",
                str(sample_repo()),
                "ladder",
                str(data),
                "--as-of",
                "2026-12-31",
                "--out",
                str(plan),
                "--html",
                str(html),
            ]
        )
        == 0
    )
    header, row = plan.read_text(encoding="utf-8-sig").splitlines()
    assert ",to_confirm," in header  # the rung and letter titles follow it
    assert "已确认属于恶意欠款或协商无果；暂停供货的法律依据已确认" in row and "已取得审批" in row
    page = html.read_text(encoding="utf-8")
    assert "实施前须由人确认" in page and "计划提出，由人决定" in page


# 4. no «恕不另行通知»
def test_4_no_without_further_notice_anywhere() -> None:
    for path in (ROOT / "templates/letters").glob("*.j2"):
        assert "恕不另行通知" not in path.read_text(encoding="utf-8"), path.name


# 5. termination: automatic on expiry, Art. 565
def test_5_terminate_authorization_is_conditional_and_automatic(playbook: Playbook) -> None:
    letter = (ROOT / "templates/letters/terminate-authorization.html.j2").read_text(encoding="utf-8")
    assert "自该期限届满时自动解除" in letter and "第五百六十五条第一款" in letter
    assert "第565条第1款" in text(item(playbook, "terminate-authorization"))


# 6. the order is the editors', 高危 jumps to legal action
def test_6_ladder_order_is_explained_and_high_risk_jumps(playbook: Playbook) -> None:
    ladder = next(m for m in playbook.modules if m.id == "penalty-ladder")
    assert "高危客户可以直接走法律途径" in ladder.summary
    assert "原文没有规定天数，也没有要求必须逐级实施" in ladder.intro
    assert "失信被执行人名单——要先有胜诉判决并申请强制执行" in ladder.intro
    assert "不必等前几级走完" in text(item(playbook, "legal-action"))


# 7. 支付令: only a valid objection ends it; must be deliverable
def test_7_payment_order_objection_and_service(playbook: Playbook) -> None:
    definition = term(playbook, "term-payment-order")
    assert "客户提出异议的，支付令失效" not in definition
    assert "异议成立" in definition and "不否认欠款本身" in definition
    assert "公告送达的，不适用" in definition
    assert "支付令能够送达债务人（《民事诉讼法》第225条）" in text(item(playbook, "fast-payment-order"))


# 8. reminder-2: fees only under the contract
def test_8_reminder_2_fees_only_under_contract() -> None:
    letter = (ROOT / "templates/letters/reminder-2.html.j2").read_text(encoding="utf-8")
    assert "一切后果及费用" not in letter
    assert "合同约定由违约方承担律师费等实现债权费用的" in letter


# 9. fabricated hardship: 诚信 and reputation, not 欺诈
def test_9_sympathy_strategy_risk_is_honesty_not_fraud(playbook: Playbook) -> None:
    caution = "\n".join(item(playbook, "sympathy-strategy").cautions)
    assert "可能构成欺诈" not in caution
    assert "一般不构成法律上的欺诈" in caution and "诚信" in caution and "信誉" in caution
    assert "可能构成欺诈" not in (ROOT / "playbook/courses.yaml").read_text(encoding="utf-8")


# 10. bankruptcy clawback: 32 with its exception, 解释(二)15, and 31
@pytest.mark.parametrize("item_id", ["class-doubtful", "principle-on-time"])
def test_10_bankruptcy_clawback_is_complete(playbook: Playbook, item_id: str) -> None:
    body = text(item(playbook, item_id))
    assert "但个别清偿使债务人财产受益的除外（《企业破产法》第32条）" in body
    assert "《破产法解释（二）》第15条" in body
    assert "《企业破产法》第31条" in body


# 11. the legal-action threshold is not «诉讼成本高于收益»
def test_11_small_claims_are_not_written_off_as_too_costly(playbook: Playbook) -> None:
    policy = (ROOT / "defaults/policy.yaml").read_text(encoding="utf-8")  # upstream's, never the company's
    assert "诉讼成本高于收益" not in policy
    assert "费用减半" in text(item(playbook, "fast-small-claims"))


# 12. 对账函 and the playbook agree; stamped confirmation after limitation
def test_12_confirmation_letter_and_dormant_accounts(playbook: Playbook) -> None:
    prep = text(item(playbook, "prep-clear-accounts"))
    letter = (ROOT / "templates/letters/confirmation.html.j2").read_text(encoding="utf-8")
    assert "开票（发货）金额合计、已收回款和尚欠金额，附未付发票明细" in prep
    assert "已收回款" in letter and "开票（发货）金额合计" in letter and "invoice_table(full=true)" in letter
    assert "《诉讼时效规定》第19条" in text(item(playbook, "class-dormant"))


# 13. data minimisation instead of «不收集关键人的个人信息»
def test_13_data_minimisation(playbook: Playbook) -> None:
    body = text(item(playbook, "prep-activity-pattern"))
    assert "不收集关键人的个人信息" not in body
    assert "数据最小化" in body and "第13条第1款第（二）项" in body


# 14. rewrites disclosed, seed terms kept, attributions right
def test_14_rewrites_and_attributions(playbook: Playbook) -> None:
    courses = (ROOT / "playbook/courses.yaml").read_text(encoding="utf-8")
    assert "则以突然袭击的方式来拜访客户（原文）。本课程改写为" in courses
    assert "做好联合其他供应商，一起出击客户的准备（原文）。本课程改写为" in courses
    for id_, seed_title in [
        ("talk-opening", "开场切入主题"),
        ("talk-bargaining", "讨价还价"),
        ("talk-actions", "明确具体行动"),
        ("talk-fallback", "商定未达成预期的后续行动"),
    ]:
        it = item(playbook, id_)
        assert it.title == seed_title and it.source == "《销售回款》课程大纲", id_
        assert "下面的做法、话术和提示为编者补充" in it.body
    confirmation = term(playbook, "term-confirmation-letter")
    assert "编者补充：客户盖章确认欠款属于「义务人同意履行义务」" in confirmation
    assert "不是原图" in item(playbook, "customer-types").body


# New knowledge: every item of the legal modules names its statute and is linked
LEGAL_ITEMS = {
    "contract-toolkit": ["第526条", "第641条", "《买卖合同解释》第18条第4款", "第26条", "《民事诉讼法》第90条"],
    "guarantees": ["第686条", "第692条", "《公司法》第15条", "《企业破产法》第31条"],
    "fast-procedures": ["第225条", "第165条", "第104条", "《诉讼费用交纳办法》第14条"],
    "enforcement": ["第250条", "失信被执行人", "终结本次执行", "第17、18、20条"],
    "bills-and-receipts": ["《票据法》第17条", "票据交易所", "电子回单"],
    "customer-bankruptcy": ["第45条", "第38条", "第40条", "第31条", "第32条", "《破产法解释（二）》第15条"],
    "settlement-in-kind": ["《合同编通则解释》第27条"],
    "receivable-transfer": ["第546条", "第761条", "第445条"],
    "electronic-evidence": ["《民事证据规定》第14条", "时间戳", "公证", "《民诉法解释》第106条"],
    "personal-information": ["第13条第1款第（二）项", "第6条"],
    "bad-debt-write-off": ["国家税务总局公告2011年第25号", "第22–24条"],
}


@pytest.mark.parametrize("item_id", sorted(LEGAL_ITEMS))
def test_legal_items_cite_their_statutes(playbook: Playbook, item_id: str) -> None:
    it = item(playbook, item_id)
    body = text(it)
    for words in LEGAL_ITEMS[item_id]:
        assert words in body, (item_id, words)
    assert it.source == "编者补充" and it.aliases and it.related


def test_legal_modules_are_linked_from_the_ladder_and_workflow(playbook: Playbook) -> None:
    assert {"fast-procedures", "enforcement", "customer-bankruptcy"} <= set(item(playbook, "legal-action").related)
    assert {"contract-toolkit", "fast-procedures"} <= set(item(playbook, "penalty-flow").related)
    assert "contract-toolkit" in item(playbook, "stop-supply").related
    checklists = yaml.safe_load((ROOT / "playbook/checklists.yaml").read_text(encoding="utf-8"))
    ids = {c["id"] for c in checklists["checklists"]}
    assert {"checklist-contract-clauses", "checklist-write-off-evidence"} <= ids


def test_no_seed_claim_the_seeds_do_not_make() -> None:
    # The glossary must not attribute the limitation effect to a seed (defect 14).
    assert "也是客户承认欠款的书面证据，能使诉讼时效中断。" not in all_yaml()


# Trainer materials: each course's own material, realistic timings, model answers for every question
def test_each_workbook_has_only_its_own_modules_and_notes_for_every_question(playbook: Playbook) -> None:
    from generator.printing import content
    from generator.printing.catalog import course_modules

    courses = {c.id: c for c in playbook.course_list()}
    sales = courses["sales-collection-course"]
    assert "overdue-prevention" not in [m.id for m in course_modules(playbook, sales)]
    for course in courses.values():
        printed = list(course.questions)
        for module in course_modules(playbook, course):
            printed += content.discussion_of(module)
        noted = {n.question for n in course.facilitator_notes}
        assert set(printed) <= noted, (course.id, set(printed) - noted)
        for play in course.role_plays:
            assert len(play.debrief_answers) == len(play.debrief), play.id
        assert [level.score for level in course.rubric] == [3, 2, 1, 0], course.id


def test_timings_are_realistic_and_the_two_day_agenda_exists(playbook: Playbook) -> None:
    role_plays = {rp.id for c in playbook.course_list() for rp in c.role_plays}
    for course in playbook.course_list():
        for block in course.agenda:
            if role_plays & set(block.refs):
                assert block.minutes >= 30, (course.id, block.title)
            if "测验" in block.activity:
                assert block.minutes >= 25, (course.id, block.title)
    interview = next(c for c in playbook.course_list() if c.id == "interview-collection-course")
    assert interview.duration_label.startswith("1–2天")
    assert [(v.label, v.duration_minutes) for v in interview.agenda_variants] == [("两天版（每天6小时）", 720)]
    two_days = interview.agenda_variants[0].agenda
    assert sum(b.minutes for b in two_days if b.kind == "session") == 720
    # Breaks and lunch on the clock (not in the teaching time), on both days.
    for day in (1, 2):
        kinds = [b.kind for b in two_days if b.day == day]
        assert kinds.count("break") >= 1 and kinds.count("lunch") == 1, day
    for course in playbook.course_list():
        run = 0
        for block in course.agenda:  # never more than two hours without a pause
            run = 0 if block.kind != "session" else run + block.minutes
            assert run <= 120, (course.id, block.title)


def test_contradictions_are_gone() -> None:
    ladder = (ROOT / "playbook/penalty-ladder.yaml").read_text(encoding="utf-8")
    assert "必须先做哪三件事" not in ladder
    courses = (ROOT / "playbook/courses.yaml").read_text(encoding="utf-8")
    assert "LSCP法则（倾听、理解、提出方案）" not in courses
    assert "本课程按四步讲：倾听、理解、澄清、提出方案" in courses


def test_14_paraphrased_titles_keep_the_seed_terms(playbook: Playbook) -> None:
    assert "活动规律" in item(playbook, "prep-activity-pattern").title
    assert "联合其他供应商" in item(playbook, "prep-join-suppliers").title
