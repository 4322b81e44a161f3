"""The playbook as data: ``Playbook``, its index of ``Entry`` objects, and the walks over it.

This module sits below loading (``generator.loader``) and tailoring
(``generator.tailoring``): both build on these types, nothing here imports them. Every
``Entry`` is made here (``*_entry`` below), and every walk over the id references of the
schema (``related``, ``refs``) is :func:`id_references`, which drives checking, pruning
and re-indexing alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator.errors import Problem, did_you_mean
from generator.schema.playbook import Checklists, Course, Courses, Glossary, Item, Module, RolePlay, Sources, Term
from generator.schema.policy import Policy, RungPolicy
from generator.schema.site import Company
from generator.urls import URLS
from generator.yamlload import Document, Key

REFERENCE_FIELDS = ("related", "refs", "cases")
"""Schema fields that hold ids of other entries (modules, items, terms, courses, role plays)."""


def unknown_id(value: str, known: Iterable[str]) -> str:
    """The one message for a reference to an id nothing defines."""
    return f"unknown id '{value}'{did_you_mean(value, known)}; expected the id of a module, item or glossary term"


@dataclass
class Entry:
    """Anything with an id: where it is defined and where it is shown."""

    id: str
    kind: str
    title: str
    page: str
    anchor: str | None
    path: str
    line: int
    col: int
    obj: Any
    module: Module | None = None
    parent: Item | None = None


Where = tuple[str, int, int]
"""Where an entry is defined: file as shown to users, line, column."""


def module_entry(module: Module, where: Where) -> Entry:
    return Entry(module.id, "module", module.title, URLS.module(module.id), None, *where, module, module)


def item_entry(module: Module, item: Item, parent: Item | None, where: Where) -> Entry:
    return Entry(item.id, "item", item.title, URLS.module(module.id), item.id, *where, item, module, parent)


def term_entry(term: Term, where: Where) -> Entry:
    return Entry(term.id, "term", term.term, URLS.glossary, term.id, *where, term)


def course_entry(course: Course, where: Where) -> Entry:
    return Entry(course.id, "course", course.title, URLS.course(course.id), None, *where, course)


def role_play_entry(course: Course, play: RolePlay, where: Where) -> Entry:
    return Entry(play.id, "role-play", play.title, URLS.course(course.id), play.id, *where, play)


@dataclass(frozen=True)
class Playbook:
    """The validated knowledge plus the company's settings. Frozen: the loader makes it whole
    (every field given when it is made) and nothing after the loader changes which objects
    it holds."""

    modules: list[Module]
    sources: Sources
    glossary: Glossary | None
    courses: Courses | None
    company: Company
    search_words: list[str]
    policy: Policy
    index: dict[str, Entry] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """The loader's warnings; the build adds those its outputs find (``--strict`` fails on them)."""
    cited_sources: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    """Ids the company switched off (overlays, policy): printouts skip references to them."""
    notices: tuple[Problem, ...] = ()
    """What the company must look at after taking an upstream release, shown by validate and
    every build but never an error (not even with --strict, so a fork's tests and builds keep
    working while it catches up): overrides whose upstream template changed, and prose that
    points to something the company switched off."""
    measures_off: frozenset[str] = frozenset()
    """Titles of the ladder rungs the company switched off: dropped from every list of measures
    in the site's and printouts' texts (see ``tailoring.scrub_text``)."""
    letters_off: frozenset[str] = frozenset()
    """Letter ids the company does not send (policy ``letters``, or only a disabled rung sends
    them): never listed, linked or named in the site and printouts."""
    checklists: Checklists | None = None
    """``playbook/checklists.yaml``, validated once by the loader (``None`` when there is none)."""
    checklists_doc: Document | None = None
    """Its document, for messages that point into it (``printing.catalog``)."""

    def enabled_rungs(self) -> list[tuple[str, RungPolicy, Item]]:
        """The company's ladder in order: (rung id, its policy, its item), enabled rungs only
        (``Policy.enabled_rungs`` decides which; this adds each rung's item)."""
        out = []
        for rung, rule in self.policy.enabled_rungs():
            entry = self.index.get(rung)
            if entry is not None and entry.kind == "item":
                out.append((rung, rule, entry.obj))
        return out

    def items(self) -> Iterator[tuple[Module, Item, Item | None]]:
        """Every item depth-first with its module and parent."""
        for module in self.modules:
            yield from walk_items(module, module.items, None)

    def terms(self) -> list[Term]:
        return list(self.glossary.terms) if self.glossary else []

    def course_list(self) -> list[Course]:
        return list(self.courses.courses) if self.courses else []

    def reference_roots(self) -> Iterator[BaseModel]:
        """Every top-level object whose fields may hold id references."""
        yield from self.modules
        yield from self.terms()
        yield from self.course_list()


def walk_items(module: Module, items: list[Item], parent: Item | None) -> Iterator[tuple[Module, Item, Item | None]]:
    """Items depth-first with their module and parent."""
    for item in items:
        yield module, item, parent
        yield from walk_items(module, item.items, item)


def walk_item_keys(items: list[Item], key: Key, parent: Item | None) -> Iterator[tuple[Key, Item, Item | None]]:
    """Items depth-first with their key path in the document (``("items", 0, "items", 2)``)."""
    for i, item in enumerate(items):
        here = (*key, i)
        yield here, item, parent
        yield from walk_item_keys(item.items, (*here, "items"), item)


def descendants(item: Item) -> Iterator[Item]:
    for child in item.items:
        yield child
        yield from descendants(child)


def id_references(obj: Any, key: Key = ()) -> Iterator[tuple[Key, BaseModel, str]]:
    """Every list of id references in ``obj`` and below: (key path of the list in its
    document, the model holding it, the field name). The one walk over the schema's
    reference fields (:data:`REFERENCE_FIELDS`)."""
    if not isinstance(obj, BaseModel):
        return
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        if name in REFERENCE_FIELDS:
            yield (*key, name), obj, name
        elif isinstance(value, list):
            for i, element in enumerate(value):
                yield from id_references(element, (*key, name, i))
        elif isinstance(value, BaseModel):
            yield from id_references(value, (*key, name))
