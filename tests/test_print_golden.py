"""Golden tests: the checklist HTML for the fixture playbook, byte for byte.

Regenerate after an intended template change with
``UPDATE_GOLDEN=1 pytest tests/test_print_golden.py`` and review the diff.
The font's absolute file URL is replaced by ``FONT_DIR`` so the files do not depend on the machine.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.model import load
from generator.pdf import FONT_DIR
from generator.printing.catalog import catalog
from generator.printing.render import render_html
from generator.project import Project
from tests.print_fixture import make_print_project

GOLDEN = Path(__file__).parent / "golden" / "print"
IDS = ["checklist-know-self", "checklist-five-preparations", "checklist-stop-supply"]


@pytest.fixture(scope="module")
def htmls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = Project.at(make_print_project(tmp_path_factory.mktemp("golden") / "project"))
    playbook = load(project)
    chosen = [p for p in catalog(project, playbook).printables if p.id in IDS]
    out = render_html(project, playbook, chosen, date(2026, 11, 22))
    return {k: v.replace(FONT_DIR.as_uri(), "FONT_DIR") for k, v in out.items()}


@pytest.mark.parametrize("doc_id", IDS)
def test_checklist_html_matches_golden(htmls: dict[str, str], doc_id: str) -> None:
    path = GOLDEN / f"{doc_id}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(htmls[doc_id], encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert htmls[doc_id] == path.read_text(encoding="utf-8")
