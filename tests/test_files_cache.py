"""A feature's files are made again exactly when what they are made from changed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from generator.files_cache import cached_files, inputs_digest
from generator.project import Project
from tests.conftest import MINIMAL_MODULE


def test_unchanged_inputs_give_the_stored_files_and_their_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = Project.at(tmp_path / "p")
    made: list[str] = []

    def make(version: str) -> object:
        def step(folder: Path) -> None:
            made.append(version)
            (folder / "downloads").mkdir()
            (folder / "downloads" / f"{version}.pdf").write_text(version, encoding="utf-8")
            logging.getLogger("mkdocs.plugins.playbook.print").warning("glyph missing in %s", version)

        return step

    for run, (key, version) in enumerate([("k1", "a"), ("k1", "b"), ("k2", "c")]):
        out = tmp_path / f"out{run}"
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            cached_files(project, "printouts", key, out, make(version), {})  # type: ignore[arg-type]
        shown = sorted(p.name for p in (out / "downloads").iterdir())
        assert shown == (["a.pdf"] if key == "k1" else ["c.pdf"])  # nothing of an older run stays
        assert [r.getMessage() for r in caplog.records] == [f"glyph missing in {'a' if key == 'k1' else 'c'}"]
    assert made == ["a", "c"]  # the second run of k1 made nothing


def test_a_failed_step_keeps_the_last_good_files(tmp_path: Path) -> None:
    project = Project.at(tmp_path / "p")

    def good(folder: Path) -> None:
        (folder / "x.pdf").write_text("good", encoding="utf-8")

    def broken(folder: Path) -> None:
        (folder / "x.pdf").write_text("half", encoding="utf-8")
        raise RuntimeError("template error")

    cached_files(project, "letters", "k1", tmp_path / "o1", good, {})
    with pytest.raises(RuntimeError):
        cached_files(project, "letters", "k2", tmp_path / "o2", broken, {})
    cached_files(project, "letters", "k1", tmp_path / "o3", broken, {})  # k1 is still stored: not run
    assert (tmp_path / "o3" / "x.pdf").read_text(encoding="utf-8") == "good"
    assert not list((project.cache_dir / "files" / "letters").glob(".new-*"))


@pytest.mark.parametrize(
    "edit",
    [
        "playbook/mod-a.yaml",
        "site_config/company.yaml",
        "templates/letters/reminder-1.html.j2",
        "defaults/policy.yaml",
    ],
)
def test_the_key_changes_with_any_source(make_project, edit: str) -> None:
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    project = Project.at(root)
    before = inputs_digest(project)
    assert inputs_digest(project) == before  # the same files, the same key
    path = root / edit
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert inputs_digest(project) != before
