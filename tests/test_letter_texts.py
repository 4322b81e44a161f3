"""Letter wording that law and the company's policy decide (issue 13, issue 11 letters part).

Each test renders real letters through the CLI, as a finance clerk would, and reads the text.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from generator.cli import main

CASE = """\
customer: 华东示例贸易有限公司
contact: 陈经理
address: 江苏省苏州市示例区样板路 88 号
invoices:
  - {invoice_no: "26310001", contract_no: HT-2026-018, due_date: 2026-08-31, amount: 107000.53}
  - {invoice_no: "26310057", contract_no: HT-2026-018, due_date: 2026-09-30, amount: 16409.02}
"""

POLICY = """\
ladder:
  stop-supply: {enabled: %(stop_supply)s, days_overdue: 30, approver: 销售总监, letter: stop-supply}
  stop-service: {enabled: %(stop_service)s, days_overdue: 45, approver: 销售总监, letter: stop-service}
  terminate-authorization: {enabled: %(terminate)s, days_overdue: 90, approver: 总经理, letter: terminate-authorization}
  reputation: {enabled: true, days_overdue: 120, approver: 法务负责人}
  legal-action: {enabled: true, days_overdue: 180, approver: 总经理, letter: delivery-record}
aging_buckets:
  - {label: 未到期, max_days: 0}
  - {label: 逾期}
