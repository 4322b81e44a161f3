"""Zensical's search dialog in Chinese.

Zensical 0.0.73 draws its search dialog in a script whose words are English literals
(«Search», «29 results», «No results»); its language setting does not reach them. The
generated theme folder (``.build/theme-zensical/``) therefore carries a copy of that script,
under the same name so it replaces the original, with those words in Chinese. Every
replacement must match exactly once: when a Zensical release changes the script the build
stops and names what to update here, rather than showing English again.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from generator.errors import PlaybookError, Problem

REPLACEMENTS: list[tuple[str, str, int]] = [
    ('placeholder:"Search"', 'placeholder:"搜索"', 1),
    ('"aria-label":"Search"', '"aria-label":"搜索"', 2),
    (
        '`${new Intl.NumberFormat("en-US").format(i)} ${i===1?"result":"results"}`',
        '`找到 ${new Intl.NumberFormat("zh-CN").format(i)} 个结果`',
        1,
    ),
    ('a="No results"', 'a="没有找到符合条件的结果"', 1),
    ('"Loading search\\u2026"', '"正在初始化搜索引擎\\u2026"', 1),
    ('"aria-label":"Search results"', '"aria-label":"搜索结果"', 1),
    ('"aria-label":"Filters"', '"aria-label":"筛选"', 1),
    ('children:"Filters"', 'children:"筛选"', 1),
    ('children:"Tags"', 'children:"标签"', 1),
    ('"aria-label":"Close search"', '"aria-label":"关闭搜索"', 1),
]
"""(English literal, Chinese, how many times it occurs) in Zensical's bundle."""


def bundle_files() -> list[Path]:
    spec = importlib.util.find_spec("zensical")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / "assets" / "javascripts"
    return sorted(folder.glob("bundle.*.min.js"))


def chinese_bundle() -> dict[str, bytes]:
    """Theme-relative path → the translated script."""
    files = bundle_files()
    if len(files) != 1:
        raise PlaybookError(
            [
                Problem(
                    "zensical",
                    0,
                    0,
                    "theme",
                    f"expected one assets/javascripts/bundle.*.min.js in Zensical's theme, found {len(files)}",
                )
            ]
        )
    text = files[0].read_text(encoding="utf-8")
    problems = []
    for english, chinese, count in REPLACEMENTS:
        found = text.count(english)
        if found != count:
            problems.append(
                Problem(
                    "generator/engines/zensical_ui.py",
                    0,
                    0,
                    "REPLACEMENTS",
                    f"expected {english} {count} time(s) in Zensical's {files[0].name}, "
                    f"found {found} (a new Zensical release: update the replacement)",
                )
            )
        text = text.replace(english, chinese)
    if problems:
        raise PlaybookError(problems)
    return {f"assets/javascripts/{files[0].name}": text.encode("utf-8")}
