"""``playbook build``: generate → PDFs into the docs tree → the chosen engine → checks.

``site/`` is built atomically: the engine writes into a temporary folder that replaces
``site/`` only when the whole build (pages, search index, downloads, checks) succeeded.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
import time
from dataclasses import dataclass, field

from generator.engines import choose
from generator.engines.config import write_config
from generator.engines.run import WarningCount, check_site, output_dir, run_build
from generator.engines.settings import site_settings
from generator.errors import PlaybookError, Problem
from generator.lifecycle import BuiltSite
from generator.pipeline import after_build, generate, reproducible_dates, write_files
from generator.project import Project
from generator.writer import staged_dir


@dataclass
class BuildResult:
    engine: str = "mkdocs"
    timings: dict[str, float] = field(default_factory=dict)


def build_site(project: Project, *, strict: bool = False, engine: str | None = None) -> BuildResult:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary chatter is not for users
    chosen = choose(project, engine)
    source = dataclasses.replace(project, links_from_source=chosen.links_from_source)
    result = BuildResult(engine=chosen.name)
    counter = WarningCount()  # warnings of our own steps (missing glyphs in a PDF …) count for --strict
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        with reproducible_dates(project):
            generated = generate(source, strict=strict)
            result.timings.update(generated.timings)
            for warning in generated.playbook.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            write_files(generated, project.docs_dir, result.timings)
            settings = site_settings(project, generated)
            config = write_config(project, settings, chosen, output_dir(project, chosen))
            own_warnings = list(counter.messages)
            with staged_dir(project.site_dir) as tmp:
                start = time.perf_counter()
                messages = run_build(project, chosen, config, tmp, strict=strict)
                result.timings[chosen.name] = time.perf_counter() - start
                after_build(generated, BuiltSite(tmp, chosen.material_search, generated.jieba_dict))
                problems = check_site(project, settings, chosen, tmp)
                if problems:
                    raise PlaybookError(problems)
                if strict and (own_warnings or messages):
                    raise PlaybookError(strict_problems(own_warnings + messages))
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
