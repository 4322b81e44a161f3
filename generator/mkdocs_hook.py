"""MkDocs hook: run the generator before MkDocs reads the docs folder.

Listed under ``hooks:`` in mkdocs.yml, so plain ``mkdocs build`` and
``mkdocs serve`` regenerate the Markdown tree from ``playbook/`` first; ``watch:``
makes ``mkdocs serve`` rebuild (and reload the page) when a YAML file changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from generator.errors import PlaybookError
from generator.pipeline import build_date, epoch_of, generate
from generator.project import Project
from generator.render.site import logo_asset

log = logging.getLogger("mkdocs.plugins.playbook")


_SET_BY_US: set[str] = set()
_BUILT: dict[str, Any] = {}


@event_priority(100)  # before the search plugin reads its jieba dictionary
def on_config(config: Any) -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary chatter is not for users
    project = Project.at(Path(config.config_file_path).parent)
    # Reproducible sitemap and PDF dates: MkDocs and the PDF engine read SOURCE_DATE_EPOCH
    # (set for this build only, from the input; see pipeline.reproducible_dates).
    if "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = epoch_of(build_date(project))
        _SET_BY_US.add("SOURCE_DATE_EPOCH")
    theme_dirs = [project.overrides_dir / "theme", project.templates_dir / "theme"]
    for folder in reversed(theme_dirs):
        if folder.is_dir() and str(folder) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(folder))
    try:
        result = generate(project, strict=bool(config.strict))
    except PlaybookError as exc:
        on_build_error(None)
        lines = [str(p) for p in exc.problems]
        if _SERVE.serving:
            return _show_problems(config, project, lines)
        abort = Abort(f"{len(lines)} problem(s) in the playbook:\n" + "\n".join(lines))
        abort.problems = exc.problems  # type: ignore[attr-defined]  # for `playbook build`
        raise abort from None
    _BUILT["playbook"] = result.playbook  # the search index needs it after MkDocs wrote the site
    config.extra["playbook_problems"] = []
    _SERVE.nav = result.tree.nav
    for warning in result.playbook.warnings:
        log.warning(str(warning))
    config.nav = result.tree.nav
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and hasattr(search.config, "jieba_dict_user"):
        search.config.jieba_dict_user = str(result.jieba_dict)
    if "assets/search.css" not in config.extra_css:  # generator/render/site.py writes it
        config.extra_css.insert(0, "assets/search.css")
    config.extra["company"] = result.playbook.company.model_dump()
    logo = logo_asset(result.playbook)
    if logo is not None:
        config.theme["logo"] = logo
    company = result.playbook.company
    if company.site_url:  # published under a sub-path: 404.html must link into it
        config.site_url = company.site_url.rstrip("/") + "/"
    config.site_name = f"{company.short_name}回款手册"  # the header shows whose playbook this is
    config.copyright = f"© {company.name} · 内部资料，请勿外传 · 联系电话 {company.phone}"
    return config


class _ServeState:
    """What ``mkdocs serve`` keeps between rebuilds in this process."""

    serving = False
    nav: Any = None


_SERVE = _ServeState()


def on_startup(command: str, dirty: bool) -> None:
    _SERVE.serving = command == "serve"


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """The generated Markdown is rewritten by every rebuild: watching it too would reload
    the browser twice per edit (``watch:`` in mkdocs.yml covers the real sources)."""
    with contextlib.suppress(KeyError):  # not watched (a future MkDocs may not)
        server.unwatch(config.docs_dir)
    print(f"Serving the playbook on {config.site_url} (edits to playbook/, templates/ and "
          "site_config/ reload the page; Ctrl+C stops)", flush=True)
    return server


def _show_problems(config: Any, project: Project, lines: list[str]) -> Any:
    """While serving, a mistake in the YAML keeps the last good pages and shows the
    problems on top of every page (theme main.html), as well as in the terminal."""
    for line in lines:
        log.error(line)
    config.extra["playbook_problems"] = lines
    if _SERVE.nav is not None:
        config.nav = _SERVE.nav
    index = project.docs_dir / "index.md"
    if not index.exists():  # nothing good yet: one page to carry the message
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text("# 构建出错\n\n请按页面顶部的提示修改后保存，页面会自动刷新。\n", encoding="utf-8")
    return config


def on_post_build(config: Any) -> None:
    """Extra outputs (the PDFs) into the site MkDocs just wrote, for every way of building."""
    if config.extra.get("playbook_problems"):  # serving the last good pages with the problems on top
        on_build_error(None)
        return
    try:
        _install_search(config)
        _post_build_steps(config)
    finally:
        on_build_error(None)


def on_build_error(error: object) -> None:
    """Leave the environment as we found it (``mkdocs serve`` builds again in this process)."""
    for name in list(_SET_BY_US):
        os.environ.pop(name, None)
        _SET_BY_US.discard(name)


def _install_search(config: Any) -> None:
    """Our search engine and index in place of Material's worker (generator/search/install.py)."""
    from generator.search.install import install

    project = Project.at(Path(config.config_file_path).parent)
    try:
        install(project, _BUILT["playbook"], Path(config.site_dir))
    except PlaybookError as exc:
        abort = Abort("\n".join(str(p) for p in exc.problems))
        abort.problems = exc.problems  # type: ignore[attr-defined]
        raise abort from None


def _post_build_steps(config: Any) -> None:
    import importlib

    from generator.build import POST_BUILD
    from generator.pipeline import LAST_TIMINGS

    project = Project.at(Path(config.config_file_path).parent)
    try:
        for name in POST_BUILD:
            importlib.import_module(name).post_build(project, Path(config.site_dir), LAST_TIMINGS)
    except PlaybookError as exc:
        abort = Abort("\n".join(str(p) for p in exc.problems))
        abort.problems = exc.problems  # type: ignore[attr-defined]
        raise abort from None
