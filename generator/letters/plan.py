"""``playbook letters --from-plan PLAN.csv``: each customer gets the letter the ladder plan
(``playbook ladder``) chose for it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from generator.cases import Case, CaseSource
from generator.cells import neutralise
from generator.errors import PlaybookError, Problem
from generator.letter_catalog import unknown_letter

NEEDED = ("customer", "letter")
MAX_PLAN_BYTES = 256 << 20
"""A plan has one row per customer: a million customers fit many times over."""


def _plain(cell: str) -> str:
    """Undo the plan's formula guard: ``'=x`` was written for the customer ``=x``."""
    return cell[1:] if cell.startswith("'") and neutralise(cell[1:]) == cell else cell


def read_plan(path: Path, display: str, known: list[str], no_letter: dict[str, str] | None = None) -> dict[str, str]:
    """customer → letter id for every plan row that names a letter; all bad rows reported.
    ``no_letter`` receives every other customer of the plan with why the plan chose no letter."""
    from generator.safeio import read_checked

    # a FIFO, a device or a huge file is refused before it is read
    raw = read_checked(path, display, limit=MAX_PLAN_BYTES, what="a ladder plan (playbook ladder --out)", where="")
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
    chosen: dict[str, str] = {}
    problems = []
    for number, row in enumerate(rows, start=2):
        letter = (row.get("letter") or "").strip()
        if not letter:
            if no_letter is not None:
                no_letter[row.get("customer") or ""] = _why_none(row)
            continue
        if letter not in known:
            problems.append(Problem(display, number, 0, "letter", unknown_letter(letter, known)))
            continue
        chosen[row["customer"] or ""] = letter  # as written: see as_in_file
    if problems:
        raise PlaybookError(problems)
    return chosen


def as_in_file(cells: dict[str, str], in_file: set[str]) -> dict[str, str]:
    """The plan's customer cells as the export names them: a cell as written when the export has
    that customer (a customer really named ``'=x``), else with the plan's formula guard undone
    (``'=x`` written for ``=x``)."""
    return {(cell if cell in in_file else _plain(cell)): value for cell, value in cells.items()}


def _why_none(row: dict[str, str]) -> str:
    """Why a plan row names no letter, in the plan's own terms."""
    owed = (row.get("outstanding") or "").strip()
    try:
        settled = Decimal(owed.replace(",", "")) <= 0
    except (InvalidOperation, ValueError):
        settled = False
    if settled:
        return "nothing outstanding (the plan: 已结清)"
    rung = (row.get("rung") or "").strip()
    if rung:
        title = (row.get("rung_title") or "").strip()
        return f"the plan puts it on the '{rung}' rung{f' ({title})' if title else ''}, which sends no letter"
    days = (row.get("days_overdue") or "").strip() or "0"
    return (
        f"{days} day(s) overdue, ¥{owed}: no rung of the ladder applies yet (days or amount), "
        "so the plan chose no letter"
    )


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
