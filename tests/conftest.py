"""Shared fixtures: small projects built inline in tmp dirs."""

from __future__ import annotations

import os
import shutil
import textwrap
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

LETTERS = {"confirmation", "reminder-1", "reminder-2", "final-demand", "stop-supply", "stop-service",
           "terminate-authorization", "payment-plan", "delivery-record"}
"""The shipped letter template ids (what ``known_letter_ids`` finds in a full checkout)."""


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture
def make_project(tmp_path: Path):
    """A project folder with the real templates, mkdocs.yml and company settings,
    and only the playbook files a test gives (plus a sources file)."""

    def make(files: dict[str, str | bytes] | None = None, *, sources: bool = True) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        # The hook is loaded by path, like in a real fork; the package comes along with it.
        shutil.copytree(REPO / "generator", root / "generator", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO / "site_config", root / "site_config", dirs_exist_ok=True)
        shutil.copytree(REPO / "defaults", root / "defaults", dirs_exist_ok=True)  # upstream's data (erp-read)
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
