"""The «内容格式参考» page, generated from the schema classes themselves."""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

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


@dataclass
class Section:
    title: str
    intro: str
    models: list[ModelDoc]


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base = args[0]
        return "id" if any(getattr(m, "func", None).__name__ == "_check_id" for m in args[1:]
                           if hasattr(m, "func")) else _type_name(base)
    if origin in (list,):
        return f"list of {_type_name(args[0])}"
    if origin in (dict,):
        return f"mapping of {_type_name(args[1])}"
    if origin in (typing.Union,) or str(origin) == "<class 'types.UnionType'>":
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(names) + (" (optional)" if type(None) in args else "")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    names = {str: "text", int: "whole number", bool: "true/false"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def describe_model(model: type[BaseModel]) -> ModelDoc:
    fields = []
    for name, info in model.model_fields.items():
        required = info.is_required()
        default = ""
        if not required:
            value = info.default_factory() if info.default_factory else info.default  # type: ignore[call-arg]
            default = "" if value is PydanticUndefined else repr(value)
        fields.append(FieldDoc(name, _type_name(info.annotation), required, default,
                               (info.description or "").strip()))
    return ModelDoc(model.__name__, inspect.cleandoc(model.__doc__ or ""), fields)


def schema_sections() -> list[Section]:
    return [
        Section("模块文件 playbook/*.yaml", "每个模块一个文件；条目可以嵌套。",
                [describe_model(m) for m in (pb.Module, pb.Item, pb.Check, pb.Example)]),
        Section("来源 playbook/sources.yaml", "条目的 source 必须是这里的标题或「编者补充」。",
                [describe_model(m) for m in (pb.Sources, pb.Source)]),
        Section("术语表 playbook/glossary.yaml", "",
                [describe_model(m) for m in (pb.Glossary, pb.Term)]),
        Section("课程 playbook/courses.yaml", "议程的分钟数之和必须等于 duration_minutes。",
                [describe_model(m) for m in (pb.Courses, pb.Course, pb.OutlineEntry,
                                             pb.AgendaEntry, pb.RolePlay, pb.QuizQuestion)]),
        Section("打印清单 playbook/checklists.yaml",
                "每张清单由哪些条目组成；条目的标题和 summary 就是清单上的一行和说明。",
                [describe_model(m) for m in (pb.Checklists, pb.ChecklistSpec, pb.LadderChecklists)]),
        Section("公司设置 site_config/", "复刻（fork）本仓库的公司只改 site_config/ 目录。",
                [describe_model(m) for m in (sc.Company, sc.Contact, sc.SearchWords)]),
        Section("回款政策 site_config/policy.yaml",
                "惩戒阶梯的启动条件必须沿阶梯严格递增；停用的一级从站点、清单、讲义和函件链接中消失。",
                [describe_model(m) for m in (pol.Policy, pol.RungPolicy, pol.AgingBucket,
                                             pol.Classification, pol.ModuleSwitch)]),
        Section("案件文件与列名映射",
                "playbook letters / playbook ladder 读取的 YAML 案件文件，以及 site_config/columns.yaml 列名映射。",
                [describe_model(m) for m in (cs.CaseFile, cs.ColumnsFile)]),
        Section("内容补丁 site_config/playbook/*.yaml", "按 id 修改、新增或停用条目；写错的 id 会提示最接近的 id。",
                [describe_model(m) for m in (ov.Overlay, ov.OverlayItem)]),
    ]
