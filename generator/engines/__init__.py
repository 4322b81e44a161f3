"""The static-site engines the playbook builds with, and which one a build uses.

The generator writes the Markdown tree and one engine config under ``.build/`` (see
``generator.engines.config``); any of these engines turns that into ``site/``. None of them
needs a hook or a plugin of ours: everything the site needs (nav, branding, CSS, search
dictionary) is in the generated config, and the PDFs are already in the docs tree.

Which engine: ``--engine`` on ``playbook build``/``serve``, else ``engine:`` in
``site_config/engine.yaml``, else the first installed in ``ENGINE_ORDER``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import yaml

from generator.errors import PlaybookError, Problem, describe, did_you_mean, valid_choices
from generator.project import Project


@dataclass(frozen=True)
class Engine:
    """One engine: how to run it and what its site looks like."""

    name: str
    """The name users type (``--engine``, ``site_config/engine.yaml``, the pip extra)."""
    module: str
    """The Python module run as ``python -m <module> build|serve``."""
    config_name: str
    """The generated config's file name under ``.build/``."""
    material_search: bool
    """Material's search UI; False: Zensical's. Either way its worker is replaced by ours
    (MiniSearch + the playbook's lexicon) speaking that UI's messages (generator/search/install.py)."""
    search_index: str
    """The search index inside the built site (its size is what a phone downloads)."""
    install: str
    """How to install it (told when it is missing)."""
    links_from_source: bool = False
    """It rewrites relative links in raw HTML as relative to the page's source file
    (Zensical does, MkDocs leaves them as written): see ``Project.links_from_source``."""

    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("mkdocs", "mkdocs", "mkdocs.yml", True, "search/search_index.json", "pip install -e ."),
        Engine(
            "properdocs",
            "properdocs",
            "properdocs.yml",
            True,
            "search/search_index.json",
            "pip install -e '.[properdocs]'",
        ),
        Engine(
            "zensical",
            "zensical",
            "zensical.yml",
            False,
            "search.json",
            "pip install -e '.[zensical]'",
            links_from_source=True,
        ),
    )
}
ENGINE_ORDER = ("mkdocs", "properdocs", "zensical")
"""Without ``--engine`` or ``site_config/engine.yaml``, the first of these that is installed.
MkDocs comes first while Material for MkDocs is maintained (until May 5, 2027): it is what
upstream's pages and tests were made with; a company switches by one line in
``site_config/engine.yaml``."""

SETTINGS_FILE = "engine.yaml"


def configured(project: Project) -> tuple[str | None, Problem | None]:
    """``engine:`` from ``site_config/engine.yaml`` (None when unset), or the problem with it."""
    path = project.site_config_dir / SETTINGS_FILE
    rel = project.display(path)
    if not path.exists():  # a folder or a pipe of that name is refused below, not ignored
        return None, None
    from generator.safeio import read_checked

    try:
        node = yaml.compose(read_checked(path, rel, limit=1 << 20, what="a YAML file").decode("utf-8", "replace"))
    except PlaybookError as exc:
        return None, exc.problems[0]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, Problem(rel, line, col, "(file)", f"expected YAML, found an error: {exc}")
    if node is None:  # only comments
        return None, None
    if not isinstance(node, yaml.MappingNode):
        found = "a list" if isinstance(node, yaml.SequenceNode) else describe(node.value)
        return None, Problem(
            rel,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "(top level)",
            f"expected a mapping with the key engine, found {found}",
        )
    for key, value in node.value:
        if key.value != "engine":
            return None, Problem(
                rel,
                key.start_mark.line + 1,
                key.start_mark.column + 1,
                str(key.value),
                f"unknown key '{key.value}'{did_you_mean(key.value, ['engine'])} ({valid_choices(['engine'])})",
            )
        name = value.value if isinstance(value, yaml.ScalarNode) else None
        if name in ("", "null", "~", None) and isinstance(value, yaml.ScalarNode):
            return None, None
        if name not in ENGINES:
            found = f"'{name}'" if isinstance(value, yaml.ScalarNode) else "a list or mapping"
            return None, Problem(
                rel,
                value.start_mark.line + 1,
                value.start_mark.column + 1,
                "engine",
                f"expected one of {', '.join(ENGINE_ORDER)}, found {found}{did_you_mean(str(name), ENGINES)}",
            )
        return str(name), None
    return None, None


def choose(project: Project, requested: str | None = None) -> Engine:
    """The engine for this build; PlaybookError when the configured one is unknown or missing."""
    name, problem = (requested, None) if requested else configured(project)
    if problem is not None:
        raise PlaybookError([problem])
    if name is not None:
        engine = ENGINES[name]
        if not engine.installed():
            where = "--engine" if requested else project.display(project.site_config_dir / SETTINGS_FILE)
            raise PlaybookError(
                [
                    Problem(
                        where, 0, 0, "engine", f"expected {name} to be installed, found it missing ({engine.install})"
                    )
                ]
            )
        return engine
    for candidate in ENGINE_ORDER:
        if ENGINES[candidate].installed():
            return ENGINES[candidate]
    raise PlaybookError(
        [Problem("engine", 0, 0, "engine", f"expected one of {', '.join(ENGINE_ORDER)} to be installed, found none")]
    )
