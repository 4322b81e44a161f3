"""Typed template contexts: the contract between the generator and (overridden) templates."""

from __future__ import annotations

import re
import typing
from datetime import date
from pathlib import Path

import pydantic
import pytest

from generator import contexts
from generator.features import build_site_tree
from generator.letters.context import LetterContext
from generator.project import Project
from generator.render import env as render_env
from generator.render import site as render_site
from generator.render.site_context import SITE_CONTEXTS, ModulePage
from generator.session import open_session
from generator.urls import URLS

REPO = Path(__file__).resolve().parent.parent
SHIPPED = Project.at(REPO)


def test_every_site_template_has_a_registered_context() -> None:
    pages = {f"site/{p.name}" for p in (REPO / "templates" / "site").glob("*.md.j2") if not p.name.startswith("_")}
    assert pages - set(SITE_CONTEXTS) == set()
    assert set(SITE_CONTEXTS) <= set(contexts.TEMPLATE_CONTEXTS)


def test_every_context_field_is_described() -> None:
    undocumented = [
        f"{model.__name__}.{name}"
        for model in set(contexts.TEMPLATE_CONTEXTS.values())
        for name, info in model.model_fields.items()
        if not (info.description or "").strip()
    ]
    assert undocumented == []


def test_a_context_refuses_what_it_does_not_declare() -> None:
    with pytest.raises(pydantic.ValidationError, match="modul\n  Extra inputs are not permitted"):
        ModulePage.model_validate({"modul": 1})


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[set[str]]], dict[str, str | bytes]]:
    """Build the shipped site in memory, recording each template's variables."""
    seen: dict[str, list[set[str]]] = {}
    original = render_env.render

    def spy(env, project, name, variables):  # type: ignore[no-untyped-def]
        seen.setdefault(name, []).append(set(variables))
        return original(env, project, name, variables)

    render_site.render = spy  # type: ignore[assignment]
    try:
        session = open_session(SHIPPED)
        tree = build_site_tree(session, date(2026, 12, 31))
    finally:
        render_site.render = original
    return seen, tree.files


def test_every_site_template_renders_with_exactly_its_typed_context(rendered) -> None:  # type: ignore[no-untyped-def]
    seen, _files = rendered
    assert set(seen) == set(SITE_CONTEXTS)
    for template, calls in seen.items():
        declared = set(SITE_CONTEXTS[template].model_fields)
        assert all(variables == declared for variables in calls), template


def test_the_reference_page_lists_every_variable(rendered) -> None:  # type: ignore[no-untyped-def]
    _seen, files = rendered
    page = files[URLS.context_reference]
    assert isinstance(page, str) and page.startswith("---\ntitle: 模板上下文参考\n---")
    for model in set(SITE_CONTEXTS.values()):
        assert f"## {model.zh}\n\n类名：`{model.__name__}`\n" in page
        for name, info in model.model_fields.items():
            if name in model.__mro__[1].model_fields and model.__mro__[1] is not pydantic.BaseModel:
                continue  # an inherited field is listed once, under its base class
            shown = contexts._code_words((info.description or "").strip())
            assert f"| `{name}` |" in page and shown in page, f"{model.__name__}.{name}"


def test_the_reference_page_says_how_a_template_reaches_each_part(rendered) -> None:  # type: ignore[no-untyped-def]
    """«写作 `creditor.contact.name`»: every path the page gives resolves, field by field, from the context."""
    _seen, files = rendered
    page = files[URLS.context_reference]
    paths = re.findall(r"（写作 `([a-z_.]+)`）", page)
    assert "creditor.contact.name" in paths and "debtor.name" in paths
    assert "列表：`{% for item in invoices %}` 里写作 `item.invoice_no`" in page

    def field_type(model: type[pydantic.BaseModel], name: str) -> type[pydantic.BaseModel] | None:
        annotation = model.model_fields[name].annotation
        for candidate in (annotation, *typing.get_args(annotation)):
            if isinstance(candidate, type) and issubclass(candidate, pydantic.BaseModel):
                return candidate
        return None

    for path in paths:
        model: type[pydantic.BaseModel] | None = LetterContext
        for name in path.split("."):
            assert model is not None and name in model.model_fields, path
            model = field_type(model, name)
