"""The letters: title, purpose and the date they name, read from the policy's ``letters:``
(upstream's wording in defaults/policy.yaml; which items use a letter is said once, by the
`letters:` field of those items in playbook/).

A letter's id is its template's file name (``templates/letters/<id>.html.j2``). A
company may add its own templates under ``site_config/overrides/letters/``; those
get a generic entry here (title = id) unless they replace a shipped one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from generator.errors import did_you_mean, valid_choices
from generator.project import Project
from generator.schema.policy import Policy


@dataclass(frozen=True)
class LetterInfo:
    id: str
    title: str
    """The heading printed on the letter."""
    summary: str
    """What the letter does, one line (site and ``--help``)."""
    when: str
    """When to send it."""
    deadline_days: int
    """Default days from the letter date to the date the letter names (``--deadline`` overrides)."""
    deadline_label: str
    """What that date means in this letter."""


GENERIC = LetterInfo("", "", "本公司自定义函件。", "", 15, "期限")
"""What a letter the policy says nothing about gets (a company's own template): title = id."""


@dataclass(frozen=True)
class LetterCatalog:
    """The letters as the company's policy describes them (``letters:`` in defaults/policy.yaml,
    with site_config/policy.yaml merged over it): the one place titles and deadlines come from."""

    entries: dict[str, LetterInfo]
    """Letter id → its entry, in the policy's order."""

    def info(self, letter_id: str) -> LetterInfo:
        """The letter's entry (a generic one, titled by its id, for a letter the policy does not describe)."""
        return self.entries.get(letter_id) or replace(GENERIC, id=letter_id, title=letter_id)

    def title(self, letter_id: str) -> str:
        return self.info(letter_id).title

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(self.entries)


def letter_catalog(policy: Policy | None) -> LetterCatalog:
    """The catalogue of ``policy`` (no policy: every letter generic, e.g. a broken policy file
    whose problems are reported elsewhere)."""
    entries: dict[str, LetterInfo] = {}
    for letter_id, said in (policy.letters if policy is not None else {}).items():
        entries[letter_id] = LetterInfo(
            letter_id,
            said.title or letter_id,
            said.summary or GENERIC.summary,
            said.when or GENERIC.when,
            said.deadline_days if said.deadline_days is not None else GENERIC.deadline_days,
            said.deadline_label or GENERIC.deadline_label,
        )
    return LetterCatalog(entries)


def known_letter_ids(project: Project) -> set[str]:
    """Letter template ids: ``templates/letters/<id>.html.j2`` (and company overrides)."""
    ids: set[str] = set()
    for folder in project.template_dirs():
        letters = folder / "letters"
        if letters.is_dir():
            ids.update(p.name.removesuffix(".html.j2") for p in letters.glob("*.html.j2") if not p.name.startswith("_"))
    return ids


def unknown_letter(name: str, known: Iterable[str]) -> str:
    """The one message for a letter id that names no template (playbook, policy, overlays,
    plans and the command line alike)."""
    known = list(known)
    choices = valid_choices(known) if known else "no letter templates found"
    return f"unknown letter template '{name}'{did_you_mean(name, known)} ({choices})"


def letter_ids(project: Project, letters: LetterCatalog) -> list[str]:
    """Every letter id (the policy's order first, then company-added ones by name)."""
    found = known_letter_ids(project)
    return [i for i in letters.order if i in found] + sorted(found - set(letters.order))
