"""Search as one feature (``generator.lifecycle``): the «常见问法» of every item on its page,
and our index and worker behind the search UI of the engine that built the site."""

from __future__ import annotations

from generator.lifecycle import BuiltSite, ModuleFeature
from generator.search import site as site_module
from generator.session import Session


class Search(ModuleFeature):
    name = "search"

    site = site_module

    def after_build(self, session: Session, built: BuiltSite) -> None:
        from generator.search.install import install, install_zensical

        if built.material_search:
            install(session.project, session.playbook, built.site_dir)
        else:
            install_zensical(session.project, session.playbook, built.site_dir, built.jieba_dict)


FEATURE = Search()
