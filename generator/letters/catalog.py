"""The shipped letters: title, purpose and the date they name (which items use a letter is
said once, by the `letters:` field of those items in playbook/).

A letter's id is its template's file name (``templates/letters/<id>.html.j2``). A
company may add its own templates under ``site_config/overrides/letters/``; those
get a generic entry here (title = id) unless they replace a shipped one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.errors import did_you_mean, valid_choices
from generator.project import Project


@dataclass(frozen=True)
class LetterInfo:
    id: str
    title: str
    """The heading printed on the letter."""
    summary: str
    """What the letter does, one line (site and ``--help``)."""
    when: str
    """When to send it."""
    deadline_days: int
    """Default days from the letter date to the date the letter names (``--deadline`` overrides)."""
    deadline_label: str
    """What that date means in this letter."""


SHIPPED: dict[str, LetterInfo] = {
    info.id: info
    for info in (
        LetterInfo(
            "confirmation",
            "往来款项对账函（货款征询函）",
            "列明截至对账日的未付发票，请客户核对后在回执上盖章确认（数据相符 / 数据不符及差异明细）。",
            "定期（每月或每季度）对账；催款之前先把账对清；客户盖章确认欠款会使诉讼时效中断。",
            10,
            "回函期限",
        ),
        LetterInfo(
            "reminder-1",
            "催款函",
            "友好提醒客户款项已到期，请其在期限内付款；适用于非恶意欠款。",
            "款项逾期后第一次书面催告；语气友好，给客户台阶。",
            15,
            "付款期限",
        ),
        LetterInfo(
            "reminder-2",
            "催款函（第二次）",
            "第二次催告：说明已逾期多久、违约责任和不付款的后果。",
            "第一次催款函发出后仍未付款、也没有可信的付款安排时。",
            10,
            "付款期限",
        ),
        LetterInfo(
            "final-demand",
            "最后催告函",
            "最后一次书面催告：给出最后付款期限，列出本公司政策启用的后续措施，并承诺采取每项措施前另行书面通知。",
            "进入惩戒阶梯之前（停止供货、停止服务、终止授权、法律途径都要求先发此函）。",
            7,
            "最后付款期限",
        ),
        LetterInfo(
            "stop-supply",
            "暂停供货通知函",
            "通知客户欠款事实、自何日起暂停供货（中止履行）以及恢复供货的条件。",
            "最后催告期限届满仍未付款，暂停的法律依据已确认（合同的暂停条款、先履行抗辩权或有确切证据的"
            "不安抗辩权，写在案件文件的暂停依据里）并已取得审批时。",
            3,
            "暂停供货起始日",
        ),
        LetterInfo(
            "stop-service",
            "暂停服务通知函",
            "通知客户欠款事实、自何日起暂停后续服务、暂停期间的安全安排和恢复条件。",
            "最后催告期限届满仍未付款，暂停的法律依据已确认（写在案件文件的暂停依据里）、已评估安全影响并取得审批时。",
            3,
            "暂停服务起始日",
        ),
        LetterInfo(
            "terminate-authorization",
            "终止授权通知函",
            "限期付清欠款，期限内不付则经销（代理）合同自期限届满时自动解除、授权终止（《民法典》第565条）。",
            "停止供货、停止服务无效，合同约定的解除条件已满足并已取得审批时。",
            15,
            "付款期限（届满未付则合同解除）",
        ),
        LetterInfo(
            "payment-plan",
            "还款计划确认书",
            "客户确认欠款金额并签署分期还款计划；签署即承认债务，诉讼时效中断、重新计算。",
            "客户确有困难、同意分期还款时；也可在对账后与客户约定还款安排。",
            30,
            "第一期还款日",
        ),
        LetterInfo(
            "assignment-notice",
            "应收账款债权转让通知书",
            "通知客户：应收账款已转让（债权转让、保理），自收到通知起向受让人付款；附回执。",
            "应收账款转让、做保理之后立即发出；未通知债务人的，转让对债务人不发生效力（《民法典》第546条）。",
            10,
            "回执寄回期限",
        ),
        LetterInfo(
            "delivery-record",
            "送达记录",
            "记录函件如何送达（送达方式、快递单号、日期、收件人）并附函件内容副本，证明催告已送达。",
            "每寄出一份对账函、催款函或通知函都要做一份；起诉时用来证明诉讼时效已中断。",
            0,
            "寄出日期",
        ),
    )
}

ORDER = tuple(SHIPPED)


def known_letter_ids(project: Project) -> set[str]:
    """Letter template ids: ``templates/letters/<id>.html.j2`` (and company overrides)."""
    ids: set[str] = set()
    for folder in project.template_dirs():
        letters = folder / "letters"
        if letters.is_dir():
            ids.update(p.name.removesuffix(".html.j2") for p in letters.glob("*.html.j2") if not p.name.startswith("_"))
    return ids


def unknown_letter(name: str, known: Iterable[str]) -> str:
    """The one message for a letter id that names no template (playbook, policy, overlays,
    plans and the command line alike)."""
    known = list(known)
    choices = valid_choices(known) if known else "no letter templates found"
    return f"unknown letter template '{name}'{did_you_mean(name, known)} ({choices})"


def letter_ids(project: Project) -> list[str]:
    """Every letter id (shipped order first, then company-added ones by name)."""
    found = known_letter_ids(project)
    return [i for i in ORDER if i in found] + sorted(found - set(ORDER))


def info(letter_id: str) -> LetterInfo:
    """The letter's catalogue entry (a generic one for company-added templates)."""
    return SHIPPED.get(letter_id) or LetterInfo(letter_id, letter_id, "本公司自定义函件。", "", 15, "期限")


def letter_title(letter_id: str) -> str:
    return info(letter_id).title