"""


def policy(stop_supply: bool = True, stop_service: bool = True, terminate: bool = True) -> str:
    flags = {"stop_supply": stop_supply, "stop_service": stop_service, "terminate": terminate}
    return POLICY % {k: str(v).lower() for k, v in flags.items()}


def render(root: Path, tmp_path: Path, template: str, case: str = CASE, *, name: str = "case.yaml", capsys=None) -> str:
    """Render one letter as HTML and return its text without tags (or the error output)."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(case), encoding="utf-8")
    out = tmp_path / f"out-{template}-{len(list(tmp_path.iterdir()))}"
    code = main(
        [
            "--project",
            str(root),
            "letters",
            str(path),
            "-t",
            template,
            "-f",
            "html",
            "-o",
            str(out),
            "--date",
            "2026-12-01",
        ]
    )
    if code != 0:
        assert capsys is not None, "letter failed"
        return "ERROR " + capsys.readouterr().err
    html = next(p for p in out.iterdir() if p.suffix == ".html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def project(make_project):
    def make(**flags: bool) -> Path:
        return make_project({"site_config/policy.yaml": policy(**flags)})

    return make


# --- issue 11: the policy drives every sentence -----------------------------------------------


def test_final_demand_without_terminate_authorization_never_says_terminate(project, tmp_path) -> None:
    text = render(project(terminate=False), tmp_path, "final-demand")
    assert "终止" not in text and "解除合同" not in text
    assert "恕不另行通知" not in text
    # the remaining measures are numbered without a gap
    assert re.findall(r"([一二三四五六])、(在有|通过|依法)", text) == [
        ("一", "在有"),
        ("二", "在有"),
        ("三", "依法"),
    ]
    assert "其中，暂停履行的，我司将依照法律规定或合同约定另行书面通知贵司。" in text


def test_final_demand_lists_the_enabled_rungs_and_promises_notice_only_where_law_requires(project, tmp_path) -> None:
    """Issue 27 items 2–3: notice is promised for suspension and termination only (not before a
    suit or 财产保全, which would warn a debtor hiding assets); no credit-reporting threat."""
    text = render(project(), tmp_path, "final-demand")
    assert "恕不另行通知" not in text
    assert "其中，暂停履行或解除合同的，我司将依照法律规定或合同约定另行书面通知贵司。" in text
    assert "采取每一项措施之前" not in text and "财产保全" not in text
    assert "信用信息" not in text and "行业协会" not in text
    for words in (
        "在有合同约定或法律规定依据的合同项下暂停向贵司供货，直至贵司付清该合同项下的到期欠款或提供适当担保",
        "在有合同约定或法律规定依据的合同项下暂停向贵司提供后续服务",
        "终止对贵司的经销（代理）授权",
        "依法申请支付令",
    ):
        assert words in text, words


def test_switched_off_suspension_rungs_leave_reminder_and_plan(project, tmp_path) -> None:
    root = project(stop_supply=False, stop_service=False)
    for template in ("reminder-2", "payment-plan", "final-demand"):
        text = render(root, tmp_path, template)
        assert "暂停" not in text, template


def test_prior_steps_are_stated_only_when_the_case_records_them(project, tmp_path, capsys) -> None:
    root = project()
    case = CASE + "suspension: {basis: prior-performance}\n"
    for template in ("final-demand", "stop-supply", "terminate-authorization", "reminder-2"):
        text = render(root, tmp_path, template, case)
        assert "多次" not in text and "已暂停供货" not in text and "已自" not in text, template
        assert "书面催告，" not in text, template
    recorded = (
        case + "history: {reminders: [2026-10-15, 2026-11-05], final_demand: 2026-11-20, "
        "supply_suspended: 2026-11-25}\n"
    )
    text = render(root, tmp_path, "terminate-authorization", recorded)
    assert (
        "我司已于2026年10月15日、2026年11月5日向贵司书面催告，已于2026年11月20日向贵司发出最后催告函，"
        "已自2026年11月25日起暂停向贵司供货，贵司至今仍未支付。"
    ) in text
    assert "我司已于2026年10月15日、2026年11月5日就贵司逾期货款向贵司发函提醒" in render(
        root, tmp_path, "reminder-2", recorded
    )


# --- issue 13: the legal basis of a suspension --------------------------------------------------


def test_stop_supply_without_a_basis_is_refused_with_a_clear_message(project, tmp_path, capsys) -> None:
    err = render(project(), tmp_path, "stop-supply", capsys=capsys)
    assert (
        "case.yaml:1: suspension.basis: expected the legal basis of the suspension for letter "
        "'stop-supply' (contract-clause, prior-performance, insecurity), found none" in err
    )
    assert "nothing was written" in err


def test_unknown_basis_gets_did_you_mean(project, tmp_path, capsys) -> None:
    err = render(project(), tmp_path, "stop-service", CASE + "suspension: {basis: insecurty}\n", capsys=capsys)
    assert "case.yaml:7:" in err and "suspension.basis" in err
    assert "found 'insecurty'; did you mean 'insecurity'?" in err


def test_contract_clause_basis_cites_the_clause_not_the_statute(project, tmp_path) -> None:
    text = render(
        project(),
        tmp_path,
        "stop-supply",
        CASE + "suspension: {basis: contract-clause, clause: 《购销合同》（HT-2026-018）第8.2条}\n",
    )
    assert "根据双方《购销合同》（HT-2026-018）第8.2条的约定，贵司逾期付款的，我司有权暂停供货" in text
    assert "第五百二十七条" not in text and "第五百二十六条" not in text
    assert "有理由认为" not in text


def test_prior_performance_basis_cites_article_526(project, tmp_path) -> None:
    text = render(project(), tmp_path, "stop-supply", CASE + "suspension: {basis: prior-performance}\n")
    assert "第五百二十六条" in text and "后履行一方有权拒绝其履行请求" in text
    assert "第五百二十七条" not in text and "丧失" not in text


def test_insecurity_basis_lists_the_evidence_and_article_528_consequences(project, tmp_path) -> None:
    case = CASE + textwrap.dedent("""\
        suspension:
          basis: insecurity
          evidence:
            - 贵司已被列为被执行人（（2026）苏0505执1234号）
            - 贵司主要生产线已于2026年11月停产
        """)
    text = render(project(), tmp_path, "stop-supply", case)
    assert "（1）贵司已被列为被执行人（（2026）苏0505执1234号）；" in text
    assert "（2）贵司主要生产线已于2026年11月停产。" in text
    assert "第五百二十七条、第五百二十八条" in text
    assert "贵司提供适当担保的，我司将恢复履行" in text
    assert "我司可以依照该法第五百二十八条解除合同" in text
    assert "有理由认为" not in text
    # a company without the terminate rung is not told about termination
    text = render(project(terminate=False), tmp_path, "stop-supply", case)
    assert "解除合同" not in text and "终止" not in text


def test_insecurity_without_evidence_is_refused(project, tmp_path, capsys) -> None:
    err = render(project(), tmp_path, "stop-supply", CASE + "suspension: {basis: insecurity}\n", capsys=capsys)
    assert "case.yaml:7:13: suspension: expected 'evidence' (the proof required by 民法典第527条" in err


def test_spreadsheet_column_gives_the_basis(project, tmp_path, capsys) -> None:
    root = project()
    sheet = (
        "客户名称,发票号码,到期日,金额,暂停依据,暂停条款\n"
        "甲公司,F1,2026-09-30,20000.00,合同条款,《购销合同》第8.2条\n"
        "乙公司,F2,2026-09-30,30000.00,不安抗辩,\n"
    )
    path = tmp_path / "ar.csv"
    path.write_text(sheet, encoding="utf-8")
    code = main(
        [
            "--project",
            str(root),
            "letters",
            str(path),
            "-t",
            "stop-supply",
            "-f",
            "html",
            "-o",
            str(tmp_path / "bulk"),
            "--date",
            "2026-12-01",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}:3: suspension_evidence: expected the evidence required by 民法典第527条" in err


# --- other wording defects ----------------------------------------------------------------------


def test_reminder_2_claims_fees_only_under_the_contract(project, tmp_path) -> None:
    text = render(project(), tmp_path, "reminder-2")
    assert "一切后果及费用" not in text
    assert "合同约定由违约方承担律师费等实现债权费用的，我司将一并主张" in text


def test_terminate_authorization_dissolves_automatically_when_the_deadline_passes(project, tmp_path) -> None:
    text = render(project(), tmp_path, "terminate-authorization")
    assert "第五百六十三条第一款第三项" in text and "第五百六十五条第一款" in text
    assert "贵司在上述期限内未付清全部欠款的，上述经销（代理）合同" in text
    assert (
        "自该期限届满时自动解除，我司对贵司的经销（代理）授权同时终止；期限届满后，我司将另行书面确认合同解除的事实"
        in text
    )
    assert "贵司在期限内付清全部欠款的，本通知第二项不发生效力" in text


def test_confirmation_lists_invoiced_paid_and_outstanding(project, tmp_path) -> None:
    case = CASE.replace("amount: 16409.02}", "amount: 16409.02, paid: 409.02}")
    text = render(project(), tmp_path, "confirmation", case)
    assert "所列发票开票（发货）金额合计（元）" in text and "其中已收回款（元）" in text
    assert "123,409.55" in text and "409.02" in text and "123,000.53" in text


ASSIGNMENT = """\
assignment:
  assignee: 上海示例商业保理有限公司
  date: 2026-11-30
  agreement: 《国内保理业务合同》（BL-2026-007）
  bank_name: 中国建设银行上海示例支行
  bank_account: "3100 0000 0000 0000 0007"
"""


def test_assignment_notice_tells_the_debtor_to_pay_the_assignee(project, tmp_path, capsys) -> None:
    text = render(project(), tmp_path, "assignment-notice", CASE + ASSIGNMENT)
    assert (
        "我司已于2026年11月30日根据《国内保理业务合同》（BL-2026-007），将上述应收账款债权及其从权利转让给"
        "上海示例商业保理有限公司" in text
    )
    assert "第五百四十六条" in text and "本通知不得撤销，但经受让人同意的除外" in text
    assert "账　号：3100 0000 0000 0000 0007" in text and "户　名：上海示例商业保理有限公司" in text
    assert "受让人（盖章）：上海示例商业保理有限公司" in text and "回　执" in text
    err = render(project(), tmp_path, "assignment-notice", capsys=capsys)
    assert (
        "case.yaml:1: assignment: expected the assignment (assignee, date, bank_name, bank_account) "
        "for letter 'assignment-notice', found none" in err
    )


# --- named blocks: an override extends the upstream letter ---------------------------------------

OVERRIDE = """\
{% extends "upstream/letters/stop-supply.html.j2" %}
{% block closing %}<p>本公司法务部联系人：赵律师，电话 021-5555 0199。</p>{% endblock %}
"""


def test_override_extends_the_upstream_letter_and_replaces_one_block(make_project, tmp_path) -> None:
    root = make_project({"site_config/overrides/letters/stop-supply.html.j2": OVERRIDE})
    text = render(root, tmp_path, "stop-supply", CASE + "suspension: {basis: prior-performance}\n")
    assert "本公司法务部联系人：赵律师" in text  # the company's block
    assert "特此通知" not in text  # upstream's closing replaced
    assert "一、欠款事实。" in text and "第五百二十六条" in text  # every other block stays upstream's


def test_every_shipped_letter_names_its_blocks_in_the_header() -> None:
    root = Path(__file__).resolve().parents[1] / "templates" / "letters"
    for path in sorted(root.glob("[a-z]*.html.j2")):
        source = path.read_text(encoding="utf-8")
        header = source[: source.index("-#}")]
        blocks = [b for b in re.findall(r"{% block (\w+) %}", source[source.index("-#}") :]) if b != "body"]
        assert len(blocks) >= 3, path.name
        assert f'extends "upstream/letters/{path.name}"' in header, path.name
        assert ", ".join(blocks) in header, path.name
