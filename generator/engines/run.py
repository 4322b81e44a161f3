"""Run an engine on the generated config, and check what it built.

MkDocs runs in this process (as before: its warnings are counted for ``--strict``);
ProperDocs and Zensical run as ``python -m <engine>`` (ProperDocs aliases every ``mkdocs``
import to itself, which must not happen inside this process).
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.utils import CountHandler

from generator.engines import Engine
from generator.engines.settings import SiteSettings
from generator.errors import PlaybookError, Problem
from generator.project import Project

_LEVEL = re.compile(r"^\s*(WARNING|ERROR)\s+-\s+(.*)$")
DOWNLOAD = re.compile(r'href="([^"#?]+\.(?:pdf|docx))"')


class WarningCount(CountHandler):
    """MkDocs' own ``CountHandler`` (what ``mkdocs build --strict`` counts warnings with), also
    keeping each warning's text: ``--strict`` lists them as problems, not only their number."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def handle(self, record: logging.LogRecord) -> bool:
        counted = bool(super().handle(record))  # type: ignore[no-untyped-call]  # MkDocs leaves it unannotated
        if counted:
            self.messages.append(record.getMessage())
        return counted


def output_dir(project: Project, engine: Engine) -> Path:
    """Where the engine writes (Zensical only writes inside its config's folder)."""
    return project.build_dir / f"site-{engine.name}"


def run_build(project: Project, engine: Engine, config: Path, site_dir: Path, *, strict: bool) -> list[str]:
    """Build into ``site_dir`` (an empty folder); return the engine's warnings."""
    if engine.name == "mkdocs":
        return _mkdocs_in_process(config, site_dir, strict=strict)
    command = [sys.executable, "-m", engine.module, "build", "-f", str(config)]
    if engine.name == "zensical":
        out = output_dir(project, engine)
        shutil.rmtree(out, ignore_errors=True)  # a page removed from the playbook leaves the site
    else:
        command += ["-d", str(site_dir)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(command, cwd=project.root, capture_output=True, text=True, env=env, check=False)
    lines = (proc.stdout + "\n" + proc.stderr).splitlines()
    messages = [m.group(2).strip() for m in map(_LEVEL.match, lines) if m]
    if proc.returncode != 0:
        found = messages or [line for line in lines if line.strip()][-5:] or [f"exit status {proc.returncode}"]
        raise PlaybookError([Problem(engine.name, 0, 0, "build", line) for line in found])
    if engine.name == "zensical":
        built = output_dir(project, engine)
        for entry in site_dir.iterdir():  # the staging folder's marker (writer.MARKER) goes along
            os.replace(entry, built / entry.name)
        site_dir.rmdir()
        os.replace(built, site_dir)
    return messages


def _mkdocs_in_process(config_file: Path, site_dir: Path, *, strict: bool) -> list[str]:
    import jieba
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    jieba.setLogLevel(logging.WARNING)  # the search plugin's dictionary chatter is not for users
    counter = WarningCount()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
            build(config)
        except Abort as exc:
            raise PlaybookError([Problem("mkdocs", 0, 0, "build", m) for m in counter.messages or [str(exc)]]) from None
        except ConfigurationError as exc:
            raise PlaybookError([Problem("mkdocs.yml", 0, 0, "config", str(exc))]) from None
    finally:
        logger.removeHandler(counter)
    return counter.messages


def nav_pages(nav: list[Any]) -> list[tuple[str, str]]:
    """(title, page.md) for every page in the navigation, and (section, "") for sections."""
    out: list[tuple[str, str]] = []
    for entry in nav:
        for title, value in entry.items() if isinstance(entry, dict) else [("", entry)]:
            if isinstance(value, list):
                out.append((title, ""))
                out.extend(nav_pages(value))
            else:
                out.append((title, str(value)))
    return out


def page_html(page: str, directory_urls: bool) -> str:
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index") or not directory_urls:
        return stem + ".html"
    return stem + "/index.html"


def check_site(project: Project, settings: SiteSettings, engine: Engine, site_dir: Path) -> list[Problem]:
    """What a build must never lose, whichever engine made it: every page of the navigation
    (titles and sections in the sidebar), the company's name, every download file and the
    link to it, and the search index."""
    from generator.urls import directory_urls

    dir_urls = directory_urls(project)
    problems: list[Problem] = []
    where = f"{engine.name} build"
    home_file = site_dir / "index.html"
    home = home_file.read_text(encoding="utf-8") if home_file.is_file() else ""
    if html.escape(settings.site_name, quote=False) not in home:
        problems.append(
            Problem(
                where,
                0,
                0,
                "branding",
                f"expected the site name «{settings.site_name}» on the home page, found it missing",
            )
        )
    for title, page in nav_pages(settings.nav):
        if page and not (site_dir / page_html(page, dir_urls)).is_file():
            problems.append(
                Problem(
                    where,
                    0,
                    0,
                    "nav",
                    f"expected the page «{title}» ({page}) at {page_html(page, dir_urls)}, found nothing",
                )
            )
        elif home and not page.endswith("/index.md") and html.escape(title, quote=False) not in home:
            # (a section's index page is the section's own link: its title is not shown)
            problems.append(
                Problem(where, 0, 0, "nav", f"expected «{title}» in the navigation of the home page, found it missing")
            )
    for path in sorted(project.docs_dir.rglob("*")):
        if path.suffix in (".pdf", ".docx") and not (site_dir / path.relative_to(project.docs_dir)).is_file():
            problems.append(
                Problem(
                    where,
                    0,
                    0,
                    "downloads",
                    f"expected {path.relative_to(project.docs_dir).as_posix()} in the site, found it missing",
                )
            )
    for html_page in sorted(site_dir.rglob("*.html")):
        for href in set(DOWNLOAD.findall(html_page.read_text(encoding="utf-8", errors="replace"))):
            if "://" in href or href.startswith("//"):
                continue
            base = site_dir if href.startswith("/") else html_page.parent
            if not (base / href.lstrip("/")).resolve().is_file():
                rel = html_page.relative_to(site_dir).as_posix()
                problems.append(
                    Problem(where, 0, 0, "downloads", f"expected {href} (linked from {rel}) to exist, found nothing")
                )
    if not (site_dir / engine.search_index).is_file():
        problems.append(
            Problem(where, 0, 0, "search", f"expected the search index {engine.search_index}, found nothing")
        )
    more = [Problem(where, 0, 0, "", f"… and {len(problems) - 50} more")] if len(problems) > 50 else []
    return problems[:50] + more
