"""What the playbook sets in the site engine's configuration, in one place.

The MkDocs plugin (``generator.engines.mkdocs_plugin``) applies these to MkDocs' live config;
the config writer (``generator.engines.config``) writes them into ``.build/<engine>.yml``.
Either way the site gets the same navigation, name, copyright, logo, CSS and search words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.pipeline import Generated
from generator.project import Project
from generator.render.site import logo_asset

SEARCH_CSS = "assets/search.css"
"""Written by generator/render/site.py; first in extra_css so the company's CSS wins."""


@dataclass(frozen=True)
class SiteSettings:
    site_name: str
    copyright: str
    site_url: str | None
    logo: str | None
    nav: list[Any]
    company: dict[str, Any]
    jieba_dict: Path
    theme_dirs: list[Path]
    """Template folders in priority order: the company's overrides, then the shipped ones."""


def site_settings(project: Project, generated: Generated) -> SiteSettings:
    company = generated.playbook.company
    return SiteSettings(
        site_name=f"{company.short_name}回款手册",  # the header shows whose playbook this is
        copyright=f"© {company.name} · 内部资料，请勿外传 · 联系电话 {company.phone}",
        # published under a sub-path: 404.html must link into it
        site_url=company.site_url.rstrip("/") + "/" if company.site_url else None,
        logo=logo_asset(generated.playbook),
        nav=generated.tree.nav,
        company=company.model_dump(mode="json"),
        jieba_dict=generated.jieba_dict,
        theme_dirs=theme_dirs(project),
    )


def theme_dirs(project: Project) -> list[Path]:
    """Theme override folders, first wins: the company's, then the shipped ones (which also
    carry the Chinese UI strings Zensical lacks, partials/languages/zh.html)."""
    dirs = [project.overrides_dir / "theme", project.templates_dir / "theme"]
    return [folder for folder in dirs if folder.is_dir()]


def with_search_css(extra_css: list[str]) -> list[str]:
    return extra_css if SEARCH_CSS in extra_css else [SEARCH_CSS, *extra_css]
