"""A company forks the repo, tailors only site_config/, and keeps merging upstream cleanly.

The simulation the issue describes: an upstream repository and a fork in tmp dirs; the fork
tailors its site_config/ (another company, 45 days and ¥50,000 for stop-supply, no
terminate-authorization, an overlay item, an overridden letter); upstream then changes a
playbook item, a default, the overridden template, and adds a field. ``git pull`` must merge
without conflict, upstream's tests and the company's own check must pass in the fork, the
switched-off rung must appear in no page or printout, and the drift warning must name the
overridden template.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_upstream, in_ci


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


def snapshot_repo(dest: Path) -> None:
    """Upstream as it is now (its site_config/ holding no company changes), committed."""
    copy_upstream(dest)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "upstream")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def playbook(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The fork's own ``playbook`` (its generator/, not the one installed from the repository)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(root)},
    )


COMPANY = """\
name: 华东医药流通股份有限公司
short_name: 华东医药
address: 浙江省杭州市滨江区江南大道 88 号
postcode: "310051"
phone: 0571-8800 0000
bank_name: 招商银行杭州分行营业部
bank_account: "5719 0000 1234 567"
contacts:
  finance: {name: 陈会计, title: 应收主管, phone: 0571-8800 0001, email: ar@hzyy.example}
  legal: {name: 周律师, title: 法务经理, phone: 0571-8800 0002}
site_url: https://intranet.hzyy.example/playbook/
"""

POLICY = """\
ladder:
  stop-supply:
    days_overdue: 45
    min_amount: 50000
  stop-service:
    days_overdue: 60
  terminate-authorization:
    enabled: false
"""

OVERLAY = """\
items:
  - id: our-two-invoice-rule
    add_to: five-preparations
    title: 核对两票制票据
    summary: 药品流通执行两票制：催款前核对生产企业到本公司、本公司到医疗机构的两张发票是否齐全。
    source: 编者补充
"""


def tailor(fork: Path) -> None:
    config = fork / "site_config"
    (config / "company.yaml").write_text(COMPANY, encoding="utf-8")
    (config / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (config / "playbook").mkdir(exist_ok=True)
    (config / "playbook" / "ours.yaml").write_text(OVERLAY, encoding="utf-8")
    result = playbook(fork, "override", "letters/stop-supply")
    assert result.returncode == 0, result.stderr
    replace(config / "overrides" / "letters" / "stop-supply.html.j2", "特此通知。", "特此通知（华东医药）。")


def upstream_release(upstream: Path) -> None:
    replace(
        upstream / "playbook" / "know-both-sides.yaml",
        "summary: 实际安排付款的人（通常在财务部门）",
        "summary: 上游改进：实际安排付款的人（通常在财务部门）",
    )
    replace(upstream / "defaults" / "policy.yaml", "limitation_warning_days: 90", "limitation_warning_days: 120")
    replace(upstream / "templates" / "letters" / "stop-supply.html.j2", "特此通知。", "特此通知。<!-- 上游修正 -->")
    new_field = '    fax: str = ""\n    """Fax number printed on letters (new upstream field)."""\n'
    replace(
        upstream / "generator" / "schema" / "site.py",
        '    seal_label: str = "（盖章）"',
        new_field + '    seal_label: str = "（盖章）"',
    )
    replace(upstream / "defaults" / "company.yaml", "seal_label:", "fax: 021-5555 0199\nseal_label:")
    git(upstream, "commit", "-qam", "upstream release")


@pytest.mark.site
def test_fork_tailors_site_config_and_merges_upstream_cleanly(tmp_path):
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    snapshot_repo(upstream)
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(upstream), str(fork))

    tailor(fork)
    assert playbook(fork, "config", "--accept").returncode == 0
    git(fork, "add", "-A")
    git(fork, "commit", "-qm", "华东医药的定制")
    changed = git(fork, "diff", "--name-only", "HEAD~1").split()
    assert changed and all(name.startswith("site_config/") for name in changed), changed

    upstream_release(upstream)
    git(fork, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert git(fork, "status", "--porcelain") == ""
    assert "<<<<<<<" not in (fork / "site_config" / "company.yaml").read_text(encoding="utf-8")

    # The company's own check passes, and says what the release brought.
    check = playbook(fork, "validate", "--strict")
    assert check.returncode == 0, check.stderr
    assert (
        "warning: site_config/overrides/letters/stop-supply.html.j2: override: upstream changed "
        "templates/letters/stop-supply.html.j2 since this override was copied"
    ) in check.stderr
    report = playbook(fork, "config").stdout
    assert "site_config/policy.yaml:3: ladder.stop-supply.days_overdue = 45  (default 30)" in report
    assert 'defaults/company.yaml: fax = "021-5555 0199"  (new)' in report
    assert "defaults/policy.yaml: limitation_warning_days = 120  (changed)" in report
    diff = playbook(fork, "override", "--diff", "letters/stop-supply").stdout
    assert '+<p class="plain">特此通知。<!-- 上游修正 --></p>' in diff

    # Upstream's tests pass in the tailored fork (they never read its site_config/).
    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "tests/test_tailoring.py",
            "tests/test_loader.py",
        ],
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(fork)},
    )
    assert tests.returncode == 0, tests.stdout[-3000:]

    # The site and the printouts: the company, its thresholds, and no trace of the switched-off rung.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(fork)},
    )
    assert result.returncode == 0, result.stderr
    site = fork / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    ladder = (site / "penalty-ladder" / "index.html").read_text(encoding="utf-8")
    assert "华东医药流通股份有限公司" in home and "华东医药" in home
    assert "<td>45 天</td>" in ladder and "50,000" in ladder
    assert "核对两票制票据" in (site / "five-preparations" / "index.html").read_text(encoding="utf-8")
    assert "上游改进" in (site / "know-both-sides" / "index.html").read_text(encoding="utf-8")
    letter_page = (site / "letters" / "stop-supply" / "index.html").read_text(encoding="utf-8")
    assert "site_config/overrides/letters/stop-supply.html.j2" in letter_page
    # published under /playbook/: the 404 page (shown at any depth) links into the sub-path, never the root
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "/playbook/assets/" in not_found
    assert not re.search(r'(?:href|src)="/(?!playbook/)', not_found)
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}
    leaks = [page for page, html in pages.items() if "终止授权" in html]
    assert leaks == [], leaks
    assert not (site / "letters" / "terminate-authorization").exists()
    named = [page for page, html in pages.items() if "terminate-authorization" in html]
    assert named == ["reference/customize/index.html", "reference/format/index.html"]  # the editors' guides
    printed = sorted((site / "downloads").glob("*.pdf"))
    assert printed and not any("terminate-authorization" in p.name for p in printed)
    if shutil.which("pdftotext") is None:
        assert not in_ci(), "pdftotext is missing; .ci/run must install poppler-utils"
        return
    for pdf in printed:
        out = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, pdf.name
        assert "终止授权" not in re.sub(r"\s+", "", out.stdout), pdf.name
