"""``.build/<engine>.yml``: the company's ``mkdocs.yml`` with everything the playbook sets.

The engine reads this file and nothing of ours runs inside it: no ``hooks:``, no playbook
plugin. The theme overrides are merged into one folder (``.build/theme-<engine>/``) because
an engine config names a single ``custom_dir``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from generator.engines import Engine
from generator.engines.settings import SiteSettings, theme_dirs, with_search_css
from generator.errors import PlaybookError, Problem
from generator.project import Project
from generator.writer import sync_tree, write_if_changed

OUR_PLUGIN = "playbook"
"""The MkDocs plugin entry point (pyproject ``[project.entry-points."mkdocs.plugins"]``)."""
OUR_HOOK = "generator/mkdocs_hook.py"


class Tagged:
    """A YAML value with a tag the engine resolves itself (``!!python/name:…``), kept as written."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no type hints
    pass


def _env(loader: _Loader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV [NAME, default]``, resolved now (the generated file is per build)."""
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    default = names.pop() if len(names) > 1 else None
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


def _keep(loader: _Loader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged("tag:yaml.org,2002:python/" + suffix, loader.construct_scalar(node))
    raise yaml.constructor.ConstructorError(None, None, f"unsupported tag python/{suffix}", node.start_mark)


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep)


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    pass


_Dumper.add_representer(Tagged, lambda dumper, data: dumper.represent_scalar(data.tag, data.value))


def load_base(project: Project) -> dict[str, Any]:
    """The project's ``mkdocs.yml`` (what the company configured: theme, palette, extensions)."""
    path = project.mkdocs_yml
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except (OSError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise PlaybookError(
            [Problem(project.display(path), line, col, "(file)", f"expected a readable YAML file, found: {exc}")]
        ) from None
    if not isinstance(data, dict):
        raise PlaybookError([Problem(project.display(path), 1, 1, "(top level)", "expected a mapping")])
    return data


def _plugins(value: Any, settings: SiteSettings, engine: Engine) -> list[Any]:
    """The company's plugins without ours; the search plugin reads our word list (jieba)."""
    items = value if isinstance(value, list) else [{k: v} for k, v in (value or {}).items()]
    out: list[Any] = []
    for item in items:
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        if name == OUR_PLUGIN:
            continue
        options = dict(options or {})
        if name in ("search", "material/search"):
            if engine.material_search:
                options["jieba_dict_user"] = str(settings.jieba_dict)
            else:  # Zensical's search has its own tokenizer and takes only these
                options = {k: v for k, v in options.items() if k in ("enabled", "separator")}
        out.append({name: options} if options else name)
    return out


def engine_config(
    project: Project, settings: SiteSettings, engine: Engine, theme_dir: Path, site_dir: Path
) -> dict[str, Any]:
    config = load_base(project)
    config.pop("hooks", None)
    config.pop("watch", None)  # `playbook serve` watches the sources and regenerates
    config["docs_dir"] = os.path.relpath(project.docs_dir, project.build_dir)
    config["site_dir"] = os.path.relpath(site_dir, project.build_dir)
    config["site_name"] = settings.site_name
    config["copyright"] = settings.copyright
    if settings.site_url:
        config["site_url"] = settings.site_url
    config["nav"] = settings.nav
    config["extra_css"] = with_search_css(list(config.get("extra_css") or []))
    extra = dict(config.get("extra") or {})
    extra.update(company=settings.company, playbook_problems=[])
    config["extra"] = extra
    theme = config.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["custom_dir"] = os.path.relpath(theme_dir, project.build_dir)
    if settings.logo:
        theme["logo"] = settings.logo
    config["theme"] = theme
    config["plugins"] = _plugins(config.get("plugins", ["search"]), settings, engine)
    return config


def write_config(project: Project, settings: SiteSettings, engine: Engine, site_dir: Path) -> Path:
    """Write ``.build/<engine>.yml`` (and its merged theme folder); return its path."""
    theme_dir = project.build_dir / f"theme-{engine.name}"
    merged: dict[str, bytes] = {}
    for folder in reversed(theme_dirs(project)):  # the first folder wins
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                merged[path.relative_to(folder).as_posix()] = path.read_bytes()
    if engine.name == "zensical":
        from generator.engines.zensical_ui import chinese_bundle

        merged.update(chinese_bundle())
    sync_tree(theme_dir, merged)
    config = engine_config(project, settings, engine, theme_dir, site_dir)
    text = "# Generated by `playbook build` from mkdocs.yml and the playbook: do not edit.\n" + yaml.dump(
        config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000
    )
    path = project.build_dir / engine.config_name
    write_if_changed(path, text.encode("utf-8"))
    return path
