"""The letters' context is described once (templates/letters/_context.html.j2), and that
description says exactly what :class:`LetterContext` gives a letter."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from generator.letters.context import LetterContext
from generator.letters.render import CONTEXT_DOC

LETTERS = Path(__file__).resolve().parent.parent / "templates" / "letters"
POINTER = f"Context: {CONTEXT_DOC} (the same for every letter)."


def _letters() -> list[Path]:
    found = sorted(p for p in LETTERS.glob("*.html.j2") if not p.name.startswith("_"))
    assert len(found) >= 10, found
    return found


def _header(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{#-"), f"{path.name}: expected a header comment first"
    return text[: text.index("-#}")]


def _description() -> str:
    return (LETTERS.parent / CONTEXT_DOC).read_text(encoding="utf-8")


def _models(annotation: object) -> list[type[BaseModel]]:
    """The models inside a field's type (``list[InvoiceRow]``, ``SentLetter | None`` …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _field_names(model: type[BaseModel]) -> set[str]:
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for inner in _models(info.annotation):
            names |= _field_names(inner)
    return names


def test_every_letter_points_to_the_one_description() -> None:
    shared_lines = {line.strip() for line in _description().splitlines()[6:] if len(line.strip()) > 20}
    for path in _letters():
        header = _header(path)
        assert POINTER in header, f"{path.name}: expected «{POINTER}» in its header comment"
        copied = [line.strip() for line in header.splitlines() if line.strip() in shared_lines]
        assert copied == [], f"{path.name}: copies lines of {CONTEXT_DOC}: {copied}"
        assert '{% extends "letters/_base.html.j2" %}' in path.read_text(encoding="utf-8"), path.name


def test_the_description_names_every_field_of_the_context() -> None:
    words = set(re.findall(r"[a-z][a-z_]*", _description()))
    missing = sorted(_field_names(LetterContext) - words)
    assert missing == [], f"{CONTEXT_DOC} does not describe: {missing}"


def test_the_description_names_nothing_the_context_lacks() -> None:
    text = _description()
    listed = text[text.index("Context (every letter") :].splitlines()[1:]
    leading = {m.group(1) for line in listed if (m := re.match(r"  ([a-z][a-z_]*)\b", line))}
    leading |= {m for line in listed for m in re.findall(r"(?<![.\w])([a-z][a-z_]*)\.[a-z]", line)}
    assert leading, "expected the description to list names"
    assert sorted(leading - set(LetterContext.model_fields)) == []


# --- the Word merge fields (letters/word/fields.py) name the same context --------------------

WORD_COMPUTED = {"invoices.no", "all_invoices.no"}
"""Row fields Word numbers itself (the row's position), not context fields."""
NOT_IN_WORD = {
    # what only the HTML templates need (layout, ids, the embedded copy)
    "embedded",
    "font_css",
    "font_stack",
    "letter.format",
    "letter.id",
    "letter.seq",
    "sent_letter.id",
    "ladder.enabled",
    "delivery.letter",
    "delivery.reference",
    # wording the HTML letters choose from (a Word template has its own text for it)
    "history.final_demand",
    "history.service_suspended",
    "history.supply_suspended",
    "suspension.basis",
    "suspension.continuing",
    "suspension.contracts",
    "suspension.cross_default",
    "suspension.every_contract",
    "suspension.notice_days",
    "suspension.orders",
    "suspension.total",
    "suspension.total_in_words",
    # not offered as Word fields yet
    "assignment.every_invoice",
    "assignment.invoices",
    "assignment.others",
    "assignment.total",
    "assignment.total_in_words",
    "authorization.agreement",
    "authorization.clause",
}
"""Context fields without a Word merge field today. A new field of :class:`LetterContext` goes
into the Word table (``letters/word/fields.py``) or here: the test below says which."""


def _leaves(model: type[BaseModel], prefix: str = "") -> dict[str, type[BaseModel] | None]:
    """Dotted path → the model inside it (``None`` for a value) of every field, nested too."""
    out: dict[str, type[BaseModel] | None] = {}
    for name, info in model.model_fields.items():
        inner = _models(info.annotation)
        out[prefix + name] = inner[0] if inner else None
        if inner:
            out.update(_leaves(inner[0], f"{prefix}{name}."))
    return out


def test_every_word_field_names_a_context_field_and_every_context_field_is_decided() -> None:
    from generator.letters.word.fields import FIELDS, ROWS

    leaves = _leaves(LetterContext)
    named = {f.key for f in FIELDS} | {r.key for r in ROWS}
    named |= {f"{r.key}.{f.key}" for r in ROWS for f in r.fields}
    assert sorted(named - set(leaves) - WORD_COMPUTED) == []  # a Word field the context lacks
    values = {path for path, inner in leaves.items() if inner is None}
    undecided = [
        path
        for path in sorted(values - named)
        if not any(path == off or path.startswith(f"{off}.") for off in NOT_IN_WORD)
    ]
    assert undecided == [], "add these to letters/word/fields.py, or to NOT_IN_WORD"
    assert sorted(off for off in NOT_IN_WORD if off not in leaves) == []  # the list names real fields
