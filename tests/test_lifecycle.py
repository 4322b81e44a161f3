"""One feature lifecycle, one build sequence: ``playbook build`` and plain ``mkdocs build`` (the
``playbook`` plugin) run every registered feature through the same steps in the same order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import features, pipeline
from generator.lifecycle import BuiltSite, Feature, PageSpec
from generator.project import Project
from generator.session import Session
from tests.conftest import MINIMAL_MODULE

STEPS = ["context", "pages", "nav", "files", "after_build"]


class Spy(Feature):
    """A feature that adds a page, a nav entry and a file, and records its steps."""

    name = "spy"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def context(self, session: Session) -> dict[str, Any]:
        self.calls.append("context")
        return {}

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        self.calls.append("pages")
        return [("spy.md", "site/contexts.md.j2", {"sections": []})]

    def nav(self, session: Session) -> list[Any]:
        self.calls.append("nav")
        return [{"侦察": "spy.md"}]

    def files(self, session: Session, out: Path, timings: dict[str, float]) -> None:
        self.calls.append("files")
        (out / "spy.txt").write_text(session.company.short_name, encoding="utf-8")

    def after_build(self, session: Session, site: BuiltSite) -> None:
        self.calls.append("after_build")
        copied = (site.site_dir / "spy.txt").read_text(encoding="utf-8")  # the engine copied the file
        (site.site_dir / "spy-after.txt").write_text(copied + " after", encoding="utf-8")


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    added = Spy()
    monkeypatch.setattr(features, "FEATURES", (*features.FEATURES, added))
    monkeypatch.setattr(pipeline, "FEATURES", features.FEATURES)
    return added


@pytest.mark.site
def test_playbook_build_runs_every_step_in_order(make_project, spy: Spy) -> None:
    from generator.build import build_site

    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    build_site(Project.at(root))
    assert spy.calls == STEPS
    assert (root / "site" / "spy-after.txt").read_text(encoding="utf-8") == "示例科技 after"
    assert (root / "site" / "spy" / "index.html").is_file()


@pytest.mark.site
def test_mkdocs_build_runs_the_same_steps_in_the_same_order(make_project, spy: Spy, tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    site = tmp_path / "plain-site"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    assert spy.calls == STEPS
    assert (site / "spy-after.txt").read_text(encoding="utf-8") == "示例科技 after"
    assert (site / "spy" / "index.html").is_file()
