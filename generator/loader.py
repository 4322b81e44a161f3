"""Load → validate → model: the whole playbook as one checked object (``generator.playbook``).

Every file is loaded and validated before anything stops, so a single run
reports every problem (``PlaybookError`` with all of them).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.errors import Collector, PlaybookError, Problem, did_you_mean
from generator.letter_catalog import unknown_letter
from generator.overrides import check_overrides
from generator.playbook import (
    Entry,
    Playbook,
    course_entry,
    id_references,
    item_entry,
    module_entry,
    role_play_entry,
    term_entry,
    unknown_id,
    walk_item_keys,
)
from generator.project import Project
from generator.schema.base import Strict, validate
from generator.schema.playbook import (
    EDITOR_SOURCE,
    SPECIAL_FILES,
    Course,
    Courses,
    Glossary,
    Item,
    Module,
    Sources,
    teaching_minutes,
)
from generator.schema.policy import RUNG_IDS, Policy
from generator.schema.site import Company, SearchWords
from generator.tailoring import (
    apply_overlays,
    check_policy_refs,
    load_layered,
    load_overlays,
    load_policy,
    reindex,
    remove,
    scrub_playbook,
)
from generator.yamlload import Document, Key, load_file


def load(project: Project, *, letter_ids: set[str] | None = None) -> Playbook:
    """Load and check everything; raise PlaybookError listing every problem."""
    errors = Collector()
    docs = _load_docs(project, errors)
    modules: list[tuple[Document, Module]] = []
    special: dict[str, tuple[Document, Strict]] = {}
    for name, doc in docs:
        model = SPECIAL_FILES.get(name, Module)
        if doc.data is None:
            errors.add(Problem(doc.path, 1, 1, "(file)", f"expected a {model.__name__} mapping, found an empty file"))
            continue
        obj, problems = validate(model, doc)
        errors.extend(problems)
        if obj is None:
            continue
        if isinstance(obj, Module):
            modules.append((doc, obj))
        else:
            special[name] = (doc, obj)
    company, search_words = _load_site_config(project, errors)
    policy_doc, policy = load_policy(project, errors)
    overlays = load_overlays(project, errors)
    override_errors, drift = check_overrides(project)
    errors.extend(override_errors)
    if "sources.yaml" not in special and not any(p.path.endswith("sources.yaml") for p in errors.problems):
        errors.add(
            Problem(
                project.display(project.playbook_dir / "sources.yaml"),
                0,
                0,
                "(file)",
                "expected the list of source articles in this file, found no file",
            )
        )
    errors.raise_if_any()

    modules.sort(key=lambda pair: (pair[1].order, pair[1].id))
    sources = special["sources.yaml"][1]
    assert isinstance(sources, Sources)
    glossary_pair = special.get("glossary.yaml")
    courses_pair = special.get("courses.yaml")
    checklists_pair = special.get("checklists.yaml")
    playbook = Playbook(
        modules=[m for _, m in modules],
        sources=sources,
        glossary=glossary_pair[1] if glossary_pair else None,  # type: ignore[arg-type]
        courses=courses_pair[1] if courses_pair else None,  # type: ignore[arg-type]
        company=company,  # type: ignore[arg-type]
        search_words=search_words,
        policy=policy,  # type: ignore[arg-type]
        checklists=checklists_pair[1] if checklists_pair else None,  # type: ignore[arg-type]
        checklists_doc=checklists_pair[0] if checklists_pair else None,
    )
    _index(playbook, modules, glossary_pair, courses_pair, errors)
    cited = _check(playbook, modules, glossary_pair, courses_pair, errors, letter_ids)
    sources_doc = special["sources.yaml"][0]
    _check_unused_sources(playbook, cited, sources_doc, errors)
    errors.raise_if_any()
    assert policy is not None and policy_doc is not None
    check_policy_refs(policy_doc, policy, playbook, errors, letter_ids)
    source_titles = {s.title for s in playbook.sources.sources} | {EDITOR_SOURCE}
    disabled, origins = apply_overlays(playbook, overlays, errors, letter_ids, source_titles)
    errors.raise_if_any()
    titles = {id_: entry.title for id_, entry in playbook.index.items()}
    removed = remove(playbook, disabled | policy.switched_off())
    removed |= reindex(playbook, origins, errors)
    errors.raise_if_any()
    off_titles = {titles[id_] for id_ in removed if id_ in titles}
    measures_off = {titles[r] for r in RUNG_IDS if r in removed and r in titles}
    notices = scrub_playbook(playbook, measures_off, off_titles)
    unlinked = policy.letters_off()
    for _module, item, _parent in playbook.items():
        item.letters = [letter for letter in item.letters if letter not in unlinked]
    return replace(
        playbook,
        cited_sources=frozenset(cited),
        removed=frozenset(removed),
        measures_off=frozenset(measures_off),
        letters_off=frozenset(unlinked),
        notices=(*drift, *notices),
        warnings=errors.warnings,
    )


def load_policy_into(project: Project, errors: Collector) -> Policy | None:
    """Only the company's policy (defaults/ + site_config/policy.yaml), its problems into
    ``errors``: for a session that needs the ladder but not the whole playbook (letters)."""
    return load_policy(project, errors)[1]


def load_company_into(project: Project, errors: Collector) -> Company | None:
    """Only ``site_config/company.yaml``, its problems into ``errors``."""
    return _load_site_config(project, errors)[0]


def _load_docs(project: Project, errors: Collector) -> list[tuple[str, Document]]:
    folder = project.playbook_dir
    if not folder.is_dir():
        raise PlaybookError(
            [
                Problem(
                    project.display(folder),
                    0,
                    0,
                    "(folder)",
                    "expected the playbook folder with YAML modules, found nothing",
                )
            ]
        )
    out = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            out.append((path.name, load_file(path, project.display(path))))
        except PlaybookError as exc:
            errors.extend(exc.problems)
    return out


def _load_site_config(project: Project, errors: Collector) -> tuple[Company | None, list[str]]:
    company = None
    doc, own = load_layered(project, "company.yaml", errors, what="the company's details (name, address, bank …)")
    if doc is not None:
        company, problems = validate(Company, doc)
        errors.extend(problems)
        if own is not None:
            _check_identity(project, doc, own, errors)
        if company is not None and company.letter_contact not in company.contacts:
            roles = ", ".join(company.contacts) or "(none)"
            errors.add(
                doc.problem(
                    ("letter_contact",),
                    f"expected one of the roles under 'contacts' ({roles}), "
                    f"found '{company.letter_contact}'"
                    f"{did_you_mean(company.letter_contact, company.contacts)}",
                )
            )
        if company is not None and company.logo:
            logo = project.site_config_dir / company.logo
            if not logo.is_file() or logo.suffix.lower() not in (".png", ".svg", ".jpg", ".jpeg"):
                errors.add(
                    doc.problem(
                        ("logo",),
                        f"expected a PNG, SVG or JPEG file under site_config/, found no such file '{company.logo}'",
                    )
                )
    words: list[str] = []
    doc = _load_optional(project, project.site_config_dir / "search.yaml", errors)
    if doc is not None and doc.data is not None:
        found, problems = validate(SearchWords, doc)
        errors.extend(problems)
        words = list(found.words) if found else []
    return company, words


IDENTITY = ("name", "short_name", "address", "postcode", "phone", "bank_name", "bank_account", "contacts")
"""Company fields that belong together: a company that gives one of them gives them all, so
the sample company's bank account or contacts never end up on a real company's letters."""


def _check_identity(project: Project, doc: Document, own: Document, errors: Collector) -> None:
    given = [name for name in IDENTITY if name in own.data]
    defaults = project.display(project.defaults_dir / "company.yaml")
    still = [name for name in IDENTITY if name not in own.data and doc.source_of((name,)) == defaults]
    if given and still:
        errors.add(
            own.problem(
                (given[0],),
                f"expected all of the company's identity in {own.path} once one part "
                f"is given, found {', '.join(still)} still the sample company's "
                f"(from {defaults}); add {'it' if len(still) == 1 else 'them'}",
                of_key=True,
            )
        )


def _load_optional(project: Project, path: Path, errors: Collector) -> Document | None:
    if not path.exists():
        return None
    try:
        return load_file(path, project.display(path))
    except PlaybookError as exc:
        errors.extend(exc.problems)
        return None


def _index(
    playbook: Playbook,
    modules: list[tuple[Document, Module]],
    glossary: tuple[Document, Strict] | None,
    courses: tuple[Document, Strict] | None,
    errors: Collector,
) -> None:
    def add(entry: Entry) -> None:
        first = playbook.index.get(entry.id)
        if first is not None:
            errors.add(
                Problem(
                    entry.path,
                    entry.line,
                    entry.col,
                    "id",
                    f"duplicate id '{entry.id}': already used by the {first.kind} "
                    f"«{first.title}» at {first.path}:{first.line}; ids must be unique",
                )
            )
            return
        playbook.index[entry.id] = entry

    for doc, module in modules:
        add(module_entry(module, (doc.path, *doc.mark(("id",)))))
        for key, item, parent in walk_item_keys(module.items, ("items",), None):
            add(item_entry(module, item, parent, (doc.path, *doc.mark((*key, "id")))))
    if glossary:
        doc, obj = glossary
        assert isinstance(obj, Glossary)
        for i, term in enumerate(obj.terms):
            add(term_entry(term, (doc.path, *doc.mark(("terms", i, "id")))))
    if courses:
        doc, obj = courses
        assert isinstance(obj, Courses)
        for i, course in enumerate(obj.courses):
            add(course_entry(course, (doc.path, *doc.mark(("courses", i, "id")))))
            for j, play in enumerate(course.role_plays):
                add(role_play_entry(course, play, (doc.path, *doc.mark(("courses", i, "role_plays", j, "id")))))


def _check(
    playbook: Playbook,
    modules: list[tuple[Document, Module]],
    glossary: tuple[Document, Strict] | None,
    courses: tuple[Document, Strict] | None,
    errors: Collector,
    letter_ids: set[str] | None,
) -> set[str]:
    """Check ids, references and sources; the titles of the sources cited."""
    known = playbook.index
    titles = {s.title for s in playbook.sources.sources} | {EDITOR_SOURCE}
    cited: set[str] = set()

    def ref(doc: Document, key: Key, value: str) -> None:
        if value not in known:
            errors.add(doc.problem(key, unknown_id(value, known)))

    def source(doc: Document, key: Key, value: str | None, inherited: str | None, required: bool) -> str | None:
        if value is None:
            if required and inherited is None:
                errors.add(
                    doc.problem(
                        key[:-1], f"missing required key 'source': name the source article's title or «{EDITOR_SOURCE}»"
                    )
                )
            return inherited
        if value not in titles:
            errors.add(
                doc.problem(
                    key,
                    f"unknown source '{value}'{did_you_mean(value, titles)}; "
                    f"expected a title from sources.yaml or «{EDITOR_SOURCE}»",
                )
            )
        cited.add(value)
        return value

    def refs(doc: Document, root: Strict) -> None:
        for key, holder, name in id_references(root):
            for j, rel in enumerate(getattr(holder, name)):
                ref(doc, (*key, j), rel)
                if isinstance(holder, Item) and rel == holder.id:
                    errors.add(doc.problem((*key, j), "an item cannot be related to itself"))

    for doc, module in modules:
        module_source = source(doc, ("source",), module.source, None, False)
        _check_items(doc, module.items, ("items",), module_source, source, errors, letter_ids)
        refs(doc, module)
    if glossary:
        doc, obj = glossary
        assert isinstance(obj, Glossary)
        for i, term in enumerate(obj.terms):
            source(doc, ("terms", i, "source"), term.source, None, False)
        refs(doc, obj)
    if courses:
        doc, obj = courses
        assert isinstance(obj, Courses)
        for i, course in enumerate(obj.courses):
            _check_course(doc, i, course, source, errors)
        refs(doc, obj)
    return cited


def _check_unused_sources(playbook: Playbook, cited: set[str], doc: Document, errors: Collector) -> None:
    for i, src in enumerate(playbook.sources.sources):
        if src.title not in cited:
            errors.warn(
                doc.problem(("sources", i, "title"), f"source «{src.title}» is never cited; cite it or remove it")
            )


def _check_items(
    doc: Document,
    items: list[Item],
    key: Key,
    inherited: str | None,
    source: Any,
    errors: Collector,
    letter_ids: set[str] | None,
) -> None:
    for i, item in enumerate(items):
        here = (*key, i)
        own = source(doc, (*here, "source"), item.source, inherited, True)
        if item.source is None and own is not None:
            item.source = own
        if letter_ids is not None:
            for j, letter in enumerate(item.letters):
                if letter not in letter_ids:
                    errors.add(doc.problem((*here, "letters", j), unknown_letter(letter, letter_ids)))
        _check_items(doc, item.items, (*here, "items"), own, source, errors, letter_ids)


def _check_course(doc: Document, i: int, course: Course, source: Any, errors: Collector) -> None:
    base: Key = ("courses", i)
    source(doc, (*base, "source"), course.source, None, False)
    total = teaching_minutes(course.agenda)
    if total != course.duration_minutes:
        errors.add(
            doc.problem(
                (*base, "agenda"),
                f"expected the agenda to add up to duration_minutes ({course.duration_minutes}), found {total} minutes",
            )
        )
    for field in ("quiz", "pretest"):
        for j, question in enumerate(getattr(course, field)):
            if question.choices and question.answer not in question.choices:
                errors.add(
                    doc.problem(
                        (*base, field, j, "answer"),
                        f"expected the answer to be one of the choices, found '{question.answer}'",
                    )
                )
