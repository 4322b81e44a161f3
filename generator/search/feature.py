"""Search as one feature (``generator.lifecycle``): the «常见问法» of every item on its page,
and our index and worker behind the search UI of the engine that built the site."""

from __future__ import annotations

from typing import Any

from generator.lifecycle import BuiltSite, Feature, PageSpec
from generator.search import site
from generator.session import Session


class Search(Feature):
    name = "search"

    def context(self, session: Session) -> dict[str, Any]:
        return site.site_context(session.project, session.playbook)

    def pages(self, session: Session, context: Any) -> list[PageSpec]:
        return site.site_pages(session.project, session.playbook, context)

    def nav(self, session: Session) -> list[Any]:
        return site.site_nav(session.project, session.playbook)

    def after_build(self, session: Session, built: BuiltSite) -> None:
        from generator.search.install import install, install_zensical

        if built.material_search:
            install(session.project, session.playbook, built.site_dir)
        else:
            install_zensical(session.project, session.playbook, built.site_dir, built.jieba_dict)


FEATURE = Search()
