"""Jinja2 environments with an ordered loader and located template errors.

``site_config/overrides/`` comes before ``templates/`` in the search path, so a
company replaces any shipped template by putting a file of the same name there.
Every environment uses ``StrictUndefined``; autoescape is on for HTML, off for Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import PlaybookError, Problem
from generator.money import format_amount
from generator.project import Project
from generator.yamlload import lookalike_hint


def cn_date(value: date) -> str:
    """2026-12-31 → 2026年12月31日 (dates in Chinese text)."""
    return f"{value.year}年{value.month}月{value.day}日"


class CheckedLoader(jinja2.FileSystemLoader):
    """A template file is checked before Jinja reads it whole: an override that is a FIFO,
    a link to a device or a file of megabytes is refused by name, never read or skipped."""

    def __init__(self, searchpath: str | list[str], project: Project) -> None:
        super().__init__(searchpath)
        self.project = project

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        import os

        from jinja2.loaders import split_template_path

        from generator.safeio import MAX_TEMPLATE_BYTES, read_checked

        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if os.path.lexists(path):
                read_checked(
                    path, self.project.display(path), limit=MAX_TEMPLATE_BYTES, what="a template file", where="template"
                )
                break
        return super().get_source(environment, template)


def make_env(project: Project, *, html: bool) -> jinja2.Environment:
    dirs = [str(d) for d in project.template_dirs() if d.is_dir()]
    cache = project.cache_dir / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        # «upstream/letters/x.html.j2» always names the shipped template, so a company override
        # of the same name can {% extends %} it and replace one block instead of copying the file.
        loader=jinja2.ChoiceLoader(
            [
                CheckedLoader(dirs, project),
                jinja2.PrefixLoader({"upstream": CheckedLoader(str(project.templates_dir), project)}),
            ]
        ),
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
        raise PlaybookError([syntax_problem(project, exc, name)]) from None
    except jinja2.TemplateNotFound as exc:
        raise PlaybookError(
            [
                Problem(
                    name,
                    0,
                    0,
                    "template",
                    f"expected a template named '{exc.name}' in "
                    f"{' or '.join(project.display(Path(d)) for d in _dirs(env))}, "
                    "found none",
                )
            ]
        ) from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc, env, name)
        col = _column_of(filename, line, _QUOTED.findall(exc.message or "")[-1:])
        raise PlaybookError(
            [
                Problem(
                    _display(project, filename, name),
                    line,
                    col,
                    f"template {name}",
                    f"{exc.message}; check the variable name against the documented template context",
                )
            ]
        ) from None
    except jinja2.TemplateError as exc:
        filename, line = _template_frame(exc, env, name)
        raise PlaybookError(
            [
                Problem(
                    _display(project, filename, name),
                    line,
                    _column_of(filename, line, []),
                    f"template {name}",
                    f"template error: {exc}",
                )
            ]
        ) from None


_OFFSET = re.compile(r"unexpected char (?P<char>'.+?'|\".+?\") at (?P<at>\d+)")
_QUOTED = re.compile(r"'([^']+)'")


def syntax_problem(project: Project, exc: jinja2.TemplateSyntaxError, name: str) -> Problem:
    """A Jinja syntax error at line:column (Jinja gives a line, or a character offset for a
    character it cannot read), with a hint when the character is a full-width look-alike."""
    display = _display(project, exc.filename, name)
    source = _source(exc.filename)
    message = exc.message or "invalid syntax"
    line, col = exc.lineno or 0, 0
    found = _OFFSET.search(message)
    if found and source is not None:
        at = min(int(found["at"]), len(source))
        char = source[at] if at < len(source) else ""
        line = source.count("\n", 0, at) + 1
        col = at - (source.rfind("\n", 0, at) + 1) + 1
        hint = lookalike_hint(char)
        message = f"unexpected character {found['char']}" + (f"; {hint}" if hint else "")
    else:
        col = _column_of(exc.filename, line, _QUOTED.findall(message)[:1])
    return Problem(display, line, col, f"template {exc.name or name}", f"template syntax error: {message}")


def _source(filename: str | None) -> str | None:
    if not filename:
        return None
    try:
        return Path(filename).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _column_of(filename: str | None, line: int, words: list[str]) -> int:
    """1-based column of the first of ``words`` on ``line`` (else of the line's first Jinja tag)."""
    source = _source(filename)
    if source is None or line < 1:
        return 0
    lines = source.splitlines()
    if line > len(lines):
        return 0
    text = lines[line - 1]
    for word in words:
        if word and word in text:
            return text.index(word) + 1
    tags = [i for i in (text.find("{{"), text.find("{%")) if i >= 0]
    return (min(tags) + 1) if tags else (len(text) - len(text.lstrip()) + 1)


def check_templates(project: Project) -> list[Problem]:
    """Compile every template, the company's overrides included (a typo in a template no page
    uses today is still found), with the environment its kind is rendered with."""
    problems: list[Problem] = []
    envs = {True: make_env(project, html=True), False: make_env(project, html=False)}
    for folder in project.template_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.j2")):
            rel = path.relative_to(folder).as_posix()
            if rel.startswith("theme/"):
                continue  # MkDocs theme templates: compiled by MkDocs with its own environment
            env = envs[".html." in path.name or ".css." in path.name]
            from generator.safeio import MAX_TEMPLATE_BYTES, read_checked

            try:
                raw = read_checked(
                    path, project.display(path), limit=MAX_TEMPLATE_BYTES, what="a template file", where="template"
                )
                source = raw.decode("utf-8")
            except PlaybookError as exc:
                problems.extend(exc.problems)
                continue
            except UnicodeDecodeError as exc:
                problems.append(Problem(project.display(path), 0, 0, "template", f"expected UTF-8 text, found {exc}"))
                continue
            try:
                env.parse(source, rel, str(path))
            except jinja2.TemplateSyntaxError as exc:
                exc.filename = exc.filename or str(path)
                problems.append(syntax_problem(project, exc, rel))
    return problems


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
    dirs: list[str] = env.globals["project_template_dirs"]  # type: ignore[assignment]  # set by make_env
    return list(dirs)
