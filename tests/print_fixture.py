"""A small playbook with every kind of printout, shared by the tests/test_print*.py files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from tests.conftest import SITE_CONFIG_GUIDE, copy_unmoved, write

REPO = Path(__file__).resolve().parents[1]

FIXTURE: dict[str, str] = {
    "playbook/know-both-sides.yaml": """\
        id: know-both-sides
        title: 知己知彼：回款的必要条件
        nav_title: 知己知彼
        order: 10
        summary: 先确认自己和客户的情况。
        source: 测试来源
        discussion: [你答不上来的是哪一项？]
        items:
          - id: know-self
            title: 知己的三项确认
            summary: 弄清自己一方的情况。
            items:
              - id: self-trade
                title: 清晰交易情况
                summary: 交易的是什么，说得清、拿得出凭据。
                items:
                  - {id: trade-amount, title: 金额, summary: 合同金额、已收和未收金额。}
                  - {id: trade-time, title: 时间, summary: 签约、发货、验收、开票的日期。}
              - {id: self-project, title: 清晰项目情况, summary: 验收标准和付款方式都要清楚。}
              - {id: self-trigger, title: 催款启动条件, summary: 到了什么时间就必须启动催款。}
          - id: know-customer
            title: 知彼的两项确认
            summary: 弄清客户一方的情况。
            items:
              - {id: customer-people, title: 清晰人员关系, summary: 谁拍板、谁验收、谁付款。}
              - {id: customer-finance, title: 清晰企业财务情况, summary: 预算、发票要求和扎账日期。}
        """,
    "playbook/five-preparations.yaml": """\
        id: five-preparations
        title: 回款前的五项准备
        order: 20
        summary: 上门之前做好五项准备。
        source: 测试来源
        items:
          - id: prep-no-major-issues
            title: 项目没有重大问题
            summary: 质量、交货、验收都没有未解决的问题。
            checks:
              - {title: 没有未关闭的质量投诉, hint: 查一下投诉记录。}
          - {id: prep-clear-accounts, title: 账目清楚, summary: 备齐发票、签收单等收款凭证。}
          - {id: prep-key-people, title: 找准关键人, summary: 付款责任人是谁。}
          - {id: prep-activity-pattern, title: 摸清工作规律, summary: 关键人什么时候在办公室。}
          - {id: prep-join-suppliers, title: 联合其他供应商, summary: 必要时一起催款。}
        """,
    "playbook/interview-collection.yaml": """\
        id: interview-collection
        title: 面谈催款
        order: 30
        summary: 面谈前准备，面谈中拿承诺，面谈后跟进。
        source: 测试来源
        items:
          - id: interview-before
            title: 面谈前
            summary: 准备资料和目标。
            items:
              - {id: before-docs, title: 带齐对账单, summary: 客户对金额有疑问时当场核对。}
          - id: interview-during
            title: 面谈中
            summary: 拿到明确承诺。
            items:
              - {id: during-promise, title: 拿到付款日期, summary: 「下个月」不算承诺。}
          - id: interview-after
            title: 面谈后
            summary: 记录和跟进。
            items:
              - {id: after-record, title: 当天写面谈记录, summary: 记下承诺的日期和金额。}
        """,
    "playbook/penalty-ladder.yaml": """\
        id: penalty-ladder
        title: 惩戒阶梯
        order: 50
        summary: 逐级施压。
        source: 测试来源
        items:
          - id: stop-supply
            title: 停止供货
            summary: 暂停发货，直到付清前款。
            cautions: [必须有确切证据并及时通知对方。]
            checks:
              - {title: 欠款证据齐全, hint: 合同、发票、签收单。}
              - {title: 已书面通知暂停供货, hint: 保留送达凭证。}
              - {title: 已取得审批, hint: 由指定审批人批准。}
          - id: stop-service
            title: 停止服务
            summary: 暂停后续服务。
            checks: [{title: 合同允许暂停服务, hint: 找到合同条款。}]
          - id: terminate-authorization
            title: 终止授权
            summary: 终止经销授权。
            checks: [{title: 已提前书面通知, hint: 按合同约定的期限。}]
          - id: reputation
            title: 声誉影响
            summary: 通过行业渠道施加影响。
            checks: [{title: 内容真实有据, hint: 只陈述可证明的事实。}]
          - id: legal-action
            title: 法律途径
            summary: 诉讼或仲裁。
            checks: [{title: 已咨询律师, hint: 评估诉讼时效和成本。}]
        """,
    "playbook/courses.yaml": """\
        courses:
          - id: course-a
            title: 销售回款实战
            background: 回款是销售的**最后一步**。
            benefits: [掌握知己知彼]
            audience: [一线销售]
            duration_label: 0.5天
            duration_minutes: 90
            questions: [灵魂第一问：回款是谁的责任？]
            outline:
              - {title: 知己知彼, refs: [know-both-sides]}
            day_start: "08:30"
            objectives: [说出付款责任人是谁]
            room_setup: [三人一组的课桌式]
            departures: [原大纲没有演练（编者补充）。]
            script_prompts: [客户说「领导没签字」。]
            agenda:
              - {title: 开场, minutes: 20, activity: 讨论, key_messages: [回款才是销售的完成。], transition: 先看知己。}
              - title: 知己知彼
                minutes: 40
                activity: 讲授
                refs: [know-self, rp-payer]
                materials: [清单：知己三项确认]
              - {title: 茶歇, minutes: 15, kind: break}
              - {title: 复盘, minutes: 10, activity: 讨论}
              - {title: 测验, minutes: 20, activity: 测验}
            role_plays:
              - id: rp-payer
                title: 找到付款责任人
                roles: [销售：客户经理, 客户财务：出纳, 观察员：打分]
                situation: 客户财务说领导没签字。
                goal: 问清付款流程。
                debrief: [问出付款责任人了吗？]
                debrief_answers: [付款责任人是财务总监周某，流程卡在他那里。]
                customer_brief: [领导其实能在手机上审批，销售追问时才说出来。]
                observe: [问清了付款流程的每一步]
            roleplay_rubric:
              - {score: 2, description: 做到了。}
              - {score: 0, description: 没做到。}
            pretest:
              - question: 回款是谁的责任？
                answer: 销售人员是回款的第一责任人，财务和法务是支持。
                points: 20
            quiz:
              - question: 停止供货之前必须先做什么？
                choices: [直接停货, 书面通知并取得审批]
                answer: 书面通知并取得审批
                explanation: 停止供货必须及时通知对方。
              - question: 客户说领导没签字，你下一步问什么？
                answer: 问清审批卡在哪一步、由谁在哪天办完，并约定那天再确认。
                points: 15
            pass_mark: 80
        """,
}


def add_checklists(root: Path) -> None:
    """The project's real checklist declaration, so the tests check it too."""
    shutil.copy(REPO / "playbook" / "checklists.yaml", root / "playbook" / "checklists.yaml")


