"""Issue 27: letters a lawyer signs without edits, and the debt-recovery topics a credit-control
lawyer expects.

Wrong wording is caught by patterns, not by one exact phrase, so a reworded regression fails too:
over every YAML file and letter template (comments aside) and over every rendered letter, in its
HTML and in its PDF text. Each letter's legal paragraphs are pinned in both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.loader import load
from generator.playbook import Playbook
from generator.project import Project
from generator.search.questions import load_questions
from tests.conftest import sample_repo
from tests.test_legal import item, term, text

ROOT = Path(__file__).resolve().parents[1]

# (pattern, why it is wrong): anywhere in the shipped YAML, templates and rendered letters.
EVERYWHERE = [
    (r"不.{0,4}另行通知", "a promise not to notify: 民法典 528 requires notice of a suspension"),
    (r"异议.{0,8}支付令.{0,2}失效", "an objection voids a 支付令 only when it is upheld"),
    (r"(停止|暂停)(供货|发货|服务).{0,6}(无需|不需要|不用).{0,4}证据", "a suspension needs its basis"),
    (r"每一?项措施.{0,4}前.{0,12}通知", "notice promised before a suit or 保全 (item 2)"),
    (r"认可的.{0,2}适当担保", "适当担保 is objective under 民法典 528 (item 6)"),
    (r"只能对出票人.{0,2}背书人.{0,2}追索", "the acceptor is primarily liable (票据法 44, 68; item 14)"),
    (r"(靠|取决于|看)出票(企业|人)的信用", "a 商票 depends on the acceptor's credit (item 14)"),
    (r"(?<!一般)(?<!通常)不构成法律上的欺诈", "fabricated hardship: «一般不构成» (item 18)"),
    (r"只能像担保一样.{0,12}优先受偿", "no priority from a pre-maturity 以物抵债 (通则解释 28; item 9)"),
]

# Only in what a customer receives (templates and rendered letters).
IN_LETTERS = [
    (r"(报送|上报).{0,4}(信用信息|征信)", "an empty credit-reporting threat (item 3)"),
    (r"行业协会", "telling an association about an undecided debt (item 3)"),
    (r"财产保全", "保全 announced in advance warns a debtor hiding assets (item 2)"),
    (r"内件品名.{0,30}催款函", "the courier slip shows the debt (item 8)"),
    (r"直至贵司付清(全部|上述)?到期(欠款|款项|货款)(?!人民币)", "a suspension without scope (item 1)"),
]

LETTERS = (
    "reminder-1",
    "reminder-2",
    "final-demand",
    "stop-supply",
    "stop-service",
    "terminate-authorization",
    "payment-plan",
    "confirmation",
    "assignment-notice",
    "delivery-record",
)

CASE = """\
customer: 华东示例贸易有限公司
contact: 陈经理
address: 江苏省苏州市示例区样板路 88 号 3 楼
invoices:
  - {invoice_no: "26310001", contract_no: HT-2026-018, due_date: 2026-08-31, amount: 107000.53}
  - {invoice_no: "26310057", contract_no: HT-2026-018, due_date: 2026-09-30, amount: 16409.02, paid: 10000}
  - {invoice_no: "26310112", contract_no: HT-2026-031, due_date: 2026-10-31, amount: 6007.14}
delivery: {method: EMS, tracking_no: "1170000000000", sent_date: 2026-12-01, recipient: 陈经理}
suspension:
  basis: prior-performance
  clause: 《购销合同》（HT-2026-018）第5.2条
authorization: {agreement: 《经销合同》（JX-2026-002）, clause: 第12.3条}
assignment:
  assignee: 上海示例商业保理有限公司
  date: 2026-11-30
  agreement: 《国内保理业务合同》（BL-2026-007）
  bank_name: 中国建设银行上海示例支行
  bank_account: "3100 0000 0000 0000 0007"
  invoices: ["26310001", "26310057"]
