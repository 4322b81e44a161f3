"""The site's Markdown tree, navigation and search dictionary, from the playbook.

What every site template may use is the typed context in ``generator.contexts`` (rendered
on the site as «模板上下文参考», ``reference/contexts.md``). Features (printouts, letters,
search, pictures) add pages through the steps of their lifecycle (``generator.lifecycle``);
the list of them is assembled once, at the top, in ``generator.features.FEATURES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from generator import __version__
from generator.errors import PlaybookError
from generator.lifecycle import Feature, PageSpec
from generator.overrides import template_in_use
from generator.playbook import Playbook
from generator.project import Project
from generator.render.env import make_env, render, render_all
from generator.render.format_reference import schema_sections
from generator.render.site_context import SITE_CONTEXTS, as_variables
from generator.session import Session
from generator.tailoring import scrub_text
from generator.urls import URLS, relative_url

PageContext = Callable[..., dict[str, Any]]
"""``context(page, template, **extra)``: the typed context (``render.site_context``) of a
template on one page, as the template's variables."""


HAN = re.compile(r"^[\u3400-\u9fff]+$")
DICT_MAX_CHARS = 7


@dataclass
class SiteTree:
    """Everything the site build needs: files, navigation and search words."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)
    search_words: list[str] = field(default_factory=list)


def build_tree(session: Session, build_date: date, features: Sequence[Feature]) -> SiteTree:
    """Render every page; ``features`` add theirs (``generator.features.FEATURES``): the context,
    pages and nav steps of their lifecycle (``generator.lifecycle``)."""
    project, playbook = session.project, session.playbook
    env = make_env(project, html=False)
    tree = SiteTree()
    shared: dict[str, Any] = {}
    for feature in features:
        shared.update(feature.context(session))

    def context(page: str, template: str, **extra: Any) -> dict[str, Any]:
        """The typed context of ``template`` on ``page`` (``render.site_context``)."""

        def link(id_: str) -> str:
            entry = playbook.index[id_]
            return relative_url(page, entry.page, entry.anchor)

        def title_of(id_: str) -> str:
            return playbook.index[id_].title

        def letter_link(id_: str) -> str:
            return relative_url(page, URLS.letter(id_))

        letter_title = session.letters.title

        def requirement_title(id_: str) -> str:
            """A ladder prerequisite: an earlier rung (by its title) or a letter sent."""
            if id_ in playbook.index:
                return f"已实施「{playbook.index[id_].title}」"
            return f"已发出{letter_title(id_)}"

        typed = SITE_CONTEXTS[template](
            template_path=lambda rel: template_in_use(project, rel),
            playbook=playbook,
            company=playbook.company,
            page=page,
            link=link,
            title_of=title_of,
            letter_link=letter_link,
            letter_title=letter_title,
            requirement_title=requirement_title,
            version=__version__,
            build_date=build_date,
            **shared,
            **extra,
        )
        return as_variables(typed)

    pages: list[PageSpec] = [
        (URLS.index, "site/index.md.j2", {}),
        (URLS.glossary, "site/glossary.md.j2", {}),
        (URLS.customize, "site/customize.md.j2", {}),
        (URLS.format_reference, "site/format.md.j2", {"sections": schema_sections()}),
    ]
    pages += [(URLS.module(m.id), "site/module.md.j2", {"module": m}) for m in playbook.modules]
    pages += [(URLS.course(c.id), "site/course.md.j2", {"course": c}) for c in playbook.course_list()]
    for feature in features:
        pages += feature.pages(session, context)
    jobs: list[tuple[str, Any]] = [
        (page, lambda p=page, t=template, e=extra: render(env, project, t, context(p, t, **e)))
        for page, template, extra in pages
    ]
    files, problems = render_all(iter(jobs))
    if problems:
        raise PlaybookError(problems)
    # Texts that come from templates rather than the playbook (letter descriptions, say) list
    # measures too: a switched-off rung leaves every list.
    tree.files.update({page: scrub_text(text, playbook.measures_off, set()) for page, text in files.items()})
    _add_assets(project, playbook, tree)
    tree.nav = build_nav(playbook, [entry for f in features for entry in f.nav(session)])
    from generator.search.lexicon import load_lexicon  # upstream's words live in defaults/search.yaml

    lexicon_words = [w for w in load_lexicon(project).words if HAN.match(w) and 2 <= len(w) <= DICT_MAX_CHARS]
    tree.search_words = sorted(set(search_words(playbook)) | set(lexicon_words))
    return tree


def _add_assets(project: Project, playbook: Playbook, tree: SiteTree) -> None:
    for name in ("playbook.css", "search.css"):  # search.css: «常见问法» and the result list
        css = project.templates_dir / "site" / "assets" / name
        if css.exists():
            tree.files[f"assets/{name}"] = css.read_bytes()
    from generator.pdf import FONT_DIR, FONT_FILES  # the same OFL font the PDFs embed

    tree.files["assets/fonts/" + FONT_FILES[400]] = (FONT_DIR / FONT_FILES[400]).read_bytes()
    tree.files["assets/fonts/OFL.txt"] = (FONT_DIR / "OFL.txt").read_bytes()
    asset = logo_asset(playbook)
    from generator.safeio import MAX_PICTURE_BYTES, MAX_TEMPLATE_BYTES, read_checked

    if asset is not None:  # the model checked that the file exists; what it is is checked here
        logo = project.site_config_dir / playbook.company.logo
        tree.files[asset] = read_checked(logo, project.display(logo), limit=MAX_PICTURE_BYTES, what="a logo picture")
    company_css = project.site_config_dir / "extra.css"
    tree.files["assets/company.css"] = (
        read_checked(company_css, project.display(company_css), limit=MAX_TEMPLATE_BYTES, what="a stylesheet")
        if company_css.exists()
        else b""
    )


def logo_asset(playbook: Playbook) -> str | None:
    """Where the company's logo goes in the site (``assets/company-logo.png``), if it has one."""
    logo = playbook.company.logo
    return f"assets/company-logo{PurePosixPath(logo).suffix.lower()}" if logo else None


