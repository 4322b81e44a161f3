"""The «内容格式参考» page, generated from the schema classes themselves.

Field names, types, required-ness and defaults come from the classes; the explanations
come in Chinese from ``generator.render.schema_zh`` (the docstrings stay English for
developers; a field without a Chinese line shows its docstring until one is added).
"""

from __future__ import annotations

import inspect
import re
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from generator.render.schema_zh import MODEL_NAMES, TEXT
from generator.schema import cases as cs
from generator.schema import overlay as ov
from generator.schema import playbook as pb
from generator.schema import policy as pol
from generator.schema import site as sc


@dataclass
class FieldDoc:
    name: str
    type: str
    required: bool
    default: str
    doc: str


@dataclass
class ModelDoc:
    name: str
    doc: str
    fields: list[FieldDoc]
    title: str = ""
    """The model's Chinese name (the heading; ``name`` is shown beside it as code)."""


@dataclass
class Section:
    title: str
    intro: str
    models: list[ModelDoc]


def _model_name(name: str) -> str:
    return MODEL_NAMES.get(name, name)


def _type_name(annotation: Any) -> str:
    """The field's type in words: 文本, 整数, 条目的列表 …"""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base = args[0]
        return (
            "标识（id）"
            if any(getattr(m.func, "__name__", "") == "_check_id" for m in args[1:] if hasattr(m, "func"))
            else _type_name(base)
        )
    if origin is typing.Literal:
        return "其中之一：" + "、".join(f"`{a}`" for a in args)
    if origin in (list,):
        return f"{_type_name(args[0])}的列表"
    if origin in (dict,):
        return f"名称 → {_type_name(args[1])}"
    if origin in (typing.Union,) or str(origin) == "<class 'types.UnionType'>":
        names = [_type_name(a) for a in args if a is not type(None)]
        return "或".join(names) + ("（可不填）" if type(None) in args else "")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_name(annotation.__name__)
    plain: dict[type, str] = {str: "文本", int: "整数", bool: "是/否（true/false）", object: "金额（元）"}
    if annotation in plain:
        return plain[annotation]
    names_by_name = {"date": "日期", "Decimal": "金额（元）"}
    name = getattr(annotation, "__name__", str(annotation))
    return names_by_name.get(name, name)


def _default(value: Any) -> str:
    """The default as the page shows it (Markdown)."""
    if value is None:
        return "不填"
    if isinstance(value, bool):
        return "是（`true`）" if value else "否（`false`）"
    if isinstance(value, BaseModel):
        return "各项取默认值"
    if value in ("", [], {}):
        return "空" if value != [] else "空列表"
    if isinstance(value, list):
        return "、".join(f"`{v}`" for v in value)
    return f"`{value}`"


_NAME = re.compile(r"(?<![`\w/.<-])([a-z][a-z0-9]*(?:[_-][a-z0-9]+)*)(?![`\w/.>-])")


def explanation(model: str, field: str | None = None) -> str:
    """The Chinese explanation of a model or field ("" when there is none yet). YAML names
    in it (``items``, ``stop-supply``) are shown as code."""
    text = TEXT.get(f"{model}.{field}" if field else model, "")
    parts = text.split("`")
    return "`".join(_NAME.sub(r"`\1`", part) if i % 2 == 0 else part for i, part in enumerate(parts))


def describe_model(model: type[BaseModel]) -> ModelDoc:
    fields = []
    for name, info in model.model_fields.items():
        required = info.is_required()
        default = ""
        if not required:
            value = info.default_factory() if info.default_factory else info.default  # type: ignore[call-arg]
            default = "" if value is PydanticUndefined else _default(value)
        doc = explanation(model.__name__, name) or (info.description or "").strip()
        fields.append(FieldDoc(name, _type_name(info.annotation), required, default, doc))
    doc = explanation(model.__name__) or inspect.cleandoc(model.__doc__ or "")
    return ModelDoc(model.__name__, doc, fields, _model_name(model.__name__))


def documented_models() -> list[type[BaseModel]]:
    """Every model the page describes (what ``schema_zh`` must cover)."""
    return [m for section in _SECTIONS for m in section[2]]


_SECTIONS: list[tuple[str, str, tuple[type[BaseModel], ...]]] = [
    ("模块文件 playbook/*.yaml", "每个模块一个文件；条目可以嵌套。", (pb.Module, pb.Item, pb.Check, pb.Example)),
    ("来源 playbook/sources.yaml", "条目的 `source` 必须是这里的标题或「编者补充」。", (pb.Sources, pb.Source)),
    ("术语表 playbook/glossary.yaml", "", (pb.Glossary, pb.Term)),
    (
        "课程 playbook/courses.yaml",
        "议程的分钟数之和必须等于 `duration_minutes`。",
        (pb.Courses, pb.Course, pb.OutlineEntry, pb.AgendaEntry, pb.RolePlay, pb.QuizQuestion),
    ),
    (
        "打印清单 playbook/checklists.yaml",
        "每张清单由哪些条目组成；条目的标题和 `summary` 就是清单上的一行和说明。",
        (pb.Checklists, pb.ChecklistSpec, pb.LadderChecklists),
    ),
    ("公司设置 site_config/", "复刻本仓库的公司只改 site_config/ 目录。", (sc.Company, sc.Contact, sc.SearchWords)),
    (
        "回款政策 site_config/policy.yaml",
        "惩戒阶梯的启动条件必须沿阶梯严格递增；停用的一级从站点、清单、讲义和函件链接中消失。",
        (pol.Policy, pol.RungPolicy, pol.AgingBucket, pol.Classification, pol.ModuleSwitch),
    ),
    (
        "案件文件与列名映射",
        "`playbook letters` / `playbook ladder` 读取的 YAML 案件文件，以及 `site_config/columns.yaml` 列名映射。",
        (cs.CaseFile, cs.ColumnsFile),
    ),
    (
        "内容补丁 site_config/playbook/*.yaml",
        "按 id 修改、新增或停用条目；写错的 id 会提示最接近的 id。",
        (ov.Overlay, ov.OverlayItem),
    ),
]


def schema_sections() -> list[Section]:
    return [Section(title, intro, [describe_model(m) for m in models]) for title, intro, models in _SECTIONS]