ALL_IDS = [
    "checklist-know-self",
    "checklist-know-customer",
    "checklist-five-preparations",
    "checklist-interview-before",
    "checklist-interview-during",
    "checklist-interview-after",
    "checklist-stop-supply",
    "checklist-stop-service",
    "checklist-terminate-authorization",
    "checklist-reputation",
    "checklist-legal-action",
    "handout-know-both-sides",
    "handout-five-preparations",
    "handout-interview-collection",
    "handout-penalty-ladder",
    "workbook-course-a",
    "worksheet-course-a",
    "guide-course-a",
    "slides-course-a",
    "observer-course-a",
    "brief-course-a",
    "pretest-course-a",
    "posttest-course-a",
    "evaluation-course-a",
    "certificate-course-a",
    "signin-course-a",
    "answers-course-a",
]


def make_print_project(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A project in ``root``: real templates and company settings, fixture playbook."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
    shutil.copytree(REPO / "defaults", root / "defaults", dirs_exist_ok=True)  # the sample company
    write(root, SITE_CONFIG_GUIDE)  # never the repository's site_config/ (a fork's own)
    copy_unmoved(root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / ".build" / "docs").mkdir(parents=True, exist_ok=True)
    files = {"playbook/sources.yaml": "sources:\n  - title: 测试来源\n", **FIXTURE, **(extra or {})}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    add_checklists(root)
    return root
