"""Golden tests: the checklist HTML for the fixture playbook, byte for byte.

Regenerate after an intended template change with
``UPDATE_GOLDEN=1 pytest tests/test_print_golden.py`` and review the diff.
The font's absolute file URL is replaced by ``FONT_DIR`` so the files do not depend on the machine,
and the inlined stylesheet by a marker (it is templates/print/print.css verbatim, checked separately),
so the goldens hold what the checklist template produces and the CSS lives in one place.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.loader import load
from generator.pdf import FONT_DIR
from generator.printing.catalog import catalog
from generator.printing.render import render_html
from generator.project import Project
from tests.conftest import assert_golden
from tests.print_fixture import make_print_project

GOLDEN = Path(__file__).parent / "golden" / "print"
PRINT_CSS = Path(__file__).resolve().parents[1] / "templates" / "print" / "print.css"
STYLE = re.compile(r"<style>.*?</style>", re.S)
MARKER = "<style>/* @font-face rules + templates/print/print.css */</style>"
IDS = ["checklist-know-self", "checklist-five-preparations", "checklist-stop-supply"]


@pytest.fixture(scope="module")
def htmls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = Project.at(make_print_project(tmp_path_factory.mktemp("golden") / "project"))
    playbook = load(project)
    chosen = [p for p in catalog(project, playbook).printables if p.id in IDS]
    out = render_html(project, playbook, chosen, date(2026, 11, 22))
    return {k: v.replace(FONT_DIR.as_uri(), "FONT_DIR") for k, v in out.items()}


def test_checklists_inline_the_print_stylesheet(htmls: dict[str, str]) -> None:
    css = PRINT_CSS.read_text(encoding="utf-8").strip()
    for doc_id, html in htmls.items():
        styles = STYLE.findall(html)
        assert len(styles) == 1 and css in styles[0], doc_id
        assert '@font-face { font-family: "Playbook Sans SC"' in styles[0], doc_id


@pytest.mark.parametrize("doc_id", IDS)
def test_checklist_html_matches_golden(htmls: dict[str, str], doc_id: str) -> None:
    path = GOLDEN / f"{doc_id}.html"
    html = STYLE.sub(MARKER, htmls[doc_id], count=1)
    assert_golden(path, html)
