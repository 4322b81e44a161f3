"""Shared fixtures: small projects built inline in tmp dirs."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

MINIMAL_SOURCES = """\
sources:
  - title: 测试来源
"""

MINIMAL_MODULE = """\
id: mod-a
title: 模块甲
order: 1
summary: 先做这件事。
source: 测试来源
items:
  - id: item-a
    title: 条目甲
    summary: 条目甲的要点。
"""


LADDER_MODULE = """\
id: ladder
title: 惩戒阶梯
order: 2
summary: 逐级施压。
source: 测试来源
items:
  - {id: stop-supply, title: 停止供货, summary: 暂停发货。}
  - {id: stop-service, title: 停止服务, summary: 暂停服务。}
  - {id: terminate-authorization, title: 终止授权, summary: 终止授权。}
  - {id: reputation, title: 声誉影响, summary: 合法渠道。}
  - {id: legal-action, title: 法律途径, summary: 诉讼。}
"""
"""The five rungs the shipped policy refers to (so a strict build has no warnings)."""

LETTERS = {
    "confirmation",
    "reminder-1",
    "reminder-2",
    "final-demand",
    "stop-supply",
    "stop-service",
    "terminate-authorization",
    "payment-plan",
    "assignment-notice",
    "delivery-record",
}
"""The shipped letter template ids (what ``known_letter_ids`` finds in a full checkout)."""


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


SITE_CONFIG_GUIDE = {
    "site_config/company.yaml": "# 贵公司的信息：只写与 defaults/company.yaml 不同的键。\n",
    "site_config/policy.yaml": "# 贵公司的回款政策：只写与 defaults/policy.yaml 不同的键。\n",
    "site_config/playbook/README.md": "# 内容补丁\n\n本目录的 YAML 文件按 id 新增、替换或停用条目。\n",
}
"""What a company that changed nothing has in site_config/ (comments only). The suite never
reads the repository's own site_config/: a fork changes it, and upstream's tests must pass there."""


UNMOVED = ("columns.yaml", "search.yaml")
"""Upstream data still shipped in site_config/ until it moves to defaults/ (then never read here)."""


def copy_unmoved(dest: Path) -> None:
    for name in UNMOVED:
        if not (REPO / "defaults" / name).exists() and (REPO / "site_config" / name).exists():
            (dest / "site_config").mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / "site_config" / name, dest / "site_config" / name)


def upstream_files() -> list[str]:
    """Every upstream-owned file of the checkout (tracked or new, not ignored), without
    ``site_config/`` (the company's, which a fork changes)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):  # an unpacked release without git
        listed = [
            p.relative_to(REPO).as_posix()
            for p in REPO.rglob("*")
            if p.is_file() and not {".git", ".venv", ".build", "site"} & set(p.relative_to(REPO).parts)
        ]
    return [rel for rel in listed if not rel.startswith("site_config/") and (REPO / rel).is_file()]


def copy_upstream(dest: Path) -> Path:
    """Upstream's project as shipped, with the sample company (``defaults/``) and a
    ``site_config/`` holding no company changes."""
    for rel in upstream_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest / rel)
    write(dest, SITE_CONFIG_GUIDE)
    copy_unmoved(dest)
    (dest / "site_config" / "playbook").mkdir(parents=True, exist_ok=True)
    return dest


_SAMPLE: list[Path] = []


def sample_repo() -> Path:
    """A copy of upstream's project with the sample company, made once per test run: tests
    that need the whole shipped playbook run against this, never against the repository
    (whose ``site_config/`` belongs to the company)."""
    if not _SAMPLE:
        dest = Path(tempfile.mkdtemp(prefix="playbook-sample-"))
        atexit.register(shutil.rmtree, dest, True)
        _SAMPLE.append(copy_upstream(dest))
    return _SAMPLE[0]


@pytest.fixture(autouse=True)
def _fresh_register() -> Iterator[None]:
    """Each test starts with an empty 发函登记簿 in the shared sample project: 函号 continue from
    the register, and a test must not depend on which letters other tests wrote before it."""
    if _SAMPLE:
        (_SAMPLE[0] / "letters-register.csv").unlink(missing_ok=True)
    yield


@pytest.fixture
def make_project(tmp_path: Path):
    """A project folder with the real templates, generator, mkdocs.yml and the sample company
    (upstream's ``defaults/``, with a ``site_config/`` that changes nothing), and only the
    playbook files a test gives (plus a sources file)."""

    def make(files: dict[str, str | bytes] | None = None, *, sources: bool = True) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        # The hook is loaded by path, like in a real fork; the package comes along with it.
        shutil.copytree(
            REPO / "generator", root / "generator", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copytree(REPO / "defaults", root / "defaults", dirs_exist_ok=True)
        write(root, SITE_CONFIG_GUIDE)
        copy_unmoved(root)
        (root / ".build" / "docs").mkdir(parents=True, exist_ok=True)
        base: dict[str, str | bytes] = {}
        if sources:
            base["playbook/sources.yaml"] = MINIMAL_SOURCES
        base.update(files or {})
        (root / "playbook").mkdir(exist_ok=True)
        write(root, base)
        return root

    return make


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
