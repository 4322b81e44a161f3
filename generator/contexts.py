"""Every template family's typed context, registered in one place, and the «模板上下文参考»
page generated from them (``reference/contexts.md``, like «内容格式参考»).

The contexts are the public API of the templates a company overrides: a field's
``description`` is its documentation. To register another family (letters, printouts),
add one line to ``TEMPLATE_CONTEXTS``: template (or family) name → context class.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from generator.letters.context import LetterContext
from generator.lifecycle import Feature, PageSpec
from generator.playbook import Playbook
from generator.printing.context import PrintContext
from generator.project import Project
from generator.render.site import PageContext
from generator.render.site_context import SITE_CONTEXTS
from generator.session import Session
from generator.urls import URLS

TEMPLATE_CONTEXTS: dict[str, type[BaseModel]] = {
    **SITE_CONTEXTS,
    "letters/*.html.j2": LetterContext,
    "print/*.html.j2": PrintContext,
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
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        shown = " 或 ".join(type_words(a) for a in kept)
        return f"{shown}（可为空）" if len(kept) < len(args) else shown
    names = {str: "文本", int: "整数", bool: "是/否", Any: "对象", date: "日期"}
    if annotation in names:
        return names[annotation]
    return f"`{getattr(annotation, '__name__', str(annotation))}`"  # a class: its name as code


_TITLES = {
    "LetterContext": "函件模板",
    "LetterMeta": "本函",
    "Creditor": "我司（债权人）",
    "CreditorContact": "我司联系人",
    "Debtor": "客户（债务人）",
    "InvoiceRow": "发票行",
    "PlanRow": "分期还款计划行",
    "DeliveryInfo": "送达信息",
    "Ladder": "惩戒阶梯",
    "SuspensionInfo": "暂停履行的依据",
    "HistoryInfo": "催收经过",
    "AssignmentInfo": "债权转让",
    "SentLetter": "所送达的函件",
    "PrintContext": "打印件模板",
}
"""Headings of the context classes whose docstrings are written for developers (in English)."""
_CJK = re.compile(r"[\u4e00-\u9fff]")
_IDENTIFIERS = re.compile(r"(`[^`]*`)|((?:--)?[A-Za-z_][A-Za-z0-9_.\-/:=*]*(?:\(\))?)")


def _code_words(text: str) -> str:
    """Field names, keys and paths in a description shown as code (they are what a template writes)."""
    return _IDENTIFIERS.sub(lambda m: m.group(1) or f"`{m.group(2)}`", text)


def _parts(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Context classes used as a field's type (directly, or in a list, tuple or dict)."""
    found: list[type[BaseModel]] = []
    for info in model.model_fields.values():
        found += [part for part in _parts_of(info.annotation) if part not in found]
    return found


def _parts_of(annotation: Any) -> list[type[BaseModel]]:
    """The context classes one field's type is made of."""
    found: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            # Content and configuration types (generator.schema) have their own page, 内容格式参考.
            if annotation not in found and not annotation.__module__.startswith("generator.schema"):
                found.append(annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(annotation)
    return found


def _inherits_part(model: type[BaseModel], part: type[BaseModel]) -> bool:
    """True when ``part`` comes to ``model`` from a base class (listed under the base only)."""
    return any(
        isinstance(base, type) and issubclass(base, BaseModel) and base is not BaseModel and part in _parts(base)
        for base in model.__mro__[1:]
    )


def context_sections() -> list[FamilyDoc]:
    """One entry per context class, with the templates that use it, base class first."""
    by_class: dict[type[BaseModel], list[str]] = {}
    for template, model in TEMPLATE_CONTEXTS.items():
        by_class.setdefault(model, []).append(template)
    # The parts a context is made of (a letter's ``letter``, ``debtor``, its invoice rows …) are
    # documented too: an override author writes ``{{ debtor.name }}``, not just ``debtor``.
    pending = list(by_class)
    written_as: dict[type[BaseModel], str] = dict.fromkeys(by_class, "")  # how a template reaches it
    while pending:
        owner = pending.pop(0)
        for part in _parts(owner):
            if part in by_class:
                continue
            first = next(iter(part.model_fields), "")
            by_class[part] = []
            for name, info in owner.model_fields.items():
                if part not in _parts_of(info.annotation) or _inherits_part(owner, part):
                    continue
                path = f"{written_as[owner]}.{name}".lstrip(".")
                if typing.get_origin(info.annotation) in (list, tuple):
                    by_class[part].append(
                        f"`{owner.__name__}` 的 `{name}`（列表：`{{% for item in {path} %}}` 里写作 `item.{first}`）"
                    )
                    written_as.setdefault(part, "item")
                else:
                    by_class[part].append(f"`{owner.__name__}` 的 `{name}`（写作 `{path}.{first}`）")
                    written_as.setdefault(part, path)
            pending.append(part)
    out = []
    for model, templates in by_class.items():
        base_fields: set[str] = set()
        for base in model.__mro__[1:]:
            if isinstance(base, type) and issubclass(base, BaseModel) and base is not BaseModel:
                base_fields |= set(base.model_fields)
        fields = [
            FieldDoc(
                name, type_words(info.annotation), _code_words((info.description or "").strip()), name in base_fields
            )
            for name, info in model.model_fields.items()
        ]
        title = str(getattr(model, "zh", "")) or inspect.cleandoc(model.__doc__ or "")
        if not _CJK.search(title):  # an English docstring: the page is Chinese
            title = _TITLES.get(model.__name__, "上下文")
        out.append(FamilyDoc(model.__name__, title, inspect.cleandoc(model.__doc__ or ""), templates, fields))
    return out


# The reference page is a site feature (see generator.features.FEATURES).


def site_pages(project: Project, playbook: Playbook, context: PageContext) -> list[PageSpec]:
    return [(URLS.context_reference, TEMPLATE, {"sections": context_sections()})]


class ContextReference(Feature):
    """The «模板上下文参考» page as a feature (``generator.lifecycle``)."""

    name = "contexts"

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return site_pages(session.project, session.playbook, context)  # listed under «参考» (render.site.build_nav)


FEATURE = ContextReference()
