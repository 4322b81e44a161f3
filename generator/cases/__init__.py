"""Case data for letters and the ladder: who owes what, since when.

Usage (any command)::

    from generator.cases import open_cases, read_cases

    source = open_cases(Path("应收明细.xlsx"), project, sheet=None)   # raises PlaybookError first
    for line in source.summary_lines(): print(line, file=sys.stderr)  # what was read, and what not
    for case in source:
        case.customer, case.outstanding, case.oldest_unpaid_due, case.limitation_start, case.invoices

Inputs: a YAML case file (one debtor, ``generator.schema.cases.CaseFile``) or a bulk
CSV/XLSX/XLS file with one row per invoice (headers from ``defaults/columns.yaml``
plus a company's ``site_config/columns.yaml``). CSV may be UTF-8 (with or without
BOM), GBK or UTF-16 with BOM. The whole file is checked before the first case is
returned; every problem is reported as ``FILE[sheet]:ROW: column: what is wrong``.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from generator.cases import aging, assemble, verify
from generator.cases.columns import Columns, load_columns
from generator.cases.header import Header
from generator.cases.model import Case, Delivery, Instalment, Invoice
from generator.cases.rules import Horizon
from generator.cases.tabular import Table, check_file, open_table
from generator.cases.verify import NEAR_DUPLICATES_SHOWN, Summary, check, check_duplicates, fail_if_problems
from generator.cases.yamlcase import read_yaml_case
from generator.errors import PlaybookError, printable
from generator.money import format_amount
from generator.project import Project

YAML_SUFFIXES = (".yaml", ".yml")


class Survey(Protocol):
    """Notes a command takes on each case while :func:`open_cases` checks the file (the ladder's
    decisions, the letters' stage check …), so that a big export is read once less."""

    def __call__(self, case: Case) -> None:
        """Take note of one customer's case."""

    def restart(self) -> None:
        """Forget every case seen so far: they are all about to be given again."""


@dataclass
class CaseSource:
    """A checked case file: how many customers it holds; iterate it for the cases."""

    path: Path
    display: str
    customers: int
    rows: int
    _columns: Columns | None = None
    _contiguous: bool = True
    _single: Case | None = None
    _table: Table | None = None
    summary: Summary | None = None
    notes: list[str] = field(default_factory=list)
    _cases: list[Case] | None = None
    """An aging report's cases (one row per customer: held in memory)."""
    _lines: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Case]:
        if self._single is not None:
            yield self._single
            return
        if self._cases is not None:
            yield from self._cases
            return
        assert self._columns is not None and self._table is not None and self.summary is not None
        yield from assemble.cases(
            self._table.rows(), self._columns, self.display, self._contiguous, self.summary.header, self.summary.skipped
        )

    def summary_lines(self) -> list[str]:
        """What the run read and what it did not (for stderr): sheet, unit, columns not used, total
        rows, the control total, customers in credit and names that look like one customer."""
        if self._cases is not None:
            return [f"{self.display}: " + "; ".join(self.notes), *self._lines]
        if self.summary is None:
            return []
        s, header = self.summary, self.summary.header
        assert header is not None
        lines = [
            f"{self.display}: read {self.rows:,} row(s) of {self.customers:,} customer(s); " + "; ".join(self.notes)
        ]
        unit = f"amounts in {header.unit_label}" + (
            f" (declared in {header.unit_where}; multiplied by {header.unit:,})"
            if header.unit != 1
            else f" (declared in {header.unit_where})"
            if header.unit_where
            else " (no unit declared)"
        )
        lines.append(
            f"{self.display}: {unit}; {s.total_rows} total row(s) skipped; "
            f"{s.credit_notes} credit note(s) applied oldest invoice first; {s.control}"
        )
        skipped = [
            f"{count} {what}"
            for count, what in (
                (s.void_rows, "void row(s) (作废) skipped"),
                (s.zero_rows, "row(s) of amount 0 or a used-up credit note skipped"),
                (s.red_rows, "red-ink (红字) row(s) read as credits"),
                (s.footer_rows, "footer row(s) (制表人, 审核, 第 N 页 …) skipped"),
                (s.page_rows, "repeated page header row(s) skipped"),
                (s.coded, "customer code(s) kept apart from the names"),
            )
            if count
        ]
        if skipped:
            lines.append(f"{self.display}: " + "; ".join(skipped))
        if "balance" in header.index:
            lines.append(
                f"{self.display}: outstanding read from '{printable(header.label['balance'])}'"
                + (
                    ", checked row by row against "
                    f"{printable(header.label.get('amount', header.label.get('debit', '')))}"
                    f" − {printable(header.label['paid'])}"
                    if "paid" in header.index and ("amount" in header.index or "debit" in header.index)
                    else ""
                )
            )
        if s.unused:
            lines.append(f"{self.display}: columns not used: {', '.join(printable(n) for n in s.unused)}")
        if header.ignored:
            lines.append(
                f"{self.display}: columns ignored (columns.yaml 'ignore:'): "
                f"{', '.join(printable(n) for n in header.ignored)}"
            )
        for name, credit in s.net_credit:
            lines.append(
                f"warning: {self.display}: customer '{printable(name)}' is in credit by "
                f"¥{format_amount(credit)} (credit notes exceed invoices): no letter, no rung"
            )
        for a, b in s.near_duplicates:
            lines.append(
                f"warning: {self.display}: customers '{printable(a)}' and '{printable(b)}' differ only "
                "slightly; if they are one debtor, write the name the same way in the export"
            )
        if len(s.near_duplicates) >= NEAR_DUPLICATES_SHOWN:
            lines.append(
                f"warning: {self.display}: more names that differ only slightly are not listed "
                f"(the first {NEAR_DUPLICATES_SHOWN} are above)"
            )
        for name, code, other in s.two_codes:
            lines.append(
                f"warning: {self.display}: customer '{printable(name)}' is written with two codes, "
                f"'{printable(code)}' and '{printable(other)}'; read as one customer — if they are two debtors, "
                "tell them apart by name in the export"
            )
        return lines

    def print_summary(self, out: TextIO | None = None) -> None:
        for line in self.summary_lines():
            print(line, file=out or sys.stderr)


