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
