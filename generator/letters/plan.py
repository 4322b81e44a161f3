"""``playbook letters --from-plan PLAN.csv``: each customer gets the letter the ladder plan
(``playbook ladder``) chose for it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.cases import Case, CaseSource, Survey
from generator.cells import neutralise
from generator.errors import PlaybookError, Problem
from generator.letter_catalog import unknown_letter

NEEDED = ("customer", "letter")
MAX_PLAN_BYTES = 256 << 20
"""A plan has one row per customer: a million customers fit many times over."""


def _plain(cell: str) -> str:
    """Undo the plan's formula guard: ``'=x`` was written for the customer ``=x``."""
    return cell[1:] if cell.startswith("'") and neutralise(cell[1:]) == cell else cell


@dataclass(frozen=True)
class Plan:
    """The rows of a plan that name a letter: (line, the customer cell as written, letter id)."""

    display: str
    rows: list[tuple[int, str, str]]


class CustomerNames:
    """A :class:`~generator.cases.Survey` that also notes every customer's name, so each plan row
    is matched against the export while it is checked (no extra pass over the file)."""

    def __init__(self, inner: Survey) -> None:
        self.inner = inner
        self.names: set[str] = set()

    def __call__(self, case: Case) -> None:
        self.names.add(case.customer)
        self.inner(case)

    def restart(self) -> None:
        self.names.clear()
        self.inner.restart()


SHOWN = 30
"""Unmatched plan rows named before a count."""


def match(plan: Plan, names: set[str]) -> dict[str, str]:
    """customer → letter id; every plan row whose customer is not in the export is named (a row
    never silently disappears). A cell is first taken as written (a customer really named
    ``'=x``), then with the plan's formula guard undone (``'=x`` written for ``=x``)."""
    from generator.errors import did_you_mean

    chosen: dict[str, str] = {}
    problems: list[Problem] = []
    for number, cell, letter in plan.rows:
        customer = cell if cell in names else _plain(cell)
        if customer not in names:
            if len(problems) < SHOWN:
                hint = did_you_mean(customer, names) if len(names) < 50_000 else ""
                problems.append(
                    Problem(
                        plan.display,
                        number,
                        0,
                        "customer",
                        f"expected a customer of the export, found '{cell}'{hint}; "
                        "no letter would be written for this row: correct the plan or use the export it was made from",
                    )
                )
            else:
                problems.append(Problem(plan.display, number, 0, "customer", ""))
            continue
        chosen[customer] = letter
    if problems:
        shown = problems[:SHOWN]
        if len(problems) > SHOWN:
            shown.append(
                Problem(plan.display, 0, 0, "customer", f"… and {len(problems) - SHOWN} more row(s) not in the export")
            )
        raise PlaybookError(shown)
    return chosen


def read_plan(path: Path, display: str, known: list[str]) -> Plan:
    """Every plan row that names a letter; all bad rows reported."""
    from generator.safeio import read_checked

    raw = read_checked(path, display, limit=MAX_PLAN_BYTES, what="a ladder plan (playbook ladder --out)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlaybookError(
            [
                Problem(
                    display, 0, 0, "", f"expected a UTF-8 ladder plan (playbook ladder --out), could not read it: {exc}"
                )
            ]
        ) from None
    rows = csv.DictReader(text.splitlines())
    from generator.ladder.report import ZH  # a plan written with --headers zh reads the same

    english = {title: name for name, title in ZH.items()}
    rows.fieldnames = [english.get(name, name) for name in (rows.fieldnames or [])]
    missing = [name for name in NEEDED if name not in (rows.fieldnames or [])]
    if missing:
        raise PlaybookError(
            [
                Problem(
                    display,
                    1,
                    0,
                    "",
                    f"expected the plan's columns {', '.join(NEEDED)}, found no column '{missing[0]}'",
                )
            ]
        )
    chosen: list[tuple[int, str, str]] = []
    problems = []
    for number, row in enumerate(rows, start=2):
        letter = (row.get("letter") or "").strip()
        if not letter:
            continue
        if letter not in known:
            problems.append(Problem(display, number, 0, "letter", unknown_letter(letter, known)))
            continue
        chosen.append((number, row["customer"] or "", letter))
    if problems:
        raise PlaybookError(problems)
    return Plan(display, chosen)


@dataclass
class Selected:
    """The cases of ``source`` whose customer the plan gave ``letter`` (a CaseSource look-alike)."""

    source: CaseSource
    customers_wanted: set[str]

    @property
    def customers(self) -> int:
        return len(self.customers_wanted)

    def __iter__(self) -> Iterator[Case]:
        return (case for case in self.source if case.customer in self.customers_wanted)


def groups(source: CaseSource, plan: dict[str, str], order: list[str]) -> list[tuple[str, Selected]]:
    """(letter id, its customers) in ladder order, for the letters the plan uses."""
    by_letter: dict[str, set[str]] = {}
    for customer, letter in plan.items():
        by_letter.setdefault(letter, set()).add(customer)
    ranked = sorted(by_letter, key=lambda lid: (order.index(lid) if lid in order else len(order), lid))
    return [(lid, Selected(source, by_letter[lid])) for lid in ranked]
