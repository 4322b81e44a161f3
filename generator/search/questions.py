"""``playbook/questions.yaml``: how people ask for each item (item id → questions).

Kept apart from the module files so questions can be written (and extended by a company
in ``site_config/questions.yaml``) without touching the knowledge itself.
Shown on the item as «常见问法» and indexed for search.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from pathlib import Path

from generator.errors import Collector, PlaybookError, did_you_mean
from generator.playbook import Playbook
from generator.project import Project
from generator.yamlload import Document, load_file

FILE_NAME = "questions.yaml"
MAX_CHARS = 60


def question_files(project: Project) -> list[Path]:
    """Upstream's file, then the company's additions (same format)."""
    return [p for p in (project.playbook_dir / FILE_NAME, project.site_config_dir / FILE_NAME) if p.is_file()]


def load_questions(project: Project, playbook: Playbook) -> dict[str, list[str]]:
    """Questions by item id; every problem in every file reported at once."""
    errors = Collector()
    out: dict[str, list[str]] = {}
    items = {entry_id for entry_id, entry in playbook.index.items() if entry.kind == "item"}
    for path in question_files(project):
        try:
            doc = load_file(path, project.display(path))
        except PlaybookError as exc:
            errors.extend(exc.problems)
            continue
        for item_id, questions in _check(doc, items, playbook.removed, errors).items():
            known = out.setdefault(item_id, [])
            known.extend(q for q in questions if q not in known)
    errors.raise_if_any()
    return out


def _check(doc: Document, items: set[str], removed: AbstractSet[str], errors: Collector) -> dict[str, list[str]]:
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        errors.add(
            doc.problem((), f"expected a mapping of item id → list of questions, found {type(doc.data).__name__}")
        )
        return {}
    out: dict[str, list[str]] = {}
    for item_id, questions in doc.data.items():
        key = (item_id,)
        if item_id not in items:
            if item_id in removed:  # the company switched the item off: its questions go too
                continue
            errors.add(
                doc.problem(
                    key, f"expected the id of an item, found '{item_id}'{did_you_mean(item_id, items)}", of_key=True
                )
            )
            continue
        if not isinstance(questions, list) or not questions:
            errors.add(
                doc.problem(
                    key,
                    "expected a list of questions, found "
                    f"{'an empty list' if questions == [] else type(questions).__name__}",
                )
            )
            continue
        good: list[str] = []
        for i, question in enumerate(questions):
            if not isinstance(question, str) or not question.strip():
                errors.add(doc.problem(key + (i,), f"expected a question (text), found {question!r}"))
            elif len(question.strip()) > MAX_CHARS:
                errors.add(
                    doc.problem(
                        key + (i,),
                        f"expected a question of at most {MAX_CHARS} characters, found {len(question.strip())}",
                    )
                )
            else:
                good.append(question.strip())
        out[item_id] = good
    return out