def build_nav(playbook: Playbook, extra: list[Any] | None = None) -> list[Any]:
    """Navigation in workflow order: modules by ``order``, grouped by ``section``."""
    nav: list[Any] = [{"首页": URLS.index}]
    groups: dict[str, list[Any]] = {}
    for module in playbook.modules:
        entry = {module.nav_title or module.title: URLS.module(module.id)}
        if module.section:
            if module.section not in groups:
                groups[module.section] = []
                nav.append({module.section: groups[module.section]})
            groups[module.section].append(entry)
        else:
            nav.append(entry)
    courses = [{c.title: URLS.course(c.id)} for c in playbook.course_list()]
    if courses:
        nav.append({"培训课程": courses})
    nav.extend(extra or [])
    nav.append({"术语表": URLS.glossary})
    nav.append(
        {
            "参考": [
                {"如何为本公司定制": URLS.customize},
                {"内容格式参考": URLS.format_reference},
                {"模板上下文参考": URLS.context_reference},
            ]
        }
    )
    return nav


def search_words(playbook: Playbook) -> list[str]:
    """Words jieba must keep whole: short titles, aliases, terms and company additions."""
    words: set[str] = set(playbook.search_words)
    candidates: list[str] = []
    for module in playbook.modules:
        candidates.append(module.nav_title)
    for _module, item, _parent in playbook.items():
        candidates.append(item.title)
        candidates.extend(item.aliases)
    for term in playbook.terms():
        candidates.append(term.term)
        candidates.extend(term.aliases)
    for word in candidates:
        word = word.strip()
        if HAN.match(word) and 2 <= len(word) <= DICT_MAX_CHARS:
            words.add(word)
    return sorted(words)


def jieba_dictionary(words: list[str]) -> str:
    """jieba user dictionary: one ``word frequency`` per line, high enough to win."""
    return "".join(f"{w} 20000\n" for w in words)