def open_cases(
    path: Path,
    project: Project,
    display: str | None = None,
    horizon: Horizon | None = None,
    sheet: str | None = None,
    survey: Survey | None = None,
    aging_reports: bool = False,
) -> CaseSource:
    """Check the whole file (raising PlaybookError with every problem) and return its source.
    With ``horizon``, invoices dated after that day are reported (they cannot exist yet).
    ``sheet`` chooses a workbook's sheet (default: the active one).

    ``survey`` is given every case before this returns, in file order: while the file is checked
    when its customers' rows are together (a big export is then read once less), else in a pass
    of its own after :meth:`Survey.restart`. It must only take notes: until this returns the file
    may still be refused.

    ``aging_reports``: an aging report (账龄分析表) is read, as of ``horizon``'s day (the ladder);
    else it is refused with the export to use instead (letters need invoice lines)."""
    shown = display or project.display(path)
    check_file(path, shown)
    if path.suffix.lower() in YAML_SUFFIXES:
        case = read_yaml_case(path, shown, horizon)
        if survey is not None:
            survey(case)
        return CaseSource(path, shown, 1, len(case.invoices), _single=case)
    columns = load_columns(project)
    table = open_table(path, shown, sheet)
    with collector_paused():
        summary = check(table.rows(), columns, table.display, horizon, on_case=survey, formulas=table.formulas())
        if summary.header is not None and summary.header.aging and not summary.problems:
            return _aging_source(path, table, summary.header, columns, horizon, survey, aging_reports)
        if not summary.problems and not summary.contiguous and summary.header is not None:
            summary.problems.extend(
                check_duplicates(table.rows(), columns, summary.header, table.display, summary.skipped)
            )
    fail_if_problems(summary, table.display)
    source = CaseSource(
        path,
        table.display,
        summary.customers,
        summary.rows,
        columns,
        summary.contiguous,
        _table=table,
        summary=summary,
        notes=table.notes,
    )
    if survey is not None and not summary.surveyed:
        survey.restart()  # the check gave it cases until it found a customer's rows apart
        with collector_paused():
            for case in source:
                survey(case)
    return source


def _aging_source(
    path: Path,
    table: Table,
    header: Header,
    columns: Columns,
    horizon: Horizon | None,
    survey: Survey | None,
    aging_reports: bool,
) -> CaseSource:
    """An aging report's cases (the ladder), or the refusal letters give it."""
    if not aging_reports or horizon is None:
        raise aging.letters_refusal(header, table.display)
    read = aging.read_aging(table.rows(), header, columns, table.display, horizon.day)
    if read.problems:
        raise PlaybookError(read.problems[: verify.MAX_PROBLEMS])
    if survey is not None:
        for case in read.cases:
            survey(case)
    return CaseSource(
        path,
        table.display,
        read.customers,
        read.rows,
        notes=table.notes,
        _cases=read.cases,
        _lines=aging.summary_lines(read, header, table.display),
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a bulk file is read through (and while what a command noted
    of it is written out): its millions of rows, invoices and cases are short-lived and free no
    cycles, but each few hundred of them would start a collection, and each collection of the oldest
    generation walks every object the run holds (a ladder holds a decision per customer)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_cases(path: Path, project: Project) -> Iterator[Case]:
    """Every case in ``path``, after checking the whole file (PlaybookError lists all problems)."""
    return iter(open_cases(path, project))


__all__ = [
    "Case",
    "CaseSource",
    "Horizon",
    "Delivery",
    "Instalment",
    "Invoice",
    "PlaybookError",
    "Survey",
    "collector_paused",
    "open_cases",
    "read_cases",
]
