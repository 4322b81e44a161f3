"""A company forks the repo, tailors only site_config/, and keeps merging upstream cleanly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                            env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                                 "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                                 "HOME": str(cwd), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


def snapshot_repo(dest: Path) -> None:
    """Upstream as it is now: every tracked or new (not ignored) file, committed."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for rel in files:
        source = REPO / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "upstream")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fork_tailors_site_config_and_merges_upstream_cleanly(tmp_path):
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    snapshot_repo(upstream)
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(upstream), str(fork))

    # The company tailors site_config/ only.
    replace(fork / "site_config" / "company.yaml", "name: 示例科技有限公司", "name: 华东精密机械股份有限公司")
    replace(fork / "site_config" / "company.yaml", "short_name: 示例科技", "short_name: 华东精机")
    replace(fork / "site_config" / "policy.yaml", "days_overdue: 30 ", "days_overdue: 21 ")
    replace(fork / "site_config" / "policy.yaml", "  stop-service:\n    enabled: true",
            "  stop-service:\n    enabled: false")
    (fork / "site_config" / "playbook" / "ours.yaml").write_text(
        "items:\n"
        "  - id: our-credit-limit-check\n"
        "    add_to: five-preparations\n"
        "    after: prep-clear-accounts\n"
        "    title: 核对信用额度\n"
        "    summary: 催款前在 ERP 中核对客户的信用额度和已用额度。\n"
        "    source: 编者补充\n", encoding="utf-8")
    git(fork, "add", "-A")
    git(fork, "commit", "-qm", "华东精机的定制")
    changed = git(fork, "diff", "--name-only", "HEAD~1").split()
    assert changed and all(name.startswith("site_config/") for name in changed)

    # Upstream improves the knowledge meanwhile.
    replace(upstream / "playbook" / "know-both-sides.yaml",
            "summary: 实际安排付款的人（通常在财务部门）",
            "summary: 上游改进：实际安排付款的人（通常在财务部门）")
    git(upstream, "commit", "-qam", "improve payment-owner")

    # The fork pulls upstream: no conflicts.
    git(fork, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert git(fork, "status", "--porcelain") == ""

    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=fork,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    site = fork / "site"
    ladder = (site / "penalty-ladder" / "index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    prep = (site / "five-preparations" / "index.html").read_text(encoding="utf-8")
    know = (site / "know-both-sides" / "index.html").read_text(encoding="utf-8")
    assert "华东精密机械股份有限公司" in home and "华东精机" in home
    assert "<td>21 天</td>" in ladder
    assert 'id="stop-service"' not in ladder and "停止服务</a>" not in ladder
    assert 'id="our-credit-limit-check"' in prep and "核对信用额度" in prep
    assert "上游改进" in know