"""

# Each letter's legal paragraphs (whitespace removed), as a customer reads them.
PINS: dict[str, list[str]] = {
    "reminder-2": [
        "贵司逾期付款已构成违约，我司保留依照合同约定及法律规定要求贵司支付逾期付款违约金或逾期利息、赔偿损失的权利。",
        "包括在有依据的合同项下暂停向贵司供货、在有依据的合同项下暂停向贵司提供服务、通过法律途径追讨欠款。",
        "合同约定由违约方承担律师费等实现债权费用的，我司将一并主张。",
    ],
    "final-demand": [
        "一、在有合同约定或法律规定依据的合同项下暂停向贵司供货，直至贵司付清该合同项下的到期欠款或提供适当担保；",
        "三、依照合同约定或法律规定解除合同，终止对贵司的经销（代理）授权；",
        "四、依法申请支付令、提起诉讼或按合同约定申请仲裁，要求贵司支付全部欠款及逾期付款违约金或利息；",
        "其中，暂停履行或解除合同的，我司将依照法律规定或合同约定另行书面通知贵司。",
    ],
    "stop-supply": [
        "依照《中华人民共和国民法典》第五百二十六条「当事人互负债务，有先后履行顺序，应当先履行债务一方未履行的，"
        "后履行一方有权拒绝其履行请求」的规定，我司现通知贵司：自本通知送达贵司之日起第三日（送达当日不计入；"
        "最早为2026年12月4日）起，在贵司付清该合同项下到期款项人民币壹拾壹万叁仟肆佰零玖元伍角伍分（¥113,409.55）"
        "之前，我司暂不继续在合同编号为HT-2026-018的合同项下向贵司供货。",
        "本次暂停仅限于合同编号为HT-2026-018的合同项下的供货。双方其他合同（合同编号：HT-2026-031）不在暂停范围内，"
        "我司将继续按约履行。",
        "三、恢复供货的条件。贵司付清合同编号为HT-2026-018的合同项下的到期货款，或向我司提供适当担保后，",
    ],
    "stop-service": [
        "暂停的服务包括合同编号为HT-2026-018的合同项下的技术支持",
        "我司暂不继续在合同编号为HT-2026-018的合同项下向贵司提供服务。",
        "双方其他合同（合同编号：HT-2026-031）不在暂停范围内，我司将继续按约履行。",
        "贵司付清合同编号为HT-2026-018的合同项下的到期款项，或向我司提供适当担保后",
    ],
    "terminate-authorization": [
        "根据双方签订的经销（代理）合同《经销合同》（JX-2026-002）第12.3条关于解除合同的约定，以及"
        "《中华人民共和国民法典》第五百六十二条第二款、第五百六十五条第一款的规定，我司现通知贵司：",
        "二、贵司在上述期限内未付清全部欠款的，上述经销（代理）合同《经销合同》（JX-2026-002）自该期限届满时自动解除，"
        "我司对贵司的经销（代理）授权同时终止；期限届满后，我司将另行书面确认合同解除的事实。",
        "贵司在期限内付清全部欠款的，本通知第二项不发生效力。",
    ],
    "payment-plan": [
        "乙方任何一期未按时足额付款的，甲方有权要求乙方立即清偿全部剩余欠款",
        "有合同约定或法律依据的，甲方亦有权在相应合同项下暂停供货及服务。",
        "四、违约金的保留。本计划不视为变更原合同约定的付款期限；各笔款项自原到期日起产生的逾期付款违约金（或利息），"
        "甲方保留主张的权利，甲方书面同意减免的除外。",
    ],
    "confirmation": [
        "与本公司账面记录相符，并同意支付。",
    ],
    "assignment-notice": [
        "其中以下发票项下的应收账款人民币壹拾壹万叁仟肆佰零玖元伍角伍分（¥113,409.55）为本次转让的应收账款：",
        "依照《中华人民共和国民法典》第五百四十六条的规定，特此通知贵司。本通知不得撤销，但经受让人同意的除外。"
        "其他发票（发票号码：26310112）项下的款项未转让，贵司仍应按原约定向我司支付。",
        "知悉通知所列发票项下的应收账款债权已转让给上海示例商业保理有限公司",
    ],
    "delivery-record": [
        "快递详情单「内件品名」栏只写「函件」及函号",
        "不写函件名称：详情单经快递员、前台等人之手，写明催收性质会向第三人披露欠款",
    ],
}


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def strip_comments(template: str) -> str:
    """A template without its ``{# … #}`` comments (they may name wrong wording to avoid it)."""
    return re.sub(r"\{#.*?#\}", "", template, flags=re.S)


def shipped_texts() -> dict[str, str]:
    files = {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
        for folder in ("playbook", "defaults", "examples")
        for p in sorted((ROOT / folder).rglob("*.yaml"))
    }
    return files


def letter_templates() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): strip_comments(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "templates").rglob("*.j2"))
    }


