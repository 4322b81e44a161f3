"""Schema base: strict pydantic models whose errors become located Problems.

Every model forbids unknown keys; every field carries a docstring, which is both
the developer's documentation and the text of the site's «内容格式参考» page.
"""

from __future__ import annotations

import re
import typing
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from generator.errors import Problem, describe, did_you_mean, valid_choices
from generator.yamlload import Document, Key, where

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise PydanticCustomError(
            "bad_id",
            "expected an id of lowercase letters, digits and single hyphens (like 'stop-supply'), found '{value}'",
            {"value": value},
        )
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "expected a non-empty text, found an empty text")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
"""A stable identifier: used as the page anchor (``#id``) and in cross-references."""

Text = Annotated[str, AfterValidator(_check_text)]
"""Non-empty text (Markdown allowed where the field says so)."""


class Strict(BaseModel):
    """Base for all schema classes: unknown keys are errors, no silent coercion."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        use_attribute_docstrings=True,
        validate_default=False,
    )


M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "expected a string",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "date_type": "expected a date written as 2026-12-31",
    "date_from_datetime_inexact": "expected a date without a time",
    "decimal_type": "expected a number",
    "is_instance_of": "expected a number",
}


def validate(model: type[M], doc: Document, data: Any = None, prefix: Key = ()) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (default: the whole document) and locate every error."""
    payload = doc.data if data is None else data
    try:
        return model.model_validate(payload), []
    except ValidationError as exc:
        return None, [_to_problem(model, doc, prefix, err) for err in exc.errors()]


def _to_problem(model: type[BaseModel], doc: Document, prefix: Key, err: Any) -> Problem:
    loc: Key = (*prefix, *err["loc"])
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        parent, name = loc[:-1], loc[-1]
        return doc.problem(parent, f"missing required key '{name}'; add it")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        fields = _fields_at(model, loc[len(prefix) : -1])
        hint = did_you_mean(name, fields) if fields else ""
        choices = f" ({valid_choices(fields)})" if fields else ""
        return doc.problem(loc, f"unknown key '{name}'{hint}{choices}", of_key=True)
    if kind in _EXPECTED:
        return doc.problem(loc, f"{_EXPECTED[kind]}, found {describe(value)}")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return doc.problem(loc, f"expected one of {expected}, found {describe(value)}")
    if kind in ("too_short", "string_too_short"):
        return doc.problem(
            loc,
            f"expected at least {err['ctx'].get('min_length')} "
            f"{'entries' if kind == 'too_short' else 'characters'}, "
            f"found {describe(value)}",
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return doc.problem(
            loc, f"{err['msg'].lower().replace('input should be', 'expected a value')}, found {describe(value)}"
        )
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
        return doc.problem(loc, message)
    return doc.problem(loc, err["msg"])


def _fields_at(model: type[BaseModel], loc: Key) -> list[str]:
    """The keys allowed at ``loc`` inside ``model`` (for «did you mean»)."""
    current: Any = model
    skip_key = False  # the next part is a key of a user mapping (dict[str, Model])
    for part in loc:
        if isinstance(part, int) or skip_key:
            skip_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        skip_key = typing.get_origin(info.annotation) is dict
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[X], X | None and dict[str, X] down to a model class, if any."""
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


__all__ = ["Id", "Strict", "Text", "validate", "where"]
