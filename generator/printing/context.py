"""The typed template context of the printouts (templates/print/*.html.j2): what a print
template may use. One model for the family; the fields of one kind (checklist, handout,
workbook, answers) are None for the others. The Typst layout (templates/print/print.typ)
reads the same document through the HTML these templates make."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PrintContext(BaseModel):
    """Everything a print template gets (see print/_base.html.j2 and each template's header)."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    # --- every printout ---
    company: Any = Field(description="公司信息（site_config/company.yaml）：name、short_name、phone …")
    logo_url: str = Field(description="company.logo 的文件 URL，无标志时为空")
    version: str = Field(description="生成器/手册版本，印在页脚")
    build_date: _dt.date = Field(description="构建日期（设置 SOURCE_DATE_EPOCH 时取其值），印在页脚")
    font_css: Any = Field(description="随附中文字体的 @font-face 规则（Markup，浏览器打印用）")
    font_family: str = Field(description="该字体的 CSS 字体族名")
    kind_labels: dict[str, str] = Field(description="种类 → 标签（清单、讲义、课程手册、参考答案）")
    company_ladder: list[Any] = Field(
        description="公司的惩戒阶梯各级（level、title、days、amount、approver、letter、requires），全部关闭时为空"
    )
    ladder_module: str = Field(description="包含惩戒阶梯的模块 id（无则为空）")
    ladder_picture: Any = Field(description="阶梯图（内嵌 SVG，Markup）")
    doc: Any = Field(description="本文档（Printable）：doc.id、doc.kind、doc.title、doc.filename")

    # --- checklist ---
    spec: dict[str, Any] | None = Field(
        None, description="清单定义：title、purpose、depth、with_checks、mode（items | checks）"
    )
    lines: list[Any] | None = Field(None, description="清单所依据的手册条目（Item）")
    anchor: str | None = Field(None, description="清单所打印的条目 id（列出多个条目时为空）")
    rows: list[Any] | None = Field(
        None, description="清单各行：title、note、level（0 为顶层）、kind（item | check）、number"
    )
    rung_policy: dict[str, str] | None = Field(None, description="阶梯类清单：公司规定 {start, approver}；其他为空")

    # --- checklist and handout ---
    module: Any = Field(None, description="所属模块（Module），module.title 印作出处")
    cautions: list[str] | None = Field(None, description="合规提示（清单、讲义）")

    # --- handout ---
    questions: list[str] | None = Field(None, description="讨论题（讲义）")

    # --- workbook and answers ---
    course: Any = Field(None, description="课程（Course）：title、background、benefits、audience、议程、测验 …")
    agenda: list[Any] | None = Field(None, description="议程各段：start、end、title、activity、minutes")
    agenda_total: int | None = Field(None, description="议程总分钟数（等于 course.duration_minutes）")
    covers_ladder: bool | None = Field(None, description="课程是否涵盖惩戒阶梯（是则打印公司阶梯）")
    module_questions: list[Any] | None = Field(
        None, description="课程涵盖的各模块及其讨论题：(Module, [问题])；课程开场问题和案例讨论题不再重复"
    )
    days: list[Any] | None = Field(
        None, description="按天的钟点议程：day、start、end、teaching（授课分钟）、rows（start、end、title、kind …）"
    )
    variant_days: list[Any] | None = Field(
        None, description="其他版本的议程（例如两天版）：(AgendaVariant, 按天的钟点议程)"
    )
    cases: list[Any] | None = Field(None, description="课程的案例（条目），examples 为全文")
    segments: list[Any] | None = Field(
        None, description="讲师手册各授课环节：row（钟点、标题、方式）、covers、examples（示范话术）、role_plays"
    )
    kit: list[Any] | None = Field(None, description="打印清单：label、file、copies")

    def template_dict(self) -> dict[str, Any]:
        """The mapping a Jinja template reads (fields of other kinds left out, so a template
        that uses one by mistake fails under StrictUndefined instead of printing «None»)."""
        return {
            name: value
            for name in type(self).model_fields
            if (value := getattr(self, name)) is not None or name in _ALWAYS
        }


_ALWAYS = {"anchor", "rung_policy", "module"}
"""Fields a template may test for None (``{% if rung_policy %}``)."""
