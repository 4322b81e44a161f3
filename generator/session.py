"""The composition root: one command's loaded, checked world, made once and passed down.

A command (``playbook build``, ``letters``, ``ladder``, ``print``, ``validate``, the MkDocs
plugin) opens one :class:`Session` from its project; every output receives it and reads the
company, the policy (``session.policy.enabled_rungs()``, ``.letters_off()`` …), the letter
catalogue and the playbook from it, never from the files again. It is frozen and picklable:
the letters' worker processes get it whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.errors import Collector
from generator.letter_catalog import LetterCatalog, known_letter_ids, letter_catalog, letter_ids
from generator.loader import load, load_company_into, load_policy_into
from generator.playbook import Playbook
from generator.project import Project
from generator.schema.policy import Policy
from generator.schema.site import Company


@dataclass(frozen=True)
class Session:
    """What one run works from (see the module's docstring)."""

    project: Project
    company: Company
    policy: Policy
    letters: LetterCatalog
    """The letter catalogue of the policy (titles, deadlines)."""
    templates: frozenset[str]
    """The ids of the letter templates the project has (upstream's and the company's)."""
    loaded: Playbook | None = None
    """The whole playbook, for the commands that need it (``letters`` does not load it)."""

    @classmethod
    def of(cls, project: Project, playbook: Playbook) -> Session:
        """The session of a playbook already loaded (by :func:`open_session` or ``loader.load``):
        nothing is read again."""
        return cls(
            project,
            playbook.company,
            playbook.policy,
            letter_catalog(playbook.policy),
            frozenset(known_letter_ids(project)),
            loaded=playbook,
        )

    @property
    def playbook(self) -> Playbook:
        """The playbook (a session opened with ``playbook=False`` has none: a programming error)."""
        if self.loaded is None:
            raise RuntimeError("this session was opened without the playbook (open_session(..., playbook=True))")
        return self.loaded

    def letter_ids(self) -> list[str]:
        """Every letter id: the policy's order first, then the company's own templates by name."""
        return letter_ids(self.project, self.letters)

    def sent_letter_ids(self) -> list[str]:
        """The letters the company sends (switched-off ones left out)."""
        off = self.policy.letters_off()
        return [i for i in self.letter_ids() if i not in off]

    def for_workers(self) -> Session:
        """This session without the playbook: what a letter worker needs, small to pickle."""
        return replace(self, loaded=None)


def open_session(project: Project, *, playbook: bool = True) -> Session:
    """Load and check what a run needs, once; raise PlaybookError listing every problem.
    ``playbook=False``: only the company and its policy (a letters run needs no more)."""
    templates = known_letter_ids(project)
    if playbook:
        return Session.of(project, load(project, letter_ids=templates))
    errors = Collector()
    policy = load_policy_into(project, errors)
    company = load_company_into(project, errors)
    errors.raise_if_any()
    assert policy is not None and company is not None
    return Session(project, company, policy, letter_catalog(policy), frozenset(templates))
