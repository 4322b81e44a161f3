"""The composition root: one run reads the project once (``generator.session``), and every
output, letters' workers included, works from what it read."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cases.model import Case, Invoice
from generator.ladder.decide import decider
from generator.letters import context as ctx
from generator.letters.render import letter_context, letter_env
from generator.project import Project
from generator.session import open_session
from tests.conftest import copy_upstream

SWITCHED_OFF = "ladder:\n  stop-service:\n    enabled: false\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.at(copy_upstream(tmp_path / "p"))


def _policy_file(project: Project) -> Path:
    return project.site_config_dir / "policy.yaml"


def _ladder_of_a_letter(session, project: Project) -> list[str]:  # type: ignore[no-untyped-def]
    request = ctx.Request(template="reminder-1", fmt="html", letter_date=ctx.SAMPLE_DATE)
    context = letter_context(session, letter_env(project), ctx.sample_case(), request, seq=1, reference="R")
    return list(context["ladder"]["enabled"])


def test_a_session_is_read_once_and_later_edits_do_not_reach_it(project: Project) -> None:
    session = open_session(project, playbook=False)
    assert "stop-service" in _ladder_of_a_letter(session, project)
    _policy_file(project).write_text(SWITCHED_OFF, encoding="utf-8")  # edited while a run goes on
    assert "stop-service" in _ladder_of_a_letter(session, project)  # the run keeps what it read
    assert "stop-service" not in _ladder_of_a_letter(open_session(project, playbook=False), project)


def test_workers_get_the_session_whole_and_small(project: Project) -> None:
    session = open_session(project)
    sent = session.for_workers()
    assert sent.loaded is None and session.loaded is not None
    data = pickle.dumps(sent)
    assert len(data) < len(pickle.dumps(session)) // 5
    back = pickle.loads(data)
    assert back == sent
    assert back.policy.enabled_rung_ids() == session.policy.enabled_rung_ids()
    with pytest.raises(RuntimeError, match="opened without the playbook"):
        back.playbook  # noqa: B018


def test_the_playbook_cannot_be_changed_after_loading(project: Project) -> None:
    playbook = open_session(project).playbook
    with pytest.raises(dataclasses.FrozenInstanceError):
        playbook.policy = playbook.policy  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        playbook.removed = frozenset()  # type: ignore[misc]


def test_site_letters_and_ladder_agree_on_the_enabled_rungs(project: Project) -> None:
    _policy_file(project).write_text(SWITCHED_OFF, encoding="utf-8")
    session = open_session(project)
    expected = ["stop-supply", "terminate-authorization", "reputation", "legal-action"]
    assert [rung for rung, _rule, _item in session.playbook.enabled_rungs()] == expected  # site, printouts
    assert _ladder_of_a_letter(session, project) == expected  # letters
    # 60 days and ¥20,000 overdue: past stop-service (45 days) but short of terminate-authorization (90)
    case = Case("客户甲", (Invoice("INV-1", date(2026, 10, 2), Decimal("20000.00")),), source="t.yaml:1")
    assert decider(session.policy, date(2026, 12, 1))(case).rung == "stop-supply"
    assert (
        decider(open_session(Project.at(copy_upstream(project.root.parent / "q"))).policy, date(2026, 12, 1))(case).rung
        == "stop-service"
    )
    assert "stop-service" in session.policy.switched_off()
    assert session.policy.letters_off() == session.playbook.letters_off


def test_only_the_composition_root_reads_the_project_settings() -> None:
    """Outputs receive the session: the loader is imported by ``session`` alone, and a session is
    opened by the commands and the build pipeline only (never by an output module)."""
    import re

    from tests.test_layers import PACKAGE, import_graph

    graph = import_graph()
    assert sorted(m for m, targets in graph.items() if "generator.loader" in targets) == ["generator.session"]
    opening = sorted(
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"\bopen_session\(", path.read_text(encoding="utf-8"))
    )
    assert [p for p in opening if not p.startswith("generator/cli/")] == [
        "generator/pipeline.py",
        "generator/session.py",
    ]
