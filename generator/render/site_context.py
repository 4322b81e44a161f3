"""Typed contexts of the site's templates (``templates/site/*.md.j2`` and the site pages
that features add): what a template — and a company's override of it — may use.

One pydantic model per template family, every field described; the «模板上下文参考» page
(``reference/contexts.md``) is generated from these classes (``generator.contexts``). A
template gets the model's fields as variables; objects stay objects (a ``Module`` is the
schema's ``Module``), so ``{{ module.title }}`` and ``{{ playbook.company.name }}`` work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, InstanceOf

from generator.playbook import Playbook
from generator.schema.playbook import Course, Module
from generator.schema.site import Company

CONTEXT_CONFIG = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
"""The shared pattern of every template context (site, letters, printouts)."""


class SitePage(BaseModel):
    """Every site page: the playbook, the company, links and the features' variables."""

    zh: ClassVar[str] = "所有站点页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    model_config = CONTEXT_CONFIG

    playbook: InstanceOf[Playbook] = Field(
        description="整个知识库（模块、条目、术语、课程、公司设置），已按本公司定制裁剪。"
    )
    company: InstanceOf[Company] = Field(description="本公司信息（site_config/company.yaml 合并默认值后）。")
    page: str = Field(description="本页在站点中的路径，如 `ladder.md`、`courses/basics.md`。")
    link: Callable[[str], str] = Field(description="`link(id)`：从本页到任一模块、条目、术语或课程的相对链接。")
    title_of: Callable[[str], str] = Field(description="`title_of(id)`：任一 id 的标题。")
    letter_link: Callable[[str], str] = Field(description="`letter_link(id)`：从本页到某函件模板页的相对链接。")
    letter_title: Callable[[str], str] = Field(description="`letter_title(id)`：函件标题。")
    requirement_title: Callable[[str], str] = Field(
        description="`requirement_title(id)`：阶梯前提的说法（「已实施「停止供货」」或「已发出最后催告函」）。"
    )
    template_path: Callable[[str], str] = Field(
        description="`template_path(rel)`：某模板实际使用的文件（公司覆盖的优先），用于「如何定制」页。"
    )
    version: str = Field(description="生成器版本号。")
    build_date: date = Field(description="知识库日期（来自 SOURCE_DATE_EPOCH 或最后一次提交），印在页脚。")
    downloads: dict[str, list[tuple[str, str]]] = Field(
        description="模块 id → 「下载 PDF」链接列表 (名称, 相对链接)，来自打印资料功能。"
    )
    questions: dict[str, list[str]] = Field(description="条目 id → 常见问法（playbook/questions.yaml）。")
    workflow_picture: Callable[[str], Any] = Field(description="`workflow_picture(page)`：回款流程图（SVG）。")
    ladder_picture: Callable[[str], Any] = Field(description="`ladder_picture(page)`：惩戒阶梯图（SVG）。")


class ModulePage(SitePage):
    """``site/module.md.j2``: one module with all its items."""

    zh: ClassVar[str] = "模块页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    module: InstanceOf[Module] = Field(description="本页的模块（条目在 `module.items`，可嵌套）。")


class CoursePage(SitePage):
    """``site/course.md.j2``: one training course."""

    zh: ClassVar[str] = "课程页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    course: InstanceOf[Course] = Field(description="本页的课程（大纲、议程、情景演练、测验）。")


class FormatPage(SitePage):
    """``site/format.md.j2``: the «内容格式参考» page."""

    zh: ClassVar[str] = "「内容格式参考」页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    sections: list[Any] = Field(description="内容格式的各部分，由内容格式的定义生成（标题、说明、各类的字段表）。")


class ContextsPage(SitePage):
    """``site/contexts.md.j2``: this «模板上下文参考» page."""

    zh: ClassVar[str] = "「模板上下文参考」页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    sections: list[Any] = Field(description="各模板族的上下文，由上下文类生成（模板、说明、各字段）。")


class LettersIndexPage(SitePage):
    """``site/letters.md.j2``: the «函件模板» overview."""

    zh: ClassVar[str] = "「函件模板」总览页"
    """The family in Chinese, for the «模板上下文参考» page."""

    letters: list[Any] = Field(description="本公司启用的函件（`LetterInfo`：`id`、标题、用途、何时发出、期限）。")
    letter_page: Callable[[str], str] = Field(description="`letter_page(id)`：函件页的路径。")


class LetterPage(SitePage):
    """``site/letter.md.j2``: one letter template's page."""

    zh: ClassVar[str] = "函件模板页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    letter: Any = Field(description="本函件（`LetterInfo`：`id`、标题、用途、何时发出、期限天数与说法）。")
    serves: list[str] = Field(description="在 `letters:` 中列出本函件的条目 id。")
    sample: str = Field(description="样例函件的网页源码（已转义，嵌入本页的样例框）。")
    sample_case: Any = Field(description="样例函件所用的虚构案件。")
    sample_date: date = Field(description="样例函件的日期。")
    word_template: str = Field(description="本公司的 Word 模板（`site_config/letters/<id>.docx`），没有时为空。")
    files: dict[str, str] = Field(description="下载链接：`sample_pdf`、`blank_pdf`、`blank_docx`（相对本页）。")


class WorkspacePage(SitePage):
    """``site/workspace/workspace.md.j2``: the «催收准备» page (``generator.workspace``)."""

    zh: ClassVar[str] = "「催收准备」页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    data: str = Field(
        description="清单条目、本公司惩戒阶梯和函件，一行 JSON（已可安全放入 `<script>`），供本页脚本使用。"
    )
    script_href: str = Field(description="本页脚本 `assets/workspace.js` 的相对链接。")
    css_href: str = Field(description="本页样式 `assets/workspace.css` 的相对链接。")


class DownloadsPage(SitePage):
    """``print/downloads.md.j2``: the «打印资料» page."""

    zh: ClassVar[str] = "「打印资料」页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    groups: list[dict[str, Any]] = Field(description="各组学员资料：标题、说明、各行（标题、id、链接、类型、文件名）。")


class TrainersPage(SitePage):
    """``print/trainers.md.j2``: the «讲师资料» page."""

    zh: ClassVar[str] = "「讲师资料」页面"
    """The family in Chinese, for the «模板上下文参考» page."""

    courses: list[dict[str, Any]] = Field(
        description="每门课程的讲师资料：title、links（text：讲师手册、幻灯片、观察评分表……；href；download）。"
    )


SITE_CONTEXTS: dict[str, type[SitePage]] = {
    "site/index.md.j2": SitePage,
    "site/glossary.md.j2": SitePage,
    "site/customize.md.j2": SitePage,
    "site/format.md.j2": FormatPage,
    "site/contexts.md.j2": ContextsPage,
    "site/module.md.j2": ModulePage,
    "site/course.md.j2": CoursePage,
    "site/letters.md.j2": LettersIndexPage,
    "site/letter.md.j2": LetterPage,
    "site/workspace/workspace.md.j2": WorkspacePage,
    "print/downloads.md.j2": DownloadsPage,
    "print/trainers.md.j2": TrainersPage,
}
"""Template → its context class, for every page of the site."""


def as_variables(context: BaseModel) -> dict[str, Any]:
    """The template's variables: the model's fields, objects kept as they are."""
    return {name: getattr(context, name) for name in type(context).model_fields}
