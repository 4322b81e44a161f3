"""Every page path of the generated site, in one place (like datasette's ``Urls``).

Paths are the Markdown sources MkDocs builds (``courses/basics.md``); links between pages
are made relative with :func:`relative_url`. Nothing else in ``generator/`` spells a page
path: it asks ``URLS``.
"""

from __future__ import annotations

import posixpath
import re

from generator.project import Project


class Urls:
    """The site's page paths (relative to the docs folder)."""

    index = "index.md"
    glossary = "glossary.md"
    customize = "reference/customize.md"
    format_reference = "reference/format.md"
    context_reference = "reference/contexts.md"
    letters_index = "letters/index.md"

    def module(self, module_id: str) -> str:
        """A module's page (its items are anchors on it)."""
        return f"{module_id}.md"

    def course(self, course_id: str) -> str:
        """A training course's page (its role plays are anchors on it)."""
        return f"courses/{course_id}.md"

    def letter(self, letter_id: str) -> str:
        """A letter template's page in the «函件模板» section."""
        return f"letters/{letter_id}.md"


URLS = Urls()


def relative_url(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """Markdown link from one generated page to another (MkDocs resolves ``.md``)."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def directory_urls(project: Project) -> bool:
    """MkDocs' ``use_directory_urls`` (default true) as set in mkdocs.yml; False when links
    are written relative to the page's source file (``Project.links_from_source``)."""
    if project.links_from_source:
        return False
    try:
        text = project.mkdocs_yml.read_text("utf-8")
    except OSError:
        return True
    match = re.search(r"^use_directory_urls:\s*(\S+)", text, re.M)
    return not (match and match.group(1).lower() in ("false", "no", "off"))


def page_dir(page: str, dir_urls: bool) -> str:
    """The folder of a page's URL: ``mod-a.md`` → ``mod-a`` with directory URLs."""
    stem = page.removesuffix(".md")
    if dir_urls and posixpath.basename(stem) != "index":
        return stem
    return posixpath.dirname(stem)
