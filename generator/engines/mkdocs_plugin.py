"""The ``playbook`` MkDocs plugin: plain ``mkdocs build`` / ``mkdocs serve`` generate the site.

Listed in mkdocs.yml as ``plugins: [playbook, …]`` (entry point in pyproject.toml, like
Material's own plugins). It runs the same build sequence as ``playbook build``
(``generator.pipeline``): before MkDocs reads the docs folder, the Markdown tree and every
feature's files (the PDFs, the letter files) go into it; after MkDocs wrote the site, every
feature's after-build step (our search index and worker).
``watch:`` in mkdocs.yml makes ``mkdocs serve`` rebuild when a source changes. ProperDocs
loads it too (its ``mkdocs.*`` imports are aliased to ProperDocs). Zensical runs no plugins:
``playbook build --engine zensical`` writes its config instead (generator/engines/config.py).

State lives on the plugin instance, which MkDocs keeps for the whole ``serve`` session.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority

from generator.engines.settings import site_settings, theme_dirs, with_search_css
from generator.errors import PlaybookError, Problem
from generator.lifecycle import BuiltSite
from generator.pipeline import Generated, after_build, build_date, epoch_of, generate, write_files
from generator.project import Project

log = logging.getLogger("mkdocs.plugins.playbook")


class PlaybookAbort(Abort):
    """Stops ``mkdocs build`` with the playbook's problems, one ``file:line:col`` line each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in the playbook:\n" + "\n".join(str(p) for p in self.problems)
        )


class PlaybookPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """No options: everything comes from playbook/ and site_config/."""


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.generated: Generated | None = None
        """The latest good generation (``serve`` keeps showing its nav when the YAML breaks)."""
        self.problems: list[str] = []
        self.set_epoch = False
        self.timings: dict[str, float] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    @event_priority(100)  # before the search plugin reads its jieba dictionary
    def on_config(self, config: Any) -> Any:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its dictionary chatter is not for users
        project = Project.at(Path(config.config_file_path).parent)
        # mkdocs.yml names a folder that always exists (a clean checkout has no .build/):
        # the generated tree is what MkDocs reads.
        config.docs_dir = str(project.docs_dir)
        # Reproducible sitemap and PDF dates: MkDocs and the PDF engine read SOURCE_DATE_EPOCH
        # (set for this build only, from the input; see pipeline.reproducible_dates).
        if "SOURCE_DATE_EPOCH" not in os.environ:
            os.environ["SOURCE_DATE_EPOCH"] = epoch_of(build_date(project))
            self.set_epoch = True
        for folder in reversed(theme_dirs(project)):
            if str(folder) not in config.theme.dirs:
                config.theme.dirs.insert(0, str(folder))
        self.problems = []
        try:
            generated = generate(project, strict=bool(config.strict))
            self.timings = dict(generated.timings)
            write_files(generated, project.docs_dir, self.timings)
        except PlaybookError as exc:
            self._restore_env()
            lines = [str(p) for p in exc.problems]
            if self.serving:
                return self._show_problems(config, project, lines)
            raise PlaybookAbort(exc.problems) from None
        self.generated = generated
        for warning in generated.playbook.warnings:
            log.warning(str(warning))
        return self._apply(config, project, generated)

    def _apply(self, config: Any, project: Project, generated: Generated) -> Any:
        settings = site_settings(project, generated)
        config.extra["playbook_problems"] = []
        config.nav = settings.nav
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None and hasattr(search.config, "jieba_dict_user"):
            search.config.jieba_dict_user = str(settings.jieba_dict)
        config.extra_css[:] = with_search_css(list(config.extra_css))
        config.extra["company"] = settings.company
        if settings.logo is not None:
            config.theme["logo"] = settings.logo
        if settings.site_url:
            config.site_url = settings.site_url
        config.site_name = settings.site_name
        config.copyright = settings.copyright
        return config

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """The generated Markdown is rewritten by every rebuild: watching it too would reload
        the browser twice per edit (``watch:`` in mkdocs.yml covers the real sources)."""
        with contextlib.suppress(KeyError):  # not watched (a future MkDocs may not)
            server.unwatch(config.docs_dir)
        print(
            f"Serving the playbook on {config.site_url} (edits to playbook/, templates/ and "
            "site_config/ reload the page; Ctrl+C stops)",
            flush=True,
        )
        return server

    def _show_problems(self, config: Any, project: Project, lines: list[str]) -> Any:
        """While serving, a mistake in the YAML keeps the last good pages and shows the
        problems on top of every page (theme main.html), as well as in the terminal."""
        for line in lines:
            log.error(line)
        self.problems = lines
        config.extra["playbook_problems"] = lines
        if self.generated is not None:
            config.nav = self.generated.tree.nav
        index = project.docs_dir / "index.md"
        if not index.exists():  # nothing good yet: one page to carry the message
            index.parent.mkdir(parents=True, exist_ok=True)
            index.write_text("# 构建出错\n\n请按页面顶部的提示修改后保存，页面会自动刷新。\n", encoding="utf-8")
        return config

    @event_priority(-100)  # after the search plugin wrote its index and worker
    def on_post_build(self, *, config: Any) -> None:
        """Every feature's after-build step (our search) on the site MkDocs just wrote."""
        try:
            if self.problems or self.generated is None:  # serving the last good pages, problems on top
                return
            built = BuiltSite(Path(config.site_dir), material_search=True, jieba_dict=self.generated.jieba_dict)
            try:
                after_build(self.generated, built)
            except PlaybookError as exc:
                raise PlaybookAbort(exc.problems) from None
        finally:
            self._restore_env()

    def on_build_error(self, *, error: Exception) -> None:
        self._restore_env()

    def _restore_env(self) -> None:
        """Leave the environment as we found it (``mkdocs serve`` builds again in this process)."""
        if self.set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.set_epoch = False
