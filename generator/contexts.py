"""Every template family's typed context, registered in one place, and the «模板上下文参考»
page generated from them (``reference/contexts.md``, like «内容格式参考»).

The contexts are the public API of the templates a company overrides: a field's
``description`` is its documentation. To register another family (letters, printouts),
add one line to ``TEMPLATE_CONTEXTS``: template (or family) name → context class.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from generator.playbook import Playbook
from generator.project import Project
from generator.render.site import PageContext, PageSpec
from generator.render.site_context import SITE_CONTEXTS
from generator.urls import URLS

TEMPLATE_CONTEXTS: dict[str, type[BaseModel]] = {
    **SITE_CONTEXTS,
}
"""Template family → its context class (every field with a ``description``)."""

TEMPLATE = "site/contexts.md.j2"


@dataclass
class FieldDoc:
    name: str
    type: str
    doc: str
    inherited: bool


@dataclass
class FamilyDoc:
    name: str
    title: str
    """The family in Chinese (the class's ``zh``)."""
    doc: str
    templates: list[str]
    fields: list[FieldDoc]


def type_words(annotation: Any) -> str:
    """A field's type as a template author reads it."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_words(args[0])
    if (
        origin is not None
        and getattr(origin, "__name__", "") == "Callable"
        or str(origin) == "collections.abc.Callable"
    ):
        return "函数"
    if origin in (list,):
        inner = type_words(args[0])
        return f"({inner}) 的列表" if "→" in inner else f"{inner} 的列表"
    if origin in (dict,):
        return f"{type_words(args[0])} → {type_words(args[1])}"
    if origin in (tuple,):
        return "(" + ", ".join(type_words(a) for a in args) + ")"
    names = {str: "文本", int: "整数", bool: "是/否", Any: "对象", date: "日期"}
    if annotation in names:
        return names[annotation]
    return f"`{getattr(annotation, '__name__', str(annotation))}`"  # a class: its name as code


def context_sections() -> list[FamilyDoc]:
    """One entry per context class, with the templates that use it, base class first."""
    by_class: dict[type[BaseModel], list[str]] = {}
    for template, model in TEMPLATE_CONTEXTS.items():
        by_class.setdefault(model, []).append(template)
    out = []
    for model, templates in by_class.items():
        base_fields: set[str] = set()
        for base in model.__mro__[1:]:
            if isinstance(base, type) and issubclass(base, BaseModel) and base is not BaseModel:
                base_fields |= set(base.model_fields)
        fields = [
            FieldDoc(name, type_words(info.annotation), (info.description or "").strip(), name in base_fields)
            for name, info in model.model_fields.items()
        ]
        title = str(getattr(model, "zh", "")) or inspect.cleandoc(model.__doc__ or "")
        out.append(FamilyDoc(model.__name__, title, inspect.cleandoc(model.__doc__ or ""), templates, fields))
    return out


# The reference page is a site feature (see generator.features.SITE_FEATURES).


def site_context(project: Project, playbook: Playbook) -> dict[str, Any]:
    return {}


def site_pages(project: Project, playbook: Playbook, context: PageContext) -> list[PageSpec]:
    return [(URLS.context_reference, TEMPLATE, {"sections": context_sections()})]


def site_nav(project: Project, playbook: Playbook) -> list[Any]:
    return []  # the page is listed under «参考» (render.site.build_nav)