def offences(texts: dict[str, str], rules: list[tuple[str, str]]) -> list[str]:
    found = []
    for name, body in texts.items():
        for pattern, why in rules:
            for hit in re.finditer(pattern, squash(body)):
                found.append(f"{name}: «{hit.group(0)}» — {why}")
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Every letter for CASE, through the CLI, as HTML text and as PDF text (whitespace removed)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler (pdftotext)")
    root = sample_repo()
    tmp = tmp_path_factory.mktemp("letters")
    case = tmp / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for template in LETTERS:
        folder = tmp / template
        extra = ["--sent-letter", "final-demand"] if template == "delivery-record" else []
        args = ["--project", str(root), "letters", str(case), "-t", template, "-f", "pdf,html", "-o", str(folder)]
        assert main([*args, "--date", "2026-12-01", *extra]) == 0, template
        html = next(folder.glob("*.html")).read_text(encoding="utf-8")
        html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
        pdf = subprocess.run(
            ["pdftotext", "-layout", str(next(folder.glob("*.pdf"))), "-"], capture_output=True, text=True, check=True
        ).stdout
        out[template] = {"html": squash(re.sub(r"<[^>]+>", "", html)), "pdf": squash(pdf)}
        (root / "letters-register.csv").unlink(missing_ok=True)
    return out


# --- patterns --------------------------------------------------------------------------------


def test_no_wrong_wording_in_any_yaml_or_template() -> None:
    texts = {**shipped_texts(), **letter_templates()}
    assert offences(texts, EVERYWHERE) == []


def test_no_threat_or_disclosure_in_letter_templates() -> None:
    letters = {k: v for k, v in letter_templates().items() if "/letters/" in k}
    assert offences(letters, IN_LETTERS) == []


def test_no_wrong_wording_in_any_rendered_letter(rendered: dict[str, dict[str, str]]) -> None:
    texts = {f"{letter}.{kind}": body for letter, kinds in rendered.items() for kind, body in kinds.items()}
    assert offences(texts, EVERYWHERE + IN_LETTERS) == []


@pytest.mark.parametrize(
    ("regression", "rules"),
    [
        ("贵司逾期不付的，我司不再另行通知。", EVERYWHERE),
        ("客户只要提出异议，支付令即失效。", EVERYWHERE),
        ("停止供货无需任何证据。", EVERYWHERE),
        ("采取每项措施前，我司均会书面通知贵司。", EVERYWHERE),
        ("我司将依法报送贵司的信用信息。", IN_LETTERS),
        ("暂停供货，直至贵司付清全部到期欠款。", IN_LETTERS),
    ],
)
def test_the_patterns_catch_reworded_regressions(regression: str, rules: list[tuple[str, str]]) -> None:
    """The reviewers' mutations and their rewordings: each pattern list flags them."""
    assert offences({"mutated": regression}, rules)


# --- each letter's legal paragraphs, in the HTML and in the PDF --------------------------------


