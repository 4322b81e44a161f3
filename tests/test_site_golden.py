"""Golden tests: the Markdown rendered for a small fixture playbook, byte for byte.

Regenerate after an intended template change with ``UPDATE_GOLDEN=1 pytest tests/test_site_golden.py``
and review the diff.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.features import build_site_tree
from generator.loader import load
from generator.project import Project
from generator.render.site import jieba_dictionary
from generator.session import Session
from tests.conftest import LETTERS, assert_golden

GOLDEN = Path(__file__).parent / "golden" / "site"

FIXTURE = {
    "playbook/mod-a.yaml": """\
        id: mod-a
        title: 知己知彼：回款的必要条件
        nav_title: 知己知彼
        order: 1
        section: 回款流程
        summary: 先确认自己和客户的情况。
        intro: 每个小项都是一个可以打钩的问题。
        source: 测试来源
        discussion: [你答不上来的是哪一项？]
        items:
          - id: know-customer
            title: 知彼的两项确认
            summary: 弄清客户的人员关系和财务情况。
            aliases: [知彼]
            related: [term-closing-date]
            items:
              - id: payment-owner
                title: 付款责任人
                summary: 实际安排付款的人。
                aliases: [付款人, 财务负责人]
              - id: customer-closing-date
                title: 用户扎账日期
                summary: 客户财务每月截止入账的日期。
                source: 编者补充
        """,
    "playbook/mod-b.yaml": """\
        id: mod-b
        title: 惩戒阶梯
        order: 2
        section: 回款流程
        summary: 逐级施压。
        source: 测试来源
        items:
          - id: legal-action
            title: 法律途径
            summary: 诉讼或仲裁。
            points: [先咨询律师。, 保全证据。]
            steps: [发律师函, 起诉]
            cautions: [诉讼时效为三年（《民法典》第188条）。]
            checks:
              - {title: 诉讼时效未过, hint: 未满三年。}
            examples:
              - {title: 律师函开头, text: "贵司拖欠我司货款……"}
            aliases: [起诉, 打官司]
            related: [payment-owner]
        """,
    "playbook/glossary.yaml": """\
        terms:
          - id: term-closing-date
            term: 扎账日期
            definition: 财务截止入账的日期。
            aliases: [结账日]
            related: [customer-closing-date]
        """,
    "playbook/courses.yaml": """\
        courses:
          - id: course-a
            title: 销售回款
            background: 回款才算销售完成。
            benefits: [学会知己知彼]
            audience: [销售人员]
            duration_label: 0.5天
            duration_minutes: 90
            questions: [我们能承受多大规模的应收账款？]
            outline:
              - title: 知己知彼
                refs: [mod-a]
                children:
                  - {title: 知彼的两项确认, refs: [know-customer]}
            agenda:
              - {title: 开场, minutes: 30, activity: 讨论}
              - {title: 知己知彼, minutes: 60, refs: [mod-a], activity: 讲授}
            role_plays:
              - id: play-a
                title: 找到付款责任人
                roles: [销售, 客户财务]
                situation: 客户说老板不在。
                goal: 约定付款日期。
                debrief: [哪句话最有效？]
        """,
}

PAGES = ["index.md", "mod-a.md", "mod-b.md", "glossary.md", "courses/course-a.md"]


@pytest.fixture
def tree(make_project):
    root = make_project(FIXTURE)
    project = Project.at(root)
    playbook = load(project, letter_ids=LETTERS)
    return build_site_tree(Session.of(project, playbook), date(2026, 12, 31))


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(tree, page: str):
    golden = GOLDEN / page.replace("/", "__")
    actual = tree.files[page]
    assert_golden(golden, actual)


def test_navigation_follows_workflow_order(tree):
    assert tree.nav[:2] == [
        {"首页": "index.md"},
        {"回款流程": [{"知己知彼": "mod-a.md"}, {"惩戒阶梯": "mod-b.md"}]},
    ]
    assert {"培训课程": [{"销售回款": "courses/course-a.md"}]} in tree.nav
    assert tree.nav[-2:] == [
        {"术语表": "glossary.md"},
        {
            "参考": [
                {"如何为本公司定制": "reference/customize.md"},
                {"内容格式参考": "reference/format.md"},
                {"模板上下文参考": "reference/contexts.md"},
            ]
        },
    ]


def test_search_dictionary_keeps_terms_whole(tree):
    words = tree.search_words
    for word in ["付款责任人", "用户扎账日期", "扎账日期", "打官司", "结账日", "回款台账"]:
        assert word in words
    assert "知己知彼：回款的必要条件" not in words  # long titles would hide their parts from search
    assert jieba_dictionary(["付款责任人"]) == "付款责任人 20000\n"


def test_every_item_gets_a_stable_anchor(tree):
    page = tree.files["mod-a.md"]
    for anchor in ["know-customer", "payment-owner", "customer-closing-date"]:
        assert f"{{ #{anchor} }}" in page


def test_format_reference_is_generated_from_the_schema(tree):
    page = tree.files["reference/format.md"]
    assert "| `aliases` | 文本的列表 | 否 | 空列表 | 用户会输入" in page
    assert "### 模块" in page and "### 本公司信息" in page
