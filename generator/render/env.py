"""Jinja2 environments with an ordered loader and located template errors.

``site_config/overrides/`` comes before ``templates/`` in the search path, so a
company replaces any shipped template by putting a file of the same name there.
Every environment uses ``StrictUndefined``; autoescape is on for HTML, off for Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import PlaybookError, Problem
from generator.money import format_amount
from generator.project import Project


def cn_date(value: date) -> str:
    """2026-12-31 → 2026年12月31日 (dates in Chinese text)."""
    return f"{value.year}年{value.month}月{value.day}日"


def make_env(project: Project, *, html: bool) -> jinja2.Environment:
    dirs = [str(d) for d in project.template_dirs() if d.is_dir()]
    cache = project.cache_dir / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        # «upstream/letters/x.html.j2» always names the shipped template, so a company override
        # of the same name can {% extends %} it and replace one block instead of copying the file.
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(dirs),
            jinja2.PrefixLoader({"upstream": jinja2.FileSystemLoader(str(project.templates_dir))}),
        ]),
        # Compiled templates are kept between runs; Jinja checks each source's checksum.
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["money"] = format_amount  # 1,409.50 — the one way amounts are printed
    env.globals["project_template_dirs"] = dirs
    return env


def render(env: jinja2.Environment, project: Project, name: str, context: dict[str, Any]) -> str:
    """Render one template; any template mistake becomes a located Problem."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise PlaybookError([Problem(_display(project, exc.filename, name), exc.lineno or 0, 0,
                                     f"template {exc.name or name}",
                                     f"template syntax error: {exc.message}")]) from None
    except jinja2.TemplateNotFound as exc:
        raise PlaybookError([Problem(name, 0, 0, "template",
                                     f"expected a template named '{exc.name}' in "
                                     f"{' or '.join(project.display(Path(d)) for d in _dirs(env))}, "
                                     "found none")]) from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc, env, name)
        raise PlaybookError([Problem(_display(project, filename, name), line, 0, f"template {name}",
                                     f"{exc.message}; check the variable name against the "
                                     "documented template context")]) from None
    except jinja2.TemplateError as exc:
        filename, line = _template_frame(exc, env, name)
        raise PlaybookError([Problem(_display(project, filename, name), line, 0, f"template {name}",
                                     f"template error: {exc}")]) from None


def render_all(jobs: Iterator[tuple[str, Callable[[], str]]]) -> tuple[dict[str, str], list[Problem]]:
    """Run every render job, collecting all problems instead of stopping at the first."""
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for target, job in jobs:
        try:
            out[target] = job()
        except PlaybookError as exc:
            problems.extend(exc.problems)
    return out, problems


def _template_frame(exc: BaseException, env: jinja2.Environment, name: str) -> tuple[str | None, int]:
    """Jinja rewrites tracebacks so template frames carry the template file and line."""
    tb = exc.__traceback__
    found: tuple[str | None, int] = (None, 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "/templates/" in filename or "/overrides/" in filename:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _display(project: Project, filename: str | None, name: str) -> str:
    if not filename:
        return name
    return project.display(Path(filename))


def _dirs(env: jinja2.Environment) -> list[str]:
    return list(env.globals["project_template_dirs"])  # type: ignore[arg-type]