@pytest.mark.parametrize("letter", sorted(PINS))
def test_legal_paragraphs_are_pinned_in_html_and_pdf(rendered: dict[str, dict[str, str]], letter: str) -> None:
    for kind in ("html", "pdf"):
        body = rendered[letter][kind]
        for words in PINS[letter]:
            assert squash(words) in body, (letter, kind, words)


def test_terminate_authorization_without_an_agreement_cites_563_1_3(make_project, tmp_path: Path) -> None:
    root = make_project()
    case = tmp_path / "case.yaml"
    case.write_text(CASE.replace("authorization: {agreement: 《经销合同》（JX-2026-002）, clause: 第12.3条}\n", ""))
    out = tmp_path / "out"
    args = ["--project", str(root), "letters", str(case), "-t", "terminate-authorization", "-f", "html", "-o", str(out)]
    assert main([*args, "--date", "2026-12-01"]) == 0
    body = squash(re.sub(r"<[^>]+>", "", next(out.glob("*.html")).read_text(encoding="utf-8")))
    assert (
        "依照《中华人民共和国民法典》第五百六十三条第一款第三项（当事人一方迟延履行主要债务，经催告后在合理期限内"
        "仍未履行的，当事人可以解除合同）、第五百六十五条第一款的规定，我司现就双方签订的经销（代理）合同" in body
    )
    assert "不再另行通知" not in body


def test_an_unknown_assigned_invoice_gets_did_you_mean(make_project, tmp_path: Path, capsys) -> None:
    root = make_project()
    case = tmp_path / "case.yaml"
    case.write_text(CASE.replace('invoices: ["26310001", "26310057"]', 'invoices: ["26310001", "2631057"]'))
    args = ["--project", str(root), "letters", str(case), "-t", "assignment-notice", "-f", "html"]
    assert main([*args, "-o", str(tmp_path / "out"), "--date", "2026-12-01"]) == 1
    err = capsys.readouterr().err
    assert (
        "case.yaml:19:26: assignment.invoices[1]: expected an invoice number of this case "
        "(26310001, 26310057, 26310112), found '2631057'; did you mean '26310057'?" in err
    )


# --- internal guidance (items 9–19) and the seed's own words ---------------------------------


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return load(Project.at(sample_repo()))


GUIDANCE: dict[str, list[str]] = {
    # 9: 以物抵债 — 催告 and a reasonable period; no priority before title passes;
    # 10: a fair-value 以物抵债 can still be set aside as an individual clearance
    "settlement-in-kind": [
        "经公司催告后在合理期限内仍不履行",
        "公司主张就该物优先受偿不会得到支持",
        "《担保制度解释》第68条",
        "即使作价公允",
        "也属于个别清偿，管理人同样可以请求撤销（第32条）",
    ],
    # 11: unregistered 所有权保留 loses against the administrator and seizing creditors
    "customer-bankruptcy": ["未登记的所有权保留不能对抗买受人的破产管理人", "《担保制度解释》第67条、第54条"],
    "clause-retention-of-title": ["第54条第（三）（四）项", "造成出卖人损害的", "第643条", "回赎"],
    # 12: 一般保证 needs a suit or arbitration within the period; 15: registration effects
    "guarantees": [
        "第693条第1款",
        "必须在期间内起诉或仲裁客户",
        "《担保制度解释》第32条",
        "第694条",
        "自办理出质登记时设立（第445条）",
        "不动产抵押自登记时设立（第402条）",
        "未经登记不得对抗善意第三人（第403条）",
    ],
    # 13: the substantive write-off rule
    "bad-debt-write-off": ["财税〔2009〕57号）第四条", "且有确凿证据证明已无力清偿债务的", "可能被纳税调整"],
    # 14: the acceptor is primarily liable
    "bill-risk": ["《票据法》第44条", "第68条", "商票的价值取决于承兑人的信用"],
    "receivable-transfer": ["保理登记不是转让生效的条件，它决定顺位", "（第768条）"],
    # 16: time-barred confirmations
    "class-dormant": ["只确认余额不一定算「同意履行」", "并同意支付"],
    # 17: 万分之五 is usually reduced
    "clause-late-payment": ["每日万分之五折合年利率18.25%", "予以调减"],
    # 19: 仲裁法 as revised, in force since 2026-03-01
    "clause-forum": ["《仲裁法》第27条第1款；2025年9月12日修订通过、2026年3月1日起施行的文本", "第29条"],
    # 3: the reputation rung's channels
    "reputation": [
        "第1024–1025条",
        "法院判决或仲裁裁决之后、且每一次都经法务书面同意",
        "没有向人民银行征信系统报送的渠道",
    ],
    # the seed's own wording beside the correction
    "principle-cash-only": ["原文：「如果公司规定只需要现金结算，那肯定不会代销", "本条改写为「绝不赊销」"],
}


