"""The search lexicon: upstream's ``defaults/search.yaml`` plus the company's additions.

A company's ``site_config/search.yaml`` only adds: its words, generic words and synonyms
join upstream's (a synonym list for a term upstream already has is extended, never
replaced), so pulling a new upstream release keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Collector, PlaybookError
from generator.project import Project
from generator.schema.base import validate
from generator.schema.site import SearchWords
from generator.yamlload import load_file

FILE_NAME = "search.yaml"


@dataclass
class Lexicon:
    """Merged search vocabulary (upstream first, then the company's additions)."""

    words: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    def add(self, more: SearchWords) -> None:
        self.words.extend(w for w in more.words if w not in self.words)
        self.generic.extend(w for w in more.generic if w not in self.generic)
        for term, variants in more.synonyms.items():
            known = self.synonyms.setdefault(term, [])
            known.extend(v for v in variants if v not in known)


def load_lexicon(project: Project) -> Lexicon:
    """Upstream's lexicon merged with the company's; all problems in one error."""
    errors = Collector()
    lexicon = Lexicon()
    for path in (project.defaults_dir / FILE_NAME, project.site_config_dir / FILE_NAME):
        found = _load(project, path, errors)
        if found is not None:
            lexicon.add(found)
    errors.raise_if_any()
    return lexicon


def _load(project: Project, path: Path, errors: Collector) -> SearchWords | None:
    if not path.is_file():
        return None
    try:
        doc = load_file(path, project.display(path))
    except PlaybookError as exc:
        errors.extend(exc.problems)
        return None
    if doc.data is None:  # a file of comments only: nothing added
        return None
    found, problems = validate(SearchWords, doc)
    errors.extend(problems)
    return found
