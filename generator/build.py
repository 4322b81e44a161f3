"""``site/`` built atomically: MkDocs writes into a temporary folder that replaces
``site/`` only when the whole build (pages, search index, downloads) succeeded."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field

from generator.errors import PlaybookError, Problem
from generator.project import Project
from generator.writer import staged_dir

POST_BUILD: list[str] = ["generator.printing.build", "generator.letters.site"]
"""Modules that write extra outputs (e.g. PDFs) into the site MkDocs just built; the hook's
``on_post_build`` runs them (so plain ``mkdocs build``/``serve`` get them too). Each defines
``post_build(project: Project, site_dir: Path, timings: dict[str, float]) -> None`` and may
raise PlaybookError; ``playbook build`` replaces ``site/`` only when all of them succeeded."""


@dataclass
class BuildResult:
    timings: dict[str, float] = field(default_factory=dict)


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(project: Project, *, strict: bool = False) -> BuildResult:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    result = BuildResult()
    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        with staged_dir(project.site_dir) as tmp:
            start = time.perf_counter()
            try:
                config = load_config(str(project.mkdocs_yml), site_dir=str(tmp), strict=strict)
                build(config)
            except Abort as exc:
                problems = getattr(exc, "problems", None)
                if problems:
                    raise PlaybookError(problems) from None
                raise PlaybookError(strict_problems(counter.messages or [str(exc)])) from None
            except ConfigurationError as exc:
                raise PlaybookError([Problem("mkdocs.yml", 0, 0, "config", str(exc))]) from None
            from generator.pipeline import LAST_TIMINGS

            # The hook ran the generator before MkDocs and the POST_BUILD steps after it.
            result.timings.update(LAST_TIMINGS)
            own = sum(LAST_TIMINGS.values())
            result.timings["mkdocs"] = time.perf_counter() - start - own
            if strict and counter.messages:
                raise PlaybookError(strict_problems(counter.messages))
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    return result


def strict_problems(messages: list[str]) -> list[Problem]:
    """Warnings that --strict turns into errors; the generator's already carry file:line."""
    located = re.compile(r"^([^\s:]+):(\d+):(\d+): ([^:]+): (.*)$", re.S)
    out = []
    for message in messages:
        match = located.match(message)
        if match:
            path, line, col, where, what = match.groups()
            out.append(Problem(path, int(line), int(col), where, what))
        else:
            out.append(Problem("mkdocs", 0, 0, "strict", message))
    return out
