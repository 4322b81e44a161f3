"""Company tailoring in site_config/: policy, overlays, module switches — and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import PlaybookError
from generator.loader import load
from generator.project import Project
from tests.conftest import LETTERS, REPO

LADDER_MODULE = """\
id: ladder
title: 惩戒阶梯
order: 1
summary: 逐级施压。
source: 测试来源
items:
  - {id: stop-supply, title: 停止供货, summary: 暂停发货。}
  - {id: stop-service, title: 停止服务, summary: 暂停服务。, related: [stop-supply]}
  - {id: terminate-authorization, title: 终止授权, summary: 终止授权。}
  - {id: reputation, title: 声誉影响, summary: 合法渠道。, letters: [final-demand]}
  - id: legal-action
    title: 法律途径
    summary: 诉讼。
    related: [stop-service]
    items:
      - {id: check-limitation, title: 诉讼时效, summary: 三年。}
"""

OTHER_MODULE = """\
id: prep
title: 五项准备
order: 2
summary: 准备。
source: 测试来源
items:
  - {id: prep-a, title: 准备甲, summary: 甲。}
  - {id: prep-b, title: 准备乙, summary: 乙。, related: [prep-a]}
"""


def policy_text(**changes: str) -> str:
    text = (REPO / "defaults" / "policy.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old.replace("_", "-") in text or old in text
        text = text.replace(old.replace("__", " "), new)
    return text


def project_with(make_project, files: dict[str, str]) -> Path:
    base = {"playbook/ladder.yaml": LADDER_MODULE, "playbook/prep.yaml": OTHER_MODULE}
    base.update(files)
    return make_project(base)


def errors_of(root: Path) -> list[str]:
    with pytest.raises(PlaybookError) as info:
        load(Project.at(root), letter_ids=LETTERS)
    return [str(p) for p in info.value.problems]


def shipped_policy() -> str:
    return (REPO / "defaults" / "policy.yaml").read_text(encoding="utf-8")


def test_shipped_policy_gives_the_whole_ladder(make_project):
    playbook = load(Project.at(project_with(make_project, {})), letter_ids=LETTERS)
    assert [rung for rung, _rule, _item in playbook.enabled_rungs()] == [
        "stop-supply",
        "stop-service",
        "terminate-authorization",
        "reputation",
        "legal-action",
    ]
    assert playbook.enabled_rungs()[0][1].days_overdue == 30


def test_thresholds_must_increase(make_project):
    text = shipped_policy().replace("days_overdue: 45", "days_overdue: 30")
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:17:19: ladder.stop-service.days_overdue: expected more than 30 days "
        "(the trigger of 'stop-supply', the enabled rung before it), found 30; triggers must increase "
        "along the ladder",
    ]


def test_disabled_rung_is_skipped_in_the_increase_check_and_disappears(make_project):
    text = shipped_policy().replace(
        "  stop-service:\n    enabled: true\n    days_overdue: 45",
        "  stop-service:\n    enabled: false\n    days_overdue: 10",
    )
    playbook = load(Project.at(project_with(make_project, {"site_config/policy.yaml": text})), letter_ids=LETTERS)
    assert [r for r, _rule, _item in playbook.enabled_rungs()] == [
        "stop-supply",
        "terminate-authorization",
        "reputation",
        "legal-action",
    ]
    assert "stop-service" not in playbook.index
    assert playbook.index["legal-action"].obj.related == []  # the link to it is gone too
    assert [i.id for i in playbook.modules[0].items] == [
        "stop-supply",
        "terminate-authorization",
        "reputation",
        "legal-action",
    ]


def test_policy_unknown_rung_letter_and_key(make_project):
    text = (
        shipped_policy()
        .replace("  reputation:\n", "  reputaton:\n")
        .replace("letter: stop-service", "letter: stop-servce")
        .replace("approver: 总经理\n    min_amount: 10000", "aprover: 总经理\n    min_amount: 10000")
    )
    # merged over defaults/policy.yaml: the default approver stays, the misspelt key is reported
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:25:5: ladder.terminate-authorization.aprover: unknown key 'aprover'; "
        "did you mean 'approver'? (valid: approver, days_overdue, enabled, letter, min_amount, requires)",
    ]
    text = (
        shipped_policy()
        .replace("  reputation:\n", "  reputaton:\n")
        .replace("letter: stop-service", "letter: stop-servce")
    )
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:29:3: ladder.reputaton: unknown rung 'reputaton'; did you mean "
        "'reputation'? (valid: legal-action, reputation, stop-service, stop-supply, terminate-authorization)",
    ]
    text = shipped_policy().replace("letter: stop-service", "letter: stop-servce")
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:20:13: ladder.stop-service.letter: unknown letter template 'stop-servce'; "
        "did you mean 'stop-service'? (valid: assignment-notice, confirmation, delivery-record, final-demand, "
        "payment-plan, "
        "reminder-1, reminder-2, stop-service, stop-supply, terminate-authorization)",
    ]


def test_money_in_policy_is_decimal_and_strict(make_project):
    text = shipped_policy().replace("min_amount: 50000 ", "min_amount: 50000.001 ")
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:37:17: ladder.legal-action.min_amount: expected at most two decimals (分), "
        "found 50000.001",
    ]


def test_aging_buckets_must_increase(make_project):
    text = shipped_policy().replace("{label: 61–90天, max_days: 90}", "{label: 61–90天, max_days: 60}")
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:47:31: aging_buckets[3].max_days: expected more than 60, found 60; "
        "buckets must increase",
    ]


def test_module_switch_unknown_module(make_project):
    text = shipped_policy().replace("modules: {}", "modules:\n  prp: {enabled: false}")
    assert errors_of(project_with(make_project, {"site_config/policy.yaml": text})) == [
        "site_config/policy.yaml:63:3: modules.prp: unknown module 'prp'; did you mean 'prep'?",
    ]


def test_module_switch_removes_module_and_links(make_project):
    text = shipped_policy().replace("modules: {}", "modules:\n  prep: {enabled: false}")
    playbook = load(Project.at(project_with(make_project, {"site_config/policy.yaml": text})), letter_ids=LETTERS)
    assert [m.id for m in playbook.modules] == ["ladder"]
    assert "prep-a" not in playbook.index


OVERLAY = """\
items:
  - id: stop-supply
    summary: 本公司：逾期 30 天且欠款超过 1 万元，经销售总监批准后暂停发货。
  - id: our-credit-check
    add_to: prep
    after: prep-a
    title: 核对信用额度
    summary: 在 ERP 中核对客户的信用额度。
    related: [prep-a]
  - id: prep-b
    enabled: false
