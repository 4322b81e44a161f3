"""Where things live in a playbook project (the folder holding ``mkdocs.yml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Paths of one project; every command works on one of these."""

    root: Path
    links_from_source: bool = False
    """Links written in raw HTML on generated pages (downloads, pictures) are relative to the
    page's source file, for engines that rewrite them as such (Zensical); else (MkDocs) they
    are relative to the page's URL, which MkDocs leaves as written."""

    @classmethod
    def at(cls, root: str | Path | None = None) -> Project:
        return cls(Path(root or ".").resolve())

    @property
    def playbook_dir(self) -> Path:
        return self.root / "playbook"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def defaults_dir(self) -> Path:
        """Upstream-owned defaults (sample company, default policy …) that ``site_config/``
        files are merged over, key by key."""
        return self.root / "defaults"

    @property
    def overrides_lock(self) -> Path:
        """What each override was copied from, and which defaults the company has reviewed."""
        return self.site_config_dir / "overrides.lock"

    @property
    def site_config_dir(self) -> Path:
        return self.root / "site_config"

    @property
    def overrides_dir(self) -> Path:
        return self.site_config_dir / "overrides"

    @property
    def build_dir(self) -> Path:
        """Git-ignored working folder for generated files."""
        return self.root / ".build"

    @property
    def docs_dir(self) -> Path:
        """The generated Markdown tree MkDocs builds from."""
        return self.build_dir / "docs"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project, with slashes."""
        # as written first (a link inside the project is named by its own path, not its target's)
        for candidate in (path.absolute(), path.resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def template_dirs(self) -> list[Path]:
        """Template search order: company overrides first, then the shipped templates."""
        return [self.overrides_dir, self.templates_dir]
