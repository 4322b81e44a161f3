"""Drive the ``playbook`` command as a user would: exit codes, messages, atomic output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import LADDER_MODULE, MINIMAL_MODULE, sample_repo

REPO = sample_repo()
"""Upstream's project with the sample company (never the repository's own site_config/)."""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd or REPO, capture_output=True, text=True, timeout=600
    )


def _shipped_counts() -> str:
    """Modules, items (sub-items included), glossary terms and courses, counted from the YAML itself."""
    import yaml

    def items(entries: list[dict] | None) -> int:
        return sum(1 + items(entry.get("items")) for entry in entries or [])

    modules = [
        data
        for path in sorted((REPO / "playbook").glob("*.yaml"))
        if isinstance(data := yaml.safe_load(path.read_text(encoding="utf-8")), dict) and "items" in data
    ]
    terms = yaml.safe_load((REPO / "playbook" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]
    courses = yaml.safe_load((REPO / "playbook" / "courses.yaml").read_text(encoding="utf-8"))["courses"]
    count = sum(items(m["items"]) for m in modules)
    return f"{len(modules)} modules, {count} items, {len(terms)} terms, {len(courses)} courses"


def test_validate_ok_on_the_shipped_playbook():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: {_shipped_counts()}\n"
    assert result.stderr == ""


def test_validate_reports_three_mistakes_and_exits_1(make_project):
    root = make_project(
        {
            "playbook/mod-a.yaml": (
                "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
                "  - id: a\n    title: [t]\n    summary: s\n"
                "  - id: b\n    title: t\n    sumary: s\n"
                "  - id: c\n    title: t\n    summary: s\n    related: [a, nope]\n"
            )
        }
    )
    result = run("--project", str(root), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "playbook/mod-a.yaml:8:12: items[0].title: expected a string, found a list",
        "playbook/mod-a.yaml:10:5: items[1]: missing required key 'summary'; add it",
        "playbook/mod-a.yaml:12:5: items[1].sumary: unknown key 'sumary'; did you mean 'summary'? "
        "(valid: aliases, body, cautions, checks, discussion, examples, id, items, letters, points, "
        "related, source, … (3 more))",
        "3 problems found; nothing was written",
    ]


def test_usage_errors_exit_2(tmp_path):
    assert run("frobnicate").returncode == 2
    result = run("--project", str(tmp_path), "validate")
    assert result.returncode == 2
    assert "expected a playbook project (a folder with mkdocs.yml)" in result.stderr


def test_works_from_the_project_folder(make_project, capsys, monkeypatch):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    monkeypatch.chdir(root)
    assert main(["validate"]) == 0
    assert "ok: 1 modules, 1 items" in capsys.readouterr().out


@pytest.mark.site
def test_failed_build_leaves_previous_site_untouched(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    first = run("--project", str(root), "build")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    umask = os.umask(0)
    os.umask(umask)
    assert (root / "site").stat().st_mode & 0o777 == 0o777 & ~umask  # a web server can read it
    (root / "playbook" / "mod-a.yaml").write_text(MINIMAL_MODULE.replace("order: 1", "order: []"), encoding="utf-8")
    second = run("--project", str(root), "build")
    assert second.returncode == 1
    assert second.stderr.splitlines()[0] == "playbook/mod-a.yaml:3:8: order: expected a whole number, found a list"
    assert "Traceback" not in second.stderr
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in root.iterdir() if p.name.split(".")[0] == "site") == ["site"]


@pytest.mark.site
def test_strict_build_fails_on_unused_source(make_project):
    root = make_project(
        {
            "playbook/mod-a.yaml": MINIMAL_MODULE,
            "playbook/ladder.yaml": LADDER_MODULE,
            "playbook/sources.yaml": "sources:\n  - title: 测试来源\n  - title: 没用到\n",
        }
    )
    assert run("--project", str(root), "build").returncode == 0
    strict = run("--project", str(root), "build", "--strict")
    assert strict.returncode == 1
    assert "source «没用到» is never cited" in strict.stderr


@pytest.mark.site
def test_strict_build_of_the_shipped_playbook_passes():
    """`playbook build --strict` (MkDocs strict: links and anchors) on the real content."""
    import yaml

    result = run("build", "--strict")
    assert result.returncode == 0, result.stderr
    site = REPO / "site"
    # every module a page, every printable and letter sample a download, the search index in place
    ids = [yaml.safe_load(p.read_text(encoding="utf-8")).get("id") for p in (REPO / "playbook").glob("*.yaml")]
    modules = [i for i in ids if i]
    assert len(modules) == int(_shipped_counts().split()[0])
    assert [m for m in modules if not (site / m / "index.html").is_file()] == []
    assert "催款函" in (site / "letters" / "reminder-1" / "index.html").read_text(encoding="utf-8")
    assert (site / "search" / "search_index.json").stat().st_size > 100_000
    assert len(list((site / "downloads").glob("*.pdf"))) >= 27  # 17 printables and 10 letter samples


@pytest.mark.site
def test_plain_mkdocs_build_runs_the_generator(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/ladder.yaml": LADDER_MODULE})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "条目甲" in (root / "site" / "mod-a" / "index.html").read_text(encoding="utf-8")


@pytest.mark.site
def test_a_second_build_at_the_same_time_is_refused(make_project):
    import fcntl

    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    (root / ".build").mkdir(exist_ok=True)
    with open(root / ".build" / "build.lock", "a") as held:  # what the first build holds while it runs
        fcntl.flock(held, fcntl.LOCK_EX)
        second = run("--project", str(root), "build")
    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        ".build: (build): another `playbook build` is running in this project; wait for it to finish "
        "(two builds at once would write the same files)",
        "1 problem found; nothing was written",
    ]
    assert not (root / "site").exists()
    third = run("--project", str(root), "build")  # the lock goes with the process that held it
    assert third.returncode == 0, third.stderr