"""


def test_overlay_replaces_adds_and_disables(make_project):
    root = project_with(make_project, {"site_config/playbook/ours.yaml": OVERLAY})
    playbook = load(Project.at(root), letter_ids=LETTERS)
    assert playbook.index["stop-supply"].obj.summary.startswith("本公司：")
    prep = next(m for m in playbook.modules if m.id == "prep")
    assert [i.id for i in prep.items] == ["prep-a", "our-credit-check"]
    assert playbook.index["our-credit-check"].path == "site_config/playbook/ours.yaml"
    assert playbook.index["our-credit-check"].line == 4
    assert playbook.index["our-credit-check"].obj.source == "测试来源"


def test_overlay_errors_with_did_you_mean(make_project):
    bad = (
        OVERLAY.replace("  - id: stop-supply\n", "  - id: stop-suply\n")
        .replace("add_to: prep\n", "add_to: prp\n")
        .replace(
            "  - id: prep-b\n",
            "  - id: prep-a\n    add_to: prep\n    title: 重复\n    summary: 重复。\n  - id: prep-b\n",
        )
    )
    assert errors_of(project_with(make_project, {"site_config/playbook/ours.yaml": bad})) == [
        "site_config/playbook/ours.yaml:2:9: items[0].id: unknown item 'stop-suply'; did you mean "
        "'stop-supply'?; to add a new item give 'add_to'",
        "site_config/playbook/ours.yaml:5:13: items[1].add_to: unknown module or item 'prp'; did you mean 'prep'?",
        "site_config/playbook/ours.yaml:10:9: items[2].id: id 'prep-a' already exists (item «准备甲» at "
        "playbook/prep.yaml:7); to change it, remove 'add_to'",
    ]


def _png() -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes([30, 60, 160]) * 8 for _ in range(8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.mark.site
def test_company_logo_reaches_the_site_header(make_project):
    import subprocess
    import sys

    company = (REPO / "defaults" / "company.yaml").read_text(encoding="utf-8") + "logo: logo.png\n"
    root = project_with(make_project, {"site_config/company.yaml": company})
    (root / "site_config" / "logo.png").write_bytes(_png())
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "assets" / "company-logo.png").read_bytes() == _png()
    assert 'src="assets/company-logo.png"' in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_missing_logo_is_an_error(make_project):
    company = (REPO / "defaults" / "company.yaml").read_text(encoding="utf-8") + "logo: logo.png\n"
    line = company.count("\n")
    assert errors_of(project_with(make_project, {"site_config/company.yaml": company})) == [
        f"site_config/company.yaml:{line}:7: logo: expected a PNG, SVG or JPEG file under site_config/, "
        "found no such file 'logo.png'",
    ]


def test_overlay_sub_items_are_indexed_and_checked(make_project):
    overlay = (
        "items:\n"
        "  - id: new-group\n    add_to: prep\n    title: 新组\n    summary: 新组。\n"
        "    items:\n      - {id: new-child, title: 新子项, summary: 子项。, related: [no-such-id]}\n"
    )
    assert errors_of(project_with(make_project, {"site_config/playbook/ours.yaml": overlay})) == [
        "site_config/playbook/ours.yaml:7:61: items[0].items[0].related[0]: unknown id 'no-such-id'; did you "
        "mean 'new-child'?; expected the id of a module, item or glossary term",
    ]
    clash = overlay.replace("new-child", "prep-a").replace(", related: [no-such-id]", "")
    assert errors_of(project_with(make_project, {"site_config/playbook/ours.yaml": clash})) == [
        "site_config/playbook/ours.yaml:7:14: id: duplicate id 'prep-a': already used by the item «准备甲» at "
        "playbook/prep.yaml:7; ids must be unique",
    ]


def test_overlay_title_change_reaches_links_and_replaced_sub_items_leave(make_project):
    overlay = (
        "items:\n  - id: stop-supply\n    title: 暂停发货\n"
        "  - id: legal-action\n    items:\n      - {id: new-check, title: 新核对项, summary: 新的。}\n"
    )
    playbook = load(
        Project.at(project_with(make_project, {"site_config/playbook/ours.yaml": overlay})), letter_ids=LETTERS
    )
    assert playbook.index["stop-supply"].title == "暂停发货"
    assert "check-limitation" not in playbook.index and "check-limitation" in playbook.removed
    assert playbook.index["new-check"].parent is playbook.index["legal-action"].obj


def test_printouts_follow_items_the_company_switched_off():
    import shutil
    import tempfile

    from generator.printing import catalog

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "p"
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", "site", ".build", ".git", "tests"))
        (copy / ".build" / "docs").mkdir(parents=True)
        (copy / "site_config" / "playbook" / "ours.yaml").write_text(
            "items:\n  - id: prep-key-people\n    enabled: false\n  - id: know-customer\n    enabled: false\n",
            encoding="utf-8",
        )
        project = Project.at(copy)
        found = catalog(project, load(project, letter_ids=LETTERS))
        ids = {p.id: p for p in found.printables}
        lines = [item.id for item in ids["checklist-five-preparations"].context["lines"]]
        assert "prep-key-people" not in lines and len(lines) == 4
        assert "checklist-know-customer" not in ids and "checklist-know-customer" in found.skipped
        assert not found.warnings


def test_validate_says_when_the_policy_makes_a_rung_unreachable(make_project, capsys):
    """A rung that requires a rung starting later, or only for larger debts, can never apply."""
    from generator.cli import main

    text = shipped_policy().replace(
        "    min_amount: 10000         # 须先停止供货", "    min_amount: null  # 须先停止供货"
    )
    text = text.replace(
        "    days_overdue: 120\n    approver: 法务负责人\n    requires: [final-demand]",
        "    days_overdue: 120\n    approver: 法务负责人\n    requires: [legal-action]",
    )
    root = project_with(make_project, {"site_config/policy.yaml": text})
    assert main(["--project", str(root), "validate"]) == 0
    err = capsys.readouterr().err
    assert (
        "site_config/policy.yaml:28:16: ladder.terminate-authorization.requires[0]: 'terminate-authorization' has "
        "no minimum amount but requires 'stop-supply', which needs at least 10,000: for smaller debts "
        "'terminate-authorization' can never be applied; set ladder.terminate-authorization.min_amount: 10000 "
        "or drop the prerequisite"
    ) in err
    assert (
        "site_config/policy.yaml:33:16: ladder.reputation.requires[0]: 'reputation' starts at 120 days but "
        "requires 'legal-action', which starts only at 180 days: 'reputation' cannot be applied before 180 days"
    ) in err
    assert main(["--project", str(root), "validate", "--strict"]) == 1
    capsys.readouterr()
    root = project_with(make_project, {"site_config/policy.yaml": shipped_policy()})
    assert main(["--project", str(root), "validate", "--strict"]) == 0  # the shipped ladder is consistent
