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


_FONT_CACHE = Path(tempfile.mkdtemp(prefix="playbook-font-cache-"))
atexit.register(shutil.rmtree, _FONT_CACHE, True)
os.environ.setdefault("PLAYBOOK_FONT_CACHE", str(_FONT_CACHE))
"""Font subsets shared by every project of the run (generator/pdf/webfont.py: keyed by the font
and the glyph set): each test's fresh project would otherwise subset the shipped font again
(seconds per HTML letter). Child processes (the CLI run as a user runs it) inherit it."""

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


# -- golden files --------------------------------------------------------------------------------

UPDATING_GOLDEN = bool(os.environ.get("UPDATE_GOLDEN"))
"""``UPDATE_GOLDEN=1 pytest …`` rewrites the golden files a run compares against (after an intended
change; review the diff). Refused under ``CI=true``: CI must compare, never rewrite."""


def pytest_configure(config: pytest.Config) -> None:
    if UPDATING_GOLDEN and in_ci():
        raise pytest.UsageError("UPDATE_GOLDEN is refused under CI=true: CI compares golden files, never rewrites them")


def assert_golden(path: Path, actual: str) -> None:
    """``actual`` must equal the golden file ``path``. With ``UPDATE_GOLDEN`` set the file is
    rewritten, and a rewrite that changed it fails the test (so a run that rewrote a golden file
    never passes: review the diff, then run again without ``UPDATE_GOLDEN``)."""
    expected = path.read_text(encoding="utf-8") if path.exists() else None
    if UPDATING_GOLDEN and actual != expected:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        pytest.fail(
            f"golden file {path.relative_to(REPO)} rewritten: review the diff, then run again without UPDATE_GOLDEN"
        )
    assert expected is not None, f"no golden file {path.relative_to(REPO)}; run with UPDATE_GOLDEN=1 and review it"
    assert actual == expected, f"differs from {path.relative_to(REPO)} (after an intended change: UPDATE_GOLDEN=1)"


# -- tiers ---------------------------------------------------------------------------------------
# `make test-fast` runs every test that needs no browser, no full site build and no LibreOffice:
# ``-m "not (browser or site or office or slow)"``. A test is put in a tier by the fixtures it
# uses (below), so a new test that takes ``built_site`` or ``browser`` leaves the fast tier
# without anyone keeping a list; a test that builds or drives such a tool inline carries the
# marker itself (``@pytest.mark.site`` …).

TIER_OF_FIXTURE = {
    "built_site": "site",
    "engine_site": "site",
    "playwright": "browser",
    "libreoffice": "office",
}
"""Fixture → the marker of every test that uses it (directly or through another fixture)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for name in sorted({TIER_OF_FIXTURE[f] for f in getattr(item, "fixturenames", ()) if f in TIER_OF_FIXTURE}):
            item.add_marker(name)


# -- shared, session-wide fixtures: one site build, one browser ----------------------------------


@pytest.fixture(scope="session")
def engine_site():  # type: ignore[no-untyped-def]
    """``engine_site(name)``: ``site/`` of the sample project built by that engine, once per run."""
    from tests.engine_sites import engine_site as build_once

    return build_once


@pytest.fixture(scope="session")
def built_site(engine_site) -> Path:  # type: ignore[no-untyped-def]
    """The shipped playbook with the sample company, built once per test run by ``playbook build``
    (pages, search index, PDFs); tests only read it."""
    return engine_site("mkdocs")


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    from tests.chromium import serving

    with serving(built_site) as url:
        yield url


def need_chromium() -> None:
    from tests.chromium import CHROMIUM

    if not Path(CHROMIUM).exists():
        if in_ci():
            pytest.fail(f"{CHROMIUM} is missing; .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")


@pytest.fixture(scope="session")
def playwright():  # type: ignore[no-untyped-def]
    """One Playwright driver for the run (two sync drivers cannot be open at once)."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):  # type: ignore[no-untyped-def]
    """One headless Chromium for every browser test of the run (each test gets its own context)."""
    from tests.chromium import CHROMIUM, FLAGS

    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield instance
    instance.close()


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    """A fresh page (own context) that records every request it makes."""
    context = browser.new_context()
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


@pytest.fixture(scope="session")
def libreoffice() -> None:
    """LibreOffice with its Python bridge (a Word template printed to PDF); in CI it must be there."""
    from generator.letters.word import office

    if office.missing("x") is not None:
        if in_ci():
            pytest.fail("LibreOffice must be installed in CI (.ci/run installs libreoffice-writer-nogui)")
        pytest.skip("LibreOffice not installed")
