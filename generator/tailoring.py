"""A company's tailoring, applied to the validated playbook.

``site_config/policy.yaml`` (the ladder as policy, aging, classification, module
switches) and ``site_config/playbook/*.yaml`` overlays (add, replace, disable items
by id). Whatever is switched off is removed from the model itself, with every link
to it, so it disappears from the site, the printouts and the letter links alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.errors import Collector, PlaybookError, Problem, describe, did_you_mean, valid_choices
from generator.letter_catalog import unknown_letter
from generator.playbook import Playbook, descendants, id_references, item_entry, unknown_id, walk_items
from generator.project import Project
from generator.schema.base import ID_RE, validate
from generator.schema.overlay import Overlay, OverlayItem
from generator.schema.playbook import EDITOR_SOURCE, Item, Module
from generator.schema.policy import RUNG_IDS, Policy, RungPolicy
from generator.yamlload import Document, Key, load_file, merge

_ITEM_FIELDS = set(Item.model_fields) - {"id"}


WHOLE_KEYS: dict[str, frozenset[Key]] = {
    "company.yaml": frozenset({("contacts",)}),
}
"""Mappings a company's file replaces as a whole instead of merging into the default
(the sample company's contacts must never sign a real company's letters)."""


def load_layered(
    project: Project, name: str, errors: Collector, *, what: str
) -> tuple[Document | None, Document | None]:
    """``defaults/<name>`` with ``site_config/<name>`` merged over it key by key.

    Returns the merged document and the company's own document (``None`` when the company
    changed nothing). Either file may be missing; both missing is a problem."""
    default_path = project.defaults_dir / name
    own_path = project.site_config_dir / name
    if not default_path.exists() and not own_path.exists():
        errors.add(Problem(project.display(own_path), 0, 0, "(file)", f"expected {what}, found no file"))
        return None, None
    docs: list[Document | None] = []
    for path in (default_path, own_path):
        if not path.exists():
            docs.append(None)
            continue
        try:
            doc = load_file(path, project.display(path))
        except PlaybookError as exc:
            errors.extend(exc.problems)
            return None, None
        if doc.data is not None and not isinstance(doc.data, dict):
            errors.add(doc.problem((), f"expected a mapping of keys ({what}), found {describe(doc.data)}"))
            return None, None
        docs.append(doc if doc.data is not None else None)
    base, own = docs
    if base is None and own is None:
        errors.add(Problem(project.display(own_path), 1, 1, "(file)", f"expected {what}, found an empty file"))
        return None, None
    if base is None:
        return own, own
    if own is None:
        return base, None
    return merge(base, own, whole=WHOLE_KEYS.get(name, frozenset())), own


def load_policy(project: Project, errors: Collector) -> tuple[Document | None, Policy | None]:
    doc, _own = load_layered(
        project, "policy.yaml", errors, what="the company's collection policy (ladder, aging buckets)"
    )
    if doc is None:
        return None, None
    policy, problems = validate(Policy, doc)
    errors.extend(problems)
    if policy is not None:
        _check_policy_shape(doc, policy, errors)
    return doc, policy


def _check_policy_shape(doc: Document, policy: Policy, errors: Collector) -> None:
    for rung in policy.ladder:
        if rung not in RUNG_IDS:
            errors.add(
                doc.problem(
                    ("ladder", rung),
                    f"unknown rung '{rung}'{did_you_mean(rung, RUNG_IDS)} ({valid_choices(RUNG_IDS)})",
                    of_key=True,
                )
            )
    for rung in RUNG_IDS:
        if rung not in policy.ladder:
            errors.add(
                doc.problem(
                    ("ladder",),
                    f"missing rung '{rung}'; give every rung an entry (use 'enabled: false' to switch one off)",
                )
            )
    previous: tuple[str, int] | None = None
    for rung in RUNG_IDS:
        rule = policy.ladder.get(rung)
        if rule is None or not rule.enabled:
            continue
        if previous and rule.days_overdue <= previous[1]:
            here, before = ("ladder", rung, "days_overdue"), ("ladder", previous[0], "days_overdue")
            if doc.source_of(here) != doc.source_of(before) and doc.source_of(here).startswith("defaults/"):
                # the company moved the earlier rung past a default: say so in the company's file
                errors.add(
                    doc.problem(
                        before,
                        f"expected fewer than {rule.days_overdue} days (the trigger of "
                        f"'{rung}', the next enabled rung, in {doc.source_of(here)}), found "
                        f"{previous[1]}; triggers must increase along the ladder: also set "
                        f"ladder.{rung}.days_overdue here",
                    )
                )
            else:
                errors.add(
                    doc.problem(
                        here,
                        f"expected more than {previous[1]} days (the trigger of '{previous[0]}', "
                        f"the enabled rung before it), found {rule.days_overdue}; "
                        "triggers must increase along the ladder",
                    )
                )
        previous = (rung, rule.days_overdue)
    buckets = policy.aging_buckets
    for i, bucket in enumerate(buckets):
        last = i == len(buckets) - 1
        if last and bucket.max_days is not None:
            errors.add(
                doc.problem(
                    ("aging_buckets", i, "max_days"),
                    "expected no max_days on the last bucket (it catches everything older)",
                )
            )
        if not last and bucket.max_days is None:
            errors.add(doc.problem(("aging_buckets", i), "expected max_days on every bucket but the last"))
        earlier = buckets[i - 1].max_days if i else None
        if bucket.max_days is not None and earlier is not None and bucket.max_days <= earlier:
            errors.add(
                doc.problem(
                    ("aging_buckets", i, "max_days"),
                    f"expected more than {buckets[i - 1].max_days}, found {bucket.max_days}; buckets must increase",
                )
            )
    for name in policy.letters:
        if not ID_RE.match(name):
            errors.add(
                doc.problem(("letters", name), f"expected a letter id like 'stop-supply', found '{name}'", of_key=True)
            )
    rules = policy.classification
    if rules.bad_debt_after_days <= rules.doubtful_after_days:
        errors.add(
            doc.problem(
                ("classification", "bad_debt_after_days"),
                f"expected more than doubtful_after_days ({rules.doubtful_after_days}), "
                f"found {rules.bad_debt_after_days}",
            )
        )


def check_policy_refs(
    doc: Document, policy: Policy, playbook: Playbook, errors: Collector, letter_ids: set[str] | None
) -> None:
    """References from the policy into the playbook and the letter templates."""
    modules = {m.id for m in playbook.modules}
    for name in policy.modules:
        if name not in modules:
            errors.add(
                doc.problem(("modules", name), f"unknown module '{name}'{did_you_mean(name, modules)}", of_key=True)
            )
    if letter_ids is not None:
        for name in policy.letters:
            if name not in letter_ids:
                errors.add(doc.problem(("letters", name), unknown_letter(name, letter_ids), of_key=True))
    off = {name for name, switch in policy.letters.items() if not switch.enabled}
    for rung, rule in policy.ladder.items():
        if rung in RUNG_IDS and rule.enabled and rule.letter in off:
            errors.add(
                doc.problem(
                    ("letters", rule.letter, "enabled"),
                    f"expected the letter '{rule.letter}' on, since the enabled rung '{rung}' sends "
                    f"it (ladder.{rung}.letter), found it switched off; switch the rung off too "
                    f"(ladder.{rung}.enabled: false) or give the rung another letter",
                )
            )
    for rung, rule in policy.ladder.items():
        if rung not in RUNG_IDS:
            continue
        if rung not in playbook.index:
            errors.warn(
                doc.problem(("ladder", rung), f"the playbook has no item '{rung}'; this rung is not shown", of_key=True)
            )
        if letter_ids is not None and rule.letter and rule.letter not in letter_ids:
            errors.add(doc.problem(("ladder", rung, "letter"), unknown_letter(rule.letter, letter_ids)))
        allowed = set(RUNG_IDS) | (letter_ids or set())
        for j, need in enumerate(rule.requires):
            if letter_ids is not None and need not in allowed:
                errors.add(
                    doc.problem(
                        ("ladder", rung, "requires", j),
                        f"unknown prerequisite '{need}'{did_you_mean(need, allowed)}; "
                        "expected a letter id or a rung id",
                    )
                )
            elif need in policy.ladder and not policy.ladder[need].enabled and rule.enabled:
                errors.add(
                    doc.problem(("ladder", rung, "requires", j), f"requires the rung '{need}', which is disabled")
                )
            elif need in policy.ladder and rule.enabled:
                unreachable = _unreachable(rung, rule, need, policy.ladder[need])
                if unreachable:
                    errors.warn(doc.problem(("ladder", rung, "requires", j), unreachable))


def _unreachable(rung: str, rule: RungPolicy, need: str, first: RungPolicy) -> str:
    """Why the company's ladder can never apply ``rung`` as written, because the rung it
    requires starts later or only for larger debts ("" when it can)."""
    if first.days_overdue > rule.days_overdue:
        return (
            f"'{rung}' starts at {rule.days_overdue} days but requires '{need}', which starts only at "
            f"{first.days_overdue} days: '{rung}' cannot be applied before {first.days_overdue} days; "
            f"raise ladder.{rung}.days_overdue or drop the prerequisite"
        )
    low, high = rule.min_amount, first.min_amount
    if high is not None and (low is None or Decimal(str(low)) < Decimal(str(high))):
        shown = format(Decimal(str(high)).normalize(), ",f")
        return (
            f"'{rung}' has {'no minimum amount' if low is None else f'a minimum of {low}'} but requires "
            f"'{need}', which needs at least {shown}: for smaller debts '{rung}' can never be applied; "
            f"set ladder.{rung}.min_amount: {high} or drop the prerequisite"
        )
    return ""


def load_overlays(project: Project, errors: Collector) -> list[tuple[Document, Overlay]]:
    folder = project.site_config_dir / "playbook"
    out = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            doc = load_file(path, project.display(path))
        except PlaybookError as exc:
            errors.extend(exc.problems)
            continue
        if doc.data is None:
            continue
        overlay, problems = validate(Overlay, doc)
        errors.extend(problems)
        if overlay is not None:
            out.append((doc, overlay))
    return out


def apply_overlays(
    playbook: Playbook,
    overlays: list[tuple[Document, Overlay]],
    errors: Collector,
    letter_ids: set[str] | None,
    source_titles: set[str],
) -> tuple[set[str], Origins]:
    """Apply every overlay; return the ids the overlays disabled and where each item the
    overlays brought in was written (for ``reindex``)."""
    disabled: set[str] = set()
    origins: Origins = {}
    for doc, overlay in overlays:
        for i, change in enumerate(overlay.items):
            key = ("items", i)
            if change.add_to is not None:
                item = _add_item(doc, key, change, playbook, errors, source_titles)
                if item is None:
                    continue
                _remember(origins, doc, key, item)
                _index_new(playbook, doc, key, item)
            elif change.id not in playbook.index or playbook.index[change.id].kind != "item":
                known = [k for k, e in playbook.index.items() if e.kind == "item"]
                errors.add(
                    doc.problem(
                        (*key, "id"),
                        f"unknown item '{change.id}'{did_you_mean(change.id, known)}; to add a new item give 'add_to'",
                    )
                )
                continue
            elif not change.enabled:
                disabled.add(change.id)
            else:
                item = _replace_fields(playbook, change)
                origins[id(item)] = (doc, key)
                for j, child in enumerate(change.items or []):
                    _remember(origins, doc, (*key, "items", j), child)
        for i, change in enumerate(overlay.items):
            for j, letter in enumerate(change.letters or []):
                if letter_ids is not None and letter not in letter_ids:
                    errors.add(doc.problem(("items", i, "letters", j), unknown_letter(letter, letter_ids)))
            if change.source is not None and change.source not in source_titles:
                errors.add(
                    doc.problem(
                        ("items", i, "source"),
                        f"unknown source '{change.source}'{did_you_mean(change.source, source_titles)};"
                        f" expected a title from sources.yaml or «{EDITOR_SOURCE}»",
                    )
                )
    return disabled, origins


Origins = dict[int, tuple[Document, Key]]
"""id() of an item object → the overlay document and key path it came from."""


def _remember(origins: Origins, doc: Document, key: Key, item: Item) -> None:
    origins[id(item)] = (doc, key)
    for j, child in enumerate(item.items):
        _remember(origins, doc, (*key, "items", j), child)


def reindex(playbook: Playbook, origins: Origins, errors: Collector) -> set[str]:
    """Index the tailored model afresh (titles, parents, sub-items an overlay replaced or
    brought in) and check what overlays introduced: unique ids, existing references. The ids
    that are gone (sub-items an overlay's replacement dropped)."""
    old = dict(playbook.index)
    index = {key: entry for key, entry in old.items() if entry.kind != "item"}
    for module, item, parent in playbook.items():
        origin = origins.get(id(item))
        if origin is not None:
            line, col = origin[0].mark((*origin[1], "id"))
            path = origin[0].path
        else:
            before = old[item.id]
            path, line, col = before.path, before.line, before.col
        first = index.get(item.id)
        if first is not None:
            errors.add(
                Problem(
                    path,
                    line,
                    col,
                    "id",
                    f"duplicate id '{item.id}': already used by the {first.kind} "
                    f"«{first.title}» at {first.path}:{first.line}; ids must be unique",
                )
            )
            continue
        index[item.id] = item_entry(module, item, parent, (path, line, col))
    playbook.index.clear()
    playbook.index.update(index)
    for _module, item, _parent in playbook.items():
        origin = origins.get(id(item))
        for j, rel in enumerate(item.related):
            if rel not in index and origin is not None:
                errors.add(origin[0].problem((*origin[1], "related", j), unknown_id(rel, index)))
    _prune_references(playbook, set(old) - set(index))
    return set(old) - set(index)


def _fields_of(change: OverlayItem) -> dict[str, Any]:
    return {name: getattr(change, name) for name in _ITEM_FIELDS if getattr(change, name) is not None}


def _replace_fields(playbook: Playbook, change: OverlayItem) -> Item:
    item = playbook.index[change.id].obj
    for name, value in _fields_of(change).items():
        setattr(item, name, value)
    return item


def _add_item(
    doc: Document, key: Key, change: OverlayItem, playbook: Playbook, errors: Collector, source_titles: set[str]
) -> Item | None:
    if change.id in playbook.index:
        first = playbook.index[change.id]
        errors.add(
            doc.problem(
                (*key, "id"),
                f"id '{change.id}' already exists ({first.kind} «{first.title}» at "
                f"{first.path}:{first.line}); to change it, remove 'add_to'",
            )
        )
        return None
    parent = playbook.index.get(change.add_to or "")
    if parent is None or parent.kind not in ("module", "item"):
        known = [k for k, e in playbook.index.items() if e.kind in ("module", "item")]
        errors.add(
            doc.problem(
                (*key, "add_to"), f"unknown module or item '{change.add_to}'{did_you_mean(change.add_to or '', known)}"
            )
        )
        return None
    fields = _fields_of(change)
    missing = [name for name in ("title", "summary") if name not in fields]
    if missing:
        errors.add(doc.problem(key, f"missing required key '{missing[0]}' for a new item; add it"))
        return None
    siblings: list[Item] = parent.obj.items
    inherited = parent.obj.source
    if "source" not in fields and inherited is None:
        errors.add(
            doc.problem(key, f"missing required key 'source': name the source article's title or «{EDITOR_SOURCE}»")
        )
        return None
    fields.setdefault("source", inherited)
    item = Item(id=change.id, **fields)
    position = len(siblings)
    if change.after is not None:
        ids = [s.id for s in siblings]
        if change.after not in ids:
            errors.add(
                doc.problem(
                    (*key, "after"),
                    f"'{change.after}' is not under '{change.add_to}'"
                    f"{did_you_mean(change.after, ids)} ({valid_choices(ids)})",
                )
            )
            return None
        position = ids.index(change.after) + 1
    siblings.insert(position, item)
    return item


def _index_new(playbook: Playbook, doc: Document, key: Key, item: Item) -> None:
    module, parent = _find_holder(playbook, item)
    line, col = doc.mark((*key, "id"))
    playbook.index[item.id] = item_entry(module, item, parent, (doc.path, line, col))
    for child in item.items:
        _index_new_child(playbook, doc, (line, col), child, module, item)


def _index_new_child(
    playbook: Playbook, doc: Document, mark: tuple[int, int], item: Item, module: Module, parent: Item
) -> None:
    # setdefault: a clash with an existing id is reported by reindex, naming both places
    playbook.index.setdefault(item.id, item_entry(module, item, parent, (doc.path, *mark)))
    for child in item.items:
        _index_new_child(playbook, doc, mark, child, module, item)


def _find_holder(playbook: Playbook, target: Item) -> tuple[Module, Item | None]:
    for module, item, parent in playbook.items():
        if item is target:
            return module, parent
    raise LookupError(target.id)


def remove(playbook: Playbook, ids: Iterable[str]) -> set[str]:
    """Remove items or modules (with their sub-items) and every reference to them; return
    every id that went."""
    gone: set[str] = set()
    for id_ in ids:
        entry = playbook.index.get(id_)
        if entry is None:
            continue
        if entry.kind == "module":
            playbook.modules[:] = [m for m in playbook.modules if m.id != id_]
            gone.add(id_)
            gone.update(item.id for _m, item, _p in walk_items(entry.obj, entry.obj.items, None))
        elif entry.kind == "item":
            holder = entry.parent.items if entry.parent is not None else entry.module.items  # type: ignore[union-attr]
            holder[:] = [i for i in holder if i.id != id_]
            gone.add(id_)
            gone.update(item.id for item in descendants(entry.obj))
    for id_ in gone:
        playbook.index.pop(id_, None)
    _prune_references(playbook, gone)
    return gone


def _prune_references(playbook: Playbook, gone: set[str]) -> None:
    """Drop every reference to an id that went (the one walk: ``playbook.id_references``)."""
    if not gone:
        return
    emptied: set[int] = set()
    for root in playbook.reference_roots():
        for _key, holder, name in id_references(root):
            before = getattr(holder, name)
            after = [r for r in before if r not in gone]
            if len(after) != len(before):
                before[:] = after
                if not after:
                    emptied.add(id(holder))

    def prune_outline(entries: list[Any]) -> None:
        # an outline line that only pointed to what went goes with it (unless it has sub-lines left)
        for entry in entries:
            prune_outline(entry.children)
        entries[:] = [e for e in entries if not (id(e) in emptied and not e.children)]

    for course in playbook.course_list():
        prune_outline(course.outline)


# ---- what the texts say about switched-off things -------------------------------------------

_CHAIN_SEP = r"\s*→\s*"


def _alternation(titles: Iterable[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))


def scrub_text(text: str, off: AbstractSet[str], on: AbstractSet[str]) -> str:
    """Drop switched-off measures from lists in running text: «停止供货 → 终止授权 → 法律途径»
    and «停止供货、终止授权、法律途径» lose «终止授权»; a pure cross-reference to it in
    brackets («（见「终止授权」）», «，详见「终止授权」）») goes too. Titles still in use
    (``on``) are never touched."""
    names = [t for t in off if t not in on]
    if not names or not any(t in text for t in names):
        return text
    alt = _alternation(names)
    # arrow chains: remove the title with the arrow on one side
    text = re.sub(rf"{_CHAIN_SEP}(?:{alt})(?=\s*(?:→|」|）|\)|。|，|$))", "", text)
    text = re.sub(rf"(?<=[「（(\s])(?:{alt}){_CHAIN_SEP}(?=\S)", "", text)
    text = re.sub(rf"^(?:{alt}){_CHAIN_SEP}", "", text)
    # 、-lists: «甲、终止授权、乙» / «（终止授权、乙» / «甲、终止授权）»
    text = re.sub(rf"、(?:{alt})(?=[、）)」都等和及])", "", text)
    text = re.sub(rf"(?<=[（(「])(?:{alt})、", "", text)
    # bracketed cross-references
    text = re.sub(rf"（(?:详见|参见|见)「(?:{alt})」）", "", text)
    text = re.sub(rf"[，,；;](?:详见|参见|见)「(?:{alt})」(?=[）)])", "", text)
    return text


def off_mentions(text: str, off: AbstractSet[str], on: AbstractSet[str]) -> list[str]:
    """Cross-references in prose to something switched off that :func:`scrub_text` could not
    remove safely («详见「巧妙施压」» in the middle of a sentence)."""
    names = [t for t in off if t]
    if not names or not any(t in text for t in names):
        return []
    found = []
    # «见「甲」», «详见「甲」», «分别见「乙」和「甲」两页»: a pointer, not a quoted phrase
    for match in re.finditer(rf"(?:见|参见|详见)(?:「[^」]*」[和、及与])*「({_alternation(names)})」", text):
        found.append(match.group(1))
    return sorted(set(found))


def _points_to(text: str, off: AbstractSet[str], on: AbstractSet[str]) -> bool:
    return any(f"「{title}」" in text for title in off if title not in on)


def scrub_model(obj: Any, off: AbstractSet[str], on: AbstractSet[str]) -> None:
    """Apply :func:`scrub_text` to every text field of a model, in place."""
    from pydantic import BaseModel

    if not isinstance(obj, BaseModel):
        return
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        if isinstance(value, str):
            new = scrub_text(value, off, on)
            if new != value:
                object.__setattr__(obj, name, new)
        elif isinstance(value, list):
            for i, element in enumerate(value):
                if isinstance(element, str):
                    value[i] = scrub_text(element, off, on)
                else:
                    scrub_model(element, off, on)
            # a bullet that sends the reader to a switched-off measure goes with it
            value[:] = [e for e in value if not (isinstance(e, str) and _points_to(e, off, on))]
        elif isinstance(value, BaseModel):
            scrub_model(value, off, on)


def texts_of(obj: Any) -> Iterable[str]:
    """Every text in a model, its sub-items excluded (they are checked on their own)."""
    from pydantic import BaseModel

    if not isinstance(obj, BaseModel):
        return
    for name in type(obj).model_fields:
        if name == "items":
            continue
        value = getattr(obj, name)
        for element in value if isinstance(value, list) else [value]:
            if isinstance(element, str):
                yield element
            elif isinstance(element, BaseModel):
                yield from texts_of(element)


def scrub_playbook(playbook: Playbook, measures_off: set[str], off_titles: set[str]) -> list[Problem]:
    """After switching things off: drop the switched-off measures (ladder rungs) from lists in
    every text, and warn about each remaining cross-reference to anything switched off (at the
    item or module that holds it). Only measures are dropped: a list of a module's methods
    keeps its meaning only when it stays whole, so those are reported instead."""
    on = {entry.title for entry in playbook.index.values()}
    off = {t for t in measures_off if t}
    notices: list[Problem] = []
    if not off_titles:
        return notices
    for module in playbook.modules:
        scrub_model(module, off, on)
    for course in playbook.course_list():
        scrub_model(course, off, on)
    for term in playbook.terms():
        scrub_model(term, off, on)
    for entry in list(playbook.index.values()):
        if entry.kind not in ("module", "item"):
            continue
        for text in texts_of(entry.obj):
            named = [t for t in off if t not in on and f"「{t}」" in text]
            for title in sorted(set(off_mentions(text, off_titles, on)) | set(named)):
                notices.append(
                    Problem(
                        entry.path,
                        entry.line,
                        entry.col,
                        entry.id,
                        f"the text points readers to «{title}», which the company switched off "
                        f"(reword it in an overlay under site_config/playbook/ where it is an item)",
                    )
                )
    return notices


__all__ = [
    "Path",
    "apply_overlays",
    "check_policy_refs",
    "load_overlays",
    "load_policy",
    "reindex",
    "remove",
    "scrub_playbook",
    "scrub_text",
]
