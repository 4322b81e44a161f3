"""Defaults under the company's files, overrides that know their base, and texts that follow policy."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import PlaybookError
from generator.loader import load
from generator.project import Project
from generator.tailoring import scrub_text
from tests.conftest import LADDER_MODULE, LETTERS, MINIMAL_MODULE


def project(make_project, files: dict[str, str] | None = None) -> Path:
    return make_project({"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/ladder.yaml": LADDER_MODULE, **(files or {})})


def run(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def commit(root: Path) -> None:
    env = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "x"], cwd=root, check=True)


# ---- defaults merged under site_config/ --------------------------------------------------------


def test_company_changes_only_what_it_writes(make_project):
    root = project(
        make_project,
        {
            "site_config/policy.yaml": "ladder:\n  stop-supply:\n    days_overdue: 20\n",
            "site_config/company.yaml": "seal_label: （财务专用章）\n",
        },
    )
    playbook = load(Project.at(root), letter_ids=LETTERS)
    assert playbook.policy.ladder["stop-supply"].days_overdue == 20
    assert playbook.policy.ladder["stop-supply"].approver == "销售总监"  # from defaults/policy.yaml
    assert playbook.company.seal_label == "（财务专用章）"
    assert playbook.company.name == "示例科技有限公司"


def test_a_wrong_company_value_points_into_the_company_file(make_project):
    root = project(make_project, {"site_config/policy.yaml": "# 本公司\nladder:\n  stop-supply:\n    approver: 12\n"})
    with pytest.raises(PlaybookError) as info:
        load(Project.at(root), letter_ids=LETTERS)
    assert [str(p) for p in info.value.problems] == [
        "site_config/policy.yaml:4:15: ladder.stop-supply.approver: expected a string, found the number 12"
    ]


def test_contacts_replace_the_sample_contacts(make_project):
    company = (Path(__file__).parents[1] / "defaults" / "company.yaml").read_text(encoding="utf-8")
    company = company.split("contacts:")[0].replace("示例科技", "华东医药") + (
        "contacts:\n  finance: {name: 陈会计}\nletter_contact: finance\n"
    )
    root = project(make_project, {"site_config/company.yaml": company})
    playbook = load(Project.at(root), letter_ids=LETTERS)
    assert list(playbook.company.contacts) == ["finance"]


def test_config_lists_changes_and_new_defaults(make_project, capsys):
    root = project(make_project, {"site_config/policy.yaml": "ladder:\n  stop-supply:\n    days_overdue: 20\n"})
    code, out, _ = run(root, capsys, "config")
    assert code == 0
    assert "  site_config/policy.yaml:3: ladder.stop-supply.days_overdue = 20  (default 30)\n" in out
    assert "no review recorded yet" in out
    assert run(root, capsys, "config", "--accept")[0] == 0
    defaults = root / "defaults" / "policy.yaml"
    defaults.write_text(
        defaults.read_text(encoding="utf-8").replace("limitation_warning_days: 90", "limitation_warning_days: 60"),
        encoding="utf-8",
    )
    with (root / "defaults" / "company.yaml").open("a", encoding="utf-8") as f:
        f.write("fax: 021-5555 0199\n")
    out = run(root, capsys, "config")[1]
    assert "  defaults/policy.yaml: limitation_warning_days = 60  (changed)\n" in out
    assert '  defaults/company.yaml: fax = "021-5555 0199"  (new)\n' in out


# ---- overrides that know their base ----------------------------------------------------------------


def test_override_copies_records_and_reports_drift(make_project, capsys):
    root = project(make_project)
    commit(root)
    code, out, _ = run(root, capsys, "override", "letters/stop-supply")
    assert code == 0
    copy = root / "site_config" / "overrides" / "letters" / "stop-supply.html.j2"
    upstream = root / "templates" / "letters" / "stop-supply.html.j2"
    assert copy.read_bytes() == upstream.read_bytes()
    assert "letters/stop-supply.html.j2:" in (root / "site_config" / "overrides.lock").read_text(encoding="utf-8")
    assert run(root, capsys, "override", "letters/stop-supply")[0] == 1  # never overwritten

    code, _, err = run(root, capsys, "validate", "--strict")
    assert code == 0 and "upstream changed" not in err
    upstream.write_text(upstream.read_text(encoding="utf-8") + "<!-- 上游修正 -->\n", encoding="utf-8")
    code, _, err = run(root, capsys, "validate", "--strict")
    assert code == 0  # told, never fatal
    assert (
        "warning: site_config/overrides/letters/stop-supply.html.j2: override: upstream changed "
        "templates/letters/stop-supply.html.j2 since this override was copied; see "
        "`playbook override --diff letters/stop-supply`, bring the change over, then "
        "`playbook override --accept letters/stop-supply`"
    ) in err.splitlines()
    code, out, _ = run(root, capsys, "override", "--diff", "letters/stop-supply")
    assert code == 0 and "+<!-- 上游修正 -->\n" in out
    assert out.startswith("--- templates/letters/stop-supply.html.j2 (when the override was copied)\n")
    assert run(root, capsys, "override", "--accept", "letters/stop-supply")[0] == 0
    assert "upstream changed" not in run(root, capsys, "validate")[2]


def test_override_name_is_checked(make_project, capsys):
    root = project(make_project)
    code, _, err = run(root, capsys, "override", "letter/stop-supply")
    assert code == 1
    assert err.startswith(
        "letter/stop-supply: override: expected the name of an upstream template like "
        "'letters/stop-supply', found 'letter/stop-supply'; did you mean 'letters/stop-supply'?"
    )


def test_build_warns_and_letter_page_names_the_override(make_project, capsys):
    root = project(
        make_project,
        {
            "site_config/overrides/letters/reminder-1.html.j2": (
                Path(__file__).parents[1] / "templates/letters/reminder-1.html.j2"
            ).read_text(encoding="utf-8")
        },
    )
    from generator.pipeline import generate

    generated = generate(Project.at(root))
    page = generated.tree.files["letters/reminder-1.md"]
    assert (
        "- 模板：`site_config/overrides/letters/reminder-1.html.j2`（本公司改写；上游原版为 "
        "`templates/letters/reminder-1.html.j2`" in page
    )
    assert "- 模板：`templates/letters/reminder-2.html.j2`" in generated.tree.files["letters/reminder-2.md"]
    err = capsys.readouterr().err
    assert (
        "warning: site_config/overrides/letters/reminder-1.html.j2: override: the upstream version it was "
        "copied from is not recorded" in err
    )


# ---- policy drives the texts ------------------------------------------------------------------------

OFF = {"终止授权"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "按「停止供货 → 停止服务 → 终止授权 → 声誉影响 → 法律途径」逐级施压。",
            "按「停止供货 → 停止服务 → 声誉影响 → 法律途径」逐级施压。",
        ),
        ("（停止供货、停止服务、终止授权、法律途径都要求先发此函）", "（停止供货、停止服务、法律途径都要求先发此函）"),
        ("（终止授权、法律途径）", "（法律途径）"),
        ("办理方式同上（见「终止授权」）。", "办理方式同上。"),
        ("（《民法典》第563条，详见「终止授权」）", "（《民法典》第563条）"),
        ("终止授权通知函", "终止授权通知函"),  # a letter's name, not a list of measures
        ("「终止授权」之前先停止服务", "「终止授权」之前先停止服务"),  # prose: reported, not rewritten
    ],
)
def test_switched_off_measure_leaves_lists(text, expected):
    assert scrub_text(text, OFF, set()) == expected


def test_disabled_rung_and_letter_leave_pages(make_project):
    chain = "按「停止供货 → 停止服务 → 终止授权 → 声誉影响 → 法律途径」逐级施压。"
    ladder = LADDER_MODULE.replace("summary: 逐级施压。", f"summary: {chain}")
    points = "    points:\n      - 不再合作须按「终止授权」办理。\n      - 先核对余额。\n"
    root = make_project(
        {
            "playbook/mod-a.yaml": MINIMAL_MODULE + points,
            "playbook/ladder.yaml": ladder,
            "site_config/policy.yaml": "ladder:\n  terminate-authorization: {enabled: false}\n"
            "letters:\n  reminder-2: {enabled: false}\n"
            "  confirmation: {enabled: false}\n",
        }
    )
    from generator.pipeline import generate

    generated = generate(Project.at(root))
    pages = {k: v for k, v in generated.tree.files.items() if isinstance(v, str)}
    assert "letters/reminder-2.md" not in pages and "letters/terminate-authorization.md" not in pages
    assert "letters/confirmation.md" not in pages
    assert "对账函" not in str(generated.tree.nav) and "reminder-2" not in pages["letters/index.md"]
    leaks = sorted(page for page, text in pages.items() if "终止授权" in text and not page.startswith("reference/"))
    assert leaks == []
    assert "停止供货 → 停止服务 → 声誉影响 → 法律途径" in pages["index.md"]
    assert "- 先核对余额。" in pages["mod-a.md"]


# ---- look-alike characters: named where they break YAML, left alone in content ------------------------


@pytest.mark.parametrize(
    "text", ["summary: ERP：先导出\n", "note: 备注：付款\n", "words: [「回款」, ‘台账’]\n", "“引号”: 1\n"]
)
def test_full_width_characters_in_content_are_content(text):
    from generator.yamlload import load_bytes

    assert load_bytes(text.encode("utf-8"), "x.yaml").data


def test_full_width_colon_under_a_key_is_named():
    from generator.yamlload import load_bytes

    with pytest.raises(PlaybookError) as info:
        load_bytes("contacts:\n  finance： 陈会计\n".encode(), "site_config/company.yaml")
    assert [str(p) for p in info.value.problems] == [
        "site_config/company.yaml:2:10: contacts: expected 'key: value', found the full-width colon '：' (U+FF1A); "
        "type the ASCII colon ':' instead (switch the input method to English)"
    ]