@pytest.mark.parametrize("item_id", sorted(GUIDANCE))
def test_internal_guidance_says_what_the_law_says(playbook: Playbook, item_id: str) -> None:
    body = text(item(playbook, item_id))
    for words in GUIDANCE[item_id]:
        assert words in body, (item_id, words)


def test_glossary_terms_are_corrected(playbook: Playbook) -> None:
    assert "并同意支付" in term(playbook, "term-confirmation-letter")
    bill = term(playbook, "term-acceptance-bill")
    assert "承兑人是到期付款的主债务人（《票据法》第44条）" in bill and "靠承兑企业的信用" in bill
    title = term(playbook, "term-retention-of-title")
    assert "《担保制度解释》第67条、第54条" in title and "第643条" in title and "造成卖方损害的" in title
    assert "2026年3月1日起施行" in term(playbook, "term-arbitration")


def test_courses_say_generally_not_fraud() -> None:
    courses = (ROOT / "playbook/courses.yaml").read_text(encoding="utf-8")
    assert "编造困难一般不构成法律上的欺诈（借编造的困难诱使客户签订新协议的除外，《民法典》第148条）" in courses


# --- the missing topics ------------------------------------------------------------------------

TOPICS: dict[str, list[str]] = {
    "creditor-subrogation-revocation": [
        "《民法典》第535条",
        "第536条",
        "第537条",
        "第538条",
        "第539条",
        "第540条",
        "第541条",
        "第542条",
        "《合同编通则解释》第42条",
    ],
    "customer-deregistered": [
        "《公司法》第23条",
        "《公司法》第232条",
        "《公司法》第240条",
        "《公司法解释（二）》第18条",
        "（第19条）",
        "（第20条）",
        "《变更追加规定》第21条",
        "（第22条）",
        "（第23条）",
    ],
    "supplier-in-bankruptcy": ["《企业破产法》第39条", "（第18条）", "共益债务（第42条）"],
    "collection-red-lines": [
        "「软暴力」",
        "2019年",
        "《刑法》第293条",
        "《刑法》第238条第3款",
        "《刑法》第313条",
        "《刑法》第224条",
        "讨债公司",
    ],
    "secure-the-plan": ["《公证法》第37条", "《民事诉讼法》第249条", "《民法典》第1064条", "《个人信息保护法》第17条"],
}


@pytest.mark.parametrize("item_id", sorted(TOPICS))
def test_missing_topics_are_items_with_statutes(playbook: Playbook, item_id: str) -> None:
    it = item(playbook, item_id)
    body = text(it)
    for words in TOPICS[item_id]:
        assert words in body, (item_id, words)
    assert it.source == "编者补充" and "本条为编者补充" in it.summary
    assert len(it.aliases) >= 8 and it.related and it.checks
    questions = load_questions(Project.at(sample_repo()), playbook)
    assert len(questions.get(item_id, [])) >= 3, item_id  # the questions reps type
